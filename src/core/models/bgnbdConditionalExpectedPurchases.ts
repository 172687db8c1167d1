// Expected number of purchases in (T, T+t] by a customer with history (x, t_x, T), under
// BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2), eq. 10):
//
//   E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
//                         / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
//
// The denominator is 1/P(alive) (bgnbdProbabilityAlive.ts), so the value is P(alive) times
// the expectation for a customer known to be alive. Written as above, the numerator is a
// huge 2F1 times a tiny power: for the CDNOW estimates, 2F1 overflows while the power
// underflows, and the value is ±∞ or NaN, from x = 1,105 at t = 39, T = 38.86 (from x = 337 at
// t = 104, T = 10). Euler's transformation (Abramowitz
// & Stegun 15.3.3, 2F1(A, B; C; z) = (1−z)^(C−A−B) 2F1(C−A, C−B; C; z)) with z = t/(α+T+t),
// 1 − z = (α+T)/(α+T+t) and C − A − B = a − 1 − r − x cancels the big powers exactly:
//
//   ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z) = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z)
//
// whose 2F1 has small numerator parameters and a denominator parameter that grows with x, so
// its series converges fast and tends to 1 as x → ∞: the value is finite for any x. 2F1 is
// hyp2f1.ts; z is always in [0, 1). test/core/models/bgnbdLargeFrequency.test.ts checks the
// value against the untransformed form summed with 60 significant digits. Removable singularity at a = 1: treated as in
// bgnbdExpectedPurchases.ts.
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "./bgnbdProbabilityAlive.js";
import {hyp2f1} from "./hyp2f1.js";

function aliveExpectation(r: number, alpha: number, a: number, b: number, t: number, x: number, T: number): number {
  const z = t / (alpha + T + t);
  // (1 − z)^(a−1) = ((α+T)/(α+T+t))^(a−1), from logs so that 1 − z is not rounded.
  const power = Math.exp((a - 1) * (Math.log(alpha + T) - Math.log(alpha + T + t)));
  return ((a + b + x - 1) / (a - 1)) * (1 - power * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z));
}

/**
 * E[Y(t) | alive, x, T]: expected purchases in the next t time units by a customer known to
 * be still active (eq. 10 without its denominator); it does not depend on t_x.
 */
export function bgnbdExpectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  if (!(t >= 0)) return NaN;
  if (t === 0) return 0;
  const {r, alpha, a, b} = params;
  return Math.abs(a - 1) < 1e-6
    ? (aliveExpectation(r, alpha, 1 - 1e-6, b, t, x, T) + aliveExpectation(r, alpha, 1 + 1e-6, b, t, x, T)) / 2
    : aliveExpectation(r, alpha, a, b, t, x, T);
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units.
 *
 * @example
 * // FHL 2005 §5 (CDNOW): x = 2, t_x = 30.43, T = 38.86, next 39 weeks → ≈ 1.226
 * bgnbdConditionalExpectedPurchases({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 39, 2, 30.43, 38.86)
 */
export function bgnbdConditionalExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number
): number {
  return bgnbdExpectedPurchasesIfAlive(params, t, x, T) * bgnbdProbabilityAlive(params, x, tx, T);
}
