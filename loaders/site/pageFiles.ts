// What a page's loader function gets: the loaders' DuckDB, holding customer_summary,
// daily_sales, rejects, the per-customer tables the browser gets (<name>_shipped) and
// canonical_feedback and canonical_prospects where the source has them; and derivations
// that compute a query next to the data (over the canonical tables, customer_summary,
// retention_days and customer_months: loaders/site/tables.ts) and bring its result into
// that DuckDB. Raw transactions may be absent from it (a warehouse keeps them).
import type {DuckDBConnection} from "@duckdb/node-api";
import type {SourceInfo} from "../ingest.js";
import {identifier} from "../../src/core/sql/sql.js";
import type {Derivations, DeriveOptions, QueryBuilder} from "./derived.js";

export interface PageFilesContext {
  connection: DuckDBConnection;
  source: SourceInfo;
  derived: Derivations;
  /** Writes a query's result into the archive as `name` (CSV with a header). */
  writeCsv: (select: string, name: string) => Promise<void>;
  /** Writes text computed in JavaScript into the archive as `name`. */
  writeFile: (name: string, text: string) => void;
  /** Adds text to the end of a file written with writeFile (a file written a chunk at a time). */
  appendFile: (name: string, text: string) => void;
  /** The most rows any per-customer or explore file ships (Settings.browserRows). */
  browserRows: number;
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

/** Writes the files a page reads; returns the page's figure for the overview, if it has one. */
export type PageFiles = (context: PageFilesContext) => Promise<unknown>;

/** Runs each page's function in order and collects the figures they return, by page. */
export async function pageKpis(
  pages: Record<string, PageFiles>,
  context: PageFilesContext
): Promise<Record<string, unknown>> {
  const kpis: Record<string, unknown> = {};
  for (const [page, files] of Object.entries(pages)) {
    const kpi = await files(context);
    if (kpi !== undefined) kpis[page] = kpi;
  }
  return kpis;
}
