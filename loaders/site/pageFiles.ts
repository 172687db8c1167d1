// What a page's loader function gets: the source opened in native DuckDB, with the tables
// every source gives (loaders/site/tables.ts: customer_months, retention_days,
// daily_sales), customer_summary, rejects and canonical_feedback and canonical_prospects
// where the source has them. Raw transactions may be absent (a warehouse keeps them).
import type {DuckDBConnection} from "@duckdb/node-api";
import type {SourceInfo} from "../ingest.js";

export interface PageFilesContext {
  connection: DuckDBConnection;
  source: SourceInfo;
  /** Writes a query's result into the archive as `name` (CSV with a header). */
  writeCsv: (select: string, name: string) => Promise<void>;
  /** Writes text computed in JavaScript into the archive as `name`. */
  writeFile: (name: string, text: string) => void;
  /** Only the returned figure is wanted (a segment report): work that only feeds the files may be skipped. */
  figuresOnly?: boolean;
}

/** Writes the files a page reads; returns the page's figure for the overview, if it has one. */
export type PageFiles = (context: PageFilesContext) => Promise<unknown>;

/** Runs each page's function in order and collects the figures they return, by page. */
export async function pageKpis(pages: Record<string, PageFiles>, context: PageFilesContext): Promise<Record<string, unknown>> {
  const kpis: Record<string, unknown> = {};
  for (const [page, files] of Object.entries(pages)) {
    const kpi = await files(context);
    if (kpi !== undefined) kpis[page] = kpi;
  }
  return kpis;
}
