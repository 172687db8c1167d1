// Expected number of purchases in (T, T+t] by a Pareto/NBD customer known to be alive at T
// after x repeat purchases (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model
// and related expressions", eq. 41 without its P(alive) factor), and by a customer just
// acquired (ibid. eq. 27, the same at x = 0, T = 0):
//
//   E[Y(t) | alive, x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]
//
// The bracket over s − 1 is −expm1(−(s−1) L)/(s−1) with L = ln((β+T+t)/(β+T)): accurate for s
// near 1, where the formula is 0/0, and equal to its limit L at s = 1.
import type {ParetoNbdParams} from "./paretoNbdLikelihood.js";

/**
 * E[Y(t) | alive, x, T]: expected purchases in the next t time units by a customer still
 * active at T (it does not depend on t_x).
 *
 * @example paretoNbdExpectedPurchasesIfAlive({r: 1, alpha: 1, s: 2, beta: 1}, 2, 1, 1) // 2·2/(2·1) · (1 − 2/4) = 1
 */
export function paretoNbdExpectedPurchasesIfAlive(
  {r, alpha, s, beta}: ParetoNbdParams,
  t: number,
  x: number,
  T: number
): number {
  if (!(t >= 0)) return NaN;
  const logGrowth = Math.log1p(t / (beta + T));
  const lifetimeFactor = s === 1 ? logGrowth : -Math.expm1(-(s - 1) * logGrowth) / (s - 1);
  return (((r + x) * (beta + T)) / (alpha + T)) * lifetimeFactor;
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] for a new customer (t in the model's time unit).
 *
 * @example paretoNbdExpectedPurchases({r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669}, 39) // ≈ 1.2134 (CDNOW)
 */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  return paretoNbdExpectedPurchasesIfAlive(params, t, 0, 0);
}
