// Expected number of repeat purchases in (0, t] by a customer just acquired, under BG/NBD
// (Fader, Hardie & Lee 2005, Marketing Science 24(2), eq. 7):
//
//   E[X(t) | r, α, a, b] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))]
//
// The power is taken as exp(r (ln α − ln(α+t))). The formula has a removable singularity at
// a = 1 (both factors vanish); within 1e-6 of it the value at a = 1 ± 1e-6 is averaged.
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {hyp2f1} from "./hyp2f1.js";

function expectation(r: number, alpha: number, a: number, b: number, t: number): number {
  const z = t / (alpha + t);
  const power = Math.exp(r * (Math.log(alpha) - Math.log(alpha + t)));
  return ((a + b - 1) / (a - 1)) * (1 - power * hyp2f1(r, b, a + b - 1, z));
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] for a new customer (t in the model's time unit).
 *
 * @example bgnbdExpectedPurchases({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 78) // ≈ 1.858 (FHL 2005 CDNOW)
 */
export function bgnbdExpectedPurchases({r, alpha, a, b}: BgNbdParams, t: number): number {
  if (!(t >= 0)) return NaN;
  if (t === 0) return 0;
  if (Math.abs(a - 1) < 1e-6)
    return (expectation(r, alpha, 1 - 1e-6, b, t) + expectation(r, alpha, 1 + 1e-6, b, t)) / 2;
  return expectation(r, alpha, a, b, t);
}
