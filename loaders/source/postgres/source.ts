// A PostgreSQL warehouse as a Source (loaders/source/source.ts): a read-only session
// (connection.ts), the loaders' DuckDB holding only what its queries bring back, and the
// site's queries run in the warehouse (site.ts).
import {warehouseResultsSettings, withDuckDB} from "../../duckdb.js";
import type {Settings} from "../../settings.js";
import type {Source} from "../source.js";
import {withWarehouse} from "./connection.js";
import {warehouseReportSlices, withWarehouseSite} from "./site.js";

/** Runs work with the warehouse at url as a Source; every error's message is redacted (withWarehouse). */
export function withPostgresSource<T>(
  url: string,
  settings: Settings,
  work: (source: Source) => Promise<T>,
  progress: (line: string) => void
): Promise<T> {
  return withWarehouse(
    url,
    settings.warehouse,
    (session) =>
      withDuckDB(
        (connection, instance) =>
          work({
            connection,
            instance,
            slices: () => warehouseReportSlices(session),
            session: async () => session,
            withSite: (files, siteWork) => withWarehouseSite(session, connection, files, progress, settings, siteWork)
          }),
        warehouseResultsSettings(settings.duckdbMemory)
      ),
    progress
  );
}
