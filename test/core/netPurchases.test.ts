// Returns net against the purchases they cancel (src/core/sql/netPurchases.ts), and every
// count of purchases reads the net days: checked on the hand-made log of
// test/fixtures/returnsLog.ts in native DuckDB, against figures worked out by hand there.
import {describe, expect, it} from "vitest";
import {dailySalesSql} from "../../loaders/dailySales.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {customerSummarySql} from "../../loaders/summary.js";
import {calibrationSummarySql} from "../../src/core/sql/clvSql.js";
import {returnMatchesSql, returnNettingSql} from "../../src/core/sql/netPurchases.js";
import {customerMonthsSql} from "../../src/core/sql/profitSql.js";
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {returnsLogSetup} from "../fixtures/returnsLog.js";

const run = <T>(sql: string) =>
  withDuckDB(async (connection) => {
    await connection.run(returnsLogSetup);
    return queryRows<T>(connection, sql);
  });

describe("returnMatchesSql", () => {
  it("matches each return by order, else by an earlier purchase of the product, else by an earlier day's value, else not", async () => {
    const rows = await run<{customer_id: string; revenue: string; rule: string; day: string | null}>(
      `SELECT customer_id, revenue::VARCHAR AS revenue, rule, day::VARCHAR AS day FROM (${returnMatchesSql()}) m ORDER BY customer_id, occurred_at, revenue`
    );
    expect(rows.map((r) => [r.customer_id, Number(r.revenue), r.rule, r.day])).toEqual([
      ["a", -100, "product", "2024-01-10"],
      ["a", -50, "product", "2024-01-10"],
      ["a", -30, "product", "2024-03-01"],
      ["b", -60, "order", "2024-01-05"], // not the nearer W purchase of 10 Feb: the order names 5 Jan
      ["c", -25, "unmatched", null],
      ["d", -45, "value", "2024-01-15"] // 15 Feb (10) is nearer but worth less than the return
    ]);
  });

  it("counts the return lines and their value per rule, every rule once", async () => {
    const rows = await run<{rule: string; lines: number; value: string}>(returnNettingSql());
    expect(rows.map((r) => [r.rule, r.lines, Number(r.value)])).toEqual([
      ["order", 1, 60],
      ["product", 3, 180],
      ["value", 1, 45],
      ["unmatched", 1, 25]
    ]);
  });
});

describe("purchaseDaysSql: the net purchase days", () => {
  it("drops an order cancelled in full, lowers a day by its partial returns and leaves unmatched returns out", async () => {
    const rows = await run<{customer_id: string; day: string; revenue: string}>(
      `SELECT customer_id, day::VARCHAR AS day, revenue::VARCHAR AS revenue FROM (${purchaseDaysSql()}) d ORDER BY customer_id, day`
    );
    expect(rows.map((r) => [r.customer_id, r.day, Number(r.revenue)])).toEqual([
      ["a", "2024-02-01", 40],
      ["a", "2024-03-01", 50],
      ["b", "2024-01-05", 20],
      ["b", "2024-02-10", 70],
      ["c", "2024-01-20", 25],
      ["d", "2024-01-15", 15],
      ["d", "2024-02-15", 10]
    ]);
  });
});

describe("customerSummarySql on net purchases", () => {
  it("counts frequency, recency, tenure and spend per purchase from the net days; money totals keep every return", async () => {
    const rows = await run<Record<string, string | number | null>>(
      `SELECT customer_id, first_purchase::VARCHAR AS first_purchase, last_purchase::VARCHAR AS last_purchase, purchase_days, frequency,
              recency_days, tenure_days, monetary_value::DOUBLE AS monetary_value, revenue::DOUBLE AS revenue, returns, returned_revenue::DOUBLE AS returned_revenue
       FROM (${customerSummarySql(duckdb, "2024-03-31", 0.3)}) s ORDER BY customer_id`
    );
    expect(rows).toEqual([
      // a: the 10 Jan order is cancelled in full, so the first purchase is 1 Feb; 1 Mar nets 80 − 30
      {
        customer_id: "a",
        first_purchase: "2024-02-01",
        last_purchase: "2024-03-01",
        purchase_days: 2,
        frequency: 1,
        recency_days: 29,
        tenure_days: 59,
        monetary_value: 50,
        revenue: 90,
        returns: 3,
        returned_revenue: 180
      },
      {
        customer_id: "b",
        first_purchase: "2024-01-05",
        last_purchase: "2024-02-10",
        purchase_days: 2,
        frequency: 1,
        recency_days: 36,
        tenure_days: 86,
        monetary_value: 70,
        revenue: 90,
        returns: 1,
        returned_revenue: 60
      },
      // c: the return of something bought before the data start changes no purchase, but the money total
      {
        customer_id: "c",
        first_purchase: "2024-01-20",
        last_purchase: "2024-01-20",
        purchase_days: 1,
        frequency: 0,
        recency_days: 0,
        tenure_days: 71,
        monetary_value: 0,
        revenue: 0,
        returns: 1,
        returned_revenue: 25
      },
      {
        customer_id: "d",
        first_purchase: "2024-01-15",
        last_purchase: "2024-02-15",
        purchase_days: 2,
        frequency: 1,
        recency_days: 31,
        tenure_days: 76,
        monetary_value: 10,
        revenue: 25,
        returns: 1,
        returned_revenue: 45
      }
    ]);
  });
});

describe("the models' inputs (calibrationSummarySql) on net purchases", () => {
  it("counts repeat purchases and their spend from the net days", async () => {
    const rows = await run<{customer_id: string; x: number; t_x: number; T: number; spend: number | null}>(
      `SELECT customer_id, x, t_x, "T", spend FROM (${calibrationSummarySql(duckdb, "2024-04-01", "2024-06-30")}) s ORDER BY customer_id`
    );
    // Weeks: a's first purchase is 1 Feb (not the cancelled 10 Jan): T = 60 days / 7, t_x = 29 / 7.
    expect(
      rows.map((r) => [r.customer_id, r.x, Math.round(r.t_x * 7 * 1e9) / 1e9, Math.round(r.T * 7 * 1e9) / 1e9, r.spend])
    ).toEqual([
      ["a", 1, 29, 60, 50],
      ["b", 1, 36, 87, 70],
      ["c", 0, 0, 72, null],
      ["d", 1, 31, 77, 10]
    ]);
  });
});

describe("customerMonthsSql and dailySalesSql on net purchases", () => {
  it("counts no order for an order cancelled in full", async () => {
    const rows = await run<{customer_id: string; month: string; orders: number; returns: number; revenue: string}>(
      `SELECT customer_id, month, orders, returns, revenue::VARCHAR AS revenue FROM (${customerMonthsSql(duckdb)}) m ORDER BY customer_id, month`
    );
    expect(rows.map((r) => [r.customer_id, r.month, r.orders, r.returns, Number(r.revenue)])).toEqual([
      ["a", "2024-01", 0, 2, 0],
      ["a", "2024-02", 1, 0, 40],
      ["a", "2024-03", 1, 1, 50],
      ["b", "2024-01", 1, 0, 80],
      ["b", "2024-02", 1, 1, 10],
      ["c", "2024-01", 1, 1, 0],
      ["d", "2024-01", 1, 0, 60],
      ["d", "2024-02", 1, 0, 10],
      ["d", "2024-03", 0, 1, -45]
    ]);
  });

  it("takes a customer's first net purchase day as their first purchase", async () => {
    const rows = await run<{
      date: string;
      first_orders: number;
      first_revenue: number;
      repeat_orders: number;
      repeat_revenue: number;
    }>(
      `SELECT "date"::VARCHAR AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM (${dailySalesSql()}) d ORDER BY "date"`
    );
    const day = (date: string) => rows.find((r) => r.date === date);
    // 10 Jan: a's cancelled order and its cancellation are no first purchase (4 lines, net 0)
    expect(day("2024-01-10")).toEqual({
      date: "2024-01-10",
      first_orders: 0,
      first_revenue: 0,
      repeat_orders: 4,
      repeat_revenue: 0
    });
    expect(day("2024-02-01")).toEqual({
      date: "2024-02-01",
      first_orders: 1,
      first_revenue: 40,
      repeat_orders: 0,
      repeat_revenue: 0
    });
    // c's return before their first purchase is a repeat line
    expect(day("2024-01-03")).toEqual({
      date: "2024-01-03",
      first_orders: 0,
      first_revenue: 0,
      repeat_orders: 1,
      repeat_revenue: -25
    });
    expect(day("2024-01-20")).toEqual({
      date: "2024-01-20",
      first_orders: 1,
      first_revenue: 25,
      repeat_orders: 0,
      repeat_revenue: 0
    });
  });
});
