// Segment reports: for each acquisition channel and each segment of the source, the
// headline figure of every page, computed by the pages' own loader functions
// (loaders/site/<page>.ts) on that slice's customers alone, beside the whole business's.
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {existsSync} from "node:fs";
import {join} from "node:path";
import {assignSlugs} from "../../src/core/format/slug.js";
import {identifier, literal} from "../../src/core/sql/sql.js";
import {queryRows, rawRowsSettings, withDuckDB} from "../duckdb.js";
import {sourceKind} from "../openSource.js";
import {pageKpis, type PageFiles, type PageFilesContext} from "./pageFiles.js";
import type {Settings} from "../settings.js";
import {withSiteSource} from "./source.js";
import {withWarehouse, type WarehouseSession} from "../warehouse/postgres.js";
import {cuttingPerCustomer, localDerivations, type Derivations, type DeriveOptions} from "./derived.js";
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

/** The slices of each kind, given the distinct non-empty values of each kind's column (absent kinds give none), kind by kind, in slug order. */
async function slicesOf(values: (column: string) => Promise<string[] | null>): Promise<ReportSlice[]> {
  const slices: ReportSlice[] = [];
  for (const [kind, column] of Object.entries(sliceKinds) as [SliceKind, string][]) {
    const names = await values(column);
    if (!names) continue;
    const slugs = assignSlugs(names);
    slices.push(...[...slugs].map(([name, slug]) => ({kind, name, slug})).sort((a, b) => (a.slug < b.slug ? -1 : 1)));
  }
  return slices;
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

/** Every acquisition channel and segment of a warehouse's customers that pass the checks (as text, as the site reads them). */
export function warehouseReportSlices(session: WarehouseSession): Promise<ReportSlice[]> {
  return slicesOf(async (column) => {
    const table = session.table("customers");
    const [present] = await session.rows<{n: string}>(
      `SELECT count(*) AS n FROM pg_attribute WHERE attrelid = to_regclass(${literal(table)}) AND attname = ${literal(column)} AND NOT attisdropped`,
      {what: "the customers table's columns", table: "customers"}
    );
    if (!Number(present?.n)) return null;
    const rows = await session.rows<{name: string}>(
      `SELECT DISTINCT ${identifier(column)}::VARCHAR AS name FROM ${await session.checked("customers")} WHERE ${identifier(column)} IS NOT NULL`,
      {what: `the customers' ${column} values`, table: "customers"}
    );
    return rows.map((row) => row.name);
  });
}

/** The report paths of the source the site is built from, for the config's dynamicPaths. */
export function reportPaths(settings: Settings): Promise<string[]> {
  return withSiteSource(settings, async (source) =>
    (sourceKind(source) === "postgres"
      ? await withWarehouse(source, settings.warehouse, warehouseReportSlices)
      : await withDuckDB((connection) => readReportSlices(connection, source), rawRowsSettings(settings.duckdbMemory))
    ).map(reportPath)
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

/** A source's slices, and the derivations of one slice's customers (in a connection of its own) next to the data. */
export interface SliceSource {
  slices: ReportSlice[];
  derivations(connection: DuckDBConnection, slice: ReportSlice): Derivations;
}

/** A folder's slices: its canonical tables, cut to the slice in the slice's connection, queried there. */
export async function folderSlices(connection: DuckDBConnection, sourceDir: string): Promise<SliceSource> {
  return {
    slices: await readReportSlices(connection, sourceDir),
    derivations: (sliceConnection) => localDerivations(sliceConnection)
  };
}

/**
 * Writes reports.json (every slice, for the index) and report-<kind>-<slug>.json (a
 * slice's figures from every page in pages). The whole source's local tables (customer
 * summary, feedback, prospects and a folder's canonical tables) are copied once into schema
 * whole; each slice then gets a connection of its own, whose temporary tables (those
 * tables cut to the slice's customers, and whatever the page functions create) no other
 * slice sees, and derivations that see only the slice's customers (the whole's per-customer
 * tables, such as profit per customer, cut to them). Prospects go with the customer they became. The period stays the whole source's, so slices compare over the
 * same months.
 */
export async function writeSliceReports(
  instance: DuckDBInstance,
  {slices, derivations}: SliceSource,
  {connection, source, writeFile, browserRows}: PageFilesContext,
  pages: Record<string, PageFiles>,
  wholeKpis: Record<string, unknown>,
  perCustomer: ReadonlyMap<string, DeriveOptions>
): Promise<void> {
  const local = new Set(
    (await queryRows<{name: string}>(connection, "SELECT table_name AS name FROM duckdb_tables() WHERE temporary")).map(
      (t) => t.name
    )
  );
  const tables = [...source.tables.map((table) => `canonical_${table}`), "customer_summary"].filter((table) =>
    local.has(table)
  );
  if (slices.length) await connection.run("CREATE SCHEMA whole");
  for (const table of slices.length ? [...tables, ...perCustomer.keys()] : [])
    await connection.run(
      `CREATE OR REPLACE TABLE whole.${identifier(table)} AS SELECT * FROM temp.${identifier(table)}`
    );
  const [whole] = (await queryRows<SliceTotals>(connection, totalsSql)) as [SliceTotals];
  const index = [];
  for (const slice of slices) {
    const sliceConnection = await instance.connect();
    try {
      // The slice's customers: customer_summary holds every customer with their channel and segment.
      await sliceConnection.run(
        `CREATE TEMP TABLE slice_customers AS SELECT customer_id FROM whole.customer_summary WHERE ${identifier(sliceKinds[slice.kind])} = ${literal(slice.name)}`
      );
      for (const table of tables) {
        const key = table === "canonical_prospects" ? "converted_customer_id" : "customer_id";
        await sliceConnection.run(
          `CREATE TEMP TABLE ${identifier(table)} AS SELECT * FROM whole.${identifier(table)} WHERE ${key} IN (SELECT customer_id FROM slice_customers)`
        );
      }
      // The whole source's per-customer tables serve the slice's customers; the rest is asked anew.
      const derived = cuttingPerCustomer(sliceConnection, derivations(sliceConnection, slice), perCustomer);
      await defineSiteTables(derived, {dailySales: false});
      const [totals] = (await queryRows<SliceTotals>(sliceConnection, totalsSql)) as [SliceTotals];
      const fits = totals.customers >= minimumFit.customers && totals.repeatBuyers >= minimumFit.repeatBuyers;
      const slicePages = Object.fromEntries(Object.entries(pages).filter(([page]) => fits || page !== "equity"));
      // Only the figures: the pages' files are the whole source's.
      const kpis = await pageKpis(slicePages, {
        connection: sliceConnection,
        source,
        derived,
        writeCsv: async () => undefined,
        writeFile: () => undefined,
        appendFile: () => undefined,
        browserRows,
        figuresOnly: true
      });
      const report = {
        ...slice,
        path: reportPath(slice),
        ...totals,
        profit: (kpis.profit as {total?: number} | undefined)?.total ?? null
      };
      index.push(report);
      writeFile(
        `report-${slice.kind}-${slice.slug}.json`,
        `${JSON.stringify({...report, minimumFit, kpis}, null, 2)}\n`
      );
    } finally {
      sliceConnection.closeSync();
    }
  }
  const wholeProfit = (wholeKpis.profit as {total?: number} | undefined)?.total ?? null;
  writeFile(
    "reports.json",
    `${JSON.stringify({kinds: sliceKinds, whole: {...whole, profit: wholeProfit}, slices: index}, null, 2)}\n`
  );
}
