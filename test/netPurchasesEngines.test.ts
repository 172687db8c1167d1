// The netting of returns (src/core/sql/netPurchases.ts) and the queries that count purchases
// from it, on DuckDB and PostgreSQL over the hand-made log of test/fixtures/returnsLog.ts
// (test/bothEngines.ts): both engines give the same rows, value for value, and the net
// purchase days are those worked out by hand there (test/core/netPurchases.test.ts checks the rest).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {dailySalesSql} from "../loaders/dailySales.js";
import {customerSummarySql} from "../loaders/summary.js";
import {calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {returnMatchesSql, returnNettingSql} from "../src/core/sql/netPurchases.js";
import {customerMonthsSql} from "../src/core/sql/profitSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";
import {returnsLogSetup} from "./fixtures/returnsLog.js";

if (postgresMissing) console.warn(postgresMissing);

describe.skipIf(postgresMissing !== null)("netting returns on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(returnsLogSetup);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("matches the same purchase day to each return by the same rule", async () => {
    const rows = await engines.agreed(
      () =>
        `SELECT customer_id, revenue, rule, day FROM (${returnMatchesSql()}) m ORDER BY customer_id, occurred_at, revenue`
    );
    expect(rows.map((r) => [r.customer_id, r.rule, r.day])).toEqual([
      ["a", "product", "2024-01-10"],
      ["a", "product", "2024-01-10"],
      ["a", "product", "2024-03-01"],
      ["b", "order", "2024-01-05"],
      ["c", "unmatched", ""],
      ["d", "value", "2024-01-15"]
    ]);
    const netting = await engines.agreed(() => returnNettingSql());
    // The same from matches computed already (as the site reads return_matches) instead of matched again.
    const given = `(${returnMatchesSql()}) AS given_matches`;
    expect(await engines.agreed(() => returnNettingSql(undefined, given))).toEqual(netting);
    expect(
      await engines.agreed(() => `SELECT * FROM (${purchaseDaysSql(undefined, given)}) d ORDER BY customer_id, day`)
    ).toEqual(await engines.agreed(() => `SELECT * FROM (${purchaseDaysSql()}) d ORDER BY customer_id, day`));
    expect(netting.map((r) => [r.rule, r.lines, r.value])).toEqual([
      ["order", "1", "60"],
      ["product", "3", "180"],
      ["value", "1", "45"],
      ["unmatched", "1", "25"]
    ]);
  });

  it("gives the same net purchase days, customer summary, model inputs, months and daily sales", async () => {
    const days = await engines.agreed(() => `SELECT * FROM (${purchaseDaysSql()}) d ORDER BY customer_id, day`);
    expect(days.map((r) => [r.customer_id, r.day, r.revenue])).toEqual([
      ["a", "2024-02-01", "40"],
      ["a", "2024-03-01", "50"],
      ["b", "2024-01-05", "20"],
      ["b", "2024-02-10", "70"],
      ["c", "2024-01-20", "25"],
      ["d", "2024-01-15", "15"],
      ["d", "2024-02-15", "10"]
    ]);
    const summary = await engines.agreed(
      (dialect) => `SELECT * FROM (${customerSummarySql(dialect, "2024-03-31", 0.3)}) s ORDER BY customer_id`
    );
    expect(summary.map((r) => [r.customer_id, r.frequency, r.monetary_value])).toEqual([
      ["a", "1", "50"],
      ["b", "1", "70"],
      ["c", "0", "0"],
      ["d", "1", "10"]
    ]);
    await engines.agreed(
      (dialect) =>
        `SELECT * FROM (${calibrationSummarySql(dialect, "2024-04-01", "2024-06-30")}) s ORDER BY customer_id`
    );
    const months = await engines.agreed(
      (dialect) => `SELECT * FROM (${customerMonthsSql(dialect)}) m ORDER BY customer_id, month`
    );
    const sales = await engines.agreed(() => `SELECT * FROM (${dailySalesSql()}) d ORDER BY "date"`);
    // The same, reading purchase days already computed (as the site reads retention_days) instead of netting again.
    const given = `(${purchaseDaysSql()}) AS given_days`;
    expect(
      await engines.agreed(
        (dialect) => `SELECT * FROM (${customerMonthsSql(dialect, undefined, given)}) m ORDER BY customer_id, month`
      )
    ).toEqual(months);
    expect(await engines.agreed(() => `SELECT * FROM (${dailySalesSql(undefined, given)}) d ORDER BY "date"`)).toEqual(
      sales
    );
  });
});
