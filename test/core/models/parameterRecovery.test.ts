// Parameter recovery: simulate BG/NBD customers with known (r, α, a, b) from a seeded
// generator, fit, and check the truth lies within two standard errors, and that the
// standard errors shrink like 1/√n.
import {randomBeta, randomExponential, randomGamma, randomLcg, randomUniform} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {bgnbdExpectedPurchases} from "../../../src/core/models/bgnbdExpectedPurchases.js";
import {fitBgNbd, type BgNbdFit} from "../../../src/core/models/bgnbdFit.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import type {CustomerRfm} from "../../../src/core/models/rfmGroups.js";

/**
 * BG/NBD's story (FHL 2005, §3): λ ~ Gamma(shape r, rate α), p ~ Beta(a, b); while alive, purchases
 * are Poisson(λ); after each repeat purchase the customer drops out with probability p. Customers
 * are acquired uniformly over the first 12 weeks and observed to week 39 (T in [27, 39], like CDNOW).
 */
function simulate({r, alpha, a, b}: BgNbdParams, n: number, seed: number, [minT, maxT] = [27, 39]): CustomerRfm[] {
  const source = randomLcg(seed);
  const lambdaOf = randomGamma.source(source)(r, 1 / alpha); // d3: shape k, scale θ
  const pOf = randomBeta.source(source)(a, b);
  const uniform = randomUniform.source(source)(minT, maxT);
  const exponential = randomExponential.source(source);
  const out: CustomerRfm[] = [];
  for (let i = 0; i < n; ++i) {
    const lambda = lambdaOf();
    const p = pOf();
    const T = uniform();
    const gap = exponential(lambda);
    let t = 0;
    let x = 0;
    for (;;) {
      const next = t + gap();
      if (next > T) break;
      t = next;
      ++x;
      if (source() < p) break; // dropped out after this purchase
    }
    out.push({x, tx: x > 0 ? t : 0, T});
  }
  return out;
}

const truth: BgNbdParams = {r: 0.25, alpha: 4, a: 0.8, b: 2.5};
const names = ["r", "alpha", "a", "b"] as const;

describe("fitBgNbd(simulated customers) recovers the true parameters", () => {
  const sizes = [3000, 30000];
  const fits = new Map<number, BgNbdFit>();
  beforeAll(() => {
    for (const n of sizes) fits.set(n, fitBgNbd(simulate(truth, n, 20240601 + n)));
  });

  for (const n of sizes)
    it(`n = ${n}: converged and healthy, every true parameter within 2 standard errors`, () => {
      const fit = fits.get(n)!;
      console.log(
        `recovery n = ${n}:`,
        JSON.stringify({
          params: fit.params,
          se: fit.standardErrors,
          ll: fit.logLikelihood,
          convergence: fit.convergence
        })
      );
      expect(fit.convergence.converged).toBe(true);
      expect(fit.health).toEqual({ok: true, problems: [], unidentified: []});
      for (const k of names) expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(2 * fit.standardErrors[k]);
    });

  it("standard errors shrink like 1/√n (ratio ≈ 1/√10 ≈ 0.32 from 3,000 to 30,000 customers)", () => {
    const small = fits.get(3000)!;
    const large = fits.get(30000)!;
    for (const k of names) {
      const ratio = large.standardErrors[k] / small.standardErrors[k];
      expect(ratio).toBeGreaterThan(0.2);
      expect(ratio).toBeLessThan(0.45);
    }
  });
});

describe("bgnbdExpectedPurchases(params, t) against simulation", () => {
  it("is the mean number of repeat purchases in (0, t] of 100,000 simulated new customers (within 3 standard errors)", () => {
    for (const t of [13, 52]) {
      const counts = simulate(truth, 100_000, 7 + t, [t, t]).map((c) => c.x);
      const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
      const sd = Math.sqrt(counts.reduce((s, x) => s + (x - mean) ** 2, 0) / (counts.length - 1));
      expect(Math.abs(mean - bgnbdExpectedPurchases(truth, t))).toBeLessThan((3 * sd) / Math.sqrt(counts.length));
    }
  });
});
