// The satisfaction page's tables and queries, the profit page's per-customer profit and
// monthly trend, and the customer-equity page's counts, on DuckDB and PostgreSQL over the
// same small tables typed as each engine holds them (test/bothEngines.ts): the same rows on
// both, and a few figures worked by hand.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {schemas, sqlTypes} from "../loaders/canonical.js";
import {recentWindows} from "../src/core/sql/dataEdges.js";
import {grossMarginSql, recentActivitySql, trackingCountsSql} from "../src/core/sql/equitySql.js";
import {
  customerProfitSql,
  monthlyGrossProfitSql,
  noProfitFilter,
  type ProfitAssumptions
} from "../src/core/sql/profitSql.js";
import {
  deliveriesSql,
  deliveryLinkSql,
  gapCountsSql,
  importanceStatsSql,
  lateScoresSql,
  noSatisfactionFilter,
  responsesSql,
  satisfactionTables,
  type SatisfactionInputs
} from "../src/core/sql/satisfactionSql.js";
import type {Dialect} from "../src/core/sql/sqlDialect.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

const canonicalTable = (table: "feedback" | "prospects") =>
  `CREATE TABLE canonical_${table} (${schemas[table].map((f) => `${f.name} ${sqlTypes[f.type]}`).join(", ")})`;

// Customers a (search, home), b (social, office), c (no channel or segment) and z (email,
// home; monthly sums only in 2023). Observed until 2024-09-30.
// Survey responses ('overall' rows carry satisfaction and the 0–10 answer):
//   r1 a 01-10 about O1: reliability 6 → 5, empathy 4 → 5 (gap 0); 5, 9.
//   r2 b 02-05 about O2: reliability 6 → 7 (gap +1); 6, 3.   r3 b 02-20 about O3: 7, 10.
//   r4 a 03-01, no order: 2, 0.   r5 c 03-05 about O4: reliability 5 → 5.5 (gap +0.5); no satisfaction, 8.
//   r6 c 05-01 about O9: 4, 6 (152 days observed: 90 days followed, 180 not).
// Deliveries (perception = days early): d1 O1 a 01-08 2 late; d2 O2 b 02-01 early; O3 b in
// two parts, d3a 02-15 on time and d3b 02-18 3 late; d4 O4 b 03-01 1 late (r5 is c's: not
// linked); d5 O9 c 06-01 on time (121 days observed).
// Purchase days: a 01-05 $30, 03-01 $50, 06-01 $20; b 01-01 $40; c 03-20 $15.50, 07-01 $10.25.
// Prospects: a referred p1 (became x) and p2; c referred p4 (became y); p3 was not referred.
const setup = `${canonicalTable("feedback")};
INSERT INTO canonical_feedback (response_id, order_id, customer_id, responded_at, dimension, expectation, perception, satisfaction, nps) VALUES
  ('r1', 'O1', 'a', TIMESTAMP '2024-01-10 09:30:00', 'reliability', 6, 5, NULL, NULL),
  ('r1', 'O1', 'a', TIMESTAMP '2024-01-10 09:30:00', 'empathy', 4, 5, NULL, NULL),
  ('r1', 'O1', 'a', TIMESTAMP '2024-01-10 09:30:00', 'overall', NULL, NULL, 5, 9),
  ('r2', 'O2', 'b', TIMESTAMP '2024-02-05 12:00:00', 'reliability', 6, 7, NULL, NULL),
  ('r2', 'O2', 'b', TIMESTAMP '2024-02-05 12:00:00', 'overall', NULL, NULL, 6, 3),
  ('r3', 'O3', 'b', TIMESTAMP '2024-02-20 08:00:00', 'overall', NULL, NULL, 7, 10),
  ('r4', NULL, 'a', TIMESTAMP '2024-03-01 10:00:00', 'overall', NULL, NULL, 2, 0),
  ('r5', 'O4', 'c', TIMESTAMP '2024-03-05 10:00:00', 'reliability', 5, 5.5, NULL, NULL),
  ('r5', 'O4', 'c', TIMESTAMP '2024-03-05 10:00:00', 'overall', NULL, NULL, NULL, 8),
  ('r6', 'O9', 'c', TIMESTAMP '2024-05-01 23:59:00', 'overall', NULL, NULL, 4, 6),
  ('d1', 'O1', 'a', TIMESTAMP '2024-01-08 00:00:00', 'delivery', 0, -2, NULL, NULL),
  ('d2', 'O2', 'b', TIMESTAMP '2024-02-01 00:00:00', 'delivery', 0, 1, NULL, NULL),
  ('d3a', 'O3', 'b', TIMESTAMP '2024-02-15 00:00:00', 'delivery', 0, 0, NULL, NULL),
  ('d3b', 'O3', 'b', TIMESTAMP '2024-02-18 00:00:00', 'delivery', 0, -3, NULL, NULL),
  ('d4', 'O4', 'b', TIMESTAMP '2024-03-01 00:00:00', 'delivery', 0, -1, NULL, NULL),
  ('d5', 'O9', 'c', TIMESTAMP '2024-06-01 00:00:00', 'delivery', 0, 0, NULL, NULL);
${canonicalTable("prospects")};
INSERT INTO canonical_prospects (prospect_id, first_contact_at, converted_customer_id, referred_by) VALUES
  ('p1', TIMESTAMP '2024-01-02 00:00:00', 'x', 'a'), ('p2', TIMESTAMP '2024-01-03 00:00:00', NULL, 'a'),
  ('p3', TIMESTAMP '2024-01-04 00:00:00', NULL, NULL), ('p4', TIMESTAMP '2024-02-01 00:00:00', 'y', 'c');
CREATE TABLE retention_days (customer_id VARCHAR, day DATE, revenue DECIMAL(18, 2));
INSERT INTO retention_days VALUES
  ('a', DATE '2024-01-05', 30), ('a', DATE '2024-03-01', 50), ('a', DATE '2024-06-01', 20),
  ('b', DATE '2024-01-01', 40), ('c', DATE '2024-03-20', 15.5), ('c', DATE '2024-07-01', 10.25);
CREATE TABLE customer_summary (customer_id VARCHAR, first_seen DATE, acquisition_channel VARCHAR, acquisition_cost DECIMAL(18, 2), segment VARCHAR,
  service_contacts INTEGER, first_purchase DATE, last_purchase DATE, purchase_days INTEGER, frequency INTEGER, recency_days INTEGER, tenure_days INTEGER,
  monetary_value DECIMAL(18, 2), revenue DECIMAL(18, 2), returned_revenue DECIMAL(18, 2), returns INTEGER, cost DECIMAL(18, 2), profit DECIMAL(18, 2));
INSERT INTO customer_summary (customer_id, acquisition_channel, acquisition_cost, segment, service_contacts, first_purchase, frequency, recency_days, tenure_days) VALUES
  ('a', 'search', 30, 'home', 2, DATE '2024-01-05', 2, 40, 60),
  ('b', 'social', NULL, 'office', NULL, DATE '2024-01-01', 0, 0, 30),
  ('c', NULL, 12.5, NULL, 3, DATE '2024-03-20', 1, 103, 194),
  ('z', 'email', 5, 'home', 0, DATE '2023-01-10', 10, 300, 600);
CREATE TABLE customer_months (customer_id VARCHAR, month VARCHAR, orders INTEGER, returns INTEGER, revenue DECIMAL(18, 2), known_cost DECIMAL(18, 2), revenue_without_cost DECIMAL(18, 2));
INSERT INTO customer_months VALUES
  ('a', '2024-01', 2, 0, 100, 60, 0), ('a', '2024-02', 1, 1, 50, 18, 20), ('b', '2024-02', 1, 0, 40, 0, 40), ('c', '2024-03', 1, 0, 10, 9, 0),
  ${Array.from({length: 11}, (_, i) => `('z', '2023-${String(i + 1).padStart(2, "0")}', 1, 0, 1, 0.5, 0)`).join(", ")}`;

const inputs: SatisfactionInputs = {feedback: true, prospects: true, observationEnd: "2024-09-30"};
/** A page query over the page's tables, each computed by its own query (as CTEs). */
const overTables =
  (page: (dialect: Dialect) => string, tableInputs = inputs) =>
  (dialect: Dialect) =>
    `WITH ${satisfactionTables(tableInputs)
      .map((t) => `${t.name} AS (${t.select(dialect)})`)
      .join(",\n")}\n${page(dialect)}`;

describe.skipIf(postgresMissing !== null)(
  "the satisfaction, profit and customer-equity SQL on DuckDB and PostgreSQL",
  () => {
    let engines: BothEngines;
    beforeAll(async () => {
      engines = await bothEngines(setup);
    }, 60_000);
    afterAll(() => engines?.stop());

    const rows = (build: (dialect: Dialect) => string) => engines.agreed(build);
    const pick = (table: Record<string, string | undefined>[], columns: string[]) =>
      table.map((row) => columns.map((c) => row[c]));

    it("builds the page's tables alike, with the same rows in the same order", async () => {
      for (const table of satisfactionTables(inputs)) await rows((d) => table.select(d));
      const responses = await rows((d) =>
        satisfactionTables(inputs)
          .find((t) => t.name === "satisfaction_responses")!
          .select(d)
      );
      expect(
        pick(responses, [
          "customer_id",
          "month",
          "channel",
          "segment",
          "gap",
          "satisfaction",
          "nps",
          "bought_90",
          "bought_180",
          "spend_180"
        ])
      ).toEqual([
        // a after r1: $50 on 03-01 (within 90 days) and $20 on 06-01 (within 180).
        ["a", "2024-01", "search", "home", "0", "5", "9", "true", "true", "70"],
        // a after r4 (03-01): 06-01 is 92 days later.
        ["a", "2024-03", "search", "home", "", "2", "0", "false", "true", "20"],
        ["b", "2024-02", "social", "office", "1", "6", "3", "false", "false", "0"],
        ["b", "2024-02", "social", "office", "", "7", "10", "false", "false", "0"],
        ["c", "2024-03", "", "", "0.5", "", "8", "true", "true", "25.75"],
        // r6 on 05-01: 152 days observed, so no 180-day figures.
        ["c", "2024-05", "", "", "", "4", "6", "true", "", ""]
      ]);
    });

    it("gives the page's queries alike, unfiltered and filtered", async () => {
      const filters = [
        noSatisfactionFilter,
        {...noSatisfactionFilter, channel: "search"},
        {...noSatisfactionFilter, from: "2024-02", to: "2024-03"},
        {...noSatisfactionFilter, segment: "office"}
      ];
      for (const f of filters)
        for (const page of [gapCountsSql, importanceStatsSql, responsesSql, deliveriesSql, lateScoresSql])
          await rows(overTables((d) => page(d, f)));
      const importance = await rows(overTables((d) => importanceStatsSql(d)));
      // reliability: perceptions 5 and 7 against satisfaction 5 and 6 (r5 has none); empathy: 5 against 5.
      expect(pick(importance, ["dimension", "n", "sum_p", "sum_s", "sum_pp", "sum_ss", "sum_ps"])).toEqual([
        ["empathy", "1", "5", "5", "25", "25", "25"],
        ["reliability", "2", "12", "11", "74", "61", "67"]
      ]);
      // On time: d2 and d3a (b never bought again) and d5 (c bought on 07-01; only 121 days observed).
      expect(
        pick(await rows(overTables((d) => deliveriesSql(d))), [
          "days_late",
          "n",
          "followed_90",
          "bought_90",
          "followed_180",
          "bought_180"
        ])
      ).toEqual([
        ["0", "3", "3", "1", "2", "0"],
        ["1", "1", "1", "0", "1", "0"],
        ["2", "1", "1", "1", "1", "1"],
        ["3", "1", "1", "0", "1", "0"]
      ]);
      // r1 with O1 (2 late), r2 with O2 (early), r3 with O3 (its last part 3 late), r6 with O9; r5's O4 went to b.
      expect(pick(await rows(overTables((d) => lateScoresSql(d))), ["days_late", "satisfaction", "nps", "n"])).toEqual([
        ["0", "4", "6", "1"],
        ["0", "6", "3", "1"],
        ["2", "5", "9", "1"],
        ["3", "7", "10", "1"]
      ]);
      expect(
        pick(
          await rows(overTables((d) => gapCountsSql(d, {...noSatisfactionFilter, from: "2024-02", to: "2024-03"}))),
          ["dimension", "expectation", "perception", "n"]
        )
      ).toEqual([
        ["delivery", "0", "-3", "1"],
        ["delivery", "0", "-1", "1"],
        ["delivery", "0", "0", "1"],
        ["delivery", "0", "1", "1"],
        ["reliability", "5", "5.5", "1"],
        ["reliability", "6", "7", "1"]
      ]);
      // Six scored responses, five with an order id (not r4), six delivery rows, four linked.
      expect(await rows(overTables((d) => deliveryLinkSql(d, inputs)))).toEqual([
        {responses: "6", with_order: "5", deliveries: "6", linked: "4"}
      ]);
      const referrals = await rows((d) =>
        satisfactionTables(inputs)
          .find((t) => t.name === "satisfaction_referrals")!
          .select(d)
      );
      expect(
        pick(referrals, [
          "month",
          "customer_id",
          "channel",
          "segment",
          "referred_customer_id",
          "referrals",
          "converted"
        ])
      ).toEqual([
        ["2024-01", "a", "search", "home", "x", "1", "1"],
        ["2024-01", "a", "search", "home", "", "1", "0"],
        ["2024-02", "c", "", "", "y", "1", "1"]
      ]);
    });

    it("gives empty tables alike where the source has no feedback or prospects", async () => {
      const none = {...inputs, feedback: false, prospects: false};
      for (const table of satisfactionTables(none)) expect(await rows((d) => table.select(d))).toEqual([]);
      expect(await rows(overTables((d) => deliveryLinkSql(d, none), none))).toEqual([
        {responses: "0", with_order: "0", deliveries: "0", linked: "0"}
      ]);
    });

    const assumptions: ProfitAssumptions = {
      marginRate: 0.25,
      perOrder: 1,
      perReturn: 5,
      perContact: 8,
      includeAcquisition: false
    };

    it("charges profit per customer alike, rounding halves away from zero on both", async () => {
      // a: revenue 150, cost 60 + 18 + 20 × 0.75 = 93 → gross 57; serve 3 + 5 + 2 × 8 = 24 → 33. b: 40 − 30 − 1 = 9.
      // c: 10 − 9 − (1 + 3 × 8) = −24. z: 11 − 5.5 − 11 = −5.5.
      expect(
        pick(await rows((d) => customerProfitSql(d, assumptions)), [
          "customer_id",
          "acquisition_channel",
          "gross_profit",
          "cost_to_serve",
          "profit"
        ])
      ).toEqual([
        ["a", "search", "57", "24", "33"],
        ["b", "social", "10", "1", "9"],
        ["z", "email", "5.5", "11", "-5.5"],
        ["c", "", "1", "25", "-24"]
      ]);
      // $0.125 an order and acquisition charged: a serves 21.375 → 21.38 and makes 57 − 21.375 − 30 = 5.625 → 5.63;
      // c: 1 − 24.125 − 12.5 = −35.625 → −35.63.
      const charged = await rows((d) =>
        customerProfitSql(d, {...assumptions, perOrder: 0.125, includeAcquisition: true})
      );
      expect(pick(charged, ["customer_id", "cost_to_serve", "acquisition_cost", "profit"])).toEqual([
        ["b", "0.13", "0", "9.88"],
        ["a", "21.38", "30", "5.63"],
        ["z", "1.38", "5", "-0.88"],
        ["c", "24.13", "12.5", "-35.63"]
      ]);
      // February, home segment: a's 50 − (18 + 20 × 0.75) − (1 + 5 + 16) = −5.
      expect(
        pick(
          await rows((d) => customerProfitSql(d, assumptions, {...noProfitFilter, from: "2024-02", segment: "home"})),
          ["customer_id", "profit"]
        )
      ).toEqual([["a", "-5"]]);
      await rows((d) =>
        customerProfitSql(d, {...assumptions, marginRate: 0.4}, {...noProfitFilter, to: "2024-01", channel: "search"})
      );
    });

    it("sums gross profit by month over the last twelve complete months, and the margin to a tenth of a percent", async () => {
      // Months with sales: 2023-01 … 2023-11 (z: 0.5 each), 2024-01 (a: 100 − 60), 2024-02 (90 − 18 − 60 × 0.75), 2024-03 (c: 10 − 9).
      // To 2024-09-30 the last twelve complete months are Oct 2023 – Sep 2024.
      const trend = await rows((d) => monthlyGrossProfitSql(d, 0.25, recentWindows("2023-01-10", "2024-09-30").year));
      expect(pick(trend, ["month", "profit"])).toEqual([
        ["2023-10", "0.5"],
        ["2023-11", "0.5"],
        ["2024-01", "40"],
        ["2024-02", "27"],
        ["2024-03", "1"]
      ]);
      // To 2024-03-15 March is incomplete and left out: Mar 2023 – Feb 2024.
      const march = await rows((d) => monthlyGrossProfitSql(d, 0.25, recentWindows("2023-01-10", "2024-03-15").year));
      expect(pick(march, ["month", "profit"])).toEqual([
        ...Array.from({length: 9}, (_, i) => [`2023-${String(i + 3).padStart(2, "0")}`, "0.5"]),
        ["2024-01", "40"],
        ["2024-02", "27"]
      ]);
      // Revenue 211; gross 40 + 27 + 1 + 5.5 = 73.5 → 0.348; at a 50 % margin February makes 42: 88.5 / 211 → 0.419.
      expect(await rows((d) => grossMarginSql(d, 0.25))).toEqual([{margin: "0.348"}]);
      expect(await rows((d) => grossMarginSql(d, 0.5))).toEqual([{margin: "0.419"}]);
    });

    it("counts the tracking plot's repeat purchases by week and acquisitions by day", async () => {
      // Acquired before 03-15: b on day 0 and a on day 4; a bought again on day 60 (week 8) and 152 (week 21).
      expect(
        pick(await rows((d) => trackingCountsSql(d, "2024-01-01", "2024-03-15")), ["kind", "period", "n"])
      ).toEqual([
        ["acquired", "0", "1"],
        ["acquired", "4", "1"],
        ["repeats", "0", "0"],
        ["repeats", "8", "1"],
        ["repeats", "21", "1"]
      ]);
      // Before 04-01 c too: first on day 79 (week 11), again on day 182 (week 26).
      const later = await rows((d) => trackingCountsSql(d, "2024-01-01", "2024-04-01"));
      expect(pick(later, ["kind", "period", "n"]).filter(([kind]) => kind === "acquired")).toEqual([
        ["acquired", "0", "1"],
        ["acquired", "4", "1"],
        ["acquired", "79", "1"]
      ]);
      expect(later.filter((r) => r.kind === "repeats").map((r) => r.period)).toEqual(["0", "8", "11", "21", "26"]);
    });

    it("takes the recent windows' activity, leaving the data's first month out of the customers won", async () => {
      // The data start on 2023-01-10 (z's first purchase), so January 2023 is the data's first month.
      // To 2024-09-30: 21 complete months (Jan 2023 – Sep 2024). The year is Oct 2023 – Sep 2024: a, b, c
      // won in it (costs 30, none, 12.5). Retention over 10 months: z bought in Feb – Nov 2023, nobody of them
      // in Dec 2023 – Sep 2024, when a, b and c bought 150 + 40 + 10.
      const september = recentWindows("2023-01-10", "2024-09-30");
      expect(await rows((d) => recentActivitySql(d, september))).toEqual([
        {acquired: "3", cac: "21.25", previous: "1", retained: "0", active: "3", revenue: "200"}
      ]);
      // To 2024-02-15: February is incomplete, so the year is Feb 2023 – Jan 2024: a and b won (c's first purchase
      // is later). Retention over 6 months: z in Feb – Jul 2023, and again in Aug – Nov (4 × 1), a in January (100).
      const february = recentWindows("2023-01-10", "2024-02-15");
      expect(await rows((d) => recentActivitySql(d, february))).toEqual([
        {acquired: "2", cac: "30", previous: "1", retained: "1", active: "2", revenue: "104"}
      ]);
    });
  }
);
