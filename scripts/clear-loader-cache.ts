// Removes Framework's cached data-loader output before a build or dev server. Framework
// reruns a loader only when the loader file itself changes, so a new CUSTOMER_EQUITY_SOURCE,
// new input files or changed code in loaders/ would otherwise go unseen ("[using stale]").
// The loaders' ingested demo stays: its folder is named by what it holds (demoSource).
import {rmSync} from "node:fs";
import {join} from "node:path";

rmSync(join(import.meta.dirname, "..", "src", ".observablehq", "cache", "data"), {recursive: true, force: true});
