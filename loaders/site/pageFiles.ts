// What a page's loader function gets: the loaders' DuckDB, holding customer_summary,
// daily_sales, rejects, the per-customer tables the browser gets (<name>_shipped) and
// canonical_feedback and canonical_prospects where the source has them; and derivations
// that compute a query next to the data (over the canonical tables, customer_summary,
// retention_days and customer_months: loaders/site/tables.ts) and bring its result into
// that DuckDB. Raw transactions may be absent from it (a warehouse keeps them).
import {setFlagsFromString} from "node:v8";
import {runInNewContext} from "node:vm";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {SourceInfo} from "../ingest.js";
import {identifier} from "../../src/core/sql/sql.js";
import {pages, type FigurePage, type LoaderPage, type PageFigures, type SiteFigures} from "../../src/core/pages.js";
import type {Derivations, DeriveOptions, QueryBuilder} from "../source/derived.js";

/**
 * A full garbage collection. V8 keeps the garbage of a page's per-customer arrays (hundreds of MB at a million lines)
 * until its heap nears a limit far above what the build uses; collecting after each page keeps the build's peak memory
 * near what it holds (every table at a million lines: 1,249 MB peak RSS without, 867 MB with; 18 MB of live heap
 * between pages). Exposed here as `node --expose-gc` would, since Framework starts the loader.
 */
const collectGarbage = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

export interface PageFilesContext {
  connection: DuckDBConnection;
  source: SourceInfo;
  derived: Derivations;
  /** Writes a query's result into the archive as `name` (CSV with a header; gzipped when `name` ends in .gz); gives the file's bytes. */
  writeCsv: (select: string, name: string) => Promise<number>;
  /** Writes text computed in JavaScript into the archive as `name` (gzipped when `name` ends in .gz, once every loader has run). */
  writeFile: (name: string, text: string) => void;
  /** Adds text to the end of a file written with writeFile (a file written a chunk at a time), before any gzipping. */
  appendFile: (name: string, text: string) => void;
  /** The most rows any per-customer or explore file ships (Settings.browserRows). */
  browserRows: number;
  /** The largest raw table the explore page ships, in gzipped bytes (Settings.exploreBytes). */
  exploreBytes: number;
  /** Only the returned figure is wanted (a segment report): work that only feeds the files may be skipped. */
  figuresOnly?: boolean;
}

/** Computes a query next to the data (as table `name` in the loaders' DuckDB) and writes its rows into the archive as `<name>.csv`. */
export async function deriveCsv(
  {derived, writeCsv}: Pick<PageFilesContext, "derived" | "writeCsv">,
  name: string,
  build: QueryBuilder,
  options: DeriveOptions
): Promise<void> {
  await derived.derive(name, build, options);
  await writeCsv(`SELECT * FROM ${identifier(name)}`, `${name}.csv`);
}

/**
 * Writes the files a page reads; returns the page's headline figure where its spec declares
 * one (src/core/pages.ts), or undefined where the data cannot give it.
 */
export type PageFiles<K extends LoaderPage> = (
  context: PageFilesContext
) => Promise<K extends FigurePage ? PageFigures[K] | undefined : void>;

/** Every page's loader function, by page: the type asks for one per page whose spec says it has a loader. */
export type PageLoaders = {[K in LoaderPage]: PageFiles<K>};

/**
 * Runs each page's loader function in the order given and collects the figures they return,
 * by page, with a line of progress per page saying how long it took. A loader may write only
 * the files its spec names (src/core/pages.ts).
 */
export async function pageKpis(
  loaders: Partial<PageLoaders>,
  context: PageFilesContext,
  progress: (line: string) => void = () => {}
): Promise<SiteFigures> {
  const kpis: Record<string, unknown> = {};
  for (const [page, files] of Object.entries(loaders)) {
    const started = performance.now();
    const named = new Set<string>(pages.find((spec) => spec.key === page)?.files);
    const check = (name: string) => {
      if (!named.has(name))
        throw new Error(`loaders/site/${page}.ts writes ${name}, which its spec in src/core/pages.ts does not name`);
      return name;
    };
    const kpi = await files({
      ...context,
      writeCsv: (select, name) => context.writeCsv(select, check(name)),
      writeFile: (name, text) => context.writeFile(check(name), text),
      appendFile: (name, text) => context.appendFile(check(name), text)
    });
    if (kpi !== undefined) kpis[page] = kpi;
    collectGarbage();
    progress(`the ${page} page's files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return kpis as SiteFigures;
}
