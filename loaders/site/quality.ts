// The data-quality page's files: up to rejectSampleSize rejected rows per file and reason,
// in a total order (a warehouse's rejects have no line: their reason, column and value order them).
import {rejectSampleSize} from "../rules.js";
import type {PageFiles} from "./pageFiles.js";

export const qualityFiles: PageFiles<"quality"> = async ({writeCsv}) => {
  await writeCsv(
    `SELECT * FROM rejects
     QUALIFY row_number() OVER (PARTITION BY file, reason ORDER BY line::BIGINT) <= ${rejectSampleSize}
     ORDER BY table_name, file, line::BIGINT, reason, column_name, value`,
    "rejects_sample.csv"
  );
};
