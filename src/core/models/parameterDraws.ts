// Parameter uncertainty by simulation: draws of the BG/NBD and Gamma-Gamma parameters from the
// normal approximation to their maximum-likelihood estimates, θ ~ N(θ̂, Σ) with Σ = I⁻¹ the
// inverse observed information in the natural parameters (as positiveMle.ts reports it), drawn
// as θ̂ + L z with L the Cholesky factor of Σ and z independent standard normals (King, Tomz &
// Wittenberg 2000, "Making the most of statistical analyses", American Journal of Political
// Science 44(2), §"Simulating the parameters"). Every figure valued at each draw gives a sample
// of that figure under the parameters' uncertainty; its quantiles are the interval.
//
// The two models are drawn independently: their likelihoods are separate (spend is independent
// of the purchase process, FHL 2005 JMR §"Adding monetary value"), so the joint information is
// block diagonal. A draw outside the parameter space (a parameter ≤ 0) is drawn again: the normal
// truncated to where the model is defined. So is a Gamma-Gamma draw on the other side of q = 1
// from the estimate: a new customer's spend is the model's mean pγ/(q − 1) where it exists (q > 1)
// and the repeat buyers' mean where not (newCustomerSpend), and every draw follows the estimate's rule.
import {randomLcg, randomNormal} from "d3";
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import type {GammaGammaParams} from "./gammaGammaLikelihood.js";
import {choleskyLower} from "./linearAlgebra.js";

/** One draw of both models' parameters; gammaGamma undefined where spend has no model (too few repeat buyers). */
export interface ParameterDraw {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams | undefined;
}

/** A fit as the draws need it: estimates and their covariance (undefined where the information is not positive definite). */
export interface EstimateWithCovariance<P> {
  params: P;
  covariance: readonly (readonly number[])[] | undefined;
}

/** How many parameter draws the site and npm run clv value customers at (seeded, so the same data give the same files). */
export const parameterDrawCount = 30;

/** The seed of the site's and npm run clv's draws. */
export const parameterDrawSeed = 20250630;

/** Draws θ̂ + L z of one model's parameters (as an array in its order) until `valid`, from one normal stream. */
function drawer(
  estimate: readonly number[],
  covariance: readonly (readonly number[])[],
  normal: () => number,
  valid: (theta: readonly number[]) => boolean
): (() => number[]) | undefined {
  const factor = choleskyLower(covariance);
  if (!factor) return undefined;
  return () => {
    for (;;) {
      const z = estimate.map(() => normal());
      const theta = estimate.map((value, i) => value + factor[i]!.reduce((total, l, j) => total + l * z[j]!, 0));
      if (valid(theta)) return theta;
    }
  };
}

/**
 * `count` seeded draws of both models' parameters, or [] where a model's covariance is not known
 * (its uncertainty cannot be measured, so no interval would carry it). Without Gamma-Gamma
 * (null), the draws carry the purchase model's uncertainty alone.
 *
 * @example
 * // A covariance of (almost) nothing: every draw is the estimate.
 * drawParameters({params: {r: 0.24, alpha: 4.4, a: 0.79, b: 2.4}, covariance: diag(1e-30)}, null, 2)
 * // → [{bgnbd: {r: 0.24, alpha: 4.4, a: 0.79, b: 2.4}, gammaGamma: undefined}, … the same]
 */
export function drawParameters(
  bgnbd: EstimateWithCovariance<BgNbdParams>,
  gammaGamma: EstimateWithCovariance<GammaGammaParams> | null,
  count: number = parameterDrawCount,
  seed: number = parameterDrawSeed
): ParameterDraw[] {
  const normal = randomNormal.source(randomLcg(seed))();
  const positive = (theta: readonly number[]) => theta.every((value) => value > 0);
  const {r, alpha, a, b} = bgnbd.params;
  const purchases = bgnbd.covariance && drawer([r, alpha, a, b], bgnbd.covariance, normal, positive);
  if (!purchases) return [];
  let spend: (() => number[]) | undefined;
  if (gammaGamma) {
    const {p, q, gamma} = gammaGamma.params;
    const meanExists = q > 1;
    spend =
      gammaGamma.covariance &&
      drawer([p, q, gamma], gammaGamma.covariance, normal, (theta) => positive(theta) && theta[1]! > 1 === meanExists);
    if (!spend) return [];
  }
  return Array.from({length: count}, () => {
    const [r, alpha, a, b] = purchases() as [number, number, number, number];
    const drawn = spend?.();
    return {
      bgnbd: {r, alpha, a, b},
      gammaGamma: drawn && {p: drawn[0]!, q: drawn[1]!, gamma: drawn[2]!}
    };
  });
}
