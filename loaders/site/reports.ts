// Segment reports: for each acquisition channel and each segment of the source, the
// headline figure of every page, computed by the pages' own loader functions
// (loaders/site/<page>.ts) on that slice's customers alone, beside the whole business's.
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {existsSync} from "node:fs";
import {join} from "node:path";
import {assignSlugs} from "../../src/components/slug.js";
import {identifier, literal} from "../../src/components/sql.js";
import {queryRows, withDuckDB} from "../duckdb.js";
import {sourceKind} from "../openSource.js";
import {pageKpis, type PageFiles, type PageFilesContext} from "./pageFiles.js";
import {withSiteSource} from "./source.js";
import {localDerivations} from "./derived.js";
import {defineSiteTables} from "./tables.js";

/** What a report can be about, and the customers column that says which slice a customer is in. */
export const sliceKinds = {channel: "acquisition_channel", segment: "segment"} as const;
export type SliceKind = keyof typeof sliceKinds;

export interface ReportSlice {
  kind: SliceKind;
  name: string;
  slug: string;
}

/** Where a slice's report is on the site (src/report/[kind]/[slice].md). */
export const reportPath = ({kind, slug}: ReportSlice) => `/report/${kind}/${slug}`;

/**
 * Every acquisition channel and segment of a source folder's customers.csv (read as
 * openSourceFolder reads it, so the names are the same), kind by kind, in slug order.
 * None for a source without a customers table or with the column empty.
 */
export async function readReportSlices(connection: DuckDBConnection, sourceDir: string): Promise<ReportSlice[]> {
  const path = join(sourceDir, "customers.csv");
  if (!existsSync(path)) return [];
  const slices: ReportSlice[] = [];
  for (const [kind, column] of Object.entries(sliceKinds) as [SliceKind, string][]) {
    const file = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
    const present = await queryRows(connection, `SELECT 1 FROM (DESCRIBE SELECT * FROM ${file}) WHERE column_name = ${literal(column)}`);
    if (!present.length) continue;
    const names = await queryRows<{name: string}>(connection, `SELECT DISTINCT ${identifier(column)} AS name FROM ${file} WHERE ${identifier(column)} IS NOT NULL`);
    const slugs = assignSlugs(names.map((row) => row.name));
    slices.push(...[...slugs].map(([name, slug]) => ({kind, name, slug})).sort((a, b) => (a.slug < b.slug ? -1 : 1)));
  }
  return slices;
}

/** The report paths of the source the site is built from, for the config's dynamicPaths. */
export function reportPaths(): Promise<string[]> {
  return withSiteSource(async (source) =>
    sourceKind(source) === "postgres" ? [] : withDuckDB(async (connection) => (await readReportSlices(connection, source)).map(reportPath))
  );
}

/**
 * Fewest customers, and repeat buyers among them, that a slice needs for its own
 * customer-equity fit: with fewer, the models' four parameters are poorly determined
 * (a judgement, not a published rule), and the report says so instead of showing a value.
 */
export const minimumFit = {customers: 100, repeatBuyers: 30};

/** A slice's size and money, beside the whole business's in the index. */
interface SliceTotals {
  customers: number;
  repeatBuyers: number;
  revenue: number;
}

/** Buying customers, repeat buyers and revenue (summed as decimals: exact, so the same on every build). */
const totalsSql = `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE frequency > 0)::INTEGER AS repeatBuyers,
       coalesce(sum(revenue::DECIMAL(18, 2)), 0)::DOUBLE AS revenue FROM customer_summary WHERE purchase_days > 0`;

/**
 * Writes reports.json (every slice, for the index) and report-<kind>-<slug>.json (a
 * slice's figures from every page in pages). The whole source's tables are copied once
 * into schema whole; each slice then gets a connection of its own, whose temporary tables
 * (the canonical tables and the summaries, cut to the slice's customers, and whatever
 * the page functions create) no other slice sees. Prospects go with the customer they
 * became. The period stays the whole source's, so slices compare over the same months.
 */
export async function writeSliceReports(
  instance: DuckDBInstance,
  sourceDir: string | null,
  {connection, source, writeFile}: PageFilesContext,
  pages: Record<string, PageFiles>,
  wholeKpis: Record<string, unknown>
): Promise<void> {
  const slices = sourceDir ? await readReportSlices(connection, sourceDir) : [];
  const tables = [...source.tables.map((table) => `canonical_${table}`), "customer_summary"];
  if (slices.length) await connection.run("CREATE SCHEMA whole");
  for (const table of slices.length ? tables : []) await connection.run(`CREATE OR REPLACE TABLE whole.${identifier(table)} AS SELECT * FROM temp.${identifier(table)}`);
  const [whole] = (await queryRows<SliceTotals>(connection, totalsSql)) as [SliceTotals];
  const index = [];
  for (const slice of slices) {
    const sliceConnection = await instance.connect();
    try {
      await sliceConnection.run(`CREATE TEMP TABLE slice_customers AS SELECT customer_id FROM whole.canonical_customers WHERE ${identifier(sliceKinds[slice.kind])} = ${literal(slice.name)}`);
      for (const table of tables) {
        const key = table === "canonical_prospects" ? "converted_customer_id" : "customer_id";
        await sliceConnection.run(`CREATE TEMP TABLE ${identifier(table)} AS SELECT * FROM whole.${identifier(table)} WHERE ${key} IN (SELECT customer_id FROM slice_customers)`);
      }
      const derived = localDerivations(sliceConnection);
      await defineSiteTables(derived);
      const [totals] = (await queryRows<SliceTotals>(sliceConnection, totalsSql)) as [SliceTotals];
      const fits = totals.customers >= minimumFit.customers && totals.repeatBuyers >= minimumFit.repeatBuyers;
      const slicePages = Object.fromEntries(Object.entries(pages).filter(([page]) => fits || page !== "equity"));
      // Only the figures: the pages' files are the whole source's.
      const kpis = await pageKpis(slicePages, {connection: sliceConnection, source, derived, writeCsv: async () => undefined, writeFile: () => undefined, figuresOnly: true});
      const report = {...slice, path: reportPath(slice), ...totals, profit: (kpis.profit as {total?: number} | undefined)?.total ?? null};
      index.push(report);
      writeFile(`report-${slice.kind}-${slice.slug}.json`, `${JSON.stringify({...report, minimumFit, kpis}, null, 2)}\n`);
    } finally {
      sliceConnection.closeSync();
    }
  }
  const wholeProfit = (wholeKpis.profit as {total?: number} | undefined)?.total ?? null;
  writeFile("reports.json", `${JSON.stringify({kinds: sliceKinds, whole: {...whole, profit: wholeProfit}, slices: index}, null, 2)}\n`);
}
