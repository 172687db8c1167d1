// The dialect layer against hand-computed values, on both engines (test/bothEngines.ts).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

describe.skipIf(postgresMissing !== null)("the SQL dialects of DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(`CREATE TABLE t (d DATE, v DOUBLE PRECISION, n DECIMAL(18, 2));
      INSERT INTO t VALUES (DATE '2024-01-01', 1.005, 1.25), (DATE '2024-04-01', 2.125, -2.25), (DATE '2024-07-01', 0.125, 0.05)`);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("rounds half away from zero on DOUBLE and DECIMAL alike (2.125 is a binary tie; 1.005 is stored just below its tie)", async () => {
    const postgres = await engines.agreed(
      (d) => `SELECT ${d.round("v", 2)} AS v, ${d.round("n", 1)} AS n FROM t ORDER BY d`
    );
    expect(postgres.map((r) => [r.v, r.n])).toEqual([
      ["1", "1.3"],
      ["2.13", "-2.3"],
      ["0.13", "0.1"]
    ]);
  });

  it("counts periods between period starts, spells dates as text and makes series", async () => {
    const postgres = await engines.agreed(
      (
        d
      ) => `SELECT ${d.dateText("d", "year")} AS y, ${d.dateText("d", "month")} AS m, ${d.periodsBetween("month", "DATE '2023-11-01'", "d")} AS months,
        ${d.periodsBetween("quarter", "DATE '2023-10-01'", "d")} AS quarters, ${d.periodsBetween("week", "DATE '2023-12-25'", "DATE '2024-01-15'")} AS weeks,
        (SELECT count(*) FROM (SELECT ${d.dateSeries("DATE '2024-01-01'", "t.d", "INTERVAL '1 month'")} AS s) x)::INTEGER AS series
      FROM t ORDER BY d`
    );
    expect(postgres.map((r) => [r.y, r.m, r.months, r.quarters, r.weeks, r.series])).toEqual([
      ["2024", "2024-01", "2", "1", "3", "1"],
      ["2024", "2024-04", "5", "2", "3", "4"],
      ["2024", "2024-07", "8", "3", "3", "7"]
    ]);
    const integers = await engines.agreed((d) => `SELECT ${d.integerSeries("0", "3")} AS i ORDER BY i`);
    expect(integers.map((r) => r.i)).toEqual(["0", "1", "2", "3"]);
  });

  it("takes the R-7 quantile: at 0.9 of 0.125, 1.005, 2.125 it is 1.005 + 0.8 × 1.12 = 1.901", async () => {
    const postgres = await engines.agreed((d) => `SELECT ${d.round(d.quantileCont("v", "0.9"), 6)} AS q FROM t`);
    expect(postgres).toEqual([{q: "1.901"}]);
  });

  it("prints doubles as DuckDB does: a whole number with one decimal, others in their shortest form", async () => {
    const postgres = await engines.agreed(
      (d) => `SELECT 'x' || ${d.doubleText("v * 8")} AS t FROM (SELECT ${d.round("v", 2)} AS v FROM t) r ORDER BY v`
    );
    // 0.13 × 8 = 1.04; 1 × 8 = 8; 2.13 × 8 = 17.04 (as its double prints)
    expect(postgres.map((r) => r.t)).toEqual(["x1.04", "x8.0", "x17.04"]);
  });
});
