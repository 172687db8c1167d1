// Segment reports: for each acquisition channel and each segment of the source, the
// headline figure of every page, computed by the pages' own loader functions
// (loaders/site/<page>.ts) on that slice's customers alone, beside the whole business's.
import type {DuckDBInstance} from "@duckdb/node-api";
import {enoughToFit, minimumFit} from "../../src/core/models/equity.js";
import type {SiteFigures} from "../../src/core/pages.js";
import type {SliceSatisfaction} from "../../src/core/metrics/segmentReports.js";
import {identifier, literal} from "../../src/core/sql/sql.js";
import {queryRows} from "../duckdb.js";
import type {Settings} from "../settings.js";
import {reportPath, sliceKinds, sliceRowsSql, type SliceSource} from "../source/slices.js";
import {withSource} from "../source/source.js";
import {pageKpis, type PageFilesContext, type PageLoaders} from "./pageFiles.js";
import {cuttingPerCustomer, type PerCustomerTables} from "../source/derived.js";
import {defineSiteTables} from "./tables.js";
import {checkUsableSource, sourceName} from "./usable.js";

/** The report paths of the settings' source, for the config's dynamicPaths. */
export function reportPaths(settings: Settings): Promise<string[]> {
  return withSource(settings, async (source) => {
    // The build's first look at the source: one that cannot make a site stops it here.
    await checkUsableSource(await source.session(), sourceName(settings));
    return (await source.slices()).map(reportPath);
  });
}

/** A slice's size and money, beside the whole business's in the index. */
interface SliceTotals {
  customers: number;
  repeatBuyers: number;
  revenue: number;
}

/** The satisfaction page's figure for the index (its alert and columns): null without survey answers. */
const satisfactionOf = (kpis: SiteFigures): Required<SliceSatisfaction> => ({
  nps: kpis.satisfaction?.nps ?? null,
  belowShare: kpis.satisfaction?.belowShare ?? null
});

/** Buying customers, repeat buyers and revenue (summed as decimals: exact, so the same on every build). */
const totalsSql = `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE frequency > 0)::INTEGER AS repeatBuyers,
       coalesce(sum(revenue::DECIMAL(18, 2)), 0)::DOUBLE AS revenue FROM customer_summary WHERE purchase_days > 0`;

/**
 * Writes reports.json (every slice, for the index) and report-<kind>-<slug>.json (a
 * slice's figures from every loader given). The whole source's local tables (customer
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
  loaders: Partial<PageLoaders>,
  wholeKpis: SiteFigures,
  perCustomer: PerCustomerTables
): Promise<void> {
  const local = new Set(
    (await queryRows<{name: string}>(connection, "SELECT table_name AS name FROM duckdb_tables() WHERE temporary")).map(
      (t) => t.name
    )
  );
  const tables = [...source.tables.map((table) => `canonical_${table}`), "customer_summary"].filter((table) =>
    local.has(table)
  );
  // The per-customer tables defined next to the data that are here (a folder's) are cut too; a warehouse cuts its own.
  const toCut = {derived: perCustomer.derived, defined: new Set([...perCustomer.defined].filter((t) => local.has(t)))};
  if (slices.length) await connection.run("CREATE SCHEMA whole");
  for (const table of slices.length ? [...tables, ...toCut.derived.keys(), ...toCut.defined] : [])
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
        // The summary and the survey's answers, which several figures' queries read, are tables of the slice's rows;
        // the other raw tables, which they read once at most, views (at 1M lines, 8 slices: 4.5 s of copies saved).
        const kind = table === "customer_summary" || table === "canonical_feedback" ? "TABLE" : "VIEW";
        await sliceConnection.run(
          `CREATE TEMP ${kind} ${identifier(table)} AS ${sliceRowsSql(`whole.${identifier(table)}`, key)}`
        );
      }
      // The whole source's per-customer tables serve the slice's customers; the rest is asked anew.
      const derived = cuttingPerCustomer(sliceConnection, derivations(sliceConnection, slice), toCut);
      await defineSiteTables(derived, {dailySales: false});
      const [totals] = (await queryRows<SliceTotals>(sliceConnection, totalsSql)) as [SliceTotals];
      // The whole business's rule (minimumFit, src/core/models/equity.ts): with fewer, the report says so instead of a value.
      const fits = enoughToFit(totals);
      const sliceLoaders = Object.fromEntries(Object.entries(loaders).filter(([page]) => fits || page !== "equity"));
      // Only the figures: the pages' files are the whole source's.
      const kpis = await pageKpis(sliceLoaders, {
        connection: sliceConnection,
        source,
        derived,
        writeCsv: async () => 0,
        writeFile: () => undefined,
        appendFile: () => undefined,
        browserRows,
        exploreBytes: 0,
        figuresOnly: true
      });
      const report = {
        ...slice,
        path: reportPath(slice),
        ...totals,
        profit: kpis.profit?.total ?? null,
        ...satisfactionOf(kpis)
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
  const wholeProfit = wholeKpis.profit?.total ?? null;
  writeFile(
    "reports.json",
    `${JSON.stringify({kinds: sliceKinds, whole: {...whole, profit: wholeProfit, ...satisfactionOf(wholeKpis)}, slices: index}, null, 2)}\n`
  );
}
