// Expected number of purchases in (T, T+t] by a customer with history (x, t_x, T), under
// Pareto/NBD (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and related
// expressions", eq. 41; Schmittlein, Morrison & Colombo 1987, eq. 22): P(alive) times the
// expectation for a customer known to be alive.
import {paretoNbdExpectedPurchasesIfAlive} from "./paretoNbdExpectedPurchases.js";
import type {ParetoNbdParams} from "./paretoNbdLikelihood.js";
import {paretoNbdProbabilityAlive} from "./paretoNbdProbabilityAlive.js";

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units.
 *
 * @example
 * // CDNOW sample customer 1 (x = 2, t_x = 30.43, T = 38.86), Fader & Hardie's estimates, next 39 weeks → ≈ 1.455
 * paretoNbdConditionalExpectedPurchases({r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669}, 39, 2, 30.43, 38.86)
 */
export function paretoNbdConditionalExpectedPurchases(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number
): number {
  return paretoNbdExpectedPurchasesIfAlive(params, t, x, T) * paretoNbdProbabilityAlive(params, x, tx, T);
}
