import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {localDerivations} from "../../loaders/source/derived.js";
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import {
  acquisitionValueSql,
  deliveriesSql,
  deliveryLinkSql,
  gapCountsSql,
  importanceStatsSql,
  lateScoresSql,
  noSatisfactionFilter,
  referrersSql,
  responsesSql,
  satisfactionTables
} from "../../src/core/sql/satisfactionSql.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";

// Customer a (search, home) answered on 2024-01-10: reliability expected 6 perceived 5,
// empathy 4 → 5, satisfaction 5, recommend 9; a delivery on 2024-01-08 arrived 2 days
// late; a bought on 2024-03-01 ($50) and 2024-06-01 ($20). Customer b (social, office)
// answered on 2024-02-05: reliability 6 → 7, satisfaction 6, recommend 3; a delivery on
// 2024-06-01 came a day early; b bought only on 2024-01-01 and returned a line on
// 2024-03-01. a referred two prospects: p1 (first contacted 2024-01-02) became customer x
// (referral, home), p2 (2024-02-03) did not; p3 names no referrer. The equity page's
// customer_clv: a cost $30, margin $40.50, CLV $100; b no cost, margin $10, no CLV; x cost
// $12, margin $20, CLV $80. Observed until 2024-09-30.
// r1 is about order O1, the one delivered late; r2 is about O2, which has no delivery row
// (d2 is order O3).
const feedbackTable = (rows: string) => `
  CREATE OR REPLACE TABLE canonical_feedback AS SELECT response_id, order_id, customer_id, responded_at::TIMESTAMP AS responded_at, dimension, expectation::DOUBLE AS expectation, perception::DOUBLE AS perception, satisfaction::DOUBLE AS satisfaction, nps::INTEGER AS nps FROM (VALUES
    ${rows}
  ) AS t(response_id, order_id, customer_id, responded_at, dimension, expectation, perception, satisfaction, nps);`;
const setup = `${feedbackTable(`('r1', 'O1', 'a', '2024-01-10', 'reliability', 6, 5, NULL, NULL),
    ('r1', 'O1', 'a', '2024-01-10', 'empathy', 4, 5, NULL, NULL),
    ('r1', 'O1', 'a', '2024-01-10', 'overall', NULL, NULL, 5, 9),
    ('r2', 'O2', 'b', '2024-02-05', 'reliability', 6, 7, NULL, NULL),
    ('r2', 'O2', 'b', '2024-02-05', 'overall', NULL, NULL, 6, 3),
    ('d1', 'O1', 'a', '2024-01-08', 'delivery', 0, -2, NULL, NULL),
    ('d2', 'O3', 'b', '2024-06-01', 'delivery', 0, 1, NULL, NULL)`)}
  CREATE TABLE canonical_transactions AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue,
    NULL::VARCHAR AS order_id, NULL::VARCHAR AS product FROM (VALUES
    ('a', '2024-01-05 10:00:00', 30), ('a', '2024-03-01 09:00:00', 50), ('a', '2024-06-01 09:00:00', 20),
    ('b', '2024-01-01 12:00:00', 40), ('b', '2024-03-01 12:00:00', -10)
  ) AS t(customer_id, occurred_at, revenue);
  CREATE TABLE retention_days AS ${purchaseDaysSql()};
  CREATE TABLE customer_summary AS SELECT customer_id, acquisition_channel, segment, first_purchase::DATE AS first_purchase FROM (VALUES
    ('a', 'search', 'home', '2024-01-05'), ('b', 'social', 'office', '2024-01-01'), ('x', 'referral', 'home', '2024-01-20')
  ) AS t(customer_id, acquisition_channel, segment, first_purchase);
  CREATE TABLE customer_clv AS SELECT * FROM (VALUES ('a', 30, 40.5, 100), ('b', NULL, 10, NULL), ('x', 12, 20, 80)) AS t(customer_id, acquisition_cost, margin_to_date, clv);
  CREATE TABLE canonical_prospects AS SELECT prospect_id, first_contact_at::TIMESTAMP AS first_contact_at, converted_customer_id, referred_by FROM (VALUES
    ('p1', '2024-01-02', 'x', 'a'), ('p2', '2024-02-03', NULL, 'a'), ('p3', '2024-01-04', NULL, NULL)
  ) AS t(prospect_id, first_contact_at, converted_customer_id, referred_by)`;

const run = (inputs: {feedback: boolean; prospects: boolean}, queries: string[], feedbackRows?: string) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    if (feedbackRows) await connection.run(feedbackTable(feedbackRows));
    const derived = localDerivations(connection);
    for (const table of satisfactionTables({...inputs, observationEnd: "2024-09-30"}))
      await derived.derive(table.name, table.select, {what: table.name, order: "ALL"});
    const results: Record<string, unknown>[][] = [];
    for (const sql of queries) results.push(await queryRows(connection, sql));
    return results;
  });

describe("satisfactionTables(inputs) and the page's queries", () => {
  it("follows each response: mean gap, NPS answer, buying again within 90 and 180 days (returns excluded), spend", async () => {
    const [responses] = await run({feedback: true, prospects: true}, [responsesSql(duckdb)]);
    expect(responses).toEqual([
      // a: gaps −1 and +1 → 0; bought on 03-01 (within 90 days) and 06-01 (within 180): $70.
      {
        customer_id: "a",
        month: "2024-01",
        day: "2024-01-10",
        channel: "search",
        segment: "home",
        gap: 0,
        satisfaction: 5,
        nps: 9,
        bought_90: true,
        bought_180: true,
        spend_180: 70
      },
      // b: gap +1; only a return afterwards, which is no purchase.
      {
        customer_id: "b",
        month: "2024-02",
        day: "2024-02-05",
        channel: "social",
        segment: "office",
        gap: 1,
        satisfaction: 6,
        nps: 3,
        bought_90: false,
        bought_180: false,
        spend_180: 0
      }
    ]);
  });

  it("counts answers per dimension and score pair, and filters months, channel and segment", async () => {
    const [all, search, fromFebruary, cafe] = await run({feedback: true, prospects: true}, [
      gapCountsSql(duckdb),
      gapCountsSql(duckdb, {...noSatisfactionFilter, channel: "search"}),
      gapCountsSql(duckdb, {...noSatisfactionFilter, from: "2024-02", to: "2024-05"}),
      gapCountsSql(duckdb, {...noSatisfactionFilter, segment: "café"})
    ]);
    expect(all).toHaveLength(5);
    expect(search).toEqual([
      {dimension: "delivery", expectation: 0, perception: -2, n: 1},
      {dimension: "empathy", expectation: 4, perception: 5, n: 1},
      {dimension: "reliability", expectation: 6, perception: 5, n: 1}
    ]);
    expect(fromFebruary).toEqual([{dimension: "reliability", expectation: 6, perception: 7, n: 1}]);
    expect(cafe).toEqual([]);
  });

  it("sums perception against overall satisfaction per dimension for the importance grid", async () => {
    const [stats] = await run({feedback: true, prospects: true}, [importanceStatsSql(duckdb)]);
    // reliability: (5, 5) and (7, 6); empathy: (5, 5). delivery has no overall score and is left out.
    expect(stats).toEqual([
      {dimension: "empathy", n: 1, sum_p: 5, sum_s: 5, sum_pp: 25, sum_ss: 25, sum_ps: 25},
      {dimension: "reliability", n: 2, sum_p: 12, sum_s: 11, sum_pp: 74, sum_ss: 61, sum_ps: 67}
    ]);
  });

  it("follows deliveries by days late only as far as the observation reaches", async () => {
    const [deliveries, referrals] = await run({feedback: true, prospects: true}, [
      deliveriesSql(duckdb),
      "SELECT * FROM satisfaction_referrals"
    ]);
    // d2 on 2024-06-01: 121 days observed, so it counts for 90 days but not for 180.
    expect(deliveries).toEqual([
      {days_late: 0, n: 1, followed_90: 1, bought_90: 0, followed_180: 0, bought_180: 0},
      {days_late: 2, n: 1, followed_90: 1, bought_90: 1, followed_180: 1, bought_180: 1}
    ]);
    expect(referrals).toEqual([
      {
        month: "2024-01",
        customer_id: "a",
        channel: "search",
        segment: "home",
        referred_customer_id: "x",
        referrals: 1,
        converted: 1
      },
      {
        month: "2024-02",
        customer_id: "a",
        channel: "search",
        segment: "home",
        referred_customer_id: null,
        referrals: 1,
        converted: 0
      }
    ]);
  });

  it("counts each referrer's prospects in the filter's months, channel and segment (the referrer's)", async () => {
    const [all, fromFebruary, social] = await run({feedback: true, prospects: true}, [
      referrersSql(duckdb),
      referrersSql(duckdb, {...noSatisfactionFilter, from: "2024-02"}),
      referrersSql(duckdb, {...noSatisfactionFilter, channel: "social"})
    ]);
    expect(all).toEqual([{customer_id: "a", referrals: 2, converted: 1}]);
    expect(fromFebruary).toEqual([{customer_id: "a", referrals: 1, converted: 0}]);
    expect(social).toEqual([]);
  });

  it("sums cost, margin, CLV and equity of referred customers and of each other channel's, filtered", async () => {
    const [all, home, social, fromFebruary] = await run({feedback: true, prospects: true}, [
      acquisitionValueSql(duckdb),
      acquisitionValueSql(duckdb, {...noSatisfactionFilter, segment: "home"}),
      acquisitionValueSql(duckdb, {...noSatisfactionFilter, channel: "social"}),
      acquisitionValueSql(duckdb, {...noSatisfactionFilter, from: "2024-02"})
    ]);
    // x was referred (by a, search, home): $12, margin 20 + CLV 80 = equity 100. a (search): 40.5 + 100 = 140.5.
    // b (social): no cost and no CLV, margin 10. x is not counted again under its channel, referral.
    const referred = {
      referred: true,
      channel: null,
      customers: 1,
      costed: 1,
      cost_sum: 12,
      margin_sum: 20,
      valued: 1,
      clv_sum: 80,
      equity_sum: 100,
      equity_squares: 10_000
    };
    const search = {
      referred: false,
      channel: "search",
      customers: 1,
      costed: 1,
      cost_sum: 30,
      margin_sum: 40.5,
      valued: 1,
      clv_sum: 100,
      equity_sum: 140.5,
      equity_squares: 140.5 ** 2
    };
    const socialRow = {
      referred: false,
      channel: "social",
      customers: 1,
      costed: 0,
      cost_sum: null,
      margin_sum: 10,
      valued: 0,
      clv_sum: null,
      equity_sum: null,
      equity_squares: null
    };
    expect(all).toEqual([referred, search, socialRow]);
    expect(home).toEqual([referred, search]);
    // Social referrers referred nobody; no customer bought first from February, and p2 (February) did not convert.
    expect(social).toEqual([socialRow]);
    expect(fromFebruary).toEqual([]);
  });

  it("gives empty tables with the same columns where the source has no feedback or prospects", async () => {
    const [responses, counts, referrals, late, link] = await run({feedback: false, prospects: false}, [
      responsesSql(duckdb),
      gapCountsSql(duckdb),
      "SELECT * FROM satisfaction_referrals",
      lateScoresSql(duckdb),
      deliveryLinkSql(duckdb, {feedback: false})
    ]);
    expect([responses, counts, referrals, late]).toEqual([[], [], [], []]);
    expect(link).toEqual([{responses: 0, with_order: 0, deliveries: 0, linked: 0}]);
  });

  // Responses (their 'overall' rows) and deliveries of orders O1–O7: a (search, home), b (social, office).
  // r1 and r7: a's orders O1 and O6, each 2 days late (perception −2), satisfaction 5, recommend 9, both in January.
  // r2: b's O2, a day early → 0 days late; satisfaction 6, recommend 3.
  // r3: b's O3, delivered in two parts, on time and 3 days late → 3 days late; 7, 10.
  // r4: a's, no order id → not linked. r5: a's order O4, but O4's delivery is b's → not linked.
  // r6: a's O5, 2 days late, in April; 4, 6. r8: b's O7, on time; recommend 8 and no satisfaction.
  const linked = `('r1', 'O1', 'a', '2024-01-10', 'reliability', 6, 5, NULL, NULL),
    ('r1', 'O1', 'a', '2024-01-10', 'overall', NULL, NULL, 5, 9),
    ('d1', 'O1', 'a', '2024-01-08', 'delivery', 0, -2, NULL, NULL),
    ('r7', 'O6', 'a', '2024-01-20', 'overall', NULL, NULL, 5, 9),
    ('d6', 'O6', 'a', '2024-01-18', 'delivery', 0, -2, NULL, NULL),
    ('r2', 'O2', 'b', '2024-02-05', 'overall', NULL, NULL, 6, 3),
    ('d2', 'O2', 'b', '2024-02-01', 'delivery', 0, 1, NULL, NULL),
    ('r3', 'O3', 'b', '2024-02-20', 'overall', NULL, NULL, 7, 10),
    ('d3a', 'O3', 'b', '2024-02-15', 'delivery', 0, 0, NULL, NULL),
    ('d3b', 'O3', 'b', '2024-02-18', 'delivery', 0, -3, NULL, NULL),
    ('r4', NULL, 'a', '2024-03-01', 'overall', NULL, NULL, 2, 0),
    ('r5', 'O4', 'a', '2024-03-05', 'overall', NULL, NULL, 3, NULL),
    ('d4', 'O4', 'b', '2024-03-01', 'delivery', 0, -1, NULL, NULL),
    ('r6', 'O5', 'a', '2024-04-10', 'overall', NULL, NULL, 4, 6),
    ('d5', 'O5', 'a', '2024-04-08', 'delivery', 0, -2, NULL, NULL),
    ('r8', 'O7', 'b', '2024-05-02', 'overall', NULL, NULL, NULL, 8),
    ('d7', 'O7', 'b', '2024-05-01', 'delivery', 0, 0, NULL, NULL)`;

  it("pairs a response's overall scores with the delivery of the same order and customer, by days late", async () => {
    const [all, home, fromFebruary, link] = await run(
      {feedback: true, prospects: true},
      [
        lateScoresSql(duckdb),
        lateScoresSql(duckdb, {...noSatisfactionFilter, segment: "home"}),
        lateScoresSql(duckdb, {...noSatisfactionFilter, from: "2024-02"}),
        deliveryLinkSql(duckdb, {feedback: true})
      ],
      linked
    );
    expect(all).toEqual([
      {days_late: 0, satisfaction: 6, nps: 3, n: 1}, // r2
      {days_late: 0, satisfaction: null, nps: 8, n: 1}, // r8
      {days_late: 2, satisfaction: 4, nps: 6, n: 1}, // r6
      {days_late: 2, satisfaction: 5, nps: 9, n: 2}, // r1, r7
      {days_late: 3, satisfaction: 7, nps: 10, n: 1} // r3
    ]);
    expect(home).toEqual([
      {days_late: 2, satisfaction: 4, nps: 6, n: 1},
      {days_late: 2, satisfaction: 5, nps: 9, n: 2}
    ]);
    // By the month of the response: r1 and r7 (January) drop out.
    expect(fromFebruary).toEqual([
      {days_late: 0, satisfaction: 6, nps: 3, n: 1},
      {days_late: 0, satisfaction: null, nps: 8, n: 1},
      {days_late: 2, satisfaction: 4, nps: 6, n: 1},
      {days_late: 3, satisfaction: 7, nps: 10, n: 1}
    ]);
    // 8 scored responses, 7 with an order id (not r4), 8 delivery rows, 6 paired (not r4, r5).
    expect(link).toEqual([{responses: 8, with_order: 7, deliveries: 8, linked: 6}]);
  });

  it("refuses a month that is not YYYY-MM and quotes names", () => {
    expect(() => gapCountsSql(duckdb, {...noSatisfactionFilter, from: "2024-01' OR 1=1 --"})).toThrow(/not a month/);
    expect(responsesSql(duckdb, {...noSatisfactionFilter, channel: "o'brien"})).toContain("channel = 'o''brien'");
    expect(() => satisfactionTables({feedback: true, prospects: true, observationEnd: "soon"})).toThrow(/not a date/);
  });
});
