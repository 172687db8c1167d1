// P(alive | x, t_x, T): the probability that a Pareto/NBD customer has not dropped out by T
// (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and related
// expressions", eqs. 36–37; Schmittlein, Morrison & Colombo 1987, eq. 11):
//
//   P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀) = A / (A + s·I)
//
// the share of the likelihood's first term (alive at T) in the whole (paretoNbdLikelihood.ts
// computes both in logs). Taken as the logistic of the log-odds ln(sI) − ln A, it neither
// overflows for large x nor loses precision near 0 or 1; it is exactly 1 when t_x = T.
import {paretoNbdLogTerms, type ParetoNbdParams} from "./paretoNbdLikelihood.js";

/**
 * P(alive | x, t_x, T) under Pareto/NBD.
 *
 * @example paretoNbdProbabilityAlive({r: 1, alpha: 1, s: 1, beta: 1}, 1, 1, 2) // (1/27) / (43/648) = 24/43
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const [logAlive, logGone] = paretoNbdLogTerms(params, x, tx, T);
  const logOdds = logGone - logAlive;
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}
