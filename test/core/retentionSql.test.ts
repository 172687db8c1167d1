import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {
  allCustomers,
  bucketWindowSql,
  cohortSql,
  customerStatesSql,
  earlyWarningSql,
  previousPeriodEnd,
  stateCountsSql,
  stateMonthEnd,
  stateValueSql,
  type CustomerStateRow,
  type StateValueRow,
  type StateCountRow,
  rankWarningSql,
  gapQuantileSql,
  growthAccountingSql,
  windowStatusSql
} from "../../src/core/sql/retentionSql.js";
import type {CustomerState, StateRules} from "../../src/core/sql/customerStates.js";
import {
  customerRowsSql,
  customerSearchSql,
  customerStateHistorySql,
  type CustomerSearch,
  type CustomerSearchRow,
  type StateHistoryRow
} from "../../src/core/sql/customerProfileSql.js";
import type {BgNbdParams} from "../../src/core/models/bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "../../src/core/models/bgnbdProbabilityAlive.js";
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import {recentWindows} from "../../src/core/sql/dataEdges.js";
import {quickRatio, windowRevenueRetention, customerRetention} from "../../src/core/metrics/growthAccounting.js";

// A hand-worked transaction log, January to May 2024 (amounts in $):
//   a (search, acquisition $30): 5 Jan 60 + 40 (two lines, one day), 10 Feb 150, 20 Apr 80
//   b (search, no cost known):   20 Jan 50, 5 Feb 30 (and a −10 return on 6 Feb, which nets against it:
//                                5 Feb is then a purchase of 20), 25 Mar 30, 10 May 20
//   c (social, $12):             3 Mar 40
//   d (no channel, $45):         1 Feb 10, 15 Feb 20
//   e (social):                  2 Jun 99, after the end of the last complete month
const setup = `
  CREATE TABLE canonical_transactions AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue,
    NULL::VARCHAR AS order_id, NULL::VARCHAR AS product FROM (VALUES
    ('a', '2024-01-05 09:00:00', 60), ('a', '2024-01-05 17:00:00', 40), ('a', '2024-02-10 10:00:00', 150), ('a', '2024-04-20 10:00:00', 80),
    ('b', '2024-01-20 10:00:00', 50), ('b', '2024-02-05 10:00:00', 30), ('b', '2024-02-06 10:00:00', -10), ('b', '2024-03-25 10:00:00', 30), ('b', '2024-05-10 10:00:00', 20),
    ('c', '2024-03-03 10:00:00', 40),
    ('d', '2024-02-01 10:00:00', 10), ('d', '2024-02-15 10:00:00', 20),
    ('e', '2024-06-02 10:00:00', 99)
  ) AS t(customer_id, occurred_at, revenue);
  CREATE TABLE retention_days AS ${purchaseDaysSql()};
  CREATE TABLE customer_summary AS SELECT * FROM (VALUES
    ('a', 'search', '30'), ('b', 'search', NULL), ('c', 'social', '12'), ('d', NULL, '45'), ('e', 'social', NULL)
  ) AS t(customer_id, acquisition_channel, acquisition_cost)`;

const run = <T>(sql: string) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<T>(connection, sql);
  });

const end = "2024-06-15"; // June is incomplete, so the last complete month is May

describe("purchaseDaysSql(transactions)", () => {
  it("sums a customer's purchase lines by day, less the returns netted against them; a return is no purchase day", async () => {
    const rows = await run<{customer_id: string; day: string; revenue: string}>(
      "SELECT customer_id, day::VARCHAR AS day, revenue::VARCHAR AS revenue FROM retention_days WHERE customer_id IN ('a', 'b') ORDER BY customer_id, day"
    );
    expect(rows.map((r) => [r.customer_id, r.day, Number(r.revenue)])).toEqual([
      ["a", "2024-01-05", 100],
      ["a", "2024-02-10", 150],
      ["a", "2024-04-20", 80],
      ["b", "2024-01-20", 50],
      ["b", "2024-02-05", 20],
      ["b", "2024-03-25", 30],
      ["b", "2024-05-10", 20]
    ]);
  });
});

describe("growthAccountingSql(period, end, filter)", () => {
  it("classifies every customer-month as new, retained, reactivated or lost, with revenue expansion and contraction", async () => {
    const rows = await run<Record<string, number | string>>(growthAccountingSql(duckdb, "month", end));
    const pick = (r: Record<string, number | string>) => [
      r.period,
      r.active,
      r.previous_active,
      r.new,
      r.retained,
      r.reactivated,
      r.lost
    ];
    // January is the data's first month: a and b were already customers, the level February
    // starts from, not new. Feb: a, b retained, d new. Mar: b retained, c new, a and d lost.
    // Apr: a reactivated, b and c lost. May: b reactivated, a lost. June is incomplete.
    expect(rows.map(pick)).toEqual([
      ["2024-02-01", 3, 2, 1, 2, 0, 0],
      ["2024-03-01", 2, 3, 1, 1, 0, 2],
      ["2024-04-01", 1, 2, 0, 0, 1, 2],
      ["2024-05-01", 1, 1, 0, 0, 1, 1]
    ]);
    const money = (r: Record<string, number | string>) => [
      r.revenue,
      r.previous_revenue,
      r.new_revenue,
      r.expansion_revenue,
      r.contraction_revenue,
      r.lost_revenue,
      r.reactivated_revenue
    ];
    // Feb: a 100 → 150 expands 50, b 50 → 20 (30 less the return) contracts 30, d new 30. Mar: a's 150 and d's 30
    // lost, b 20 → 30 expands 10, c new 40. Apr: b's 30 and c's 40 lost, a back with 80. May: a's 80 lost, b back with 20.
    expect(rows.map(money)).toEqual([
      [200, 150, 30, 50, 30, 0, 0],
      [70, 200, 40, 10, 0, 180, 0],
      [80, 70, 0, 0, 0, 70, 80],
      [20, 80, 0, 0, 0, 80, 20]
    ]);
    // Acquisition cost of each month's new customers (a's $30 is not spent in any month shown: a was already a customer).
    expect(rows.map((r) => [r.acquisition_spend, r.costed_new])).toEqual([
      [45, 1],
      [12, 1],
      [0, 0],
      [0, 0]
    ]);
  });

  it("counts only complete periods after the data's first month, keeps months without purchases, and filters by channel", async () => {
    // Quarters: Q1 holds the data's first month (January), so accounting starts with Q2,
    // which is complete only once June is over.
    expect((await run<{period: string}>(growthAccountingSql(duckdb, "quarter", end))).map((r) => r.period)).toEqual([]);
    const quarters = await run<Record<string, number>>(growthAccountingSql(duckdb, "quarter", "2024-06-30"));
    // Q2 from Q1's 4 customers (420): a (250 → 80) and b (100 → 20) retained and contracting; c and d lost; e new with 99.
    expect(
      quarters.map((r) => [
        r.previous_active,
        r.active,
        r.new,
        r.retained,
        r.lost,
        r.revenue,
        r.contraction_revenue,
        r.lost_revenue
      ])
    ).toEqual([[4, 3, 1, 2, 2, 199, 250, 70]]);
    // Social customers: c in March only, then nobody until e in June: April and May are empty months.
    const social = await run<Record<string, number | string>>(
      growthAccountingSql(duckdb, "month", "2024-06-30", {channel: "social"})
    );
    expect(social.map((r) => [r.period, r.active, r.new, r.lost])).toEqual([
      ["2024-03-01", 1, 1, 0],
      ["2024-04-01", 0, 0, 1],
      ["2024-05-01", 0, 0, 0],
      ["2024-06-01", 1, 1, 0]
    ]);
  });

  it("counts customers of the data's first month as new where the source knows they were won within the data", async () => {
    // newFrom null (a cohort of first-time buyers, as CDNOW): January's a and b are new, the accounts start in January.
    const known = await run<Record<string, number | string>>(
      growthAccountingSql(duckdb, "month", end, allCustomers, null)
    );
    expect(known.map((r) => [r.period, r.previous_active, r.new, r.acquisition_spend])).toEqual([
      ["2024-01-01", 0, 2, 30],
      ["2024-02-01", 2, 1, 45],
      ["2024-03-01", 3, 1, 12],
      ["2024-04-01", 2, 0, 0],
      ["2024-05-01", 1, 0, 0]
    ]);
    // The rule given as a date is the rule taken from the data: new from 1 February.
    expect(await run(growthAccountingSql(duckdb, "month", end, allCustomers, "2024-02-01"))).toEqual(
      await run(growthAccountingSql(duckdb, "month", end))
    );
    const cohorts = await run<{group: string}>(cohortSql(duckdb, "month", end, "cohort", allCustomers, null));
    expect([...new Set(cohorts.map((r) => r.group))]).toEqual(["2024-01-01", "2024-02-01", "2024-03-01"]);
  });

  it("refuses an unknown period and a date that is not YYYY-MM-DD, and quotes channel names", () => {
    expect(() => growthAccountingSql(duckdb, "year" as "month", end)).toThrow(/unknown period/);
    expect(() => growthAccountingSql(duckdb, "month", "2024-06-15'; DROP TABLE x; --")).toThrow(/not a date/);
    expect(growthAccountingSql(duckdb, "month", end, {channel: "o'brien"})).toContain(
      "c.acquisition_channel = 'o''brien'"
    );
  });
});

describe("bucketWindowSql(window, filter)", () => {
  const counts = (r: Record<string, number | string>) => ({
    customers: r.customers,
    previous_active: r.previous_active,
    active: r.active,
    retained: r.retained,
    new: r.new,
    reactivated: r.reactivated,
    lost: r.lost,
    already: r.already
  });

  it("counts each customer once over the default window, the last complete months after the data's first month", async () => {
    // recentWindows: data from 5 Jan to 15 Jun 2024, new from 1 Feb → Feb – May (4 months);
    // the comparison span is Oct 2023 – Jan 2024, of which only January holds data.
    const window = recentWindows("2024-01-05", end, "2024-02-01").acquisition;
    expect(window).toEqual({from: "2024-02-01", to: "2024-06-01", months: 4});
    const [row] = await run<Record<string, number | string>>(bucketWindowSql(duckdb, window));
    // By hand: active at the start (bought in Jan): a, b; both buy again in Feb – May (retained 2, lost 0);
    // c (3 Mar) and d (1 Feb) are new; nobody is won back; e buys after the window (not a customer yet).
    expect(counts(row!)).toEqual({
      customers: 4,
      previous_active: 2,
      active: 4,
      retained: 2,
      new: 2,
      reactivated: 0,
      lost: 0,
      already: 0
    });
    // Revenue: a 150 + 80, b 20 + 30 + 20, c 40, d 30 = 370 in the window; a and b spent 100 + 50 in January and 300 in the window.
    expect([row!.revenue, row!.previous_revenue, row!.retained_revenue, row!.new_revenue]).toEqual([370, 150, 300, 70]);
    // The new customers' acquisition costs on file: c $12 and d $45, 57 for 2.
    expect([row!.acquisition_spend, row!.costed_new, row!.previous_months]).toEqual([57, 2, 1]);
    // Net revenue retention per month: (300 / 4) ÷ (150 / 1) = 0.5.
    expect(windowRevenueRetention(row as never)).toBe(0.5);
    expect(customerRetention(row as never)).toBe(1);
    expect(quickRatio(row as never)).toBeNaN();
  });

  it("tells lost from won back: a window of May against April, and of Mar – May against Dec – Feb", async () => {
    const [may] = await run<Record<string, number | string>>(
      bucketWindowSql(duckdb, {from: "2024-05-01", to: "2024-06-01", months: 1})
    );
    // April's buyer a does not buy in May (lost); b bought in Jan – Mar, not in April, and buys in May: won back.
    expect(counts(may!)).toEqual({
      customers: 4,
      previous_active: 1,
      active: 1,
      retained: 0,
      new: 0,
      reactivated: 1,
      lost: 1,
      already: 0
    });
    expect([may!.previous_revenue, may!.retained_revenue, may!.reactivated_revenue]).toEqual([80, 0, 20]);
    expect(quickRatio(may as never)).toBe(1);
    const [spring] = await run<Record<string, number | string>>(
      bucketWindowSql(duckdb, {from: "2024-03-01", to: "2024-06-01", months: 3})
    );
    // Dec – Feb: a, b, d. Mar – May: a (Apr), b (Mar, May), c (Mar, first purchase). d is lost.
    expect(counts(spring!)).toEqual({
      customers: 4,
      previous_active: 3,
      active: 3,
      retained: 2,
      new: 1,
      reactivated: 0,
      lost: 1,
      already: 0
    });
    // The comparison span holds two months of data (Jan, Feb): a 100 + 150, b 50 + 20, d 30 = 350, 175 a month;
    // a 80 + b 50 = 130 in three months, 43.33 a month: 0.2476.
    expect(spring!.previous_revenue).toBe(350);
    expect(spring!.previous_months).toBe(2);
    expect(windowRevenueRetention(spring as never)).toBeCloseTo(130 / 3 / 175, 10);
  });

  it("keeps the data's first month's customers out of new, filters by channel, and refuses an empty window", async () => {
    const window = {from: "2024-01-01", to: "2024-06-01", months: 5};
    const [rule] = await run<Record<string, number | string>>(bucketWindowSql(duckdb, window));
    // a and b first bought in January, the data's first month: already customers, neither new nor won back.
    expect(counts(rule!)).toEqual({
      customers: 4,
      previous_active: 0,
      active: 4,
      retained: 0,
      new: 2,
      reactivated: 0,
      lost: 0,
      already: 2
    });
    const [all] = await run<Record<string, number | string>>(bucketWindowSql(duckdb, window, allCustomers, null));
    expect([all!.new, all!.already, all!.previous_months]).toEqual([4, 0, 0]);
    const [search] = await run<Record<string, number | string>>(
      bucketWindowSql(duckdb, {from: "2024-04-01", to: "2024-06-01", months: 2}, {channel: "search"})
    );
    // Search: a and b. Feb – Mar: both; Apr – May: both again.
    expect(counts(search!)).toEqual({
      customers: 2,
      previous_active: 2,
      active: 2,
      retained: 2,
      new: 0,
      reactivated: 0,
      lost: 0,
      already: 0
    });
    expect(() => bucketWindowSql(duckdb, {from: "2024-06-01", to: "2024-06-01", months: 0})).toThrow(
      /at least one month/
    );
  });
});

describe("cohortSql(period, end, grouping)", () => {
  it("gives each acquisition cohort's share active and revenue per original customer by age", async () => {
    const rows = await run<{
      group: string;
      age: number;
      customers: number;
      active: number;
      share: number;
      revenue_per_customer: number;
    }>(cohortSql(duckdb, "month", end, "cohort"));
    expect(rows.map((r) => [r.group, r.age, r.customers, r.active, r.share, r.revenue_per_customer])).toEqual([
      // February (d) and March (c): one purchase month each.
      ["2024-02-01", 0, 1, 1, 1, 30],
      ["2024-02-01", 1, 1, 0, 0, 0],
      ["2024-02-01", 2, 1, 0, 0, 0],
      ["2024-02-01", 3, 1, 0, 0, 0],
      ["2024-03-01", 0, 1, 1, 1, 40],
      ["2024-03-01", 1, 1, 0, 0, 0],
      ["2024-03-01", 2, 1, 0, 0, 0],
      // January, the data's first month (a, b), is no cohort but the already customers: both in Feb; b in Mar; a in Apr; b in May.
      ["already customers", 0, 2, 2, 1, 75],
      ["already customers", 1, 2, 2, 1, 85], // (150 + 30 − 10) / 2
      ["already customers", 2, 2, 1, 0.5, 15],
      ["already customers", 3, 2, 1, 0.5, 40],
      ["already customers", 4, 2, 1, 0.5, 10]
    ]);
  });

  it("pools cohorts by year or channel, counting at each age only customers old enough to be seen", async () => {
    const year = await run<{group: string; age: number; customers: number; active: number}>(
      cohortSql(duckdb, "month", end, "year")
    );
    // 2024's cohorts are February (d) and March (c); age 3 is seen for February only. The
    // already customers (a, b) are a group of their own.
    expect(year.map((r) => [r.group, r.age, r.customers, r.active])).toEqual([
      ["2024", 0, 2, 2],
      ["2024", 1, 2, 0],
      ["2024", 2, 2, 0],
      ["2024", 3, 1, 0],
      ["already customers", 0, 2, 2],
      ["already customers", 1, 2, 2],
      ["already customers", 2, 2, 1],
      ["already customers", 3, 2, 1],
      ["already customers", 4, 2, 1]
    ]);
    const channel = await run<{group: string; age: number; customers: number; active: number}>(
      cohortSql(duckdb, "month", end, "channel")
    );
    expect(channel.filter((r) => r.age <= 1).map((r) => [r.group, r.age, r.customers, r.active])).toEqual([
      ["search", 0, 2, 2],
      ["search", 1, 2, 2],
      ["social", 0, 1, 1],
      ["social", 1, 1, 0],
      ["unknown", 0, 1, 1],
      ["unknown", 1, 1, 0]
    ]);
  });
});

describe("windowStatusSql(period, end, window)", () => {
  it("counts active and lapsed customers at each month's end, and lapses and returns within it (window 30 days)", async () => {
    const rows = await run<{period: string; active: number; lapsed: number; lapsing: number; returning: number}>(
      windowStatusSql(duckdb, "month", end, 30)
    );
    // 31 Mar: a (last 10 Feb, 50 days) and d (15 Feb) lapsed; b (25 Mar) and c (3 Mar, 28 days) active.
    // Lapses: a on 4 Feb (36-day gap), 11 Mar, 20 May; b on 6 Mar, 24 Apr; c on 2 Apr; d on 16 Mar.
    // Returns: a on 10 Feb and 20 Apr, b on 25 Mar and 10 May.
    expect(rows.map((r) => [r.period, r.active, r.lapsed, r.lapsing, r.returning])).toEqual([
      ["2024-01-01", 2, 0, 0, 0],
      ["2024-02-01", 3, 0, 1, 1],
      ["2024-03-01", 2, 2, 3, 1],
      ["2024-04-01", 1, 3, 2, 1],
      ["2024-05-01", 1, 3, 1, 1]
    ]);
    // A 60-day window: on 31 Mar only d (45 days) … is still active; a (50 days) too.
    const wide = await run<{active: number; lapsed: number}>(windowStatusSql(duckdb, "month", end, 60));
    expect(wide.map((r) => [r.active, r.lapsed])).toEqual([
      [2, 0],
      [3, 0],
      [4, 0],
      [3, 1],
      [2, 2]
    ]);
  });
});

describe("gapQuantileSql(q)", () => {
  it("takes the R-7 quantile of every gap between consecutive purchase days, rounded up", async () => {
    // Gaps: a 36, 70; b 16, 49, 46; d 14 → sorted 14 16 36 46 49 70.
    expect(await run(gapQuantileSql(duckdb, 0.5))).toEqual([{days: 41, gaps: 6}]); // 36 + 0.5 × 10
    expect(await run(gapQuantileSql(duckdb, 0.9))).toEqual([{days: 60, gaps: 6}]); // 49 + 0.5 × 21 = 59.5
    expect(() => gapQuantileSql(duckdb, 1)).toThrow(/strictly between/);
  });
});

describe("customerStatesSql(monthEnd, rules, model): one state per customer at a month end and the one before", () => {
  const states = (monthEnd: string, rules: StateRules, model: BgNbdParams | null = null) =>
    run<CustomerStateRow>(customerStatesSql(duckdb, monthEnd, rules, model));
  const rules: StateRules = {inactivityDays: 30, lostDays: 60, k: 2, minPurchases: 3, minPAlive: 0.3};
  const byCustomer = (rows: CustomerStateRow[]) =>
    Object.fromEntries(rows.map((r) => [r.customer_id, [r.previous_state, r.state]]));

  it("tells lapsed, lost and reactivated apart by silence, and judges the month end before by the same rule", async () => {
    // At 31 May (window 30 days, lost at 60): a last bought 20 Apr (41 days: lapsed); at 30 April a had just come back
    // (20 Apr, after 51 silent days since 10 Feb: reactivated). b bought 10 May after 37 silent days since 25 Mar:
    // reactivated; lapsed at 30 April (36 days). c: 89 days, lost (58 at 30 April: lapsed). d: 106 days, lost (75).
    // e first buys in June: not yet a customer.
    expect(byCustomer(await states("2024-05-31", rules))).toEqual({
      a: ["reactivated", "lapsed"],
      b: ["lapsed", "reactivated"],
      c: ["lapsed", "lost"],
      d: ["lost", "lost"]
    });
  });

  it("counts a first purchase as new, except for customers already there when the data start", async () => {
    // The data start in January, so customers from February on are new. At 29 February: d (first purchase 1 Feb) is
    // new, with no state at 31 January; a and b (January) were already customers, active then and now (a was silent
    // 27 days on 1 Feb, under the window, so buying on 10 Feb is no comeback).
    expect(byCustomer(await states("2024-02-29", rules))).toEqual({
      a: ["active", "active"],
      b: ["active", "active"],
      d: [null, "new"]
    });
    // At 31 March c (first purchase 3 Mar) is new; d, new the month before, is silent 45 days: lapsed.
    expect(byCustomer(await states("2024-03-31", rules))).toMatchObject({c: [null, "new"], d: ["new", "lapsed"]});
  });

  it("flags at risk a customer silent beyond k × their own usual gap, with the reason in words", async () => {
    // Window 100 days: at 31 May a is silent 41 days, usual gap (20 Apr − 5 Jan) / 2 = 53: 41 > 0.5 × 53, at risk;
    // b silent 21 days, gap (10 May − 20 Jan) / 3 = 37: at risk (and not reactivated: 37 days < 100); c (one purchase,
    // 89 days) active; d (106 days) lapsed.
    const rows = await states("2024-05-31", {
      inactivityDays: 100,
      lostDays: 200,
      k: 0.5,
      minPurchases: 3,
      minPAlive: 0.3
    });
    expect(rows.map((r) => [r.customer_id, r.state, r.days_silent, r.usual_gap, r.reason])).toEqual([
      ["a", "at risk", 41, 53, "silent 0.8× their usual gap of 53 days"],
      ["b", "at risk", 21, 37, "silent 0.6× their usual gap of 37 days"],
      ["c", "active", 89, null, ""],
      ["d", "lapsed", 106, 14, "silent 106 days, past the 100-day inactivity window"]
    ]);
  });

  it("marks overdue a customer silent longer than their own usual gap, with at least the rules' purchase days", async () => {
    // At 30 April: b (20 Jan, 5 Feb, 25 Mar) is silent 36 days, usual gap (25 Mar − 20 Jan) / 2 = 32.5: overdue.
    // a (5 Jan, 10 Feb, 20 Apr) is silent 10 days, gap 53: not. d (1 Feb, 15 Feb) is silent 75 days against a gap of
    // 14, but has two purchase days, one fewer than the rules ask (with two, overdue). c has one: no gap.
    const overdue = async (minPurchases: number) =>
      (await states("2024-04-30", {...rules, minPurchases})).map((r) => [r.customer_id, r.overdue]);
    expect(await overdue(3)).toEqual([
      ["a", false],
      ["b", true],
      ["c", false],
      ["d", false]
    ]);
    expect(await overdue(2)).toEqual([
      ["a", false],
      ["b", true],
      ["c", false],
      ["d", true]
    ]);
  });

  it("flags at risk a customer the model gives a low P(active) at that month end, reckoned from their purchases up to it", async () => {
    // Silence rules no one meets, so only the model speaks; P(active) from the BG/NBD formula at each month end.
    const model = {r: 0.5, alpha: 5, a: 1.5, b: 1};
    const quiet: StateRules = {inactivityDays: 1000, lostDays: 2000, k: 100, minPurchases: 3, minPAlive: 0.5};
    const rows = await states("2024-05-31", quiet, model);
    const weeks = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 / 7;
    const expected = {
      a: bgnbdProbabilityAlive(model, 2, weeks("2024-01-05", "2024-04-20"), weeks("2024-01-05", "2024-05-31")),
      b: bgnbdProbabilityAlive(model, 3, weeks("2024-01-20", "2024-05-10"), weeks("2024-01-20", "2024-05-31")),
      c: 1, // no repeat purchase: alive under BG/NBD
      d: bgnbdProbabilityAlive(model, 1, weeks("2024-02-01", "2024-02-15"), weeks("2024-02-01", "2024-05-31"))
    };
    for (const row of rows) {
      const p = expected[row.customer_id as keyof typeof expected];
      expect(row.p_alive).toBeCloseTo(p, 3);
      expect(row.state).toBe(p < 0.5 ? "at risk" : "active");
      expect(row.reason).toBe(p < 0.5 ? `P(active) ${p.toFixed(2).replace(/0$/, "")}, below 0.5` : "");
    }
    expect(rows.filter((r) => r.state === "at risk").length).toBeGreaterThan(0); // the case tests the rule
    expect(() => customerStatesSql(duckdb, "2024-05-31", {...quiet, minPAlive: 2}, model)).toThrow(/P\(active\)/);
    expect(() => customerStatesSql(duckdb, "2024-05-31", {...quiet, lostDays: 10}, model)).toThrow(/shorter/);
  });

  it("counts every state at the month end and the month end before; the call list is those at risk or lapsed", async () => {
    const counts = await run<StateCountRow>(stateCountsSql(customerStatesSql(duckdb, "2024-05-31", rules, null)));
    expect(counts.map((r) => [r.state, r.customers, r.previous_customers])).toEqual([
      ["new", 0, 0],
      ["active", 0, 0],
      ["at risk", 0, 0],
      ["lapsed", 1, 2],
      ["lost", 2, 1],
      ["reactivated", 1, 1]
    ]);
    const list = await run<CustomerStateRow>(earlyWarningSql(customerStatesSql(duckdb, "2024-05-31", rules, null)));
    expect(list.map((r) => [r.customer_id, r.new_since])).toEqual([["a", true]]);
  });

  it("adds up value and profit to date by state, every state listed, and nothing where a table is absent", async () => {
    const rows = await withDuckDB(async (connection) => {
      await connection.run(setup);
      await connection.run(
        "CREATE TABLE v AS SELECT * FROM (VALUES ('a', 10.5), ('b', 20.0), ('c', 1.25)) AS t(customer_id, clv)"
      );
      await connection.run(
        "CREATE TABLE p AS SELECT * FROM (VALUES ('a', 100), ('b', -5), ('c', 7), ('d', 3)) AS t(customer_id, profit)"
      );
      await connection.run(`CREATE TABLE s AS ${customerStatesSql(duckdb, "2024-05-31", rules, null)}`);
      return [
        await queryRows<StateValueRow>(connection, stateValueSql(duckdb, "s", "v", "p")),
        await queryRows<StateValueRow>(connection, stateValueSql(duckdb, "s", null, null))
      ];
    });
    // a lapsed, b reactivated, c and d lost (as above); d has no value: it adds nothing.
    expect(rows[0]!.map((r) => [r.state, r.customers, r.clv, r.profit])).toEqual([
      ["new", 0, 0, 0],
      ["active", 0, 0, 0],
      ["at risk", 0, 0, 0],
      ["lapsed", 1, 10.5, 100],
      ["lost", 2, 1.25, 10],
      ["reactivated", 1, 20, -5]
    ]);
    expect(rows[1]!.every((r) => r.clv === null && r.profit === null)).toBe(true);
  });

  it("counts states at the last complete month end", () => {
    expect(stateMonthEnd("2024-05-31")).toBe("2024-05-31");
    expect(stateMonthEnd("2024-06-15")).toBe("2024-05-31");
    expect(stateMonthEnd("2024-03-01")).toBe("2024-02-29");
  });
});

describe("rankWarningSql(warning, values): value at stake", () => {
  const rules: StateRules = {inactivityDays: 30, lostDays: 365, k: 2, minPurchases: 3, minPAlive: 0.3};
  // Lapsed at 31 May (window 30 days): a (silent 41 days, £330 in its last year), c (89 days, £40), d (106 days, £30).
  // Hand-set P(active) and value if still active; the equity loader's CLV is their product:
  // a 0.9 × 100 = 90, c 0.05 × 1000 = 50 (nearly gone: little at stake), d 0.5 × 300 = 150.
  // The expected next purchase comes from the same table (customer_clv.csv's next_purchase), hand-set here.
  const model = `CREATE TABLE model AS SELECT customer_id, p_alive, p_alive * if_alive AS clv, next_purchase FROM (VALUES
    ('a', 0.9, 100.0, '2024-06-20'), ('c', 0.05, 1000.0, '2024-09-01'), ('d', 0.5, 300.0, NULL)) AS t(customer_id, p_alive, if_alive, next_purchase)`;
  const ranked = (values: string | null) =>
    withDuckDB(async (connection) => {
      await connection.run(setup);
      await connection.run(model);
      return queryRows<Record<string, unknown>>(
        connection,
        rankWarningSql(duckdb, earlyWarningSql(customerStatesSql(duckdb, "2024-05-31", rules, null)), values)
      );
    });

  it("ranks by P(active) × value if active, not by past spend, with the reason first", async () => {
    const rows = await ranked("model");
    expect(Object.keys(rows[0]!).slice(0, 2)).toEqual(["reason", "new_since"]);
    expect(rows.map((r) => [r.customer_id, r.value_at_stake, r.value_at_risk, r.next_purchase])).toEqual([
      ["d", 150, 30, null],
      ["a", 90, 330, "2024-06-20"],
      ["c", 50, 40, "2024-09-01"]
    ]);
  });

  it("falls back to the past year's spend without a model's values, and then has no next purchase", async () => {
    const rows = await ranked(null);
    expect(rows.map((r) => [r.customer_id, r.value_at_stake, r.next_purchase])).toEqual([
      ["a", 330, null],
      ["c", 40, null],
      ["d", 30, null]
    ]);
  });

  it("reads a table of the list's rows as well as its query; a customer the model did not value has nothing at stake", async () => {
    const rows = await withDuckDB(async (connection) => {
      await connection.run(setup);
      await connection.run(model);
      await connection.run("DELETE FROM model WHERE customer_id = 'd'");
      await connection.run(
        `CREATE TABLE flags AS ${earlyWarningSql(customerStatesSql(duckdb, "2024-05-31", rules, null))}`
      );
      return queryRows<Record<string, unknown>>(connection, rankWarningSql(duckdb, "flags", "model"));
    });
    expect(rows.map((r) => [r.customer_id, r.value_at_stake])).toEqual([
      ["a", 90],
      ["c", 50],
      ["d", 0]
    ]);
  });

  it("marks who is new on the list since the end of the previous month", async () => {
    expect(previousPeriodEnd("2024-05-31")).toBe("2024-04-30");
    expect(previousPeriodEnd("2024-03-10")).toBe("2024-02-29");
    // On 30 April: a had just come back (reactivated): not listed; c 58 days and d 75 days silent: lapsed, listed.
    const rows = await ranked("model");
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.new_since]))).toEqual({a: true, c: false, d: false});
  });
});

describe("customerStateHistorySql(customerId, monthEnd, rules, model): one customer's state at every month end", () => {
  const rules: StateRules = {inactivityDays: 30, lostDays: 60, k: 2, minPurchases: 3, minPAlive: 0.3};
  const history = (id: string, model: BgNbdParams | null = null) =>
    run<StateHistoryRow>(customerStateHistorySql(duckdb, id, "2024-05-31", rules, model));

  it("runs a customer through the states month by month, as the rules say", async () => {
    // a (5 Jan, 10 Feb, 20 Apr; already a customer, as the data start in January): active at 31 January (26 days
    // silent) and 29 February; 50 days silent at 31 March: lapsed; back on 20 April after 51 days: reactivated;
    // 41 days silent at 31 May: lapsed. d (1 and 15 Feb): new in February, 45 days at 31 March: lapsed, 75 at
    // 30 April: lost.
    expect((await history("a")).map((r) => [r.month_end, r.state, r.reason])).toEqual([
      ["2024-01-31", "active", ""],
      ["2024-02-29", "active", ""],
      ["2024-03-31", "lapsed", "silent 50 days, past the 30-day inactivity window"],
      ["2024-04-30", "reactivated", ""],
      ["2024-05-31", "lapsed", "silent 41 days, past the 30-day inactivity window"]
    ]);
    expect((await history("d")).map((r) => [r.month_end, r.state])).toEqual([
      ["2024-02-29", "new"],
      ["2024-03-31", "lapsed"],
      ["2024-04-30", "lost"],
      ["2024-05-31", "lost"]
    ]);
    // e first buys in June, after the month end: no history; an id is a value, never SQL.
    expect(await history("e")).toEqual([]);
    expect(await history("a' OR '1' = '1")).toEqual([]);
  });

  it("ends on the state and P(active) the retention page counts at the month end, and the one before", async () => {
    const model = {r: 0.5, alpha: 5, a: 1.5, b: 1};
    const states = await run<CustomerStateRow>(customerStatesSql(duckdb, "2024-05-31", rules, model));
    for (const row of states) {
      const own = await history(row.customer_id, model);
      expect(own.at(-1), row.customer_id).toMatchObject({
        month_end: "2024-05-31",
        state: row.state,
        p_alive: row.p_alive,
        reason: row.reason
      });
      expect(own.at(-2)?.state ?? null, row.customer_id).toBe(row.previous_state);
    }
  });
});

describe("customerSearchSql(states, search, values, limit): customers by segment and state", () => {
  const extra = `;
    ALTER TABLE customer_summary ADD COLUMN segment VARCHAR;
    UPDATE customer_summary SET segment = CASE customer_id WHEN 'a' THEN 'home' WHEN 'b' THEN 'office' WHEN 'c' THEN 'home' END;
    CREATE TABLE customer_value AS SELECT * FROM (VALUES ('a', 100.0), ('b', 50.0), ('c', 10.0)) AS t(customer_id, clv)`;
  const rules: StateRules = {inactivityDays: 30, lostDays: 60, k: 2, minPurchases: 3, minPAlive: 0.3};
  const search = (criteria: CustomerSearch, values: string | null = "customer_value", limit = 50) =>
    withDuckDB(async (connection) => {
      await connection.run(setup + extra);
      const states = customerStatesSql(duckdb, "2024-05-31", rules, null);
      return (await queryRows<CustomerSearchRow>(connection, customerSearchSql(states, criteria, values, limit))).map(
        (r) => [r.customer_id, r.segment, r.state, r.clv, r.matches]
      );
    });

  it("lists the customers of a segment, a state or both, most valuable first, with the number of matches", async () => {
    // At 31 May: a lapsed, b reactivated, c lost, d lost (the states above); d has no segment and no CLV.
    expect(await search({segment: "home", state: null})).toEqual([
      ["a", "home", "lapsed", 100, 2],
      ["c", "home", "lost", 10, 2]
    ]);
    expect(await search({segment: null, state: "lost"})).toEqual([
      ["c", "home", "lost", 10, 2],
      ["d", null, "lost", null, 2]
    ]);
    expect(await search({segment: "home", state: "lost"})).toEqual([["c", "home", "lost", 10, 1]]);
    expect(await search({segment: null, state: null}, "customer_value", 1)).toEqual([["a", "home", "lapsed", 100, 4]]);
  });

  it("ranks by the past year's spend without the model's values; values are never read as SQL", async () => {
    // The year up to the last purchase: a 100 + 150 + 80 = 330, b 50 + 20 + 30 + 20 = 120, c 40, d 30.
    expect(await search({segment: null, state: null}, null, 2)).toEqual([
      ["a", "home", "lapsed", null, 4],
      ["b", "office", "reactivated", null, 4]
    ]);
    expect(await search({segment: "home' OR '1' = '1", state: null})).toEqual([]);
    expect(() => customerSearchSql("SELECT 1", {segment: null, state: "gone" as CustomerState}, null)).toThrow(
      /unknown state/
    );
  });
});

describe("customerRowsSql(table, id, order)", () => {
  it("gives one customer's rows in the order asked, and reads an id as a value", async () => {
    const rows = await run<{customer_id: string; day: string}>(customerRowsSql("retention_days", "b", ["day"]));
    expect(rows.map((r) => [r.customer_id, String(r.day).slice(0, 10)])).toEqual(
      ["2024-01-20", "2024-02-05", "2024-03-25", "2024-05-10"].map((day) => ["b", day])
    );
    expect(await run(customerRowsSql("retention_days", "b' OR '1' = '1"))).toEqual([]);
  });
});
