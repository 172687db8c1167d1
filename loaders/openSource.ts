// Opening a source by its name: a folder of canonical files (what `npm run ingest` writes;
// native DuckDB reads it) or a postgres:// / postgresql:// URL (the queries run in the
// warehouse). The one place that tells them apart: commands, and later the site's loaders
// and the report, open their source here.
import {rawRowsSettings, withDuckDB} from "./duckdb.js";
import type {Settings} from "./settings.js";
import {openSourceFolder} from "./sourceFolder.js";
import {duckdbSession, type SqlSession} from "./sqlSession.js";
import {FatalInputError} from "./stage.js";
import {withWarehouse} from "./warehouse/postgres.js";

/** Which kind of source a command-line argument or $CUSTOMER_EQUITY_SOURCE names. */
export function sourceKind(source: string): "folder" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(source) ? "postgres" : "folder";
}

/** Runs work with the settings' source (a folder or a postgres:// URL) opened; the warehouse settings apply to a warehouse only. */
export async function withSource<T>(
  settings: Settings,
  work: (session: SqlSession) => Promise<T>,
  progress: (message: string) => void = () => {}
): Promise<T> {
  const {source} = settings;
  if (source === null) throw new FatalInputError("no source given: a source folder or a postgres:// URL");
  if (sourceKind(source) === "postgres") return withWarehouse(source, settings.warehouse, work, progress);
  if (Object.keys(settings.warehouse.tables).length > 0)
    throw new FatalInputError(`${source}: table names apply to a postgres:// source, not to a folder`);
  return withDuckDB(async (connection) => {
    await openSourceFolder(connection, source);
    return work(duckdbSession(connection));
  }, rawRowsSettings(settings.duckdbMemory));
}
