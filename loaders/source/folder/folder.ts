// A source folder, as `npm run ingest` writes it, opened in native DuckDB: each canonical
// table it has becomes table canonical_<name> with the canonical column types, and every
// derived table is computed there, in the loaders' DuckDB.
import type {DuckDBConnection} from "@duckdb/node-api";
import {copyFileSync, existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {canonicalColumns, tableOrder} from "../../canonical.js";
import {identifier, literal} from "../../../src/core/sql/sql.js";
import {queryRows, rawRowsSettings, withDuckDB} from "../../duckdb.js";
import type {SourceInfo} from "../../ingest.js";
import type {Settings} from "../../settings.js";
import {localDerivations} from "../derived.js";
import {duckdbSession} from "../../sqlSession.js";
import {FatalInputError} from "../../stage.js";
import {slicesOf, type ReportSlice} from "../slices.js";
import type {Source} from "../source.js";

export function readSourceInfo(dir: string): SourceInfo {
  const path = join(dir, "source.json");
  if (!existsSync(path))
    throw new FatalInputError(`${dir}: not a source folder (no source.json); make one with npm run ingest`);
  return JSON.parse(readFileSync(path, "utf-8")) as SourceInfo;
}

export async function openSourceFolder(connection: DuckDBConnection, dir: string): Promise<SourceInfo> {
  const info = readSourceInfo(dir);
  // bonds.csv where the source declares bonds (ingest.ts), the other tables where it has them.
  for (const table of [...tableOrder, ...(info.bonds ? (["bonds"] as const) : [])]) {
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

/**
 * Every acquisition channel and segment of a source folder's customers.csv (read as
 * openSourceFolder reads it, so the names are the same). None for a source without a
 * customers table or with the column empty.
 */
export async function readReportSlices(connection: DuckDBConnection, sourceDir: string): Promise<ReportSlice[]> {
  const path = join(sourceDir, "customers.csv");
  if (!existsSync(path)) return [];
  const file = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
  return slicesOf(async (column) => {
    const present = await queryRows(
      connection,
      `SELECT 1 FROM (DESCRIBE SELECT * FROM ${file}) WHERE column_name = ${literal(column)}`
    );
    if (!present.length) return null;
    return (
      await queryRows<{name: string}>(
        connection,
        `SELECT DISTINCT ${identifier(column)} AS name FROM ${file} WHERE ${identifier(column)} IS NOT NULL`
      )
    ).map((row) => row.name);
  });
}

/** A source folder opened for the site: its canonical tables and its rejects; its summaries copied to `files`. */
async function openFolderSite(connection: DuckDBConnection, dir: string, files: string): Promise<SourceInfo> {
  const info = await openSourceFolder(connection, dir);
  await connection.run(
    `CREATE TEMP TABLE rejects AS SELECT * FROM read_csv(${literal(join(dir, "rejects.csv"))}, header = true, all_varchar = true)`
  );
  for (const file of ["source.json", "quality.json", "customer_summary.csv"])
    copyFileSync(join(dir, file), join(files, file));
  return info;
}

/** Runs work with a source folder as a Source (loaders/source/source.ts); table names (Settings.warehouse.tables) do not apply. */
export async function withFolderSource<T>(
  dir: string,
  settings: Settings,
  work: (source: Source) => Promise<T>
): Promise<T> {
  if (Object.keys(settings.warehouse.tables).length > 0)
    throw new FatalInputError(`${dir}: table names apply to a postgres:// source, not to a folder`);
  return withDuckDB(
    (connection, instance) =>
      work({
        connection,
        instance,
        slices: () => readReportSlices(connection, dir),
        session: async () => {
          await openSourceFolder(connection, dir);
          return duckdbSession(connection);
        },
        withSite: async (files, siteWork) =>
          siteWork({
            info: await openFolderSite(connection, dir, files),
            derived: localDerivations(connection),
            // Each slice's canonical tables, cut to it in the slice's connection, are queried there.
            slices: {
              slices: await readReportSlices(connection, dir),
              derivations: (sliceConnection) => localDerivations(sliceConnection)
            }
          })
      }),
    rawRowsSettings(settings.duckdbMemory)
  );
}
