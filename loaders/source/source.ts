// A source: where the canonical tables live. A folder of canonical files (what `npm run
// ingest` writes; native DuckDB reads it: loaders/source/folder/), or a postgres:// /
// postgresql:// URL (the queries run in the warehouse: loaders/source/postgres/), or, when
// the settings name none, the bundled demo business ingested into a folder. withSource is
// the one place that tells them apart; everything else works on the Source it gives.
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {demoAsOf, demoMapping} from "../demo/paths.js";
import {ingest, type SourceInfo} from "../ingest.js";
import {pseudonymKey} from "../pseudonym.js";
import type {Settings} from "../settings.js";
import type {Derivations} from "../site/derived.js";
import type {SqlSession} from "../sqlSession.js";
import {withFolderSource} from "./folder/folder.js";
import {withPostgresSource} from "./postgres/source.js";
import type {ReportSlice, SliceSource} from "./slices.js";

/** A source opened for the site, in the loaders' DuckDB. */
export interface SiteSource {
  /** What the pages say of the source (source.json). */
  info: SourceInfo;
  /** Queries computed next to the data, their results brought into the loaders' DuckDB. */
  derived: Derivations;
  /** The segment reports' slices, each with derivations that see only its customers. */
  slices: SliceSource;
}

export interface Source {
  /** The loaders' DuckDB: a folder's canonical tables are in it; a warehouse's query results come into it. */
  connection: DuckDBConnection;
  /** The same database, for work that wants more connections (each has its own temporary tables). */
  instance: DuckDBInstance;
  /** The acquisition channels and segments of the source's customers (the segment reports' pages). */
  slices(): Promise<ReportSlice[]>;
  /** A session over the canonical tables, for queries that bring back few rows (npm run clv). */
  session(): Promise<SqlSession>;
  /**
   * Runs work with the source opened for the site: rejects (a sample per table and reason)
   * and customer_summary created in the loaders' DuckDB (with a folder's canonical tables,
   * or a warehouse's feedback and prospects), and source.json, quality.json and
   * customer_summary.csv written to `files`.
   */
  withSite<T>(files: string, work: (site: SiteSource) => Promise<T>): Promise<T>;
}

/** Which kind of source a command-line argument or $CUSTOMER_EQUITY_SOURCE names. */
export function sourceKind(source: string): "folder" | "postgres" {
  return /^postgres(ql)?:\/\//i.test(source) ? "postgres" : "folder";
}

/**
 * Runs work with the settings' source opened, and closes it afterwards: a folder, a
 * warehouse (the warehouse settings apply to it alone), or the demo, ingested afresh into a
 * temporary folder. Progress lines (a warehouse's queries) go to `progress`.
 */
export async function withSource<T>(
  settings: Settings,
  work: (source: Source) => Promise<T>,
  progress: (line: string) => void = () => {}
): Promise<T> {
  const {source} = settings;
  if (source !== null && sourceKind(source) === "postgres") return withPostgresSource(source, settings, work, progress);
  if (source !== null) return withFolderSource(source, settings, work);
  const dir = mkdtempSync(join(tmpdir(), "customer-equity-demo-"));
  try {
    await ingest("generic", [demoMapping], dir, {
      asOf: demoAsOf,
      key: pseudonymKey(settings.pseudonymKey),
      duckdbMemory: settings.duckdbMemory
    });
    return await withFolderSource(dir, settings, work);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** Runs work with a session over the settings' source (npm run clv's queries). */
export function withSession<T>(
  settings: Settings,
  work: (session: SqlSession) => Promise<T>,
  progress: (line: string) => void = () => {}
): Promise<T> {
  return withSource(settings, async (source) => work(await source.session()), progress);
}
