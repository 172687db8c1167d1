// The customer-equity fits' aggregates (src/core/sql/clvSql.ts) on DuckDB and PostgreSQL over a
// hand-made set of purchase days (test/bothEngines.ts): the same rows on both engines, and the
// distinct (x, t_x, T, holdout) with their customers that the holdout scorecard needs, worked out by hand.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {calibrationAggregatesSql} from "../src/core/sql/clvSql.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

// Calibration to Monday 2024-01-29, holdout to 2024-03-31. a, b, c and d first bought on 2024-01-01 and came back on
// 2024-01-15 (x = 1, t_x = 2 weeks, T = 4 weeks); in the holdout a bought twice, b never, c once, d twice. e bought
// once on 2024-01-15 (x = 0, T = 2) and next after the holdout. f first bought after the calibration: not a customer yet.
const setup = `CREATE TABLE days (customer_id VARCHAR(8), day DATE, revenue DOUBLE PRECISION);
INSERT INTO days VALUES
  ('a', '2024-01-01', 5), ('a', '2024-01-15', 10), ('a', '2024-02-05', 7), ('a', '2024-03-01', 7),
  ('b', '2024-01-01', 5), ('b', '2024-01-15', 10),
  ('c', '2024-01-01', 5), ('c', '2024-01-15', 20), ('c', '2024-02-10', 7),
  ('d', '2024-01-01', 5), ('d', '2024-01-15', 10), ('d', '2024-03-10', 7), ('d', '2024-03-20', 7),
  ('e', '2024-01-15', 5), ('e', '2024-04-10', 7),
  ('f', '2024-02-01', 5)`;

describe.skipIf(postgresMissing !== null)("the customer-equity aggregates on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(setup);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("gives one row per distinct (x, t_x, T, holdout) with its customers, and one per distinct (x, spend)", async () => {
    const rows = await engines.agreed((dialect) =>
      calibrationAggregatesSql(dialect, "2024-01-29", "2024-03-31", "SELECT customer_id, day, revenue FROM days")
    );
    expect(rows.map((r) => [r.kind, r.x, r.t_x, r.T, r.holdout, r.spend, r.n])).toEqual([
      ["bgnbd", "0", "0", "2", "0", "", "1"],
      ["bgnbd", "1", "2", "4", "0", "", "1"],
      ["bgnbd", "1", "2", "4", "1", "", "1"],
      ["bgnbd", "1", "2", "4", "2", "", "2"],
      ["spend", "1", "", "", "", "10", "3"],
      ["spend", "1", "", "", "", "20", "1"]
    ]);
  });
});
