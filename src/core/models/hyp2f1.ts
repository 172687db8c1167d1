// The Gaussian hypergeometric function 2F1(a, b; c; z) = Σ_k (a)_k (b)_k / ((c)_k k!) z^k,
// needed by the BG/NBD expectations (Fader, Hardie & Lee 2005, Marketing Science 24(2),
// eqs. 7 and 10), always with 0 ≤ z < 1 there.
//
// The evaluation is @stdlib/math-base-special-hyp2f1, a port of Cephes' hyp2f1.c
// (S. L. Moshier): the power series where it converges fast, and otherwise the linear
// transformations of Abramowitz & Stegun 15.3.3–15.3.9 (z → 1 − z, z → z/(z − 1)), each with
// its own convergence test (relative term size below machine epsilon, "ETHRESH"). It is
// re-exported here, documented once, so the model code and its tests name one function.
// test/clv/hyp2f1.test.ts checks it against A&S closed forms and against mpmath.
import stdlibHyp2f1 from "@stdlib/math-base-special-hyp2f1";

/**
 * 2F1(a, b; c; z) for real arguments. +∞ at z = 1 when c − a − b ≤ 0, NaN for NaN input.
 *
 * @example hyp2f1(1, 1, 2, 0.5) // −ln(1 − 0.5)/0.5 = 1.3862943611198906 (A&S 15.1.3)
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return stdlibHyp2f1(a, b, c, z);
}
