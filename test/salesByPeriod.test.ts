import {DuckDBInstance} from "@duckdb/node-api";
import {describe, expect, it} from "vitest";
import {isPeriod, repeatRevenueShare, salesByPeriodSql, type Period} from "../src/core/metrics/salesByPeriod.js";

// A hand-made daily table. 1997-01-06 and 1997-01-13 are Mondays, 1997-01-12 a Sunday,
// 1997-02-01 a Saturday (its week starts on Monday 1997-01-27), 1997-04-02 a Wednesday.
// January 1997 is the data's first month: its first purchases are those of customers who
// were already customers (3 orders, 18.50), so they count as repeat.
const daily = `SELECT * FROM (VALUES
  (DATE '1997-01-06', 2, 15.50, 0, 0.00),
  (DATE '1997-01-12', 1, 3.00, 1, 4.00),
  (DATE '1997-01-13', 0, 0.00, 2, 7.25),
  (DATE '1997-02-01', 0, 0.00, 1, 2.00),
  (DATE '1997-04-02', 1, 1.00, 0, 0.00)
) AS t("date", first_orders, first_revenue, repeat_orders, repeat_revenue)`;

async function salesBy(period: Period, end = "1997-04-30") {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE daily_sales AS ${daily}`);
  const rows = (await connection.runAndReadAll(salesByPeriodSql(period, end))).getRowObjectsJson();
  connection.closeSync();
  instance.closeSync();
  return rows.map((row) => [row.period, row.kind, row.orders, row.revenue]);
}

describe("salesByPeriodSql(period, end)", () => {
  it("sums weeks that start on Monday", async () => {
    expect(await salesBy("week")).toEqual([
      ["1997-01-06", "first purchase", 0, 0],
      ["1997-01-06", "repeat", 4, 22.5],
      ["1997-01-13", "first purchase", 0, 0],
      ["1997-01-13", "repeat", 2, 7.25],
      ["1997-01-27", "first purchase", 0, 0],
      ["1997-01-27", "repeat", 1, 2],
      ["1997-03-31", "first purchase", 1, 1],
      ["1997-03-31", "repeat", 0, 0]
    ]);
  });

  it("sums calendar months and quarters", async () => {
    expect(await salesBy("month")).toEqual([
      ["1997-01-01", "first purchase", 0, 0],
      ["1997-01-01", "repeat", 6, 29.75],
      ["1997-02-01", "first purchase", 0, 0],
      ["1997-02-01", "repeat", 1, 2],
      ["1997-04-01", "first purchase", 1, 1],
      ["1997-04-01", "repeat", 0, 0]
    ]);
    // The second quarter is complete once June is over.
    expect(await salesBy("quarter", "1997-06-30")).toEqual([
      ["1997-01-01", "first purchase", 0, 0],
      ["1997-01-01", "repeat", 7, 31.75],
      ["1997-04-01", "first purchase", 1, 1],
      ["1997-04-01", "repeat", 0, 0]
    ]);
  });

  it("leaves out an incomplete last period: one whose last day is after the observation end", async () => {
    // Observed to Wednesday 2 April: April, the second quarter and the week of 31 March are incomplete.
    expect(await salesBy("month", "1997-04-02")).toEqual([
      ["1997-01-01", "first purchase", 0, 0],
      ["1997-01-01", "repeat", 6, 29.75],
      ["1997-02-01", "first purchase", 0, 0],
      ["1997-02-01", "repeat", 1, 2]
    ]);
    expect((await salesBy("quarter", "1997-04-02")).map((r) => r[0])).toEqual(["1997-01-01", "1997-01-01"]);
    expect((await salesBy("week", "1997-04-02")).map((r) => r[0]).at(-1)).toBe("1997-01-27");
    // On the last day of a period it is complete: the week of 31 March ends on Sunday 6 April.
    expect((await salesBy("week", "1997-04-06")).map((r) => r[0]).at(-1)).toBe("1997-03-31");
  });

  it("refuses a period or table name that is not known, since both go into the SQL text", () => {
    expect(() => salesByPeriodSql("day'); DROP TABLE daily_sales; --" as Period, null)).toThrow(/unknown period/);
    expect(() => salesByPeriodSql("month", null, "daily_sales; DROP TABLE x")).toThrow(/invalid table name/);
    expect(isPeriod("month")).toBe(true);
    expect(isPeriod("year")).toBe(false);
  });
});

describe("repeatRevenueShare(rows)", () => {
  it("is repeat revenue over all revenue", () => {
    const rows = [
      {kind: "first purchase", revenue: 30},
      {kind: "repeat", revenue: 5},
      {kind: "repeat", revenue: 15}
    ] as const;
    expect(repeatRevenueShare(rows)).toBe(20 / 50);
  });

  it("is NaN without revenue", () => {
    expect(repeatRevenueShare([])).toBeNaN();
    expect(repeatRevenueShare([{kind: "repeat", revenue: 0}])).toBeNaN();
  });
});
