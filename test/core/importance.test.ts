import {describe, expect, it} from "vitest";
import {correlationFromSums, importanceRows, quadrant, sumsOf} from "../../src/core/metrics/importance.js";

// Four responses, overall satisfaction s = 1, 2, 3, 4. Dimension "a" is perceived exactly as
// s (importance 1), "b" as 2, 1, 1, 2 (centred ½, −½, −½, ½: orthogonal to s, importance 0),
// "c" as 5 − s (importance −1).
const s = [1, 2, 3, 4];
const constructed = {
  a: s.map((x) => [x, x] as [number, number]),
  b: [2, 1, 1, 2].map((p, i) => [p, s[i]!] as [number, number]),
  c: s.map((x) => [5 - x, x] as [number, number])
};

describe("correlationFromSums(sums)", () => {
  it("recovers the known correlations of a constructed example", () => {
    expect(correlationFromSums(sumsOf(constructed.a))).toBeCloseTo(1, 12);
    expect(correlationFromSums(sumsOf(constructed.b))).toBeCloseTo(0, 12);
    expect(correlationFromSums(sumsOf(constructed.c))).toBeCloseTo(-1, 12);
  });
  it("equals Pearson's r worked by hand: p = 1, 2, 3 against s = 1, 3, 2 → r = 0.5", () => {
    // centred p −1, 0, 1 and s −1, 1, 0: Σ = 1; √(2 · 2) = 2 → 0.5.
    expect(
      correlationFromSums(
        sumsOf([
          [1, 1],
          [2, 3],
          [3, 2]
        ])
      )
    ).toBeCloseTo(0.5, 12);
  });
  it("is NaN when a side has no spread", () => {
    expect(
      correlationFromSums(
        sumsOf([
          [3, 1],
          [3, 2]
        ])
      )
    ).toBeNaN();
  });
});

describe("importanceRows(stats) and quadrant(importance, performance, at)", () => {
  it("places each dimension by importance and mean perception against the means", () => {
    const rows = importanceRows(
      Object.entries(constructed).map(([dimension, pairs]) => ({dimension, ...sumsOf(pairs)}))
    );
    // Importance 1, 0, −1 (mean 0); performance 2.5, 1.5, 2.5 (mean 13/6 ≈ 2.17).
    expect(rows.map((r) => [r.dimension, r.performance, r.quadrant])).toEqual([
      ["a", 2.5, "Keep up the good work"],
      ["b", 1.5, "Concentrate here"],
      ["c", 2.5, "Possible overkill"]
    ]);
    expect(quadrant(-0.1, 1, {importance: 0, performance: 2})).toBe("Low priority");
  });
});
