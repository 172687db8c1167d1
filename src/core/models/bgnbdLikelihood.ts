// BG/NBD log-likelihood (Fader, Hardie & Lee 2005, "Counting your customers the easy way:
// an alternative to the Pareto/NBD model", Marketing Science 24(2):275–284, eq. 6):
//
//   L(r, α, a, b | x, t_x, T) = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//                             + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
//
// evaluated in log space. With B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1) (FHL 2005, eq. 6 rewritten
// as in Fader, Hardie & Lee's note "Implementing the BG/NBD model for customer base
// analysis in Excel", 2005):
//
//   ln L = A₁ + A₂ + ln(e^A₃ + δ(x>0) e^A₄)
//   A₁ = ln Γ(r+x) − ln Γ(r) + r ln α
//   A₂ = ln B(a, b+x) − ln B(a, b)
//   A₃ = −(r+x) ln(α+T)
//   A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
//
// and the last term by logAddExp, so no power of (α+T) ever overflows or underflows.
// The gradient is analytic (ψ = digamma); with w₃ = e^A₃/(e^A₃ + δe^A₄), w₄ = 1 − w₃ (0 if x = 0):
//   ∂/∂r = ψ(r+x) − ψ(r) + ln α − w₃ ln(α+T) − w₄ ln(α+t_x)
//   ∂/∂α = r/α − (r+x) (w₃/(α+T) + w₄/(α+t_x))
//   ∂/∂a = ψ(a+b) − ψ(a+b+x) + w₄/a
//   ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − w₄/(b+x−1)
import betaln from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import {logAddExp} from "./logSumExp.js";
import type {RfmGroups} from "./rfmGroups.js";

/** BG/NBD parameters: purchase rate λ ~ Gamma(shape r, rate α); dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** The parameter names in the order every array in this module uses. */
export const bgnbdParamNames = ["r", "alpha", "a", "b"] as const;

/** Terms that depend on the parameters and x only, shared by all triples with that x. */
interface XTerms {
  lnGammaRatio: number; // ln Γ(r+x) − ln Γ(r)
  lnBetaRatio: number; // ln B(a, b+x) − ln B(a, b)
  dR: number; // ψ(r+x) − ψ(r)
  dA: number; // ψ(a+b) − ψ(a+b+x)
  dB: number; // ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x)
}

function xTerms({r, a, b}: BgNbdParams, x: number, withGradient: boolean): XTerms {
  const lnB0 = betaln(a, b);
  const terms: XTerms = {
    lnGammaRatio: gammaln(r + x) - gammaln(r),
    lnBetaRatio: betaln(a, b + x) - lnB0,
    dR: 0,
    dA: 0,
    dB: 0
  };
  if (withGradient && x > 0) {
    const psiAbx = digamma(a + b + x);
    const psiAb = digamma(a + b);
    terms.dR = digamma(r + x) - digamma(r);
    terms.dA = psiAb - psiAbx;
    terms.dB = psiAb - digamma(b) + digamma(b + x) - psiAbx;
  }
  return terms;
}

/** A₃ and A₄ (−∞ when x = 0) for one triple. */
function tailTerms({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): [number, number] {
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return [a3, a4];
}

function valueWith(params: BgNbdParams, terms: XTerms, x: number, tx: number, T: number): number {
  const [a3, a4] = tailTerms(params, x, tx, T);
  return terms.lnGammaRatio + params.r * Math.log(params.alpha) + terms.lnBetaRatio + logAddExp(a3, a4);
}

function gradientWith(
  params: BgNbdParams,
  terms: XTerms,
  x: number,
  tx: number,
  T: number,
  out: number[],
  w: number
): void {
  const {r, alpha, a, b} = params;
  const [a3, a4] = tailTerms(params, x, tx, T);
  // w₄ = e^A₄ / (e^A₃ + e^A₄) = 1 / (1 + e^(A₃ − A₄)), stable for any gap.
  const w4 = x > 0 ? 1 / (1 + Math.exp(a3 - a4)) : 0;
  const w3 = 1 - w4;
  out[0]! += w * (terms.dR + Math.log(alpha) - w3 * Math.log(alpha + T) - (w4 > 0 ? w4 * Math.log(alpha + tx) : 0));
  out[1]! += w * (r / alpha - (r + x) * (w3 / (alpha + T) + (w4 > 0 ? w4 / (alpha + tx) : 0)));
  out[2]! += w * (terms.dA + w4 / a);
  out[3]! += w * (terms.dB - (w4 > 0 ? w4 / (b + x - 1) : 0));
}

/**
 * ln L(r, α, a, b | x, t_x, T) for one customer (FHL 2005, eq. 6).
 *
 * @example bgnbdLogLikelihood({r: 1, alpha: 1, a: 1, b: 1}, 1, 1, 2) // ln(13/72) = −1.7117167…
 */
export function bgnbdLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  return valueWith(params, xTerms(params, x, false), x, tx, T);
}

/** ∇ ln L with respect to [r, α, a, b] for one customer (analytic; see the file header). */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, x: number, tx: number, T: number): number[] {
  const out = [0, 0, 0, 0];
  gradientWith(params, xTerms(params, x, true), x, tx, T, out, 1);
  return out;
}

/** Σ weight · ln L over grouped customers. */
export function bgnbdTotalLogLikelihood(params: BgNbdParams, groups: RfmGroups): number {
  const terms = groups.xLevels.map((x) => xTerms(params, x, false));
  let total = 0;
  for (let i = 0; i < groups.size; ++i) {
    const w = groups.weight[i]!;
    if (w === 0) continue;
    total += w * valueWith(params, terms[groups.xLevel[i]!]!, groups.x[i]!, groups.tx[i]!, groups.T[i]!);
  }
  return total;
}

/** ∇ Σ weight · ln L with respect to [r, α, a, b]. */
export function bgnbdTotalLogLikelihoodGradient(params: BgNbdParams, groups: RfmGroups): number[] {
  const terms = groups.xLevels.map((x) => xTerms(params, x, true));
  const out = [0, 0, 0, 0];
  for (let i = 0; i < groups.size; ++i) {
    const w = groups.weight[i]!;
    if (w === 0) continue;
    gradientWith(params, terms[groups.xLevel[i]!]!, groups.x[i]!, groups.tx[i]!, groups.T[i]!, out, w);
  }
  return out;
}
