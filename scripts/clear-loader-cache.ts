// Removes Framework's cached data-loader output and the loaders' ingested demo before a
// build or dev server. Framework reruns a loader only when the loader file itself changes,
// so a new CUSTOMER_EQUITY_SOURCE, new input files or changed code in loaders/ would
// otherwise go unseen ("[using stale]").
import {rmSync} from "node:fs";
import {join} from "node:path";
import {demoCache} from "../loaders/source/source.js";

rmSync(join(import.meta.dirname, "..", "src", ".observablehq", "cache", "data"), {recursive: true, force: true});
rmSync(demoCache, {recursive: true, force: true});
