// The explore page's files: every canonical table of the source as explore_<table>.csv
// (ids already pseudonymised by ingest; prospect ids, which name people who never became
// customers, are left out), and explore.json with each table's row count. A table longer
// than the row limit ships as a seeded sample, and explore.json says so.
import {schemas, tableOrder, type TableName} from "../canonical.js";
import {identifier, numberLiteral} from "../../src/core/sql/sql.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

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
}

/**
 * SQL for the rows of `table` that ship: all of them, or `limit` rows picked by a seeded hash
 * of each row (ties, which are identical rows, broken by every column so the order is total).
 */
export function exploreRowsSql(table: TableName, rows: number, limit: number): string {
  const columns = exploreColumns(table).map(identifier);
  const from = `SELECT ${columns.join(", ")} FROM ${identifier(`canonical_${table}`)}`;
  // A total order, so that the file is the same whichever order the rows were loaded in.
  if (rows <= limit) return `${from} ORDER BY ${columns.join(", ")}`;
  return `${from} ORDER BY hash(${numberLiteral(sampleSeed)}, ${columns.join(", ")}), ${columns.join(", ")} LIMIT ${numberLiteral(limit)}`;
}

/** Above browserRows rows (Settings.browserRows, a million unless set) a table reaches the browser as a sample: DuckDB-WASM stays quick up to about there. */
export const exploreFiles: PageFiles<"explore"> = async ({
  connection,
  source,
  writeCsv,
  writeFile,
  browserRows: limit
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
    // An absent table still gets its header, so that every file the page names exists.
    if (present) await writeCsv(exploreRowsSql(name, rows, limit), `explore_${name}.csv`);
    else writeFile(`explore_${name}.csv`, `${exploreColumns(name).join(",")}\n`);
    const atSource =
      !present && source.tables.includes(name)
        ? source.derived?.includes(name)
          ? {derivedAtSource: true as const}
          : {atSource: true as const}
        : {};
    tables.push({name, present, rows, shipped: Math.min(rows, limit), ...atSource});
  }
  writeFile("explore.json", `${JSON.stringify({limit, tables}, null, 2)}\n`);
};
