// The wait to a BG/NBD customer's next purchase: hand-computed cases, edge cases, and a
// simulation of customers' pasts and futures from known parameters.
import {randomBeta, randomExponential, randomGamma, randomLcg} from "d3";
import {describe, expect, it} from "vitest";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {bgnbdMedianWaitIfAlive, bgnbdProbabilityPurchaseWithin} from "../../../src/core/models/bgnbdNextPurchase.js";
import {customerNextPurchase} from "../../../src/core/models/customerNextPurchase.js";

const ones: BgNbdParams = {r: 1, alpha: 1, a: 1, b: 1};
const published: BgNbdParams = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005, Marketing Science, CDNOW

interface SimulatedCustomer {
  x: number;
  tx: number;
  /** Still active at T (known here, never in data). */
  active: boolean;
  /** Weeks from T to the first purchase after it; ∞ for a customer who dropped out. */
  wait: number;
}

/**
 * BG/NBD's story (FHL 2005, §3), told past T: λ ~ Gamma(shape r, rate α), p ~ Beta(a, b); while
 * active, purchases are Poisson(λ); after each repeat purchase the customer drops out with
 * probability p. Every customer's first purchase is at 0 and the history ends at T.
 */
function simulate({r, alpha, a, b}: BgNbdParams, n: number, T: number, seed: number): SimulatedCustomer[] {
  const source = randomLcg(seed);
  const lambdaOf = randomGamma.source(source)(r, 1 / alpha); // d3: shape k, scale θ
  const pOf = randomBeta.source(source)(a, b);
  const exponential = randomExponential.source(source);
  return Array.from({length: n}, () => {
    const lambda = lambdaOf();
    const p = pOf();
    const gap = exponential(lambda);
    let [t, x, active] = [0, 0, true];
    for (;;) {
      const next = t + gap();
      if (next > T) return {x, tx: t, active, wait: active ? next - T : Infinity};
      [t, x] = [next, x + 1];
      if (source() < p) return {x, tx: t, active: false, wait: Infinity};
    }
  });
}

describe("bgnbdProbabilityPurchaseWithin(params, t, x, t_x, T)", () => {
  it("is 4/13 · (1 − (3/5)²) for r = α = a = b = 1, t = 2, x = 1, t_x = 1, T = 2 (by hand)", () => {
    // P(alive) = 1/(1 + 1/1 · (3/2)²) = 4/13; P(no purchase in 2 | active) = ((1+2)/(1+2+2))^(1+1) = 9/25.
    expect(bgnbdProbabilityPurchaseWithin(ones, 2, 1, 1, 2)).toBeCloseTo((4 / 13) * (16 / 25), 14);
  });

  it("is 1 − (4/8)² = 0.75 for r = 2, α = 3, t = 4 and a customer with no repeat purchase at T = 1 (active for sure)", () => {
    expect(bgnbdProbabilityPurchaseWithin({r: 2, alpha: 3, a: 0.5, b: 4}, 4, 0, 0, 1)).toBeCloseTo(0.75, 14);
  });

  it("at t_x = T is P(alive) = (b+x−1)/(a+b+x−1) times the purchase share", () => {
    // At t_x = T the odds of inactivity are a/(b+x−1); with a = 1, b = 1, x = 2: P(alive) = 2/3.
    const p = bgnbdProbabilityPurchaseWithin(ones, 3, 2, 5, 5);
    expect(p).toBeCloseTo((2 / 3) * (1 - Math.pow(6 / 9, 3)), 14);
  });

  it("is 0 for t = 0, rises with t, stays below P(alive), and is NaN for a negative t", () => {
    expect(bgnbdProbabilityPurchaseWithin(published, 0, 3, 20, 38)).toBe(0);
    const [short, long] = [5, 50].map((t) => bgnbdProbabilityPurchaseWithin(published, t, 3, 20, 38));
    expect(short).toBeLessThan(long!);
    // P(alive) for x = 3, t_x = 20, T = 38: 1/(1 + a/(b+2) · ((α+38)/(α+20))^3.243).
    const alive = 1 / (1 + (0.793 / 4.426) * Math.pow(42.414 / 24.414, 3.243));
    expect(long).toBeLessThan(alive);
    expect(bgnbdProbabilityPurchaseWithin(published, -1, 3, 20, 38)).toBeNaN();
  });

  it("tends to P(alive) for a very frequent buyer (x = 10,000), without overflow", () => {
    // Active, such a customer buys within a week almost surely: (42.4/43.4)^10,000 underflows to 0.
    const alive = 1 / (1 + (0.793 / (2.426 + 9999)) * Math.pow(42.414 / 41.414, 10000.243));
    expect(bgnbdProbabilityPurchaseWithin(published, 1, 10000, 37, 38)).toBeCloseTo(alive, 12);
  });

  it("matches the share of simulated customers who buy within 13 weeks of T = 39, for each x (known parameters)", () => {
    const T = 39;
    const t = 13;
    const customers = simulate(published, 200_000, T, 20251207);
    for (const [low, high] of [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 4],
      [5, Infinity]
    ] as const) {
      const group = customers.filter((c) => c.x >= low && c.x <= high);
      const observed = group.filter((c) => c.wait <= t).length / group.length;
      const predicted =
        group.reduce((s, c) => s + bgnbdProbabilityPurchaseWithin(published, t, c.x, c.tx, T), 0) / group.length;
      // Four binomial standard errors: a fair simulation strays further about once in 16,000 groups.
      const se = Math.sqrt((predicted * (1 - predicted)) / group.length);
      expect(Math.abs(observed - predicted), `x in [${low}, ${high}], ${group.length} customers`).toBeLessThan(4 * se);
    }
  });
});

describe("bgnbdMedianWaitIfAlive(params, x, T)", () => {
  it("is 3(√2 − 1) for r = α = 1, x = 1, T = 2 (by hand: (3/(3+w))² = 1/2)", () => {
    expect(bgnbdMedianWaitIfAlive(ones, 1, 2)).toBeCloseTo(3 * (Math.SQRT2 - 1), 14);
  });

  it("is (α+T)(2^(1/r) − 1) with no repeat purchase: 4 · 3 = 12 for r = 0.5, α = 3, T = 1", () => {
    expect(bgnbdMedianWaitIfAlive({r: 0.5, alpha: 3, a: 1, b: 1}, 0, 1)).toBeCloseTo(12, 13);
  });

  it("is finite where the mean wait (α+T)/(r+x−1) is not (r + x ≤ 1), and near (α+T) ln 2/(r+x) for large x", () => {
    expect(Number.isFinite(bgnbdMedianWaitIfAlive(published, 0, 38))).toBe(true);
    const w = bgnbdMedianWaitIfAlive(published, 10000, 38);
    expect(w / ((42.414 * Math.LN2) / 10000.243)).toBeCloseTo(1, 4);
  });

  it("splits the simulated active customers' waits in half, for each x (known parameters)", () => {
    const T = 39;
    const customers = simulate(published, 200_000, T, 7).filter((c) => c.active);
    for (const x of [0, 1, 2, 4]) {
      const group = customers.filter((c) => c.x === x);
      const median = bgnbdMedianWaitIfAlive(published, x, T);
      const share = group.filter((c) => c.wait <= median).length / group.length;
      expect(Math.abs(share - 0.5), `x = ${x}, ${group.length} customers`).toBeLessThan(
        4 * Math.sqrt(0.25 / group.length)
      );
    }
  });
});

describe("customerNextPurchase(params, summary, asOf)", () => {
  it("dates the median wait from asOf to the nearest day, and gives P(a purchase within 90 days)", () => {
    // Median wait 3(√2 − 1) weeks = 8.70 days: 9 days after 1 Jan. P(alive) = 4/13; 90 days = 90/7 weeks.
    const next = customerNextPurchase(ones, {x: 1, tx: 1, T: 2}, "2024-01-01");
    expect(next.date).toBe("2024-01-10");
    expect(next.pBuyWithinWindow).toBeCloseTo((4 / 13) * (1 - Math.pow(3 / (3 + 90 / 7), 2)), 14);
    // Across a month's and a leap year's end: r = 0.5, α = 3, x = 0, T = 1: 12 weeks = 84 days after 10 Dec 2023.
    expect(customerNextPurchase({r: 0.5, alpha: 3, a: 1, b: 1}, {x: 0, tx: 0, T: 1}, "2023-12-10").date).toBe(
      "2024-03-03"
    );
  });
});
