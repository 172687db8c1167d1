// The maximum-likelihood fit shared by the models of customers' (x, t_x, T): BG/NBD
// (bgnbdFit.ts) and Pareto/NBD (paretoNbdFit.ts). Both have four positive parameters, r and α
// for the Gamma spread of purchase rates and two for dropout, fitted by positiveMle.ts with
// standard errors from the observed information.
//
// Health: in both models only repeat buyers show dropout (a customer with no repeat purchase
// may be slow or gone), so with none the dropout parameters are not identified and the fit
// has not converged; with fewer than MIN_CUSTOMERS_PER_PARAMETER per parameter (4 × 10 = 40)
// the health says too few. Customers who all buy at one steady rate drive r, α → ∞ (no spread
// of rates) and the dropout parameters to a boundary; positiveMle.ts detects such runs.
import {
  fitHealth,
  fitPositiveMle,
  MIN_CUSTOMERS_PER_PARAMETER,
  namedFit,
  type FitHealth,
  type MleConvergence,
  type PositiveMleOptions,
  type PositiveMleProblem
} from "./positiveMle.js";
import {groupRfm, type CustomerRfm, type RfmGroups} from "./rfmGroups.js";

/** A fitted model of (x, t_x, T). */
export interface RfmModelFit<P> {
  params: P;
  standardErrors: P;
  /** Covariance of the parameters in the model's order (inverse observed information), undefined if not positive definite. */
  covariance: number[][] | undefined;
  /** Σ ln L at the estimate. */
  logLikelihood: number;
  /** Σ weight: the number of customers. */
  customers: number;
  /** converged is false at a boundary, without positive-definite information, or without repeat buyers. */
  convergence: MleConvergence;
  /** Whether the estimates can be used, and if not why, in plain sentences. */
  health: FitHealth;
}

/** Options of a fit: optimiser settings and a start (each model has its default). */
export interface RfmModelFitOptions<P> extends PositiveMleOptions {
  start?: P;
}

/** A model of (x, t_x, T) as the fit needs it. */
export interface RfmModel<P> {
  /** For messages, e.g. "fitBgNbd". */
  caller: string;
  /** The parameters as health sentences name them, in the model's order: r, α, then the two of dropout. */
  names: readonly [string, string, string, string];
  toArray(params: P): number[];
  fromArray(values: readonly number[]): P;
  totalLogLikelihood(params: P, groups: RfmGroups): number;
  totalLogLikelihoodGradient(params: P, groups: RfmGroups): number[];
  /** Where the model has them in one pass: the value with its gradient, and (hessian) the analytic Hessian (positiveMle.ts). */
  derivatives?: (
    params: P,
    groups: RfmGroups,
    hessian: boolean
  ) => ReturnType<NonNullable<PositiveMleProblem["derivatives"]>>;
  /** The default start from the customers' mean x and mean T. */
  start(meanX: number, meanT: number): P;
  /** What stays at its start when no customer bought twice: for the convergence message, and the health's sentence. */
  withoutRepeatBuyers: {message: string; problem: string};
}

const PARAMETER_GROUPS = [
  {
    indices: [0, 1],
    key: "purchase rate spread",
    notIdentified: "the spread of purchase rates across customers is not identified"
  },
  {indices: [2, 3], key: "dropout", notIdentified: "dropout is not identified"}
];

function isGroups(data: RfmGroups | Iterable<CustomerRfm>): data is RfmGroups {
  return (data as RfmGroups).xLevel instanceof Int32Array;
}

/** Fits the model's parameters to customers' (x, t_x, T) by maximum likelihood. */
export function fitRfmModel<P>(
  model: RfmModel<P>,
  data: RfmGroups | Iterable<CustomerRfm>,
  {start, ...options}: RfmModelFitOptions<P> = {}
): RfmModelFit<P> {
  const groups = isGroups(data) ? data : groupRfm(data);
  if (!(groups.totalWeight > 0)) throw new Error(`${model.caller}: no customers`);
  let meanX = 0;
  let meanT = 0;
  let repeatBuyers = 0;
  for (let i = 0; i < groups.size; ++i) {
    meanX += (groups.weight[i]! * groups.x[i]!) / groups.totalWeight;
    meanT += (groups.weight[i]! * groups.T[i]!) / groups.totalWeight;
    if (groups.x[i]! > 0) repeatBuyers += groups.weight[i]!;
  }
  const fit = fitPositiveMle(
    {
      logLikelihood: (p) => model.totalLogLikelihood(model.fromArray(p), groups),
      gradient: (p) => model.totalLogLikelihoodGradient(model.fromArray(p), groups),
      ...(model.derivatives && {
        derivatives: (p: readonly number[], hessian: boolean) => model.derivatives!(model.fromArray(p), groups, hessian)
      }),
      scale: groups.totalWeight
    },
    model.toArray(start ?? model.start(meanX, meanT)),
    options
  );
  const modelProblems: string[] = [];
  if (!(repeatBuyers > 0)) {
    fit.convergence.converged = false;
    fit.convergence.message += `; no repeat buyers: ${model.withoutRepeatBuyers.message}`;
    modelProblems.push(model.withoutRepeatBuyers.problem);
  } else if (repeatBuyers < MIN_CUSTOMERS_PER_PARAMETER * 4)
    modelProblems.push(
      `too few repeat buyers to estimate dropout: ${repeatBuyers}, fewer than ${MIN_CUSTOMERS_PER_PARAMETER} per parameter (${MIN_CUSTOMERS_PER_PARAMETER * 4})`
    );
  // Without repeat buyers neither dropout nor the spread of rates can be told.
  const modelUnidentified = repeatBuyers > 0 ? [] : ["dropout", "purchase rate spread"];
  const health = fitHealth(fit, model.names, PARAMETER_GROUPS, modelProblems, modelUnidentified);
  return namedFit(fit, model.fromArray, groups.totalWeight, health);
}
