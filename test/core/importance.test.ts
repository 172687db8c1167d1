import {describe, expect, it} from "vitest";
import {dimensionGaps} from "../../src/core/metrics/gap.js";
import {
  correlationFromSums,
  correlationInterval,
  importanceRows,
  importanceSeparations,
  quadrant,
  sumsOf,
  type ImportanceRow
} from "../../src/core/metrics/importance.js";

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

describe("correlationInterval(r, n)", () => {
  it("equals R's cor.test on its documented example (Hollander & Wolfe 1973, p. 187)", () => {
    // R 4.x: x <- c(44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1)
    //        y <- c( 2.6,  3.1,  2.5,  5.0,  3.6,  4.0,  5.2,  2.8,  3.8)
    //        cor.test(x, y)  →  95 percent confidence interval: -0.1497426 0.8955795; cor 0.5711816
    const x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1];
    const y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8];
    const r = correlationFromSums(sumsOf(x.map((xi, i) => [xi, y[i]!])));
    expect(r).toBeCloseTo(0.5711816, 7);
    const {low, high} = correlationInterval(r, x.length);
    expect(low).toBeCloseTo(-0.1497426, 7);
    expect(high).toBeCloseTo(0.8955795, 7);
  });
  it("by hand: r = 0.5 of 28 pairs is tanh(atanh 0.5 ± 1.959964/√25) = tanh(0.549306 ∓ 0.391993)", () => {
    // Python: math.tanh(math.atanh(0.5) - 1.959963984540054 / 5) → 0.15602836; + → 0.73581848
    const {low, high} = correlationInterval(0.5, 28);
    expect(low).toBeCloseTo(0.15602836, 8);
    expect(high).toBeCloseTo(0.73581848, 8);
  });
  it("has no bounds for three pairs or fewer, or no correlation", () => {
    expect(correlationInterval(0.5, 3)).toEqual({low: NaN, high: NaN});
    expect(correlationInterval(NaN, 100)).toEqual({low: NaN, high: NaN});
  });
});

describe("importanceRows(stats, gaps) and quadrant(importance, gap, at)", () => {
  // Four dimensions on the same four responses (overall s = 1, 2, 3, 4), each perceived
  // either as s (importance 1) or as 5 − s (importance −1): mean importance 0. All four
  // have the same mean perception, 2.5; only what customers expected differs.
  const dimensions = {
    a: {perceptions: s, expected: 3}, // gaps −2, −1, 0, 1: mean −0.5, important → concentrate here
    c: {perceptions: s.map((x) => 5 - x), expected: 2}, // gaps 2, 1, 0, −1: mean +0.5, less important → possible overkill
    d: {perceptions: s, expected: 1}, // gaps 0, 1, 2, 3: mean +1.5, important → keep up the good work
    e: {perceptions: s.map((x) => 5 - x), expected: 4} // gaps 0, −1, −2, −3: mean −1.5, less important → low priority
  };
  const stats = Object.entries(dimensions).map(([dimension, d]) => ({
    dimension,
    ...sumsOf(d.perceptions.map((p, i) => [p, s[i]!] as [number, number]))
  }));
  const gaps = dimensionGaps(
    Object.entries(dimensions).flatMap(([dimension, d]) =>
      d.perceptions.map((perception) => ({dimension, expectation: d.expected, perception, n: 1}))
    ),
    0.5
  );

  it("places each dimension by its mean gap against zero, not by its perception against the others'", () => {
    const rows = importanceRows(stats, gaps);
    expect(rows.map((r) => [r.dimension, r.gap, r.quadrant])).toEqual([
      ["a", -0.5, "Concentrate here"],
      ["c", 0.5, "Possible overkill"],
      ["d", 1.5, "Keep up the good work"],
      ["e", -1.5, "Low priority"]
    ]);
    // a: gaps −2, −1, 0, 1 have s = √(5/3): interval −0.5 ± 1.96 · 1.290994 / 2; two of four below −0.5.
    const a = rows[0]!;
    expect([a.gapLow, a.gapHigh]).toEqual([expect.closeTo(-1.7651746, 6), expect.closeTo(0.7651746, 6)]);
    expect(a.below).toBe(0.5);
    expect(a.importance).toBeCloseTo(1, 12);
  });

  it("follows the gaps' order, leaves out a dimension without gaps, and counts a gap of exactly zero as met", () => {
    expect(importanceRows(stats, gaps.slice(1).reverse()).map((r) => r.dimension)).toEqual(["e", "d", "c"]);
    expect(quadrant(0.3, 0, {importance: 0.3})).toBe("Keep up the good work");
    expect(quadrant(0.2, -0.01, {importance: 0.3})).toBe("Low priority");
  });
});

describe("importanceSeparations(rows)", () => {
  const row = (dimension: string, importance: number, importanceLow: number, importanceHigh: number) =>
    ({dimension, importance, importanceLow, importanceHigh}) as ImportanceRow;

  it("names the pairs whose intervals do not overlap, more important first", () => {
    // A [0.45, 0.55] overlaps B [0.35, 0.46]; both lie wholly above C [0.25, 0.34].
    const rows = [row("C", 0.3, 0.25, 0.34), row("A", 0.5, 0.45, 0.55), row("B", 0.4, 0.35, 0.46)];
    expect(importanceSeparations(rows)).toEqual([
      ["A", "C"],
      ["B", "C"]
    ]);
  });

  it("is empty when every interval overlaps every other, as the demo's 0.37–0.40 do", () => {
    expect(importanceSeparations([row("x", 0.4, 0.38, 0.42), row("y", 0.37, 0.35, 0.39)])).toEqual([]);
  });
});
