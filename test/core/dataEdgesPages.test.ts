// The data's edges alike on every page: one hand-made log whose first month holds customers
// already there and whose last month is incomplete, run through each page's SQL (built from
// the log by the loaders' own table definitions). Every page leaves March (1–5 Mar) out and
// counts nobody of January (the data's first month) as new.
import {describe, expect, it} from "vitest";
import {dailySalesSql} from "../../loaders/dailySales.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {salesByPeriodSql} from "../../src/core/metrics/salesByPeriod.js";
import {newCustomersFrom, recentWindows} from "../../src/core/sql/dataEdges.js";
import {recentActivitySql} from "../../src/core/sql/equitySql.js";
import {defaultLifecycleRules, lifecycleStagesSql} from "../../src/core/sql/lifecycleSql.js";
import {customerMonthsSql, monthlyGrossProfitSql} from "../../src/core/sql/profitSql.js";
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import {allCustomers, cohortSql, growthAccountingSql} from "../../src/core/sql/retentionSql.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";

// a: 10 Jan 100, 10 Feb 50, 5 Mar 20.   b: 20 Jan 40, 2 Mar 30.   c: 15 Feb 60, 3 Mar 10.
// Observed from 10 January to 5 March 2024: January is the data's first month (a and b were
// already customers), March is incomplete. Only c is new, in February.
const start = "2024-01-10";
const end = "2024-03-05";
const setup = `
  CREATE TABLE canonical_transactions AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue,
    NULL::DECIMAL(18, 2) AS cost, NULL::VARCHAR AS order_id, NULL::VARCHAR AS product FROM (VALUES
    ('a', '2024-01-10 10:00:00', 100), ('a', '2024-02-10 10:00:00', 50), ('a', '2024-03-05 10:00:00', 20),
    ('b', '2024-01-20 10:00:00', 40), ('b', '2024-03-02 10:00:00', 30),
    ('c', '2024-02-15 10:00:00', 60), ('c', '2024-03-03 10:00:00', 10)
  ) AS t(customer_id, occurred_at, revenue);
  CREATE TABLE retention_days AS ${purchaseDaysSql()};
  CREATE TABLE daily_sales AS ${dailySalesSql()};
  CREATE TABLE customer_months AS ${customerMonthsSql(duckdb)};
  CREATE TABLE customer_summary AS SELECT customer_id, min(day) AS first_purchase, NULL::VARCHAR AS acquisition_channel,
    NULL::DECIMAL(18, 2) AS acquisition_cost FROM retention_days GROUP BY customer_id`;

const run = <T>(sql: string) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<T>(connection, sql);
  });

describe("the data's edges on every page, one hand-made log", () => {
  const newFrom = newCustomersFrom({observation_start: start});

  it("retention: growth accounting starts after January, counts c as the only new customer and leaves March out", async () => {
    const rows = await run<{period: string; previous_active: number; new: number; retained: number; lost: number}>(
      growthAccountingSql(duckdb, "month", end, allCustomers, newFrom)
    );
    // February from January's a and b: a retained, b lost, c new.
    expect(rows.map((r) => [r.period, r.previous_active, r.new, r.retained, r.lost])).toEqual([
      ["2024-02-01", 2, 1, 1, 1]
    ]);
    const cohorts = await run<{group: string; age: number}>(
      cohortSql(duckdb, "month", end, "cohort", allCustomers, newFrom)
    );
    expect(cohorts.map((r) => [r.group, r.age])).toEqual([
      ["2024-02-01", 0],
      ["already customers", 0],
      ["already customers", 1]
    ]);
  });

  it("overview: the revenue by month leaves March out and counts January's first purchases as repeat", async () => {
    const rows = await run<{period: string; kind: string; revenue: number}>(
      salesByPeriodSql("month", end, "daily_sales", newFrom)
    );
    expect(rows.map((r) => [r.period, r.kind, r.revenue])).toEqual([
      ["2024-01-01", "first purchase", 0],
      ["2024-01-01", "repeat", 140],
      ["2024-02-01", "first purchase", 60],
      ["2024-02-01", "repeat", 50]
    ]);
  });

  it("profit: the monthly gross profit (the overview's sparkline) leaves March out", async () => {
    const rows = await run<{month: string; profit: number}>(
      monthlyGrossProfitSql(duckdb, 0.3, recentWindows(start, end, newFrom).year)
    );
    // 30 % of 140 and of 110.
    expect(rows.map((r) => [r.month, Math.round(r.profit * 100) / 100])).toEqual([
      ["2024-01", 42],
      ["2024-02", 33]
    ]);
  });

  it("lifecycle: stages at complete month ends only", async () => {
    const rows = await run<{month_end: string}>(lifecycleStagesSql(duckdb, end, defaultLifecycleRules(30)));
    expect([...new Set(rows.map((r) => r.month_end))]).toEqual(["2024-01-31", "2024-02-29"]);
  });

  it("equity: customers won a month count February's c only, over the one complete month after January", async () => {
    const windows = recentWindows(start, end, newFrom);
    expect(windows.acquisition).toEqual({from: "2024-02-01", to: "2024-03-01", months: 1});
    const [recent] = await run<{acquired: number}>(recentActivitySql(duckdb, windows));
    expect(recent?.acquired).toBe(1);
  });
});
