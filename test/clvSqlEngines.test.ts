// The customer-equity fits' aggregates (src/core/sql/clvSql.ts) on DuckDB and PostgreSQL over a
// hand-made set of purchase days (test/bothEngines.ts): the same rows on both engines, and the
// distinct (x, t_x, T, holdout) with their customers that the holdout scorecard needs, worked out by hand;
// and the overdue flag the per-customer CSVs compute from the same summary.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {calibrationAggregatesSql, calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {summaryOverdueSql} from "../src/core/sql/customerStates.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

// Calibration to Monday 2024-01-29, holdout to 2024-03-31. a, b, c and d first bought on 2024-01-01 and came back on
// 2024-01-15 (x = 1, t_x = 2 weeks, T = 4 weeks); in the holdout a bought twice (7 each time), b never, c once (7), d
// twice (7 and 9: a mean spend of 8). Their mean repeat spends: a, b and d 10, c 20. e bought
// once on 2024-01-15 (x = 0, T = 2) and next after the holdout. f first bought after the calibration: not a customer yet.
const setup = `CREATE TABLE days (customer_id VARCHAR(8), day DATE, revenue DOUBLE PRECISION);
INSERT INTO days VALUES
  ('a', '2024-01-01', 5), ('a', '2024-01-15', 10), ('a', '2024-02-05', 7), ('a', '2024-03-01', 7),
  ('b', '2024-01-01', 5), ('b', '2024-01-15', 10),
  ('c', '2024-01-01', 5), ('c', '2024-01-15', 20), ('c', '2024-02-10', 7),
  ('d', '2024-01-01', 5), ('d', '2024-01-15', 10), ('d', '2024-03-10', 7), ('d', '2024-03-20', 9),
  ('e', '2024-01-15', 5), ('e', '2024-04-10', 7),
  ('f', '2024-02-01', 5)`;

describe.skipIf(postgresMissing !== null)("the customer-equity aggregates on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(setup);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("gives one row per distinct (x, t_x, T, holdout) with its customers, and one per distinct (x, spend, holdout spend)", async () => {
    const rows = await engines.agreed((dialect) =>
      calibrationAggregatesSql(dialect, "2024-01-29", "2024-03-31", "SELECT customer_id, day, revenue FROM days")
    );
    expect(rows.map((r) => [r.kind, r.x, r.t_x, r.T, r.holdout, r.spend, r.holdout_spend, r.n])).toEqual([
      ["bgnbd", "0", "0", "2", "0", "", "", "1"],
      ["bgnbd", "1", "2", "4", "0", "", "", "1"],
      ["bgnbd", "1", "2", "4", "1", "", "", "1"],
      ["bgnbd", "1", "2", "4", "2", "", "", "2"],
      ["spend", "1", "", "", "", "10", "7", "1"],
      ["spend", "1", "", "", "", "10", "8", "1"],
      ["spend", "1", "", "", "", "10", "", "1"],
      ["spend", "1", "", "", "", "20", "7", "1"]
    ]);
  });
});

// Calibration to Friday 2024-03-01 (2024 is a leap year). Worked out by hand, silence against usual gap in days:
//   g 1, 11, 21 Jan (and 10 Mar, after the end): gap 10, silent 40: overdue
//   h 1 Jan, 10 Feb, 20 Feb: gap 25, silent 10: not
//   k 5, 12, 19 Feb: gap 7, silent 11: overdue
//   m 3, 12, 21 Feb: gap 9, silent 9: not (the same silence as the gap is not longer)
//   n 1, 5 Jan: two purchase days, one fewer than the rule asks: not, silent 56 days against 4 notwithstanding
//   o 1 Feb: one purchase day, no gap: not
const overdueLog = `CREATE TABLE days (customer_id VARCHAR(8), day DATE, revenue DOUBLE PRECISION);
INSERT INTO days VALUES
  ('g', '2024-01-01', 5), ('g', '2024-01-11', 5), ('g', '2024-01-21', 5), ('g', '2024-03-10', 5),
  ('h', '2024-01-01', 5), ('h', '2024-02-10', 5), ('h', '2024-02-20', 5),
  ('k', '2024-02-05', 5), ('k', '2024-02-12', 5), ('k', '2024-02-19', 5),
  ('m', '2024-02-03', 5), ('m', '2024-02-12', 5), ('m', '2024-02-21', 5),
  ('n', '2024-01-01', 5), ('n', '2024-01-05', 5),
  ('o', '2024-02-01', 5)`;

describe.skipIf(postgresMissing !== null)("overdue from the calibration summary on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(overdueLog);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("summaryOverdueSql: silent longer than the usual gap, with at least three purchase days, from x, t_x and T", async () => {
    const rows = await engines.agreed(
      (dialect) =>
        `SELECT customer_id, ${summaryOverdueSql()} AS overdue
         FROM (${calibrationSummarySql(dialect, "2024-03-01", "2024-03-01", "SELECT customer_id, day, revenue FROM days")}) c
         ORDER BY customer_id`
    );
    expect(rows.map((r) => [r.customer_id, r.overdue])).toEqual([
      ["g", "true"],
      ["h", "false"],
      ["k", "true"],
      ["m", "false"],
      ["n", "false"],
      ["o", "false"]
    ]);
  });
});
