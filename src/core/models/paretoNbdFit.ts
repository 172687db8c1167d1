// Maximum-likelihood fit of the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987;
// Fader & Hardie 2005, "Implementing the Pareto/NBD model given interval-censored data":
// maximise Σ ln L of paretoNbdLikelihood.ts over r, α, s, β > 0) with standard errors from
// the observed information; the machinery, and the health shared with BG/NBD, is rfmModelFit.ts.
//
// A customer with no repeat purchase may be alive and slow or gone; only repeat buyers (whose
// t_x < T is the evidence of dropout) tell the two apart. Customers who all buy at one steady
// rate drive s → 0 or β → ∞ (no dropout).
import {
  paretoNbdTotalLogLikelihood,
  paretoNbdTotalLogLikelihoodGradient,
  type ParetoNbdParams
} from "./paretoNbdLikelihood.js";
import type {CustomerRfm, RfmGroups} from "./rfmGroups.js";
import {fitRfmModel, type RfmModel, type RfmModelFit, type RfmModelFitOptions} from "./rfmModelFit.js";

/** A fitted Pareto/NBD model (Fader & Hardie report ln L −9594.98 on the CDNOW sample). */
export type ParetoNbdFit = RfmModelFit<ParetoNbdParams>;

/** Options of fitParetoNbd: optimiser settings and a start (default r = s = 1, α = mean T / mean x, β = mean T). */
export type ParetoNbdFitOptions = RfmModelFitOptions<ParetoNbdParams>;

const paretoNbd: RfmModel<ParetoNbdParams> = {
  caller: "fitParetoNbd",
  names: ["r", "α", "s", "β"],
  toArray: ({r, alpha, s, beta}) => [r, alpha, s, beta],
  fromArray: ([r, alpha, s, beta]) => ({r: r!, alpha: alpha!, s: s!, beta: beta!}),
  totalLogLikelihood: paretoNbdTotalLogLikelihood,
  totalLogLikelihoodGradient: paretoNbdTotalLogLikelihoodGradient,
  // A mean purchase rate of mean x / mean T, and a mean lifetime (β/(s−1) for s > 1) about the mean T.
  start: (meanX, meanT) => ({r: 1, alpha: meanT / Math.max(meanX, 0.01), s: 1, beta: meanT}),
  withoutRepeatBuyers: {
    message: "slow buyers cannot be told from customers who left",
    problem:
      "no customer bought more than once: slow buyers cannot be told from customers who left, so neither dropout (s, β) nor the spread of purchase rates is identified"
  }
};

/**
 * Fits r, α, s, β to customers' (x, t_x, T) by maximum likelihood.
 *
 * @example
 * // CDNOW sample, 2,357 customers (1,016 distinct triples), 27 BFGS iterations:
 * fitParetoNbd(cdnowSample)
 * // → params r 0.553275, α 10.577612, s 0.606214, β 11.667912; SEs 0.047629, 0.842724, 0.187280, 6.211029;
 * //   logLikelihood −9594.9739 (Fader & Hardie 2005: 0.5533, 10.578, 0.6063, 11.669, −9594.98)
 */
export function fitParetoNbd(data: RfmGroups | Iterable<CustomerRfm>, options: ParetoNbdFitOptions = {}): ParetoNbdFit {
  return fitRfmModel(paretoNbd, data, options);
}
