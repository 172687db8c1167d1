// CDNOW purchase logs (Fader & Hardie): the master file (customer id, date YYYYMMDD,
// number of CDs, dollar value; a header line) or the 1/10 sample (master id, sample id,
// date, CDs, dollars; no header). Whitespace-separated, CRLF, optionally gzipped.
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync, statSync} from "node:fs";
import {basename} from "node:path";
import {queryRows} from "../duckdb.js";
import {literal} from "../../src/core/sql/sql.js";
import {FatalInputError} from "../stage.js";
import {defaultMarginRate, type StagedSource} from "./staged.js";

export async function stageCdnow(connection: DuckDBConnection, files: readonly string[]): Promise<StagedSource> {
  const parts: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) throw new FatalInputError(`${file}: file not found`);
    if (statSync(file).size === 0) throw new FatalInputError(`${file}: the file is empty`);
    // Each line whole (no delimiter or quote applies), then split on runs of whitespace.
    parts.push(`SELECT ${literal(basename(file))} AS _file, row_number() OVER () AS _line, regexp_split_to_array(trim(line), '\\s+') AS f
      FROM read_csv(${literal(file)}, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '', header = false)`);
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_cdnow AS
    WITH lines AS (${parts.join(" UNION ALL ")})
    SELECT _file, _line,
           f[1] AS customer_id, f[len(f) - 2] AS occurred_at, f[len(f) - 1] AS quantity, f[len(f)] AS revenue,
           CASE WHEN len(f) NOT IN (4, 5) THEN 'malformed row (expected 4 or 5 fields)' END AS _reject_reason,
           CASE WHEN len(f) NOT IN (4, 5) THEN 'line' END AS _reject_column,
           CASE WHEN len(f) NOT IN (4, 5) THEN len(f) || ' fields' END AS _reject_value
    FROM lines
    WHERE NOT (_line = 1 AND f[1] = 'customer_id') -- the master file's header
      AND f <> [''] -- a blank line is no row`);
  const counts = await queryRows<{file: string; rows: string}>(
    connection,
    "SELECT _file AS file, count(*) AS rows FROM stage_cdnow GROUP BY _file"
  );
  for (const file of files) {
    if (!counts.some((c) => c.file === basename(file))) throw new FatalInputError(`${file}: the file has no data rows`);
  }
  return {
    kind: "cdnow",
    name: "CDNOW purchase log (Fader & Hardie)",
    currency: "USD",
    marginRate: defaultMarginRate,
    inputs: [{stage: "stage_cdnow", table: "transactions", format: {dateFormat: "%Y%m%d"}}],
    hasCustomers: false
  };
}
