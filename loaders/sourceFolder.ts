// A source folder, as `npm run ingest` writes it, opened in native DuckDB: each canonical
// table it has becomes table canonical_<name> with the canonical column types.
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {canonicalColumns, tableOrder} from "./canonical.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {queryRows} from "./duckdb.js";
import type {SourceInfo} from "./ingest.js";
import {FatalInputError} from "./stage.js";

export function readSourceInfo(dir: string): SourceInfo {
  const path = join(dir, "source.json");
  if (!existsSync(path))
    throw new FatalInputError(`${dir}: not a source folder (no source.json); make one with npm run ingest`);
  return JSON.parse(readFileSync(path, "utf-8")) as SourceInfo;
}

export async function openSourceFolder(connection: DuckDBConnection, dir: string): Promise<SourceInfo> {
  const info = readSourceInfo(dir);
  for (const table of tableOrder) {
    const path = join(dir, `${table}.csv`);
    if (!existsSync(path)) continue;
    // Every column as text first, then each canonical column cast to its type: a folder
    // written before a column was added (an optional one, such as feedback's order_id)
    // still opens, with that column empty.
    const file = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
    const present = new Set(
      (
        await queryRows<{column_name: string}>(connection, `SELECT column_name FROM (DESCRIBE SELECT * FROM ${file})`)
      ).map((c) => c.column_name)
    );
    const columns = canonicalColumns(table, present, (f) =>
      f.type === "timestamp" ? `strptime(${identifier(f.name)}, '%Y-%m-%d %H:%M:%S')` : identifier(f.name)
    );
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${identifier(`canonical_${table}`)} AS SELECT ${columns} FROM ${file}`
    );
  }
  return info;
}
