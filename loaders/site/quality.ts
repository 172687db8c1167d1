// The data-quality page's files: up to rejectSampleSize rejected rows per file and reason,
// in a total order (a warehouse's rejects have no line: their reason, column and value order
// them), and how many return lines netted against purchases, by rule (returns_netting.csv).
import {returnNettingSql} from "../../src/core/sql/netPurchases.js";
import {rejectSampleSize} from "../rules.js";
import {deriveCsv, type PageFiles} from "./pageFiles.js";

export const qualityFiles: PageFiles<"quality"> = async ({writeCsv, derived}) => {
  await writeCsv(
    `SELECT * FROM rejects
     QUALIFY row_number() OVER (PARTITION BY file, reason ORDER BY line::BIGINT) <= ${rejectSampleSize}
     ORDER BY table_name, file, line::BIGINT, reason, column_name, value`,
    "rejects_sample.csv"
  );
  const matches = derived.has("return_matches") ? "return_matches" : null;
  await deriveCsv({derived, writeCsv}, "returns_netting", () => returnNettingSql(undefined, matches), {
    what: "the returns netted against purchases, by rule",
    order: "rule"
  });
};
