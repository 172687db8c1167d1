// The wait from T to a BG/NBD customer's next purchase (Fader, Hardie & Lee 2005, Marketing
// Science 24(2), §2 assumptions i–v; derived here from them):
//
// While active, a customer buys as a Poisson process of rate λ and, just after each purchase,
// drops out with probability p. Given the history (x, t_x, T) and that the customer is still
// active at T, the likelihood of λ is λ^x e^(−λT) (x purchases, none in (t_x, T]) times the
// Gamma(r, α) prior: λ | data, active ~ Gamma(r + x, α + T) (FHL 2005 eq. 3's integrand).
// An active customer cannot drop out before their next purchase, so the wait W to it is
// Exponential(λ), and integrating e^(−λw) over that Gamma gives the survival of a Lomax
// (Pareto II) distribution:
//
//   P(W > w | active, x, T) = ((α+T)/(α+T+w))^(r+x)
//
// It depends on x and T, not on t_x, and not on the dropout parameters a and b. So:
//
//   P(at least one purchase in (T, T+t] | x, t_x, T) = P(active) · (1 − ((α+T)/(α+T+t))^(r+x))
//
// (a customer who dropped out buys nothing; P(active) is bgnbdProbabilityAlive.ts), and the
// median wait of an active customer solves ((α+T)/(α+T+w))^(r+x) = 1/2:
//
//   w½ = (α+T) · (2^(1/(r+x)) − 1)
//
// finite for any r + x > 0, where the mean (α+T)/(r+x−1) is infinite when r + x ≤ 1. Time is
// in the fit's unit (weeks here).
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "./bgnbdProbabilityAlive.js";

/**
 * P(at least one purchase in the next t time units | x, t_x, T) under BG/NBD.
 *
 * @example
 * // P(alive) = 4/13 (bgnbdProbabilityAlive's example), P(buy within 2 | active) = 1 − (3/5)² = 0.64
 * bgnbdProbabilityPurchaseWithin({r: 1, alpha: 1, a: 1, b: 1}, 2, 1, 1, 2) // 4/13 · 0.64 ≈ 0.19692
 */
export function bgnbdProbabilityPurchaseWithin(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number
): number {
  if (!(t >= 0)) return NaN;
  // 1 − ((α+T)/(α+T+t))^(r+x) from logs: expm1 and log1p keep a short t, or a small r + x, precise.
  return bgnbdProbabilityAlive(params, x, tx, T) * -Math.expm1(-(params.r + x) * Math.log1p(t / (params.alpha + T)));
}

/**
 * The median wait from T to the next purchase of a customer still active, (α+T)(2^(1/(r+x)) − 1):
 * the time by which an active customer has an even chance of having bought again.
 *
 * @example bgnbdMedianWaitIfAlive({r: 1, alpha: 1, a: 1, b: 1}, 1, 2) // 3 · (√2 − 1) ≈ 1.2426
 */
export function bgnbdMedianWaitIfAlive({r, alpha}: BgNbdParams, x: number, T: number): number {
  return (alpha + T) * Math.expm1(Math.LN2 / (r + x));
}
