// Bonds: retention (cohortSql grouped by a bond) and value (bondValueSql) of holders and the
// others, on DuckDB and PostgreSQL over hand-made tables, and compareBonds' figures against
// the hand computation.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {compareBonds} from "../src/core/metrics/bonds.js";
import {bondValueSql} from "../src/core/sql/bondSql.js";
import {cohortSql} from "../src/core/sql/retentionSql.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

// Purchase days, January to June 2024 (June incomplete at 15 June: months January–May count):
//   a: Jan, Feb, Apr   b: Jan, Feb, Mar, May   c: Mar   d: Feb   e: Jun only (no complete month)
// Bonds: a and b are loyalty members (financial); c has the app (structural).
// CLV and P(active): a 100, 0.9; b 200, 0.7; c 50, 0.5; d 10, 0.2; e no CLV, 0.4.
const setup = `
  CREATE TABLE retention_days (customer_id VARCHAR, day DATE, revenue DECIMAL(18, 2));
  INSERT INTO retention_days VALUES ('a', DATE '2024-01-05', 100), ('a', DATE '2024-02-10', 150), ('a', DATE '2024-04-20', 80),
    ('b', DATE '2024-01-20', 50), ('b', DATE '2024-02-05', 30), ('b', DATE '2024-03-25', 30), ('b', DATE '2024-05-10', 20),
    ('c', DATE '2024-03-03', 40), ('d', DATE '2024-02-01', 10), ('e', DATE '2024-06-02', 99);
  CREATE TABLE customer_summary (customer_id VARCHAR, acquisition_channel VARCHAR);
  INSERT INTO customer_summary VALUES ('a', NULL), ('b', NULL), ('c', NULL), ('d', NULL), ('e', NULL);
  CREATE TABLE canonical_bonds (customer_id VARCHAR, bond VARCHAR, kind VARCHAR, held_since DATE);
  INSERT INTO canonical_bonds VALUES ('a', 'Loyalty member', 'financial', DATE '2024-01-05'), ('b', 'Loyalty member', 'financial', NULL),
    ('c', 'App account', 'structural', DATE '2024-03-03');
  CREATE TABLE customer_values (customer_id VARCHAR, clv DECIMAL(18, 2), p_alive DOUBLE PRECISION);
  INSERT INTO customer_values VALUES ('a', 100, 0.9), ('b', 200, 0.7), ('c', 50, 0.5), ('d', 10, 0.2), ('e', NULL, 0.4)`;

const end = "2024-06-15";
const declared = [
  {name: "Loyalty member", kind: "financial"},
  {name: "App account", kind: "structural"},
  {name: "Account manager", kind: "social"}
] as const;

describe.skipIf(postgresMissing !== null)(
  "bonds: retention and value with and without, on DuckDB and PostgreSQL",
  () => {
    let engines: BothEngines;
    beforeAll(async () => {
      engines = await bothEngines(setup);
    }, 60_000);
    afterAll(() => engines?.stop());

    it("cohortSql grouped by a bond: its holders' retention by age and the others'", async () => {
      const rows = await engines.agreed((d) => cohortSql(d, "month", end, {bond: "Loyalty member"}));
      // With (a, b, both from January, observed to May): ages 0–4 active a b | a b | b | a | b.
      // Without (c from March, d from February; e has no complete month): c seen to age 2, d to age 3, neither back.
      expect(rows.map((r) => [r.group, r.age, r.customers, r.active])).toEqual([
        ["with", "0", "2", "2"],
        ["with", "1", "2", "2"],
        ["with", "2", "2", "1"],
        ["with", "3", "2", "1"],
        ["with", "4", "2", "1"],
        ["without", "0", "2", "2"],
        ["without", "1", "2", "0"],
        ["without", "2", "2", "0"],
        ["without", "3", "1", "0"]
      ]);
    });

    it("bondValueSql and compareBonds: share holding, mean CLV and P(active) with their 95 % intervals", async () => {
      const values = await engines.agreed(() => bondValueSql("customer_values"));
      const retention = {
        "Loyalty member": await engines.agreed((d) => cohortSql(d, "month", end, {bond: "Loyalty member"}))
      };
      const [loyalty, app, manager] = compareBonds(declared, values, retention);
      // 2 of 5 hold it: Wilson (0.4 + 1.96²/10 ± 1.96 √(0.24/5 + 1.96²/100)) / (1 + 1.96²/5) = [0.1176, 0.7693].
      expect(loyalty!.holders.share).toBe(0.4);
      expect(loyalty!.holders.low).toBeCloseTo(0.1176, 4);
      expect(loyalty!.holders.high).toBeCloseTo(0.7693, 4);
      // With: CLV 100, 200 → mean 150, s = 70.711, ± 1.96 · 70.711/√2 = ± 98; P(active) 0.9, 0.7 → 0.8 ± 0.196.
      expect(loyalty!.with!.customers).toBe(2);
      expect(loyalty!.with!.clv.mean).toBeCloseTo(150, 9);
      expect(loyalty!.with!.clv.low).toBeCloseTo(52, 6);
      expect(loyalty!.with!.clv.high).toBeCloseTo(248, 6);
      expect(loyalty!.with!.pAlive.low).toBeCloseTo(0.604, 9);
      // Without: c, d, e; CLV of c and d only (50, 10) → 30 ± 1.96 · 28.284/√2 = ± 39.2;
      // P(active) 0.5, 0.2, 0.4 → 0.3667, s = 0.15275, ± 1.96 · 0.15275/√3 = ± 0.17286.
      expect(loyalty!.without!.customers).toBe(3);
      expect(loyalty!.without!.clv.n).toBe(2);
      expect(loyalty!.without!.clv.low).toBeCloseTo(-9.2, 6);
      expect(loyalty!.without!.pAlive.mean).toBeCloseTo(0.36667, 5);
      expect(loyalty!.without!.pAlive.high).toBeCloseTo(0.53952, 5);
      // Retention at age 1: 2 of 2 with (Wilson [0.3424, 1]), 0 of 2 without.
      expect(loyalty!.with!.retention[1]).toMatchObject({age: 1, k: 2, n: 2, share: 1});
      expect(loyalty!.with!.retention[1]!.low).toBeCloseTo(0.3424, 4);
      expect(loyalty!.without!.retention.map((p) => p.share)).toEqual([1, 0, 0, 0]);
      // One holder: a mean without an interval; the other four.
      expect([app!.with!.customers, app!.with!.clv.mean, app!.with!.clv.low, app!.without!.customers]).toEqual([
        1,
        50,
        NaN,
        4
      ]);
      // Declared but held by nobody: 0 of 5, nothing to compare.
      expect([manager!.holders.k, manager!.holders.n, manager!.with, manager!.without]).toEqual([0, 5, null, null]);
    });
  }
);
