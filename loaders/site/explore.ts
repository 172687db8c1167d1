// The explore page's files: every canonical table of the source as explore_<table>.csv.gz
// (ids already pseudonymised by ingest; prospect ids, which name people who never became
// customers, are left out), and explore.json with each table's row count. A table longer
// than the row limit ships as a seeded sample, and explore.json says so. A table whose file
// is larger than the site's setting (Settings.exploreBytes) ships empty, and explore.json
// gives its size, so that the page can say how to include it.
import {schemas, tableOrder, type TableName} from "../canonical.js";
import {identifier, numberLiteral} from "../../src/core/sql/sql.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles, PageFilesContext} from "./pageFiles.js";

/** The sample's seed: the same source always gives the same sample. */
const sampleSeed = 20250630;

/** Columns the explore page gets: every canonical column except the ids of people who are not customers. */
export const exploreColumns = (table: TableName): string[] =>
  schemas[table].filter((f) => f.name !== "prospect_id").map((f) => f.name);

/** What explore.json says of a table. */
export interface ExploreTable {
  name: TableName;
  present: boolean;
  rows: number;
  /** Rows shipped: rows, or the limit when the table is sampled. */
  shipped: number;
  /** The source has the table but it stays there (a warehouse's raw tables); only then present. */
  atSource?: true;
  /** The source lacks the table and the site derives it there from the transactions (a warehouse without customers). */
  derivedAtSource?: true;
  /** The table's file would have been this many bytes, more than the site ships (Settings.exploreBytes): it ships empty. */
  withheldBytes?: number;
  /** withheldBytes is estimated from the file's first rows (exploreTableFile), not measured. */
  withheldEstimated?: true;
}

/**
 * A table's explore file: gzipped CSV, a tenth of the CSV's size on the demo, which DuckDB-WASM reads
 * without an extension (its Parquet reader is one, fetched from the network, which the site may not use).
 */
export const exploreFile = (table: TableName) => `explore_${table}.csv.gz`;

/** SQL for no rows with the shipped columns: the file of a table the site does not ship, its header only. */
const exploreEmptySql = (table: TableName): string =>
  `SELECT ${exploreColumns(table)
    .map((name) => `NULL AS ${identifier(name)}`)
    .join(", ")} WHERE false`;

/**
 * SQL for the rows of `table` that ship: all of them, or `limit` rows picked by a seeded hash
 * of each row (ties, which are identical rows, broken by every column so the order is total);
 * with `first`, only the first that many of them.
 */
export function exploreRowsSql(table: TableName, rows: number, limit: number, first = Math.min(rows, limit)): string {
  const columns = exploreColumns(table).map(identifier);
  const from = `SELECT ${columns.join(", ")} FROM ${identifier(`canonical_${table}`)}`;
  const head = first < Math.min(rows, limit) ? ` LIMIT ${numberLiteral(first)}` : "";
  // A total order, so that the file is the same whichever order the rows were loaded in.
  if (rows <= limit) return `${from} ORDER BY ${columns.join(", ")}${head}`;
  return `${from} ORDER BY hash(${numberLiteral(sampleSeed)}, ${columns.join(", ")}), ${columns.join(", ")} LIMIT ${numberLiteral(Math.min(limit, first))}`;
}

/** How many of a large table's first rows are written to estimate its file's size (exploreTableFile). */
export const estimateRows = 50_000;

/**
 * Writes a present table's explore file and gives its size; or, where the file would be more than twice
 * `maxBytes`, writes its header only and gives the size estimated from its first `sampleRows` rows in
 * the file's order (the whole file costs seconds to sort and compress at a million rows, only to be left out).
 * Near the limit the file is written whole, so that whether it ships is decided on its real size.
 */
export async function exploreTableFile(
  writeCsv: PageFilesContext["writeCsv"],
  name: TableName,
  rows: number,
  {limit, maxBytes, sampleRows = estimateRows}: {limit: number; maxBytes: number; sampleRows?: number}
): Promise<{bytes: number; estimated?: true}> {
  const shipped = Math.min(rows, limit);
  if (shipped > 4 * sampleRows) {
    const sample = await writeCsv(exploreRowsSql(name, rows, limit, sampleRows), exploreFile(name));
    const bytes = Math.round((sample * shipped) / sampleRows);
    if (bytes > 2 * maxBytes) {
      await writeCsv(exploreEmptySql(name), exploreFile(name));
      return {bytes, estimated: true};
    }
  }
  return {bytes: await writeCsv(exploreRowsSql(name, rows, limit), exploreFile(name))};
}

/**
 * Above browserRows rows (Settings.browserRows, a million unless set) a table reaches the browser as a sample: DuckDB-WASM
 * stays quick up to about there. Above exploreBytes a table stays out of the site.
 */
export const exploreFiles: PageFiles<"explore"> = async ({
  connection,
  source,
  writeCsv,
  writeFile,
  browserRows: limit,
  exploreBytes
}) => {
  const tables: ExploreTable[] = [];
  // A table is shipped when this DuckDB holds it: a warehouse's transactions and customers
  // stay in the warehouse, or are derived there.
  const local = new Set(
    (await queryRows<{name: string}>(connection, "SELECT table_name AS name FROM duckdb_tables()")).map((t) => t.name)
  );
  for (const name of tableOrder) {
    const present = source.tables.includes(name) && local.has(`canonical_${name}`);
    const [count] = present
      ? await queryRows<{n: number}>(connection, `SELECT count(*)::BIGINT AS n FROM ${identifier(`canonical_${name}`)}`)
      : [];
    const rows = Number(count?.n ?? 0);
    // An absent or withheld table still gets its header, so that every file the page names exists.
    const file = present ? await exploreTableFile(writeCsv, name, rows, {limit, maxBytes: exploreBytes}) : {bytes: 0};
    const withheld: Pick<ExploreTable, "withheldBytes" | "withheldEstimated"> =
      file.bytes > exploreBytes ? {withheldBytes: file.bytes, ...(file.estimated && {withheldEstimated: true})} : {};
    // An estimated table's file is its header already.
    if (!present || (withheld.withheldBytes && !file.estimated))
      await writeCsv(exploreEmptySql(name), exploreFile(name));
    const atSource =
      !present && source.tables.includes(name)
        ? source.derived?.includes(name)
          ? {derivedAtSource: true as const}
          : {atSource: true as const}
        : {};
    tables.push({
      name,
      present,
      rows,
      shipped: withheld.withheldBytes ? 0 : Math.min(rows, limit),
      ...atSource,
      ...withheld
    });
  }
  writeFile("explore.json", `${JSON.stringify({limit, maxBytes: exploreBytes, tables}, null, 2)}\n`);
};
