import {describe, expect, it} from "vitest";
import {climbTable, climbWithin} from "../../src/core/metrics/ladderClimbs.js";

describe("climbTable(rows): the actuarial life table of climbs (Cutler & Ederer 1958)", () => {
  // 10 reached the rung below. Month 0: 2 climb, 2 last seen (half a month each): q = 2 / (10 − 1) = 2/9.
  // Month 1: 3 of the 6 left climb, none last seen: q = 1/2, so 1 − (7/9)(1/2) = 11/18 have climbed.
  // Month 2: the last 3 are last seen, none climbs: still 11/18.
  const table = climbTable([
    {month: 1, climbed: 3, censored: 0},
    {month: 0, climbed: 2, censored: 2},
    {month: 2, climbed: 0, censored: 3}
  ]);

  it("gives the share climbed by the end of each month, from the customers still watched", () => {
    expect(table.entered).toBe(10);
    expect(table.climbed).toBe(5);
    expect(table.atRisk).toEqual([10, 6, 3]);
    expect(table.byMonth[0]).toBeCloseTo(2 / 9, 12);
    expect(table.byMonth[1]).toBeCloseTo(11 / 18, 12);
    expect(table.byMonth[2]).toBeCloseTo(11 / 18, 12);
    // Half have climbed by the end of month 2 (the second month).
    expect(table.medianMonths).toBe(2);
  });

  it("is not the climbers' share of everyone: the customers last seen early count for the time they were watched", () => {
    // 5 of 10 climbed, but 2 of those left in month 0 could not be watched: the estimate is above 1/2.
    expect(table.byMonth[1]).toBeGreaterThan(table.climbed / table.entered);
  });

  it("says nothing where too few are still watched, and nothing past the last month anyone was", () => {
    expect(climbWithin(table, 2, 5)).toBeCloseTo(11 / 18, 12);
    expect(climbWithin(table, 3, 5)).toBeNull(); // 3 at risk in month 2
    expect(climbWithin(table, 3, 3)).toBeCloseTo(11 / 18, 12);
    expect(climbWithin(table, 4, 1)).toBeNull();
    // Everyone climbed in month 0: within any span, all of them.
    const all = climbTable([{month: 0, climbed: 4, censored: 0}]);
    expect([all.byMonth, all.medianMonths, climbWithin(all, 12, 1)]).toEqual([[1], 1, 1]);
    // Nobody reached the rung below.
    expect(climbTable([])).toEqual({entered: 0, climbed: 0, byMonth: [], atRisk: [], medianMonths: null});
  });
});
