// The tables the pages' loaders read instead of raw transactions, whatever the source:
// monthly sums per customer, purchase days per customer and daily sales. Each is one query
// text for both engines: native DuckDB runs it over a folder's canonical tables, a
// warehouse runs it where the data lives and sends back only its rows (loaders/warehouse/site.ts).
import type {DuckDBConnection} from "@duckdb/node-api";
import {customerMonthsSql} from "../../src/components/profitSql.js";
import {purchaseDaysSql} from "../../src/components/retentionSql.js";
import {identifier} from "../../src/components/sql.js";
import {duckdb, type Dialect} from "../../src/components/sqlDialect.js";
import {dailySalesSql} from "../dailySales.js";

export interface SiteTable {
  /** The table's name in the loaders' DuckDB. */
  name: string;
  /** What it is, for progress lines and errors. */
  purpose: string;
  /** The query over canonical_transactions (and canonical_customers). */
  select: (dialect: Dialect) => string;
  /** A total order, so that the rows come in the same order from either source. */
  order: string;
  /** Columns that identify a person: pseudonymised when the rows come from a warehouse. */
  personal: readonly string[];
}

/** The derived tables every source gives the pages (the per-customer summary comes with the source). */
export const siteTables: readonly SiteTable[] = [
  {name: "customer_months", purpose: "monthly sums per customer", select: (dialect) => customerMonthsSql(dialect), order: "customer_id, month", personal: ["customer_id"]},
  {name: "retention_days", purpose: "purchase days per customer", select: () => purchaseDaysSql(), order: "customer_id, day", personal: ["customer_id"]},
  {name: "daily_sales", purpose: "daily first and repeat sales", select: () => dailySalesSql(), order: '"date"', personal: []}
];

/** Creates a site table in DuckDB from rows already there (the canonical tables, or rows brought from a warehouse). */
export async function createSiteTable(connection: DuckDBConnection, table: Pick<SiteTable, "name" | "order">, select: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(table.name)} AS SELECT * FROM (${select}) ORDER BY ${table.order}`);
}

/** The site tables of a source folder opened in DuckDB (see openSourceFolder). */
export async function createFolderSiteTables(connection: DuckDBConnection): Promise<void> {
  for (const table of siteTables) await createSiteTable(connection, table, table.select(duckdb));
}
