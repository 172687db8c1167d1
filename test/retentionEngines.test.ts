// The retention page's SQL (retentionSql.ts, loyaltyLadder.ts) on DuckDB and PostgreSQL over
// the same hand-worked tables (test/bothEngines.ts): both engines give the same rows, value
// for value, and the key figures match the hand computation. The tables have the types a
// warehouse gives them (purchaseDaysSql, customer_summary).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ladderClimbsSql} from "../src/core/metrics/ladderClimbs.js";
import {ladderSql} from "../src/core/metrics/loyaltyLadder.js";
import {
  allCustomers,
  bucketWindowSql,
  cohortSql,
  customerStatesSql,
  gapQuantileSql,
  growthAccountingSql,
  windowStatusSql
} from "../src/core/sql/retentionSql.js";
import {periods} from "../src/core/metrics/salesByPeriod.js";
import type {Dialect} from "../src/core/sql/sqlDialect.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

// Purchase days, January to June 2024 (as test/core/retentionSql.test.ts works them out):
//   a (search, acquisition $30): 5 Jan 100, 10 Feb 150, 20 Apr 80
//   b (search, no cost known):   20 Jan 50, 5 Feb 30, 25 Mar 30, 10 May 20
//   c (social, $12):             3 Mar 40
//   d (no channel, $45):         1 Feb 10, 15 Feb 20
//   e (social):                  2 Jun 99
// Prospects: p1 (search, became a), p2 (search), p3 (social, referred by a), p4 (no channel, became e).
// Recommendations: b 9, c 10, d 6.
const setup = `
  CREATE TABLE retention_days (customer_id VARCHAR, day DATE, revenue DECIMAL(18, 2));
  INSERT INTO retention_days VALUES ('a', DATE '2024-01-05', 100), ('a', DATE '2024-02-10', 150), ('a', DATE '2024-04-20', 80),
    ('b', DATE '2024-01-20', 50), ('b', DATE '2024-02-05', 30), ('b', DATE '2024-03-25', 30), ('b', DATE '2024-05-10', 20),
    ('c', DATE '2024-03-03', 40), ('d', DATE '2024-02-01', 10), ('d', DATE '2024-02-15', 20), ('e', DATE '2024-06-02', 99);
  CREATE TABLE customer_summary (customer_id VARCHAR, acquisition_channel VARCHAR, acquisition_cost DECIMAL(18, 2));
  INSERT INTO customer_summary VALUES ('a', 'search', 30), ('b', 'search', NULL), ('c', 'social', 12), ('d', NULL, 45), ('e', 'social', NULL);
  CREATE TABLE canonical_prospects (prospect_id VARCHAR, first_contact_at TIMESTAMP, channel VARCHAR, converted_customer_id VARCHAR, referred_by VARCHAR);
  INSERT INTO canonical_prospects VALUES ('p1', TIMESTAMP '2024-01-01 09:00:00', 'search', 'a', NULL), ('p2', TIMESTAMP '2024-01-02 09:00:00', 'search', NULL, NULL),
    ('p3', TIMESTAMP '2024-03-01 09:00:00', 'social', NULL, 'a'), ('p4', TIMESTAMP '2024-05-01 09:00:00', NULL, 'e', NULL);
  CREATE TABLE canonical_feedback (customer_id VARCHAR, responded_at TIMESTAMP, nps INTEGER);
  INSERT INTO canonical_feedback VALUES ('b', TIMESTAMP '2024-02-06 09:00:00', 9), ('c', TIMESTAMP '2024-03-04 09:00:00', 10), ('d', TIMESTAMP '2024-02-16 09:00:00', 6)`;

const end = "2024-06-15"; // June is incomplete, so the last complete month is May
const social = {channel: "social"};

describe.skipIf(postgresMissing !== null)("the retention SQL on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(setup);
  }, 60_000);
  afterAll(() => engines?.stop());

  const same = (build: (dialect: Dialect) => string) => engines.agreed(build);

  it("growthAccountingSql: the same flows in every period, for everyone and for a channel", async () => {
    for (const period of periods)
      for (const f of [allCustomers, social]) await same((d) => growthAccountingSql(d, period, "2024-06-30", f));
    const months = await same((d) => growthAccountingSql(d, "month", end));
    // January is the data's first month: a and b were already customers, the level February starts from.
    // March: b retained, c new, a and d lost (150 + 30 of revenue); d's cost fell in Feb, a's in no month shown.
    expect(
      months.map((r) => [
        r.period,
        r.active,
        r.new,
        r.retained,
        r.reactivated,
        r.lost,
        r.lost_revenue,
        r.acquisition_spend
      ])
    ).toEqual([
      ["2024-02-01", "3", "1", "2", "0", "0", "0", "45"],
      ["2024-03-01", "2", "1", "1", "0", "2", "180", "12"],
      ["2024-04-01", "1", "0", "0", "1", "2", "70", "0"],
      ["2024-05-01", "1", "0", "0", "1", "1", "80", "0"]
    ]);
    // Weeks: from the first week that starts after January (5 February) to that of 27 May (e's Sunday 2
    // June), 17 weeks; c and e new once. d's first purchase (Thursday 1 February) falls in the week of 29
    // January, which straddles the first month's end and is not shown: d is new in no week.
    const weeks = await same((d) => growthAccountingSql(d, "week", end));
    expect([weeks[0]?.period, weeks.length, weeks.reduce((s, r) => s + Number(r.new), 0)]).toEqual([
      "2024-02-05",
      17,
      2
    ]);
  });

  it("bucketWindowSql: the same unique customers over a window, for everyone and for a channel", async () => {
    const spring = {from: "2024-03-01", to: "2024-06-01", months: 3};
    for (const f of [allCustomers, social]) await same((d) => bucketWindowSql(d, spring, f));
    const [row] = await same((d) => bucketWindowSql(d, spring));
    // Dec – Feb: a, b, d (Jan and Feb of data: 2 months). Mar – May: a, b retained, c new, d lost; c's $12.
    expect([
      row!.previous_months,
      row!.customers,
      row!.previous_active,
      row!.retained,
      row!.new,
      row!.reactivated,
      row!.lost,
      row!.acquisition_spend
    ]).toEqual(["2", "4", "3", "2", "1", "0", "1", "12"]);
    // May against April: a lost, b won back.
    const [may] = await same((d) => bucketWindowSql(d, {from: "2024-05-01", to: "2024-06-01", months: 1}));
    expect([may!.lost, may!.reactivated]).toEqual(["1", "1"]);
  });

  it("cohortSql: the same shares and revenue per customer for every grouping and period", async () => {
    for (const period of periods)
      for (const grouping of ["cohort", "year", "channel"] as const)
        for (const f of [allCustomers, social]) await same((d) => cohortSql(d, period, "2024-06-30", grouping, f));
    // Quarters: the first quarter's new customers c and d (40 + 30), neither back in the second; the
    // already customers a and b (250 + 110), both back in the second (a 80, b 20): 1 and 100 / 2 = 50.
    const quarters = await same((d) => cohortSql(d, "quarter", "2024-06-30", "cohort"));
    expect(quarters.map((r) => [r.group, r.age, r.customers, r.active, r.share, r.revenue_per_customer])).toEqual([
      ["2024-01-01", "0", "2", "2", "1", "35"],
      ["2024-01-01", "1", "2", "0", "0", "0"],
      ["2024-04-01", "0", "1", "1", "1", "99"],
      ["already customers", "0", "2", "2", "1", "180"],
      ["already customers", "1", "2", "2", "1", "50"]
    ]);
    // By year: 2024's cohorts are d (Feb) and c (Mar), age 3 seen for d only; a and b are the already customers.
    const years = await same((d) => cohortSql(d, "month", end, "year"));
    expect(years.map((r) => [r.group, r.age, r.customers, r.active])).toEqual([
      ["2024", "0", "2", "2"],
      ["2024", "1", "2", "0"],
      ["2024", "2", "2", "0"],
      ["2024", "3", "1", "0"],
      ["already customers", "0", "2", "2"],
      ["already customers", "1", "2", "2"],
      ["already customers", "2", "2", "1"],
      ["already customers", "3", "2", "1"],
      ["already customers", "4", "2", "1"]
    ]);
  });

  it("windowStatusSql: the same active, lapsed, lapsing and returning customers for any window", async () => {
    for (const period of periods)
      for (const window of [14, 30, 60])
        for (const f of [allCustomers, social]) await same((d) => windowStatusSql(d, period, end, window, f));
    const rows = await same((d) => windowStatusSql(d, "month", end, 30));
    expect(rows.map((r) => [r.period, r.last_day, r.active, r.lapsed, r.lapsing, r.returning])).toEqual([
      ["2024-01-01", "2024-01-31", "2", "0", "0", "0"],
      ["2024-02-01", "2024-02-29", "3", "0", "1", "1"],
      ["2024-03-01", "2024-03-31", "2", "2", "3", "1"],
      ["2024-04-01", "2024-04-30", "1", "3", "2", "1"],
      ["2024-05-01", "2024-05-31", "1", "3", "1", "1"]
    ]);
  });

  it("gapQuantileSql: the same R-7 quantile of the gaps 14 16 36 46 49 70", async () => {
    expect(await same((d) => gapQuantileSql(d, 0.5))).toEqual([{days: "41", gaps: "6"}]); // 36 + 0.5 × 10
    expect(await same((d) => gapQuantileSql(d, 0.9))).toEqual([{days: "60", gaps: "6"}]); // 49 + 0.5 × 21 = 59.5
  });

  it("customerStatesSql: the same states, reasons and P(active) at a month end and the one before", async () => {
    const rules = {inactivityDays: 30, lostDays: 60, k: 2, minPurchases: 3, minPAlive: 0.3};
    // At 31 May (as test/core/retentionSql.test.ts works it out): a lapsed (reactivated at 30 April), b reactivated
    // (lapsed then), c lost (lapsed then), d lost.
    const may = await same((d) => customerStatesSql(d, "2024-05-31", rules, null));
    expect(
      may.map((r) => [r.customer_id, r.previous_state, r.state, r.days_silent, r.usual_gap, r.value_at_risk])
    ).toEqual([
      ["a", "reactivated", "lapsed", "41", "53", "330"],
      ["b", "lapsed", "reactivated", "21", "37", "130"],
      ["c", "lapsed", "lost", "89", "", "40"],
      ["d", "lost", "lost", "106", "14", "30"]
    ]);
    // At 31 July, window 160 days: a silent 102 days, 1.9 × its usual gap of 53; b 82 days, 2.2 × 37; d 167 days,
    // lapsed; c (one purchase, 150 days) active; e, new in June, active. At 30 June a (71 days, under 1.5 × 53) and d
    // (136 days) were still active.
    const july = await same((d) =>
      customerStatesSql(d, "2024-07-31", {...rules, inactivityDays: 160, lostDays: 320, k: 1.5}, null)
    );
    expect(july.map((r) => [r.customer_id, r.previous_state, r.state, r.reason])).toEqual([
      ["a", "active", "at risk", "silent 1.9× their usual gap of 53 days"],
      ["b", "active", "at risk", "silent 2.2× their usual gap of 37 days"],
      ["c", "active", "active", ""],
      ["d", "active", "lapsed", "silent 167 days, past the 160-day inactivity window"],
      ["e", "new", "active", ""]
    ]);
    // The model's P(active), reckoned in SQL on each engine, and for one channel.
    const model = {r: 0.5, alpha: 5, a: 1.5, b: 1};
    const scored = await same((d) => customerStatesSql(d, "2024-05-31", {...rules, minPAlive: 0.5}, model));
    expect(scored.filter((r) => r.reason?.includes("P(active)")).length).toBeGreaterThan(0);
    await same((d) => customerStatesSql(d, "2024-05-31", rules, model, social));
  });

  it("ladderSql: the same steps per channel, with and without prospects and recommendations", async () => {
    for (const prospects of [true, false])
      for (const recommendations of [true, false]) await same((d) => ladderSql(d, {prospects, recommendations}));
    // search: p1, p2 and b (a became p1); social: p3 and c (e became p4); unknown: p4 and d.
    // Loyal at 4 purchase days: b, a promoter. Referrers: a. Promoters: b and c.
    expect(await same((d) => ladderSql(d, {prospects: true, recommendations: true}))).toEqual([
      {
        channel: "search",
        prospects: "3",
        buyers: "2",
        repeat_buyers: "2",
        loyal: "1",
        advocates: "1",
        referrers: "1",
        promoters: "1"
      },
      {
        channel: "social",
        prospects: "2",
        buyers: "2",
        repeat_buyers: "0",
        loyal: "0",
        advocates: "0",
        referrers: "0",
        promoters: "1"
      },
      {
        channel: "unknown",
        prospects: "2",
        buyers: "1",
        repeat_buyers: "1",
        loyal: "0",
        advocates: "0",
        referrers: "0",
        promoters: "0"
      }
    ]);
    // Loyal at 3: a joins b, and a referred p3.
    expect((await same((d) => ladderSql(d, {prospects: true, recommendations: false}, 3)))[0]).toEqual({
      channel: "search",
      prospects: "3",
      buyers: "2",
      repeat_buyers: "2",
      loyal: "2",
      advocates: "1",
      referrers: "1",
      promoters: ""
    });
  });

  it("ladderClimbsSql: each climb's month by rung, channel and cohort, or the month it was last seen in", async () => {
    const byKey = (rows: Record<string, string | undefined>[]) =>
      rows.map((r) => [r.step, r.channel, r.cohort, r.month, r.climbed, r.censored].join(" ")).sort();
    // Repeat buyer: a on 10 Feb (36 days after 5 Jan: month 1), b on 5 Feb (16 days: month 0), d on 15 Feb (month 0);
    // c (3 Mar, 104 days to 15 June: month 3) and e (2 Jun, 13 days: month 0) have not. Loyal at 4 purchase days: b on
    // 10 May (95 days after 5 Feb: month 3); a (126 days since 10 Feb) and d (121 since 15 Feb) not yet, month 4.
    // Advocate: b, loyal on 10 May, had answered 9 on 6 Feb: at once, month 0.
    expect(byKey(await same((d) => ladderClimbsSql(d, {prospects: true, recommendations: true}, end, null)))).toEqual([
      "advocate search 2024-01-01 0 1 0",
      "loyal search 2024-01-01 3 1 0",
      "loyal search 2024-01-01 4 0 1",
      "loyal unknown 2024-01-01 4 0 1",
      "repeat buyer search 2024-01-01 0 1 0",
      "repeat buyer search 2024-01-01 1 1 0",
      "repeat buyer social 2024-01-01 3 0 1",
      "repeat buyer social 2024-04-01 0 0 1",
      "repeat buyer unknown 2024-01-01 0 1 0"
    ]);
    // Loyal at 3, customers won from 1 Feb on (a and b were already customers), no advocacy data: c, d and e, as above;
    // d, with 2 purchase days, is not loyal at 3 either (121 days since 15 Feb: month 4).
    expect(
      byKey(await same((d) => ladderClimbsSql(d, {prospects: false, recommendations: false}, end, "2024-02-01", 3)))
    ).toEqual([
      "loyal unknown 2024-01-01 4 0 1",
      "repeat buyer social 2024-01-01 3 0 1",
      "repeat buyer social 2024-04-01 0 0 1",
      "repeat buyer unknown 2024-01-01 0 1 0"
    ]);
    // With referrals only and loyal at 3: a, loyal on 20 Apr, had referred p3 on 1 Mar: an advocate at once; b, loyal
    // on 25 Mar, referred nobody: not yet, 82 days to 15 June (month 2).
    expect(
      byKey(await same((d) => ladderClimbsSql(d, {prospects: true, recommendations: false}, end, null, 3))).filter(
        (row) => row.startsWith("advocate")
      )
    ).toEqual(["advocate search 2024-01-01 0 1 0", "advocate search 2024-01-01 2 0 1"]);
  });
});
