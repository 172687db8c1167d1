// Maximum-likelihood fit of the BG/NBD model (Fader, Hardie & Lee 2005, Marketing Science
// 24(2), §3: maximise Σ ln L of eq. 6 over r, α, a, b > 0) with standard errors from the
// observed information (the analytic Hessian of bgnbdLikelihood.ts); the machinery, and the health
// shared with Pareto/NBD, is rfmModelFit.ts.
//
// Dropout happens only after a repeat purchase (FHL 2005 §3, assumption iii), so a and b are
// identified by repeat buyers alone: with none, the likelihood does not depend on a and b at
// all, they stay at their start and the fit has not converged. Customers who all buy at one
// steady rate drive a → 0 or b → ∞ (no dropout).
import {
  bgnbdLogLikelihoodDerivatives,
  bgnbdTotalLogLikelihood,
  bgnbdTotalLogLikelihoodGradient,
  type BgNbdParams
} from "./bgnbdLikelihood.js";
import type {CustomerRfm, RfmGroups} from "./rfmGroups.js";
import {fitRfmModel, type RfmModel, type RfmModelFit, type RfmModelFitOptions} from "./rfmModelFit.js";

/** A fitted BG/NBD model (FHL 2005 report ln L −9582.4 on the CDNOW sample). */
export type BgNbdFit = RfmModelFit<BgNbdParams>;

/** Options of fitBgNbd: optimiser settings and a start (default r = 1, α = mean T / mean x, a = b = 1). */
export type BgNbdFitOptions = RfmModelFitOptions<BgNbdParams>;

const bgnbd: RfmModel<BgNbdParams> = {
  caller: "fitBgNbd",
  names: ["r", "α", "a", "b"],
  toArray: ({r, alpha, a, b}) => [r, alpha, a, b],
  fromArray: ([r, alpha, a, b]) => ({r: r!, alpha: alpha!, a: a!, b: b!}),
  totalLogLikelihood: bgnbdTotalLogLikelihood,
  totalLogLikelihoodGradient: bgnbdTotalLogLikelihoodGradient,
  // One pass for the value and gradient, and the analytic Hessian for the standard errors.
  derivatives: (params, groups, hessian) => bgnbdLogLikelihoodDerivatives(params, groups, hessian ? 2 : 1),
  start: (meanX, meanT) => ({r: 1, alpha: meanT / Math.max(meanX, 0.01), a: 1, b: 1}),
  withoutRepeatBuyers: {
    message: "a and b are left at their start",
    problem:
      "no customer bought more than once: dropout (a, b) is not identified and is left at its start, and neither is the spread of purchase rates"
  }
};

/**
 * Fits r, α, a, b to customers' (x, t_x, T) by maximum likelihood.
 *
 * @example
 * // CDNOW sample, 2,357 customers (1,016 distinct triples), 23 BFGS iterations:
 * fitBgNbd(cdnowSample)
 * // → params r 0.242593, α 4.413532, a 0.792886, b 2.425753; SEs 0.012557, 0.378221, 0.185719, 0.705346;
 * //   logLikelihood −9582.4256 (FHL 2005: 0.243, 4.414, 0.793, 2.426, −9582.4)
 */
export function fitBgNbd(data: RfmGroups | Iterable<CustomerRfm>, options: BgNbdFitOptions = {}): BgNbdFit {
  return fitRfmModel(bgnbd, data, options);
}
