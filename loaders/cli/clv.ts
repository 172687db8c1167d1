// npm run clv -- <source folder> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD]
// Fits the customer-equity models (BG/NBD and Gamma-Gamma) to a source folder written by
// npm run ingest and prints the fit and the holdout comparison as JSON.
import {parseArgs} from "node:util";
import {fitClv} from "../clv.js";
import {withDuckDB} from "../duckdb.js";
import {openSourceFolder} from "../sourceFolder.js";
import {FatalInputError} from "../stage.js";

const usage = "usage: npm run clv -- <source folder> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD (default: the data's last day)]";
const {values, positionals} = parseArgs({options: {"calibration-end": {type: "string"}, "holdout-end": {type: "string"}, help: {type: "boolean"}}, allowPositionals: true});
const [dir] = positionals;
if (values.help || !dir || !values["calibration-end"]) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
try {
  const fit = await withDuckDB(async (connection) => {
    const source = await openSourceFolder(connection, dir);
    return fitClv(connection, values["calibration-end"]!, values["holdout-end"] ?? source.observation_end ?? values["calibration-end"]!);
  });
  console.log(JSON.stringify(fit, null, 2));
} catch (error) {
  if (error instanceof FatalInputError || (error instanceof Error && /not a date|holdout end|no customer/.test(error.message))) {
    console.error(`clv: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
