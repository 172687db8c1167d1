// Maximum likelihood over strictly positive parameters, written once for the BG/NBD and
// Gamma-Gamma fits. The optimiser works on θ = ln p, so every trial point is positive
// without constraints (the Fader & Hardie spreadsheets and lifetimes do the same); |θᵢ| is
// bounded by logBound (the objective is +∞ beyond it, which the line search backs away
// from) so a parameter running off to 0 or ∞ stops the fit instead of overflowing.
//
// Objective: −ln L(e^θ) / scale (scale = number of customers, so the tolerance does not
// depend on the sample size), minimised by BFGS (bfgs.ts) with the analytic gradient
// ∂/∂θᵢ = pᵢ ∂/∂pᵢ.
//
// Standard errors: the observed information I(p̂) = −∇² ln L at the optimum, in the natural
// parameters, by central differences of the analytic gradient (finiteDifferences.ts);
// covariance = I⁻¹ (Cholesky, linearAlgebra.ts), SE = √diag. Where I is not positive
// definite (no interior maximum) the SEs are NaN and the convergence message says so.
import {minimizeBfgs} from "./bfgs.js";
import {hessianFromGradient} from "./finiteDifferences.js";
import {invertSymmetricPositiveDefinite} from "./linearAlgebra.js";

/** A likelihood over positive parameters, as arrays in a fixed order. */
export interface PositiveMleProblem {
  logLikelihood(params: readonly number[]): number;
  gradient(params: readonly number[]): number[];
  /** Divides the objective (e.g. the number of customers). */
  scale: number;
}

/** Options of fitPositiveMle. */
export interface PositiveMleOptions {
  /** On max_i |∂(−ln L/scale)/∂ ln pᵢ|. Default 1e-8. */
  gradientTolerance?: number;
  /** Default 500. */
  maxIterations?: number;
  /** Bound on |ln pᵢ|. Default 25 (p in [1.4e-11, 7.2e10]). */
  logBound?: number;
}

/** How the optimiser ended. */
export interface MleConvergence {
  converged: boolean;
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** max_i |∂(−ln L/scale)/∂ ln pᵢ| at the estimate. */
  gradientNorm: number;
  message: string;
}

/** Estimates with their standard errors, covariance and the maximised log-likelihood. */
export interface PositiveMleFit {
  estimates: number[];
  standardErrors: number[];
  /** Inverse observed information, or undefined when it is not positive definite. */
  covariance: number[][] | undefined;
  logLikelihood: number;
  convergence: MleConvergence;
}

/**
 * The maximum-likelihood estimate of positive parameters from a positive start.
 *
 * @example
 * // Exponential rate from mean 2 over 10 observations: ln L = 10 ln λ − 20 λ, λ̂ = 0.5, SE = λ̂/√10
 * fitPositiveMle({logLikelihood: ([l]) => 10 * Math.log(l!) - 20 * l!, gradient: ([l]) => [10 / l! - 20], scale: 10}, [1])
 * // → {estimates: [0.5], standardErrors: [0.158…], …}
 */
export function fitPositiveMle(
  problem: PositiveMleProblem,
  start: readonly number[],
  {gradientTolerance = 1e-8, maxIterations = 500, logBound = 25}: PositiveMleOptions = {}
): PositiveMleFit {
  if (!start.every((p) => p > 0 && Number.isFinite(p))) throw new Error("fitPositiveMle: the start must be positive");
  if (!(problem.scale > 0)) throw new Error("fitPositiveMle: scale must be positive (no data?)");
  const inBounds = (theta: readonly number[]) => theta.every((t) => Math.abs(t) <= logBound);
  const objective = (theta: readonly number[]) => {
    if (!inBounds(theta)) return Infinity;
    const value = -problem.logLikelihood(theta.map(Math.exp)) / problem.scale;
    return Number.isNaN(value) ? Infinity : value;
  };
  const gradient = (theta: readonly number[]) => {
    const p = theta.map(Math.exp);
    return problem.gradient(p).map((g, i) => (-g * p[i]!) / problem.scale);
  };
  const result = minimizeBfgs(objective, gradient, start.map(Math.log), {gradientTolerance, maxIterations});
  const estimates = result.x.map(Math.exp);
  const information = hessianFromGradient((p) => problem.gradient(p).map((g) => -g), estimates);
  const covariance = invertSymmetricPositiveDefinite(information);
  const standardErrors = estimates.map((_, i) => (covariance ? Math.sqrt(covariance[i]![i]!) : NaN));
  let message = result.message;
  if (!covariance) message += "; the observed information is not positive definite (no standard errors)";
  if (result.x.some((t) => Math.abs(t) > logBound - 1)) message += "; a parameter is near its bound";
  return {
    estimates,
    standardErrors,
    covariance,
    logLikelihood: -result.value * problem.scale,
    convergence: {
      converged: result.converged,
      iterations: result.iterations,
      evaluations: result.evaluations,
      gradientNorm: result.gradientNorm,
      message
    }
  };
}

/** A fit's estimates and standard errors as named parameters, with what else a model's fit reports. */
export function namedFit<P>(fit: PositiveMleFit, fromArray: (values: readonly number[]) => P, customers: number) {
  return {
    params: fromArray(fit.estimates),
    standardErrors: fromArray(fit.standardErrors),
    covariance: fit.covariance,
    logLikelihood: fit.logLikelihood,
    customers,
    convergence: fit.convergence
  };
}
