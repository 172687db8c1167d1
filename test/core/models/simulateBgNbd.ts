// Customers simulated from BG/NBD with known parameters, for the tests that check what a fit
// recovers (parameterRecovery.test.ts) and what its intervals cover (valueIntervals.test.ts).
import {randomBeta, randomExponential, randomGamma, randomLcg, randomUniform} from "d3";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import type {CustomerRfm} from "../../../src/core/models/rfmGroups.js";

/**
 * BG/NBD's story (FHL 2005, §3): λ ~ Gamma(shape r, rate α), p ~ Beta(a, b); while alive, purchases
 * are Poisson(λ); after each repeat purchase the customer drops out with probability p. Customers
 * are acquired uniformly over the first 12 weeks and observed to week 39 (T in [27, 39], like CDNOW).
 */
export function simulateBgNbd(
  {r, alpha, a, b}: BgNbdParams,
  n: number,
  seed: number,
  [minT, maxT] = [27, 39]
): CustomerRfm[] {
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
