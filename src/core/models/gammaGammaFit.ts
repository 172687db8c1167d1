// Maximum-likelihood fit of the Gamma-Gamma spend model (gammaGammaLikelihood.ts) with
// standard errors from the observed information (positiveMle.ts). Health: spends alike across
// customers drive q, γ → ∞ (no spread of customers' mean spend); spends alike within each
// customer drive p → ∞; fewer than MIN_CUSTOMERS_PER_PARAMETER customers per parameter
// (3 × 10 = 30) are too few.
import {
  gammaGammaLogLikelihoodDerivatives,
  groupSpends,
  type CustomerSpend,
  type GammaGammaParams
} from "./gammaGammaLikelihood.js";
import {
  fitHealth,
  fitPositiveMle,
  MIN_CUSTOMERS_PER_PARAMETER,
  namedFit,
  type FitHealth,
  type MleConvergence,
  type PositiveMleOptions
} from "./positiveMle.js";

/** A fitted Gamma-Gamma model. */
export interface GammaGammaFit {
  params: GammaGammaParams;
  standardErrors: GammaGammaParams;
  /** Covariance of [p, q, γ], undefined if the observed information is not positive definite. */
  covariance: number[][] | undefined;
  logLikelihood: number;
  /** Σ weight of the customers used (x > 0 and m > 0). */
  customers: number;
  /** converged is false at a boundary (e.g. q → ∞) or without positive-definite information. */
  convergence: MleConvergence;
  /** Whether the estimates can be used, and if not why, in plain sentences. */
  health: FitHealth;
}

const PARAMETER_GROUPS = [
  {
    indices: [0],
    key: "transaction value spread",
    notIdentified: "the spread of a customer's transaction values around their mean is not identified"
  },
  {indices: [1, 2], key: "spend spread", notIdentified: "the spread of mean spend across customers is not identified"}
];

/** Options of fitGammaGamma: optimiser settings and a start (default p = q = 1, γ = mean m). */
export interface GammaGammaFitOptions extends PositiveMleOptions {
  start?: GammaGammaParams;
}

const fromArray = ([p, q, gamma]: readonly number[]): GammaGammaParams => ({p: p!, q: q!, gamma: gamma!});

/**
 * Fits p, q, γ by maximum likelihood. Every customer must have x > 0 and m > 0 (customers
 * without repeat purchases carry no spend information: leave them out before the call).
 *
 * @example
 * fitGammaGamma(cdnowRepeatBuyers)
 * // 946 CDNOW customers → p 6.2488, q 3.7446, γ 15.4477 (SEs 1.190, 0.290, 4.160), ln L −4055.92
 * // (FHL 2005 JMR: 6.25, 3.74, 15.44)
 */
export function fitGammaGamma(
  customers: readonly CustomerSpend[],
  {start, ...options}: GammaGammaFitOptions = {}
): GammaGammaFit {
  let total = 0;
  let meanM = 0;
  customers.forEach(({x, m, weight = 1}, i) => {
    if (!(x > 0 && Number.isFinite(x)))
      throw new Error(`fitGammaGamma: customer ${i} has x = ${x}; x must be positive`);
    if (!(m > 0 && Number.isFinite(m)))
      throw new Error(`fitGammaGamma: customer ${i} has m = ${m}; m must be positive`);
    if (!(weight >= 0 && Number.isFinite(weight)))
      throw new Error(`fitGammaGamma: customer ${i} has a negative weight`);
    total += weight;
    meanM += weight * m;
  });
  if (!(total > 0)) throw new Error("fitGammaGamma: no customers");
  meanM /= total;
  const initial = start ?? {p: 1, q: 1, gamma: meanM};
  const spends = groupSpends(customers);
  const derivatives = (p: readonly number[], hessian = false) =>
    gammaGammaLogLikelihoodDerivatives(fromArray(p), spends, hessian);
  const fit = fitPositiveMle(
    {
      logLikelihood: (p) => derivatives(p).value,
      gradient: (p) => derivatives(p).gradient,
      derivatives,
      scale: total
    },
    [initial.p, initial.q, initial.gamma],
    options
  );
  const modelProblems =
    total < MIN_CUSTOMERS_PER_PARAMETER * 3
      ? [
          `too few repeat buyers to estimate spend: ${total}, fewer than ${MIN_CUSTOMERS_PER_PARAMETER} per parameter (${MIN_CUSTOMERS_PER_PARAMETER * 3})`
        ]
      : [];
  return namedFit(fit, fromArray, total, fitHealth(fit, ["p", "q", "γ"], PARAMETER_GROUPS, modelProblems));
}
