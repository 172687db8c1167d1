// Opening a source by its name: a folder of canonical files (what `npm run ingest` writes;
// native DuckDB reads it) or a postgres:// / postgresql:// URL (the queries run in the
// warehouse). The one place that tells them apart: commands, and later the site's loaders
// and the report, open their source here.
import {withDuckDB} from "./duckdb.js";
import {openSourceFolder} from "./sourceFolder.js";
import {duckdbSession, type SqlSession} from "./sqlSession.js";
import {FatalInputError} from "./stage.js";
import {withWarehouse, type WarehouseOptions} from "./warehouse/postgres.js";

/** Which kind of source a command-line argument or $CUSTOMER_EQUITY_SOURCE names. */
export function sourceKind(source: string): "folder" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(source) ? "postgres" : "folder";
}

/** Runs work with a source folder or a postgres:// URL opened; the options apply to a warehouse only. */
export async function withSource<T>(
  source: string,
  options: WarehouseOptions,
  work: (session: SqlSession) => Promise<T>
): Promise<T> {
  if (sourceKind(source) === "postgres") return withWarehouse(source, options, work);
  if (options.tables && Object.keys(options.tables).length > 0)
    throw new FatalInputError(`${source}: table names apply to a postgres:// source, not to a folder`);
  return withDuckDB(async (connection) => {
    await openSourceFolder(connection, source);
    return work(duckdbSession(connection));
  });
}
