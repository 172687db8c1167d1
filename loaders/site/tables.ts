// The tables the pages' queries read instead of raw transactions, whatever the source:
// purchase days per customer (retention_days), monthly sums per customer (customer_months)
// and daily sales. Each is one query text for both engines, defined next to the data
// (loaders/source/derived.ts): a folder's DuckDB, or the warehouse, where they stay. What
// comes back is each page query's result, and for the pages' controls in the browser the
// per-customer tables whole when they are small, else a seeded sample of customers.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {BrowserSample} from "../../src/core/format/browserSample.js";
import {customerMonthsSql} from "../../src/core/sql/profitSql.js";
import {purchaseDayTables} from "../../src/core/sql/purchaseDays.js";
import {identifier, numberLiteral} from "../../src/core/sql/sql.js";
import {dailySalesSql} from "../dailySales.js";
import {queryRows} from "../duckdb.js";
import type {Derivations} from "../source/derived.js";

/**
 * Defines return_matches, retention_days and customer_months next to the data and brings daily_sales (one row a
 * day; the overview's, so not for a segment report). The returns are matched to purchases once, and the purchase
 * days netted once: each later table reads the one before.
 */
export async function defineSiteTables(derived: Derivations, {dailySales = true} = {}): Promise<void> {
  // Each a customer's rows from their own lines alone: a segment report's are the whole source's of its customers.
  const perCustomer = {perCustomer: true} as const;
  // A warehouse defines them with the customer summary, which reads them.
  for (const {name, sql} of purchaseDayTables) if (!derived.has(name)) await derived.define(name, sql, perCustomer);
  await derived.define(
    "customer_months",
    (dialect) => customerMonthsSql(dialect, undefined, "retention_days"),
    perCustomer
  );
  if (dailySales)
    await derived.derive("daily_sales", () => dailySalesSql(undefined, "retention_days"), {
      what: "daily first and repeat sales",
      order: '"date"'
    });
}

/**
 * The per-customer tables the pages' controls query in DuckDB-WASM, and how many rows of
 * each may ship: `perCustomer` rows a customer plus 20,000, at most Settings.browserRows. Small
 * sources ship whole (the demo's 29,468 purchase days for 6,000 customers); a source with
 * many purchases per customer ships a sample, so that the rows a warehouse sends stay below
 * ten a customer in all (with the summary, the model's inputs, profit per customer and the
 * two lists of customers to call) and a browser is not handed millions of rows.
 */
export const browserTables = [
  {name: "retention_days", what: "purchase days per customer", perCustomer: 2, order: "customer_id, day"},
  {name: "customer_months", what: "monthly sums per customer", perCustomer: 1.5, order: "customer_id, month"}
] as const;

export type BrowserTableName = (typeof browserTables)[number]["name"];

/** The sample's seed: the same source always gives the same customers. */
const sampleSeed = "customer-equity-sample-20250630";

/** The rows of a per-customer table that ship for `customers`, at most `cap` (Settings.browserRows). */
export const browserRowLimit = (perCustomer: number, customers: number, cap: number) =>
  Math.min(cap, Math.ceil(perCustomer * customers) + 20_000);

/** The local table of the customers whose rows the per-customer files ship (shipBrowserTables). */
export const browserCustomers = "browser_customers";

/** A local per-customer table's rows of the customers who ship, in `order`. */
export const shippedRowsSql = (table: string, order: string) =>
  `SELECT * FROM ${identifier(table)} WHERE customer_id IN (SELECT customer_id FROM ${browserCustomers}) ORDER BY ${order}`;

/**
 * SQL for the rows of a per-customer table that ship: every row when there are at most
 * `limit`, else whole customers in a seeded order (md5 of the id and the seed, the same
 * on both engines) for as long as their rows fit in `limit`.
 */
export function browserSampleSql(table: string, limit: number): string {
  return `WITH per AS (SELECT customer_id, count(*) AS n FROM ${identifier(table)} GROUP BY customer_id),
ranked AS (
  SELECT customer_id, sum(n) OVER () AS total,
         sum(n) OVER (ORDER BY md5(customer_id || '${sampleSeed}'), customer_id ROWS UNBOUNDED PRECEDING) AS running
  FROM per
)
SELECT t.* FROM ${identifier(table)} t JOIN ranked r ON r.customer_id = t.customer_id
WHERE r.total <= ${numberLiteral(limit)} OR r.running <= ${numberLiteral(limit)}`;
}

/**
 * Brings each browser table (whole or sampled, as `<name>_shipped`) and its size, and
 * lists in browserCustomers the customers whose rows the per-customer files (summary,
 * profit and value per customer) ship: every customer when there are at most `cap`
 * (Settings.browserRows), else the customers the browser tables ship, so that every page's sample
 * is the same customers (both tables' samples are the first customers of one seeded order).
 * The pages say when what they show per customer is a sample.
 */
export async function shipBrowserTables(
  derived: Derivations,
  connection: DuckDBConnection,
  customers: number,
  cap: number
): Promise<Record<BrowserTableName | "customers", BrowserSample>> {
  const samples = {} as Record<BrowserTableName | "customers", BrowserSample>;
  for (const table of browserTables) {
    const limit = browserRowLimit(table.perCustomer, customers, cap);
    const sizeTable = `${table.name}_size`;
    await derived.derive(
      sizeTable,
      () =>
        `SELECT count(*)::INTEGER AS row_count, count(DISTINCT customer_id)::INTEGER AS customer_count FROM ${identifier(table.name)}`,
      {what: `the size of the ${table.what}`, order: "row_count"}
    );
    const shippedTable = `${table.name}_shipped`;
    const shippedRows = await derived.derive(shippedTable, () => browserSampleSql(table.name, limit), {
      what: `the ${table.what} the browser gets`,
      order: table.order,
      personal: ["customer_id"]
    });
    const [size] = await queryRows<{row_count: number; customer_count: number; shipped: number}>(
      connection,
      `SELECT row_count, customer_count, (SELECT count(DISTINCT customer_id)::INTEGER FROM ${identifier(shippedTable)}) AS shipped FROM ${identifier(sizeTable)}`
    );
    samples[table.name] = {
      rows: size?.row_count ?? 0,
      customers: size?.customer_count ?? 0,
      shippedRows,
      shippedCustomers: size?.shipped ?? 0,
      limit
    };
  }
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${browserCustomers} AS ${customers <= cap ? "SELECT customer_id FROM customer_summary" : browserTables.map((t) => `SELECT customer_id FROM ${identifier(`${t.name}_shipped`)}`).join(" UNION ")}`
  );
  const [shipped] = await queryRows<{n: number}>(connection, `SELECT count(*)::INTEGER AS n FROM ${browserCustomers}`);
  samples.customers = {
    rows: customers,
    customers,
    shippedRows: shipped?.n ?? 0,
    shippedCustomers: shipped?.n ?? 0,
    limit: cap
  };
  return samples;
}
