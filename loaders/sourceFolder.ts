// A source folder, as `npm run ingest` writes it, opened in native DuckDB: each canonical
// table it has becomes table canonical_<name> with the canonical column types.
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {schemas, sqlTypes, tableOrder} from "./canonical.js";
import {identifier, literal} from "../src/components/sql.js";
import type {SourceInfo} from "./ingest.js";
import {FatalInputError} from "./stage.js";

export function readSourceInfo(dir: string): SourceInfo {
  const path = join(dir, "source.json");
  if (!existsSync(path)) throw new FatalInputError(`${dir}: not a source folder (no source.json); make one with npm run ingest`);
  return JSON.parse(readFileSync(path, "utf-8")) as SourceInfo;
}

export async function openSourceFolder(connection: DuckDBConnection, dir: string): Promise<SourceInfo> {
  const info = readSourceInfo(dir);
  for (const table of tableOrder) {
    const path = join(dir, `${table}.csv`);
    if (!existsSync(path)) continue;
    const columns = schemas[table].map((f) => `${literal(f.name)}: ${literal(sqlTypes[f.type])}`).join(", ");
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(`canonical_${table}`)} AS
      SELECT * FROM read_csv(${literal(path)}, header = true, columns = {${columns}}, timestampformat = '%Y-%m-%d %H:%M:%S', dateformat = '%Y-%m-%d')`);
  }
  return info;
}
