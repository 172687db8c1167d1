// Daily sales of a CDNOW purchase log (Fader & Hardie's master or 1/10 sample file),
// split into each customer's first purchase and repeat purchases. The heavy lifting is
// SQL in native DuckDB; only one row per day comes back to JavaScript.
import {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {csvFormat} from "d3";
import {salesByPeriodSql, type Period} from "../src/components/salesByPeriod.js";

/** Thrown for input that cannot be read; names the file, line and column. */
export class InputError extends Error {}

/**
 * Creates the table daily_sales (date, first_orders, first_revenue, repeat_orders,
 * repeat_revenue) from a CDNOW log: whitespace-separated lines of customer id,
 * [sample id,] date YYYYMMDD, number of CDs, dollar value. A header line is skipped.
 */
export async function loadCdnowDailySales(connection: DuckDBConnection, file: string): Promise<void> {
  const path = file.replaceAll("'", "''");
  await connection.run(`CREATE OR REPLACE TEMP TABLE cdnow_lines AS
    SELECT row_number() OVER () AS line, regexp_split_to_array(trim(column0), '\\s+') AS f
    FROM read_csv('${path}', columns = {'column0': 'VARCHAR'}, delim = '\\x01', header = false, quote = '', escape = '')`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE cdnow_purchases AS
    SELECT line, f[1] AS customer_id,
           try_strptime(f[len(f) - 2], '%Y%m%d')::DATE AS "date",
           try_cast(f[len(f) - 1] AS INTEGER) AS cds,
           try_cast(f[len(f)] AS DECIMAL(12, 2)) AS revenue, f
    FROM cdnow_lines
    WHERE NOT (line = 1 AND f[1] = 'customer_id') -- the master file's header`);
  const bad = await connection.runAndReadAll(`SELECT line, f, CASE
      WHEN len(f) NOT IN (4, 5) THEN '(expected 4 or 5 fields)'
      WHEN "date" IS NULL THEN 'column date (expected YYYYMMDD)'
      WHEN cds IS NULL THEN 'column number_of_cds (expected a whole number)'
      ELSE 'column dollar_value (expected a number)' END AS problem
    FROM cdnow_purchases
    WHERE len(f) NOT IN (4, 5) OR "date" IS NULL OR cds IS NULL OR revenue IS NULL
    ORDER BY line LIMIT 1`);
  const [row] = bad.getRowObjectsJson();
  if (row) {
    const text = (row.f as string[]).join(" ");
    throw new InputError(`${file}: line ${String(row.line)}: ${String(row.problem)}: ${JSON.stringify(text)}`);
  }
  if (Number((await connection.runAndReadAll("SELECT count(*) FROM cdnow_purchases")).getRows()[0]![0]) === 0) {
    throw new InputError(`${file}: no purchases (the file is empty)`);
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE daily_sales AS
    WITH ranked AS (
      SELECT "date", revenue,
             -- a customer's first purchase day; same-day purchases all count as first
             "date" = min("date") OVER (PARTITION BY customer_id) AS first
      FROM cdnow_purchases
    )
    SELECT "date",
           count(*) FILTER (first)::INTEGER AS first_orders,
           coalesce(sum(revenue) FILTER (first), 0)::DOUBLE AS first_revenue,
           count(*) FILTER (NOT first)::INTEGER AS repeat_orders,
           coalesce(sum(revenue) FILTER (NOT first), 0)::DOUBLE AS repeat_revenue
    FROM ranked GROUP BY "date" ORDER BY "date"`);
}

async function withDailySales<T>(file: string, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await loadCdnowDailySales(connection, file);
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The daily_sales table as CSV, one row per day with sales. */
export function cdnowDailySalesCsv(file: string): Promise<string> {
  return withDailySales(file, async (connection) => {
    const result = await connection.runAndReadAll(`SELECT strftime("date", '%Y-%m-%d') AS "date",
      first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales ORDER BY "date"`);
    return csvFormat(result.getRowObjectsJson() as Record<string, string>[]);
  });
}

/** Sales by period (salesByPeriodSql) as CSV. */
export function cdnowSalesByPeriodCsv(file: string, period: Period): Promise<string> {
  return withDailySales(file, async (connection) => {
    const result = await connection.runAndReadAll(salesByPeriodSql(period));
    return csvFormat(result.getRowObjectsJson() as Record<string, string>[]);
  });
}
