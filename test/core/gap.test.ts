import {describe, expect, it} from "vitest";
import {
  belowShare,
  classifyGap,
  dimensionGaps,
  meanInterval,
  meanIntervalFromSums
} from "../../src/core/metrics/gap.js";

describe("classifyGap(gap, tolerance)", () => {
  it("puts the band's edges in 'meets' and anything beyond them outside", () => {
    expect(classifyGap(-0.5, 0.5)).toBe("meets");
    expect(classifyGap(0.5, 0.5)).toBe("meets");
    expect(classifyGap(-0.6, 0.5)).toBe("below");
    expect(classifyGap(0.6, 0.5)).toBe("exceeds");
    expect(classifyGap(-0.500001, 0.5)).toBe("below");
  });
  it("with no tolerance, only a gap of exactly 0 meets expectation", () => {
    expect(classifyGap(0, 0)).toBe("meets");
    expect(classifyGap(-1, 0)).toBe("below");
    expect(classifyGap(1e-3, 0)).toBe("exceeds");
  });
  it("treats a tolerance slid to 0.3 (0.1 + 0.2 in binary) as 0.3 at the edge", () => {
    expect(classifyGap(-0.3, 0.1 + 0.2)).toBe("meets");
    expect(classifyGap(-0.3, 0.3)).toBe("meets");
  });
  it("refuses a negative tolerance", () => {
    expect(() => classifyGap(0, -1)).toThrow(/tolerance/);
  });
});

describe("meanInterval(values)", () => {
  it("is mean ± 1.96 s/√n with s on n − 1: 1, 2, 3 → 2 ± 1.96/√3", () => {
    const m = meanInterval([
      {value: 1, n: 1},
      {value: 2, n: 1},
      {value: 3, n: 1}
    ]);
    expect(m.n).toBe(3);
    expect(m.mean).toBe(2);
    expect(m.low).toBeCloseTo(2 - 1.96 / Math.sqrt(3), 12);
    expect(m.high).toBeCloseTo(0.868 + 2.264, 3);
  });
  it("weights values by their counts, and has no interval below two values", () => {
    // −1 twice and 2 once: mean 0, s² = (1 + 1 + 4)/2 = 3 → half-width 1.96·√3/√3 = 1.96.
    const m = meanInterval([
      {value: -1, n: 2},
      {value: 2, n: 1}
    ]);
    expect([m.mean, m.low, m.high]).toEqual([0, -1.96, 1.96]);
    expect(meanInterval([{value: 4, n: 1}]).low).toBeNaN();
  });
});

describe("meanIntervalFromSums(n, sum, sumOfSquares)", () => {
  it("gives meanInterval's interval from SQL's sums: 1, 2, 3 → n 3, Σx 6, Σx² 14 → 2 ± 1.96/√3", () => {
    const m = meanIntervalFromSums(3, 6, 14);
    expect(m.mean).toBe(2);
    expect(m.low).toBeCloseTo(2 - 1.96 / Math.sqrt(3), 12);
    expect(m.high).toBeCloseTo(2 + 1.96 / Math.sqrt(3), 12);
    // −1, −1, 2: Σx 0, Σx² 6 → s² = 3, half-width 1.96.
    const weighted = meanIntervalFromSums(3, 0, 6);
    expect([weighted.mean, weighted.low, weighted.high]).toEqual([0, -1.96, 1.96]);
    expect(meanIntervalFromSums(0, 0, 0).mean).toBeNaN();
  });
});

describe("dimensionGaps(counts, tolerance) and belowShare(counts, tolerance)", () => {
  // reliability: expected 6, perceived 5 (3 answers), 6 (1), 7 (1) → gaps −1, −1, −1, 0, +1.
  // delivery: 2 days early (1), on time (2), 3 days late (1).
  const counts = [
    {dimension: "delivery", expectation: 0, perception: 2, n: 1},
    {dimension: "delivery", expectation: 0, perception: 0, n: 2},
    {dimension: "delivery", expectation: 0, perception: -3, n: 1},
    {dimension: "reliability", expectation: 6, perception: 5, n: 3},
    {dimension: "reliability", expectation: 6, perception: 6, n: 1},
    {dimension: "reliability", expectation: 6, perception: 7, n: 1}
  ];
  it("classifies every answer and puts SERVQUAL's dimensions before the others", () => {
    const [reliability, delivery] = dimensionGaps(counts, 0.5);
    expect(reliability).toMatchObject({dimension: "reliability", n: 5, below: 3 / 5, meets: 1 / 5, exceeds: 1 / 5});
    expect(reliability!.mean).toBeCloseTo(-0.4, 12);
    expect(delivery).toMatchObject({dimension: "delivery", n: 4, below: 1 / 4, meets: 2 / 4, exceeds: 1 / 4});
    expect(delivery!.mean).toBeCloseTo(-0.25, 12);
  });
  it("widens 'meets' as the tolerance grows", () => {
    expect(dimensionGaps(counts, 1)[0]).toMatchObject({below: 0, meets: 1, exceeds: 0});
    expect(belowShare(counts, 0.5)).toBe(4 / 9);
    expect(belowShare(counts, 2)).toBe(1 / 9);
  });
});
