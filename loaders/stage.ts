// Reading a delimited text file into a stage table: every value as text, with the file
// and line it came from, so that validation can name them. Rows that are not even
// well-formed (too few or too many fields) are set aside here, with their line.
import type {DuckDBConnection} from "@duckdb/node-api";
import {createReadStream, existsSync, statSync} from "node:fs";
import {createGunzip} from "node:zlib";
import {basename} from "node:path";
import {queryRows} from "./duckdb.js";
import {identifier, literal} from "../src/core/sql/sql.js";

/** A problem that stops the whole load: names the file and, where it applies, the column. */
export class FatalInputError extends Error {}

export interface DelimitedFile {
  path: string;
  delimiter?: string; // default ","
  quote?: string; // default '"'
  header?: boolean; // default true
  /** What to tell the user when the header is one field holding another delimiter (e.g. the mapping setting). */
  delimiterHint?: (delimiter: string) => string;
}

/** Delimiters a header that reads as one column may hold instead, in the order they are tried. */
const otherDelimiters = [";", "\t", "|", ","];
const shown = (delimiter: string) => (delimiter === "\t" ? "a tab" : `'${delimiter}'`);
const quoted = (columns: readonly string[]) => columns.map((c) => JSON.stringify(c)).join(", ");
const plural = (n: number) => (n > 1 ? "s" : "");

/** Stage columns every stage table has besides the source's own columns. */
export const stageColumns = ["_file", "_line"] as const;

/**
 * Creates `stage` from a delimited file: columns `_file` (the file's base name), `_line`
 * (1-based line number; the header is line 1; a value that spans lines shifts the count),
 * every source column as VARCHAR under its own name, `_duplicate_key` (a 64-bit hash of the
 * whole row: equal for equal rows, rarely for others) and `_duplicate_row` (the whole row,
 * which tells them apart; NULL and '' stay apart). The file is read once, into
 * `<stage>_read`; `stage` is a view over it. Malformed rows go to
 * `<stage>_malformed(_file, _line, value, reason)`. Throws FatalInputError when the file is missing,
 * empty, not UTF-8, or lacks one of `requiredColumns` or `optionalColumns` (columns that may be
 * empty but are read, so must be there), listing the columns found; when the header is one
 * field holding another delimiter, it says so instead, with the required columns missing.
 */
export async function stageDelimitedFile(
  connection: DuckDBConnection,
  stage: string,
  file: DelimitedFile,
  requiredColumns: readonly string[],
  optionalColumns: readonly string[] = []
): Promise<void> {
  const {path, delimiter = ",", quote = '"', header = true} = file;
  const delimiterHint =
    file.delimiterHint ?? ((d: string) => `the file seems delimited by ${shown(d)}, not ${shown(delimiter)}`);
  if (!existsSync(path)) throw new FatalInputError(`${path}: file not found`);
  if (statSync(path).size === 0) throw new FatalInputError(`${path}: the file is empty`);
  const options = `delim = ${literal(delimiter)}, quote = ${literal(quote)}, escape = ${literal(quote)}, header = ${header}, all_varchar = true, store_rejects = true, strict_mode = true, null_padding = false`;
  try {
    // In file order (DuckDB preserves insertion order), so a row's rowid is its place in the file.
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(`${stage}_read`)} AS
      SELECT * FROM read_csv(${literal(path)}, ${options})`);
  } catch (error) {
    throw new FatalInputError(`${path}: ${describeReadError(error)}`);
  }
  const columns = (
    await queryRows<{name: string}>(connection, `SELECT name FROM pragma_table_info(${literal(`${stage}_read`)})`)
  ).map((c) => c.name);
  const missing = requiredColumns.filter((column) => !columns.includes(column));
  const missingOptional = optionalColumns.filter((column) => !columns.includes(column) && !missing.includes(column));
  if (missing.length + missingOptional.length > 0) {
    const header = columns.length === 1 ? (columns[0] ?? "") : "";
    const other = otherDelimiters.find((d) => d !== delimiter && header.includes(d));
    if (other !== undefined) {
      throw new FatalInputError(
        `${path}: the header is one column holding ${shown(other)} — ${delimiterHint(other)}` +
          (missing.length ? ` (required column${plural(missing.length)} ${quoted(missing)} not found)` : "")
      );
    }
    const parts = [
      ...(missing.length ? [`required column${plural(missing.length)} ${quoted(missing)}`] : []),
      ...(missingOptional.length ? [`optional column${plural(missingOptional.length)} ${quoted(missingOptional)}`] : [])
    ];
    throw new FatalInputError(`${path}: ${parts.join(" and ")} not found; the file has ${quoted(columns)}`);
  }
  const [encoding] = await queryRows<{line: string}>(
    connection,
    `SELECT line FROM reject_errors WHERE error_type IN ('INVALID UNICODE', 'INVALID ENCODING') ORDER BY line LIMIT 1`
  );
  if (encoding)
    throw new FatalInputError(`${path}: not UTF-8 text (first bad byte on line ${encoding.line}): save it as UTF-8`);
  const name = literal(basename(path));
  // One reject per malformed line (DuckDB reports each bad field), without the line's text,
  // which may hold ids or personal data.
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(`${stage}_malformed`)} AS
    SELECT ${name} AS _file, line::BIGINT AS _line, error_message AS value,
           CASE error_type WHEN 'MISSING COLUMNS' THEN 'malformed row (too few fields)'
                           WHEN 'TOO MANY COLUMNS' THEN 'malformed row (too many fields)'
                           ELSE 'malformed row (' || lower(error_type) || ')' END AS reason
    FROM reject_errors
    QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1
    ORDER BY line`);
  // DuckDB skips blank lines without a word; find them by reading the file as whole lines,
  // unless a scan of its bytes shows it has none.
  const blankLines = (await mayHaveBlankLines(path))
    ? `SELECT line FROM (
        SELECT row_number() OVER () AS line, text
        FROM read_csv(${literal(path)}, columns = {'text': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', header = false, strict_mode = false))
      WHERE line > ${header ? 1 : 0} AND coalesce(trim(text, chr(13)), '') = ''`
    : "SELECT NULL::BIGINT AS line WHERE false";
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(`${stage}_skipped`)} AS
    SELECT _line AS line FROM ${identifier(`${stage}_malformed`)} UNION SELECT line FROM (${blankLines})`);
  const [{skipped}] = (await queryRows<{skipped: string}>(
    connection,
    `SELECT count(*) AS skipped FROM ${identifier(`${stage}_skipped`)}`
  )) as [{skipped: string}];
  // A source column may be called rowid, which hides DuckDB's own.
  const read = identifier(`${stage}_read`);
  const rowidHidden = columns.some((column) => column.toLowerCase() === "rowid");
  if (rowidHidden)
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${read} AS SELECT row_number() OVER () - 1 AS _position, * FROM ${read}`
    );
  const position = rowidHidden ? "_position" : "rowid";
  // The line of the n-th row read (n = position + 1) is n + header + the skipped (blank or
  // malformed) lines before it. With t_j = L_j − header − 1 − j for the j-th skipped line L_j
  // (0-based, ascending), that is n + header + #{j : t_j < n}.
  const noneSkipped = Number(skipped) === 0;
  const shift = noneSkipped
    ? ""
    : ` + (SELECT count(*) FROM (SELECT line - ${header ? 1 : 0} - 1 - (row_number() OVER (ORDER BY line) - 1) AS t FROM ${identifier(`${stage}_skipped`)}) WHERE t < ${position} + 1)`;
  const row = columns.map(identifier).join(", ");
  await connection.run(`CREATE OR REPLACE TEMP ${noneSkipped ? "VIEW" : "TABLE"} ${identifier(stage)} AS
    SELECT ${name} AS _file, ${position} + 1 + ${header ? 1 : 0}${shift} AS _line, ${row},
           hash(${row}) AS _duplicate_key, list_value(${row}) AS _duplicate_row
    FROM ${read}`);
  await connection.run(
    `DROP TABLE ${identifier(`${stage}_skipped`)}; DELETE FROM reject_errors; DELETE FROM reject_scans`
  );
  const [{rows}] = (await queryRows<{rows: string}>(
    connection,
    `SELECT (SELECT count(*) FROM ${read}) + (SELECT count(*) FROM ${identifier(`${stage}_malformed`)}) AS rows`
  )) as [{rows: string}];
  if (Number(rows) === 0) throw new FatalInputError(`${path}: the file has no data rows`);
}

/**
 * Whether a file may hold a blank line (empty, or nothing but carriage returns): false when a
 * scan of its bytes (gunzipped, for a .gz file) finds none, true when it finds one or cannot
 * tell (a .zst file).
 */
async function mayHaveBlankLines(path: string): Promise<boolean> {
  if (/\.zst$/i.test(path)) return true;
  const file = createReadStream(path, {highWaterMark: 1 << 20});
  const bytes = /\.gz$/i.test(path) ? file.pipe(createGunzip()) : file;
  // The last two bytes of the chunk before, so that a blank line across two chunks is seen.
  let carry = Buffer.from("\n");
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      const text = Buffer.concat([carry, chunk]);
      if (text.includes("\n\n") || text.includes("\n\r\n") || text.includes("\r\r")) return true;
      carry = text.subarray(text.length - 2);
    }
  } finally {
    file.destroy();
  }
  // A last line of nothing but a carriage return.
  return carry.toString("latin1").endsWith("\n\r");
}

function describeReadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not utf-8|invalid unicode/i.test(message)) {
    const line = /Line: (\d+)/.exec(message)?.[1];
    return `not UTF-8 text${line ? ` (first bad byte near line ${line})` : ""}: save it as UTF-8`;
  }
  return message.split("\n")[0] ?? message;
}
