import {describe, expect, it} from "vitest";
import {
  decileIndices,
  gini,
  lorenzCurve,
  thinCurve,
  topShare,
  topShares,
  whaleCurve,
  whalePeak
} from "../../src/core/metrics/concentration.js";

describe("gini(values)", () => {
  it("is 0 when every customer has the same", () => {
    expect(gini([5, 5, 5, 5])).toBeCloseTo(0, 12);
  });
  it("is (n − 1)/n when one customer has everything", () => {
    expect(gini([0, 0, 0, 10])).toBeCloseTo(3 / 4, 12);
    expect(gini([7, 0, 0, 0, 0])).toBeCloseTo(4 / 5, 12);
  });
  it("equals Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ) on a small case worked by hand", () => {
    // x = 1, 2, 3, 4: Σ|xi − xj| over ordered pairs = 2·(1+2+3+1+2+1) = 20; n² μ = 16 · 2.5 = 40 → 20 / 80 = 0.25.
    expect(gini([3, 1, 4, 2])).toBeCloseTo(0.25, 12);
  });
  it("exceeds 1 when a customer loses money: x = −2, 1, 3 gives 20 / (2·9·(2/3)) = 5/3", () => {
    // |−2−1| + |−2−3| + |1−3| = 3 + 5 + 2 = 10 per direction → 20; 2 n² μ = 2·9·(2/3) = 12 → 20/12.
    expect(gini([1, -2, 3])).toBeCloseTo(20 / 12, 12);
  });
  it("is NaN for no customers or a zero total", () => {
    expect(gini([])).toBeNaN();
    expect(gini([1, -1])).toBeNaN();
  });
});

describe("lorenzCurve(values) and whaleCurve(values)", () => {
  it("rank customers up (Lorenz) or down (whale) and accumulate their share of the total", () => {
    // Profits 6, 3, 2, −1 (total 10).
    const values = [3, -1, 6, 2];
    expect(lorenzCurve(values)).toEqual([
      {customers: 0, share: 0},
      {customers: 0.25, share: -0.1},
      {customers: 0.5, share: 0.1},
      {customers: 0.75, share: 0.4},
      {customers: 1, share: 1}
    ]);
    expect(whaleCurve(values)).toEqual([
      {customers: 0, share: 0},
      {customers: 0.25, share: 0.6},
      {customers: 0.5, share: 0.9},
      {customers: 0.75, share: 1.1},
      {customers: 1, share: 1}
    ]);
  });
  it("are empty without customers or total", () => {
    expect(lorenzCurve([])).toEqual([]);
    expect(whaleCurve([2, -2])).toEqual([]);
  });
});

describe("whalePeak(values)", () => {
  it("finds the peak, the customers there and the profit the tail destroys", () => {
    const peak = whalePeak([3, -1, 6, 2]);
    expect(peak.peak).toBeCloseTo(1.1, 12);
    expect(peak.customers).toBe(0.75);
    expect(peak.destroyed).toBe(1);
  });
  it("peaks at 100 % of customers when nobody loses money", () => {
    expect(whalePeak([1, 2, 3])).toEqual({peak: 1, customers: 1, destroyed: 0});
  });
});

describe("topShare(values, fraction)", () => {
  it("is the share of the total held by the top fraction of customers", () => {
    // Ten customers 10, 9, …, 1 (total 55): the top 20 % are 10 and 9 → 19/55.
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(topShare(values, 0.2)).toBeCloseTo(19 / 55, 12);
    expect(topShare(values, 1)).toBeCloseTo(1, 12);
    expect(topShare(values, 0)).toBe(0);
  });
  it("counts at least one customer and can exceed 100 % when others lose money", () => {
    expect(topShare([10, -5, 1], 0.01)).toBeCloseTo(10 / 6, 12);
  });
});

describe("topShares(values, fractions)", () => {
  it("gives each fraction's top share from one sort", () => {
    // Total 16: none of 3 customers, round(1.02) = 1 (10 of 16), all 3.
    expect(topShares([1, 10, 5], [0, 0.34, 1])).toEqual([0, 10 / 16, 1]);
    expect(topShares([], [0.5])).toEqual([NaN]);
  });
});

describe("decileIndices(items, value)", () => {
  it("puts the top tenth in decile 1, sizes differing by at most one (first n mod 10 deciles larger)", () => {
    const items = Array.from({length: 23}, (_, i) => i); // values 0..22
    const deciles = decileIndices(items, (x) => x);
    expect(deciles.map((d) => d.length)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
    expect(deciles[0]).toEqual([22, 21, 20]);
    expect(deciles[9]).toEqual([1, 0]);
  });
  it("breaks ties by input order, so equal values may straddle a boundary", () => {
    const values = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1];
    const deciles = decileIndices(values, (x) => x);
    expect(deciles[0]).toEqual([0, 1]);
    expect(deciles[1]).toEqual([2, 3]);
    expect(deciles[9]).toEqual([11]);
  });
  it("leaves deciles empty when there are fewer than ten customers", () => {
    expect(decileIndices([3, 1, 2], (x) => x)).toEqual([[0], [2], [1], [], [], [], [], [], [], []]);
  });
});

describe("thinCurve(points, max)", () => {
  it("keeps every point of a short curve", () => {
    const points = lorenzCurve([1, 2, 3]);
    expect(thinCurve(points, 3)).toEqual(points);
  });
  it("keeps evenly spaced points, the ends, and the lowest and highest points", () => {
    // 101 points; share dips to −0.5 at customers 0.37 and peaks at 1.2 at 0.83.
    const points = Array.from({length: 101}, (_, i) => ({
      customers: i / 100,
      share: i === 37 ? -0.5 : i === 83 ? 1.2 : i / 100
    }));
    const thinned = thinCurve(points, 10);
    // Every tenth point (0, 10, …, 100) plus the dip and the peak.
    expect(thinned.map((p) => Math.round(p.customers * 100))).toEqual([
      0, 10, 20, 30, 37, 40, 50, 60, 70, 80, 83, 90, 100
    ]);
    expect(thinned[4]).toEqual({customers: 0.37, share: -0.5});
  });
});
