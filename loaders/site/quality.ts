// The data-quality page's files: up to rejectSampleSize rejected rows per file and reason.
import type {PageFiles} from "./pageFiles.js";

/** How many rejected rows per file and reason the data-quality page shows. */
export const rejectSampleSize = 20;

export const qualityFiles: PageFiles = async ({writeCsv}) => {
  await writeCsv(
    `SELECT * FROM rejects
     QUALIFY row_number() OVER (PARTITION BY file, reason ORDER BY line::BIGINT) <= ${rejectSampleSize}
     ORDER BY table_name, file, line::BIGINT`,
    "rejects_sample.csv"
  );
};
