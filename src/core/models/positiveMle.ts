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
// A problem that computes ln L and its gradient in one pass (`derivatives`) gives the
// optimiser the gradient of each point it evaluates for about the price of the value: BFGS asks
// for the gradient only at the point its line search accepted, the last one evaluated.
//
// Standard errors: the observed information I(p̂) = −∇² ln L at the optimum, in the natural
// parameters, from the problem's analytic Hessian where `derivatives` gives one, else by
// central differences of the analytic gradient (finiteDifferences.ts);
// covariance = I⁻¹ (Cholesky, linearAlgebra.ts), SE = √diag. Where I is not positive
// definite (no interior maximum) the SEs are NaN and the convergence message says so.
//
// Converged means an interior maximum: the gradient fell below its tolerance, the observed
// information is positive definite, and no parameter ran off towards 0 or ∞. A parameter
// runs off when ln p reaches within 1 of logBound, when its standard error exceeds
// RUNAWAY_RELATIVE_SE times its estimate (then the likelihood is flat along ln p over
// e^(±2·10): the data put no bound on it), or, where the information is not positive
// definite or the optimiser stalled, when it moved more than RUNAWAY_MOVE-fold from its start. A parameter whose
// standard error exceeds its estimate (WEAK_RELATIVE_SE) is poorly determined: its Wald 95 %
// interval p̂ ± 1.96 SE reaches below 0, so the data cannot tell it from its boundary; the fit
// may still have converged, and fitHealth reports it.
import {minimizeBfgs} from "./bfgs.js";
import {hessianFromGradient} from "./finiteDifferences.js";
import {invertSymmetricPositiveDefinite} from "./linearAlgebra.js";

/** A likelihood over positive parameters, as arrays in a fixed order. */
export interface PositiveMleProblem {
  logLikelihood(params: readonly number[]): number;
  gradient(params: readonly number[]): number[];
  /**
   * ln L with its gradient, and with its Hessian when `hessian` is true, in one pass
   * (optional; the same values as logLikelihood and gradient).
   */
  derivatives?(params: readonly number[], hessian: boolean): {value: number; gradient: number[]; hessian?: number[][]};
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

/** A parameter the data do not bound: the fit runs it towards 0 or ∞. */
export interface RunawayParameter {
  index: number;
  towards: "0" | "∞";
}

/** Estimates with their standard errors, covariance and the maximised log-likelihood. */
export interface PositiveMleFit {
  estimates: number[];
  standardErrors: number[];
  /** Inverse observed information, or undefined when it is not positive definite. */
  covariance: number[][] | undefined;
  logLikelihood: number;
  convergence: MleConvergence;
  /** Parameters running off to 0 or ∞ (see the file header); empty at an interior maximum. */
  runaway: RunawayParameter[];
}

/** A fit's verdict on itself: ok when nothing in problems; each problem a plain sentence. */
export interface FitHealth {
  ok: boolean;
  problems: string[];
  /**
   * What the data cannot tell, for pages to withhold what depends on it: the keys of the
   * parameter groups that run off or hold a poorly determined parameter, and the model's own.
   */
  unidentified: string[];
}

/** SE/p̂ above which a parameter is unbounded by the data (the fit runs it off; not converged). */
export const RUNAWAY_RELATIVE_SE = 10;
/** Fold change from the start beyond which a parameter without standard errors counts as running off. */
export const RUNAWAY_MOVE = 1e4;
/** SE/p̂ above which a parameter is poorly determined (its Wald 95 % interval reaches below 0). */
export const WEAK_RELATIVE_SE = 1;
/**
 * Customers carrying the information, per parameter, below which the estimates are not to be
 * trusted: the "ten events per variable" rule for likelihood models (Peduzzi et al. 1996,
 * "A simulation study of the number of events per variable in logistic regression analysis",
 * J Clin Epidemiol 49(12):1373–1379: below 10, estimates are biased and Wald intervals miss).
 */
export const MIN_CUSTOMERS_PER_PARAMETER = 10;

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
  // The gradient computed with the last value, and where.
  let last: {theta: readonly number[]; gradient: number[]} | undefined;
  const objective = (theta: readonly number[]) => {
    if (!inBounds(theta)) return Infinity;
    const p = theta.map(Math.exp);
    let logLikelihood: number;
    if (problem.derivatives) {
      const both = problem.derivatives(p, false);
      logLikelihood = both.value;
      last = {theta: theta.slice(), gradient: both.gradient};
    } else logLikelihood = problem.logLikelihood(p);
    const value = -logLikelihood / problem.scale;
    return Number.isNaN(value) ? Infinity : value;
  };
  const gradient = (theta: readonly number[]) => {
    const p = theta.map(Math.exp);
    const g = last?.theta.every((t, i) => t === theta[i]) ? last.gradient : problem.gradient(p);
    return g.map((gi, i) => (-gi * p[i]!) / problem.scale);
  };
  const result = minimizeBfgs(objective, gradient, start.map(Math.log), {gradientTolerance, maxIterations});
  const estimates = result.x.map(Math.exp);
  const analytic = problem.derivatives?.(estimates, true).hessian;
  const information = analytic
    ? analytic.map((row) => row.map((v) => -v))
    : hessianFromGradient((p) => problem.gradient(p).map((g) => -g), estimates);
  const covariance = invertSymmetricPositiveDefinite(information);
  const standardErrors = estimates.map((_, i) => (covariance ? Math.sqrt(covariance[i]![i]!) : NaN));
  const runaway: RunawayParameter[] = [];
  estimates.forEach((p, index) => {
    const theta = result.x[index]!;
    const moved = theta - Math.log(start[index]!);
    if (
      Math.abs(theta) > logBound - 1 ||
      standardErrors[index]! > RUNAWAY_RELATIVE_SE * p ||
      (!(covariance && result.converged) && Math.abs(moved) > Math.log(RUNAWAY_MOVE))
    )
      runaway.push({index, towards: (Math.abs(theta) > logBound - 1 ? theta : moved) > 0 ? "∞" : "0"});
  });
  let message = result.message;
  if (!covariance) message += "; the observed information is not positive definite (no standard errors)";
  if (result.x.some((t) => Math.abs(t) > logBound - 1)) message += "; a parameter is near its bound";
  else if (runaway.length) message += "; a parameter is running off to 0 or ∞";
  return {
    estimates,
    standardErrors,
    covariance,
    logLikelihood: -result.value * problem.scale,
    runaway,
    convergence: {
      converged: result.converged && covariance !== undefined && runaway.length === 0,
      iterations: result.iterations,
      evaluations: result.evaluations,
      gradientNorm: result.gradientNorm,
      message
    }
  };
}

/** Parameters that together describe one thing, and what it means when the data cannot identify them. */
export interface ParameterGroup {
  indices: readonly number[];
  /** What the group governs, as FitHealth.unidentified names it (e.g. "dropout"). */
  key: string;
  /** E.g. "dropout is not identified". */
  notIdentified: string;
}

/**
 * The problems of a fit in plain sentences: no convergence, parameters running off (by
 * group: "dropout is not identified: the fit runs to a → 0, b → ∞"), no positive-definite
 * information, poorly determined parameters, and the model's own (e.g. too few repeat buyers).
 */
export function fitHealth(
  fit: PositiveMleFit,
  names: readonly string[],
  groups: readonly ParameterGroup[],
  modelProblems: readonly string[] = [],
  modelUnidentified: readonly string[] = []
): FitHealth {
  const problems = [...modelProblems];
  // A set keeps each key once, in the order first met.
  const unidentified = new Set(modelUnidentified);
  const ranOff = new Set(fit.runaway.map(({index}) => index));
  for (const {indices, key, notIdentified} of groups) {
    const running = fit.runaway.filter(({index}) => indices.includes(index));
    if (!running.length) continue;
    unidentified.add(key);
    problems.push(
      `${notIdentified}: the fit runs to ${running.map(({index, towards}) => `${names[index]} → ${towards}`).join(", ")}`
    );
  }
  if (!fit.covariance)
    problems.push(
      "the observed information at the estimate is not positive definite: the likelihood has no interior maximum there, and no standard errors"
    );
  fit.estimates.forEach((p, i) => {
    const se = fit.standardErrors[i]!;
    if (ranOff.has(i) || !(se > WEAK_RELATIVE_SE * p)) return;
    problems.push(
      `${names[i]} is poorly determined: its standard error (${se.toPrecision(3)}) exceeds its estimate (${p.toPrecision(3)})`
    );
    // A parameter whose 95 % interval reaches below 0 is not told by the data either.
    const group = groups.find(({indices}) => indices.includes(i));
    if (group) unidentified.add(group.key);
  });
  if (!fit.convergence.converged && !fit.runaway.length && fit.covariance)
    problems.push(`the optimiser did not converge: ${fit.convergence.message}`);
  return {ok: problems.length === 0, problems, unidentified: [...unidentified]};
}

/** A fit's estimates and standard errors as named parameters, with what else a model's fit reports. */
export function namedFit<P>(
  fit: PositiveMleFit,
  fromArray: (values: readonly number[]) => P,
  customers: number,
  health: FitHealth
) {
  return {
    params: fromArray(fit.estimates),
    standardErrors: fromArray(fit.standardErrors),
    covariance: fit.covariance,
    logLikelihood: fit.logLikelihood,
    customers,
    convergence: fit.convergence,
    health
  };
}
