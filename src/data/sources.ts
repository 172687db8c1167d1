// Where the site's data loaders read their input.
import {fileURLToPath} from "node:url";

/** Fader & Hardie's 1/10 systematic sample of the CDNOW log, shipped in data/. */
export const bundledCdnowSample = fileURLToPath(new URL("../../data/cdnow_sample.txt", import.meta.url));
