// Daily first and repeat purchases of the bundled CDNOW sample (loaders/cdnowDailySales.ts).
import {cdnowDailySalesCsv} from "../../loaders/cdnowDailySales.js";
import {bundledCdnowSample} from "./sources.js";

process.stdout.write(await cdnowDailySalesCsv(bundledCdnowSample));
