import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../../loaders/duckdb.js";
import {bgnbdProbabilityAlive, bgnbdProbabilityAliveSql} from "../../../src/core/models/bgnbdProbabilityAlive.js";

describe("bgnbdProbabilityAliveSql(params)", () => {
  it("agrees with bgnbdProbabilityAlive in DuckDB, including the hand-worked 4/13, x = 0 and many-digit estimates", async () => {
    const params = {r: 0.24259452545594706, alpha: 4.413602050784785, a: 0.7929219509068227, b: 2.425906473317585};
    const cases = [
      [0, 0, 38.86],
      [1, 1, 2],
      [2, 30.43, 38.86],
      [14, 10, 60],
      [60, 70, 70]
    ] as const;
    const rows = await withDuckDB((connection) =>
      queryRows<{p: number}>(
        connection,
        `SELECT ${bgnbdProbabilityAliveSql(params)} AS p FROM (VALUES ${cases.map((c) => `(${c.join(", ")})`).join(", ")}) AS t(x, t_x, T)`
      )
    );
    cases.forEach(([x, tx, T], i) => expect(rows[i]!.p).toBeCloseTo(bgnbdProbabilityAlive(params, x, tx, T), 12));
    const [unit] = await withDuckDB((connection) =>
      queryRows<{p: number}>(
        connection,
        `SELECT ${bgnbdProbabilityAliveSql({r: 1, alpha: 1, a: 1, b: 1})} AS p FROM (VALUES (1, 1, 2)) AS t(x, t_x, T)`
      )
    );
    expect(unit!.p).toBeCloseTo(4 / 13, 12);
  });
  it("refuses parameters that are not positive numbers", () => {
    expect(() => bgnbdProbabilityAliveSql({r: NaN, alpha: 1, a: 1, b: 1})).toThrow(/not a positive number/);
  });
});
