// A source: where the canonical tables live. A folder of canonical files (what `npm run
// ingest` writes; native DuckDB reads it: loaders/source/folder/), or a postgres:// /
// postgresql:// URL (the queries run in the warehouse: loaders/source/postgres/), or, when
// the settings name none, the bundled demo business ingested into a folder (demoSource). withSource is
// the one place that tells them apart; everything else works on the Source it gives.
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {createHash} from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync
} from "node:fs";
import {join} from "node:path";
import {demoAsOf, demoDir, demoMapping} from "../demo/paths.js";
import {ingest, type SourceInfo} from "../ingest.js";
import {pseudonymKey} from "../pseudonym.js";
import type {Settings} from "../settings.js";
import type {Derivations} from "./derived.js";
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
 * warehouse (the warehouse settings apply to it alone), or the demo (demoSource). Progress
 * lines (a warehouse's queries) go to `progress`.
 */
export async function withSource<T>(
  settings: Settings,
  work: (source: Source) => Promise<T>,
  progress: (line: string) => void = () => {}
): Promise<T> {
  const {source} = settings;
  if (source !== null && sourceKind(source) === "postgres") return withPostgresSource(source, settings, work, progress);
  return withFolderSource(source ?? (await demoSource(settings)), settings, work);
}

/** Where ingested copies of the demo are kept (demoSource). */
export const demoCache = join(import.meta.dirname, "..", "..", ".local", "cache");

/** How long an ingested demo no build has read stays in demoCache: a day. */
export const demoCacheKeepMs = 86_400_000;

/**
 * The bundled demo business as a source folder, ingested once per build: a build reads it
 * twice (the config's report paths, then the site's data, in two processes), so the folder
 * is kept under demoCache, named by a hash of all that decides its contents (the demo's
 * files, the pseudonym key, the code of loaders/ and src/core/). It is written to a
 * temporary folder and renamed into place, so that two readers at once never see half a folder.
 * Its name changes whenever what it holds would, so it is never stale and nothing clears it
 * before a build (a build clearing it under another one's reader lost its files); copies no
 * reader has touched for demoCacheKeepMs go instead.
 */
export async function demoSource(settings: Settings): Promise<string> {
  const key = pseudonymKey(settings.pseudonymKey);
  const hash = createHash("sha256").update(`${demoAsOf}\n${key}\n`);
  for (const root of [demoDir, join(import.meta.dirname, ".."), join(import.meta.dirname, "..", "..", "src", "core")])
    for (const file of readdirSync(root, {recursive: true, encoding: "utf-8"}).sort())
      if (statSync(join(root, file)).isFile()) hash.update(file).update(readFileSync(join(root, file)));
  const dir = join(demoCache, `demo-${hash.digest("hex").slice(0, 16)}`);
  mkdirSync(demoCache, {recursive: true});
  const now = new Date();
  for (const entry of readdirSync(demoCache).map((name) => join(demoCache, name)))
    if (entry !== dir && statSync(entry).mtimeMs < now.getTime() - demoCacheKeepMs)
      rmSync(entry, {recursive: true, force: true});
  if (existsSync(dir)) {
    utimesSync(dir, now, now);
    return dir;
  }
  const partial = mkdtempSync(join(demoCache, "partial-"));
  try {
    await ingest("generic", [demoMapping], partial, {asOf: demoAsOf, key, duckdbMemory: settings.duckdbMemory});
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, {recursive: true, force: true});
    if (!existsSync(dir)) throw error;
  }
  return dir;
}

/** Runs work with a session over the settings' source (npm run clv's queries). */
export function withSession<T>(
  settings: Settings,
  work: (session: SqlSession) => Promise<T>,
  progress: (line: string) => void = () => {}
): Promise<T> {
  return withSource(settings, async (source) => work(await source.session()), progress);
}
