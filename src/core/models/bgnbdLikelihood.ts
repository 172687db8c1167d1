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
// and the last term as max(A₃, A₄) + ln(1 + e^−|A₃ − A₄|), so no power of (α+T) ever
// overflows or underflows. For integer x the x-only terms are sums (logPochhammer.ts):
//   ln Γ(r+x) − ln Γ(r) = ln (r)_x,   ln B(a, b+x) − ln B(a, b) = ln (b)_x − ln (a+b)_x.
// The gradient is analytic (ψ = digamma); with w₃ = e^A₃/(e^A₃ + δe^A₄), w₄ = 1 − w₃ (0 if x = 0):
//   ∂/∂r = ψ(r+x) − ψ(r) + ln α − w₃ ln(α+T) − w₄ ln(α+t_x)
//   ∂/∂α = r/α − (r+x) (w₃/(α+T) + w₄/(α+t_x))
//   ∂/∂a = ψ(a+b) − ψ(a+b+x) + w₄/a
//   ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − w₄/(b+x−1)
// and so is the Hessian: ln(e^A₃ + e^A₄) has ∇² = w₃ ∇²A₃ + w₄ ∇²A₄ + w₃w₄ (∇A₃ − ∇A₄)(∇A₃ − ∇A₄)ᵀ,
// with ∇A₃ = (−ln(α+T), −(r+x)/(α+T), 0, 0), ∇A₄ = (−ln(α+t_x), −(r+x)/(α+t_x), 1/a, −1/(b+x−1));
// the only non-zero second derivatives of A₃ are ∂²/∂r∂α = −1/(α+T), ∂²/∂α² = (r+x)/(α+T)²,
// those of A₄ the same in t_x and ∂²/∂a² = −1/a², ∂²/∂b² = 1/(b+x−1)²; A₁ adds
// ∂²/∂r² = ψ′(r+x) − ψ′(r), ∂²/∂r∂α = 1/α, ∂²/∂α² = −r/α², and A₂
// ∂²/∂a² = ∂²/∂a∂b = ψ′(a+b) − ψ′(a+b+x), ∂²/∂b² = ψ′(b+x) − ψ′(b) + ψ′(a+b) − ψ′(a+b+x).
//
// One pass over the distinct triples gives the value and, as asked, the gradient and the
// Hessian: the x-only terms are computed once per distinct x and ln(α + t), 1/(α + t) once per
// distinct time (RfmGroups), so a triple costs one exponential and one division (its
// ln(1 + e^−|A₃ − A₄|) is summed as the logarithm of a product, one logarithm per hundreds).
import {CompensatedSum} from "./compensatedSum.js";
import {logPochhammer} from "./logPochhammer.js";
import {groupRfm, type RfmGroups} from "./rfmGroups.js";

/** BG/NBD parameters: purchase rate λ ~ Gamma(shape r, rate α); dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** The parameter names in the order every array in this module uses. */
export const bgnbdParamNames = ["r", "alpha", "a", "b"] as const;

/** Σ weight · ln L over groups, with its gradient and Hessian in [r, α, a, b] when asked (else empty). */
export interface BgNbdLogLikelihoodDerivatives {
  value: number;
  gradient: number[];
  hessian: number[][];
}

/**
 * Σ weight · ln L over grouped customers (FHL 2005, eq. 6) and, for order 1 or 2, its
 * gradient and Hessian with respect to [r, α, a, b], in one pass (see the file header).
 *
 * @example
 * // r = α = a = b = 1, one customer (x = 1, t_x = 1, T = 2): ln(13/72) (bgnbdLogLikelihood)
 * bgnbdLogLikelihoodDerivatives({r: 1, alpha: 1, a: 1, b: 1}, groupRfm([{x: 1, tx: 1, T: 2}]), 0).value // −1.7117167…
 */
export function bgnbdLogLikelihoodDerivatives(
  {r, alpha, a, b}: BgNbdParams,
  groups: RfmGroups,
  order: 0 | 1 | 2
): BgNbdLogLikelihoodDerivatives {
  const {xLevels, xLevel, timeLevels, TLevel, txLevel, weight} = groups;
  const levels = xLevels.length;
  const lnA = Math.log(a);
  // Per distinct x: ln a − ln(b+x−1) of A₄ and 1/(b+x−1) (neither used when x = 0), Σ weight and Σ weight · w₄.
  const dropoutLog = new Float64Array(levels);
  const dropoutInverse = new Float64Array(levels);
  const levelWeight = new Float64Array(levels);
  const levelW4 = new Float64Array(levels);
  xLevels.forEach((x, k) => {
    if (x === 0) return;
    dropoutLog[k] = lnA - Math.log(b + x - 1);
    dropoutInverse[k] = 1 / (b + x - 1);
  });
  // Per distinct time t: ln(α + t) and 1/(α + t).
  const logTime = timeLevels.map((t) => Math.log(alpha + t));
  const inverseTime = timeLevels.map((t) => 1 / (alpha + t));
  // Σ over triples, compensated (a plain sum is too noisy for the optimiser's last steps).
  const tails = new CompensatedSum();
  // Σ ln(1 + e^−|A₃ − A₄|) over the triples of weight 1 (most of them) as the ln of a product of
  // factors in (1, 2], taken whenever it passes 2^900: one logarithm per hundreds of triples.
  let factors = 1;
  // ∂/∂r, ∂/∂α of the tails, and the Hessian's entries rr, rα, αα, ra, rb, αa, αb, aa, ab, bb.
  let gr = 0;
  let gAlpha = 0;
  const h = new Float64Array(10);
  for (let i = 0; i < groups.size; ++i) {
    const w = weight[i]!;
    if (w === 0) continue;
    const k = xLevel[i]!;
    const x = xLevels[k]!;
    const rx = r + x;
    const lnT = logTime[TLevel[i]!]!;
    const lnTx = logTime[txLevel[i]!]!;
    const a3 = -rx * lnT;
    levelWeight[k]! += w;
    let w3 = 1;
    let w4 = 0;
    let term = w * a3;
    if (x > 0) {
      const a4 = dropoutLog[k]! - rx * lnTx;
      // ln(e^A₃ + e^A₄) = max + ln(1 + e), e = e^−|A₃ − A₄|, and w₃, w₄ from the same exponential.
      const e = Math.exp(-Math.abs(a3 - a4));
      term = w * (a3 > a4 ? a3 : a4);
      if (w === 1) {
        factors *= 1 + e;
        if (factors > 2 ** 900) ((term += Math.log(factors)), (factors = 1));
      } else term += w * Math.log1p(e);
      const larger = 1 / (1 + e);
      w3 = a3 > a4 ? larger : e * larger;
      w4 = a3 > a4 ? e * larger : larger;
    }
    tails.add(term);
    if (order === 0) continue;
    const invT = inverseTime[TLevel[i]!]!;
    const invTx = inverseTime[txLevel[i]!]!;
    gr -= w * (w3 * lnT + w4 * lnTx);
    gAlpha -= w * rx * (w3 * invT + w4 * invTx);
    levelW4[k]! += w * w4;
    if (order === 1) continue;
    if (x === 0) {
      // ∇²A₃ alone.
      h[1]! -= w * invT;
      h[2]! += w * rx * invT * invT;
      continue;
    }
    // w₃ ∇²A₃ + w₄ ∇²A₄ + w₃w₄ d dᵀ, d = ∇A₃ − ∇A₄.
    const v = w * w3 * w4;
    const d = [lnTx - lnT, rx * (invTx - invT), -1 / a, dropoutInverse[k]!] as const;
    h[0]! += v * d[0] * d[0];
    h[1]! += v * d[0] * d[1] - w * (w3 * invT + w4 * invTx);
    h[2]! += v * d[1] * d[1] + w * rx * (w3 * invT * invT + w4 * invTx * invTx);
    h[3]! += v * d[0] * d[2];
    h[4]! += v * d[0] * d[3];
    h[5]! += v * d[1] * d[2];
    h[6]! += v * d[1] * d[3];
    h[7]! += v * d[2] * d[2] - (w * w4) / (a * a);
    h[8]! += v * d[2] * d[3];
    h[9]! += v * d[3] * d[3] + w * w4 * d[3] * d[3];
  }
  // The x-only terms A₁ and A₂, once per distinct x.
  let value = tails.value + Math.log(factors);
  const rising = logPochhammer(r, xLevels);
  const risingB = logPochhammer(b, xLevels);
  const risingAb = logPochhammer(a + b, xLevels);
  let total = 0;
  let ga = 0;
  let gb = 0;
  for (let k = 0; k < levels; ++k) {
    const W = levelWeight[k]!;
    total += W;
    value += W * (rising.value[k]! + risingB.value[k]! - risingAb.value[k]!);
    if (order === 0) continue;
    gr += W * rising.first[k]!;
    ga += levelW4[k]! / a - W * risingAb.first[k]!;
    gb += W * (risingB.first[k]! - risingAb.first[k]!) - levelW4[k]! * dropoutInverse[k]!;
    if (order === 1) continue;
    h[0]! += W * rising.second[k]!;
    h[7]! -= W * risingAb.second[k]!;
    h[8]! -= W * risingAb.second[k]!;
    h[9]! += W * (risingB.second[k]! - risingAb.second[k]!);
  }
  const lnAlpha = Math.log(alpha);
  value += total * r * lnAlpha;
  if (order === 0) return {value, gradient: [], hessian: []};
  const gradient = [gr + total * lnAlpha, gAlpha + (total * r) / alpha, ga, gb];
  if (order === 1) return {value, gradient, hessian: []};
  h[1]! += total / alpha;
  h[2]! -= (total * r) / (alpha * alpha);
  const [rr, rAlpha, alphaAlpha, ra, rb, alphaA, alphaB, aa, ab, bb] = h;
  const hessian = [
    [rr!, rAlpha!, ra!, rb!],
    [rAlpha!, alphaAlpha!, alphaA!, alphaB!],
    [ra!, alphaA!, aa!, ab!],
    [rb!, alphaB!, ab!, bb!]
  ];
  return {value, gradient, hessian};
}

/**
 * ln L(r, α, a, b | x, t_x, T) for one customer (FHL 2005, eq. 6).
 *
 * @example bgnbdLogLikelihood({r: 1, alpha: 1, a: 1, b: 1}, 1, 1, 2) // ln(13/72) = −1.7117167…
 */
export function bgnbdLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  return bgnbdLogLikelihoodDerivatives(params, groupRfm([{x, tx, T}]), 0).value;
}

/** ∇ ln L with respect to [r, α, a, b] for one customer (analytic; see the file header). */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, x: number, tx: number, T: number): number[] {
  return bgnbdLogLikelihoodDerivatives(params, groupRfm([{x, tx, T}]), 1).gradient;
}

/** Σ weight · ln L over grouped customers. */
export function bgnbdTotalLogLikelihood(params: BgNbdParams, groups: RfmGroups): number {
  return bgnbdLogLikelihoodDerivatives(params, groups, 0).value;
}

/** ∇ Σ weight · ln L with respect to [r, α, a, b]. */
export function bgnbdTotalLogLikelihoodGradient(params: BgNbdParams, groups: RfmGroups): number[] {
  return bgnbdLogLikelihoodDerivatives(params, groups, 1).gradient;
}
