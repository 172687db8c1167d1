// Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
// Using iso-value curves for customer base analysis", Journal of Marketing Research 42(4):
// 415–430, §"Adding monetary value"; Fader & Hardie 2013, "The Gamma-Gamma model of
// monetary value", note at brucehardie.com). A customer's transaction values are
// Gamma(p, ν) around a customer mean p/ν, with ν ~ Gamma(q, γ) across customers. The
// density of the customer's mean spend m_x over x transactions is
//
//   f(m_x | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + m_x x)^(px+q)
//
//   ln f = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + m_x x)
//
// Gradient (ψ = digamma):
//   ∂/∂p = x [ψ(px+q) − ψ(px) + ln m_x + ln x − ln(γ + m_x x)]
//   ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + m_x x)
//   ∂/∂γ = q/γ − (px+q)/(γ + m_x x)
// Here, as in FHL 2005 (JMR) on CDNOW and in lifetimes, x counts repeat transactions and
// m_x is their mean value; the model needs x > 0 and m_x > 0.
//
// Summed over customers, with u = ln(γ + m_x x) − ln(m_x x) = ln(1 + γ/(m_x x)), the terms that
// do not depend on the parameters are summed once (SpendGroups) and those in px once per
// distinct x:
//   Σ ln f = Σ_x W_x [ln Γ(px+q) − ln Γ(px)] − W ln Γ(q) − Σ w ln m_x + q (W ln γ − Σ w ln(m_x x)) − Σ w (px+q) u
//   ∂/∂p   = Σ_x W_x x [ψ(px+q) − ψ(px)] − Σ w x u
//   ∂/∂q   = Σ_x W_x ψ(px+q) − W ψ(q) + W ln γ − Σ w ln(m_x x) − Σ w u
//   ∂/∂γ   = W q/γ − Σ w (px+q)/(γ + m_x x)
// (W_x: the weight of the customers with that x, W: all of it), so a customer costs one
// logarithm and one division a pass, and the big terms px ln m_x, (px+q) ln(γ + m_x x) of the
// density never cancel in the sum. The Hessian (ψ′ = trigamma) follows:
//   ∂²/∂p² = Σ_x W_x x² [ψ′(px+q) − ψ′(px)],  ∂²/∂p∂q = Σ_x W_x x ψ′(px+q),  ∂²/∂p∂γ = −Σ w x/(γ + m_x x)
//   ∂²/∂q² = Σ_x W_x ψ′(px+q) − W ψ′(q),       ∂²/∂q∂γ = W/γ − Σ w/(γ + m_x x)
//   ∂²/∂γ² = −W q/γ² + Σ w (px+q)/(γ + m_x x)²
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import {CompensatedSum} from "./compensatedSum.js";
import {trigamma} from "./trigamma.js";

/** Gamma-Gamma parameters: shape p of spend per transaction, and Gamma(q, γ) for its rate. */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** One customer's repeat transactions: count x > 0 and mean value m > 0. */
export interface CustomerSpend {
  x: number;
  m: number;
  /** How many customers share this (x, m) (default 1). */
  weight?: number;
}

/** The parameter names in the order every array in this module uses. */
export const gammaGammaParamNames = ["p", "q", "gamma"] as const;

/** Customers' spends as the likelihood reads them: per (x, m) row and per distinct x, with sums that do not depend on the parameters. */
export interface SpendGroups {
  x: Float64Array;
  /** 1/(m_x x) per row. */
  inverseMx: Float64Array;
  weight: Float64Array;
  /** The distinct x and the weight of each. */
  xLevels: number[];
  levelWeight: Float64Array;
  totalWeight: number;
  /** Σ w ln m_x and Σ w ln(m_x x). */
  sumLogM: number;
  sumLogMx: number;
}

/**
 * The spend groups of customers with x > 0 and m > 0 (not checked here; fitGammaGamma checks them).
 *
 * @example groupSpends([{x: 1, m: 10}, {x: 2, m: 5, weight: 3}])
 * // → xLevels [1, 2], levelWeight [1, 3], totalWeight 4, inverseMx [0.1, 0.1], sumLogM ln 10 + 3 ln 5
 */
export function groupSpends(customers: readonly CustomerSpend[]): SpendGroups {
  const xLevels = [...new Set(customers.map(({x}) => x))].sort((a, b) => a - b);
  const levelOf = new Map(xLevels.map((x, k) => [x, k]));
  const levelWeight = new Float64Array(xLevels.length);
  let totalWeight = 0;
  let sumLogM = 0;
  let sumLogMx = 0;
  customers.forEach(({x, m, weight = 1}) => {
    levelWeight[levelOf.get(x)!]! += weight;
    totalWeight += weight;
    if (weight === 0) return;
    sumLogM += weight * Math.log(m);
    sumLogMx += weight * Math.log(m * x);
  });
  return {
    x: Float64Array.from(customers, ({x}) => x),
    inverseMx: Float64Array.from(customers, ({x, m}) => 1 / (m * x)),
    weight: Float64Array.from(customers, ({weight = 1}) => weight),
    xLevels,
    levelWeight,
    totalWeight,
    sumLogM,
    sumLogMx
  };
}

/**
 * Σ weight · ln f over spend groups, its gradient with respect to [p, q, γ] and, when asked,
 * its Hessian, in one pass (see the file header).
 *
 * @example gammaGammaLogLikelihoodDerivatives({p: 1, q: 1, gamma: 1}, groupSpends([{x: 1, m: 1}])).value // ln(1/4)
 */
export function gammaGammaLogLikelihoodDerivatives(
  {p, q, gamma}: GammaGammaParams,
  spends: SpendGroups,
  withHessian = false
): {value: number; gradient: number[]; hessian?: number[][]} {
  const {x, inverseMx, weight, xLevels, levelWeight, totalWeight: W} = spends;
  // Σ w (px+q) u (compensated: a plain sum is too noisy for the optimiser's last steps), and
  // Σ w u, Σ w x u, Σ w/(γ + m_x x), Σ w x/(γ + m_x x), u = ln(1 + γ/(m_x x)).
  const tails = new CompensatedSum();
  let sumU = 0;
  let sumXU = 0;
  let sumInverse = 0;
  let sumXInverse = 0;
  // For the Hessian: Σ w/(γ + m_x x)², Σ w x/(γ + m_x x)².
  let sumInverse2 = 0;
  let sumXInverse2 = 0;
  for (let i = 0; i < weight.length; ++i) {
    const w = weight[i]!;
    if (w === 0) continue;
    const ratio = gamma * inverseMx[i]!;
    const u = Math.log1p(ratio);
    // 1/(γ + m_x x) = (1/(m_x x)) / (1 + γ/(m_x x))
    const inverse = inverseMx[i]! / (1 + ratio);
    tails.add(w * (p * x[i]! + q) * u);
    sumU += w * u;
    sumXU += w * x[i]! * u;
    sumInverse += w * inverse;
    sumXInverse += w * x[i]! * inverse;
    if (withHessian) {
      sumInverse2 += w * inverse * inverse;
      sumXInverse2 += w * x[i]! * inverse * inverse;
    }
  }
  let value = -W * gammaln(q) - spends.sumLogM + q * (W * Math.log(gamma) - spends.sumLogMx) - tails.value;
  const psiQ = digamma(q);
  let gp = -sumXU;
  let gq = -W * psiQ + W * Math.log(gamma) - spends.sumLogMx - sumU;
  // ∂²/∂p², ∂²/∂p∂q, ∂²/∂q² from the trigammas.
  let hpp = 0;
  let hpq = 0;
  let hqq = -W * (withHessian ? trigamma(q) : 0);
  xLevels.forEach((xl, k) => {
    const Wx = levelWeight[k]!;
    if (Wx === 0) return;
    const px = p * xl;
    const psi = digamma(px + q);
    value += Wx * (gammaln(px + q) - gammaln(px));
    gp += Wx * xl * (psi - digamma(px));
    gq += Wx * psi;
    if (!withHessian) return;
    const psi1 = trigamma(px + q);
    hpp += Wx * xl * xl * (psi1 - trigamma(px));
    hpq += Wx * xl * psi1;
    hqq += Wx * psi1;
  });
  const gradient = [gp, gq, (W * q) / gamma - p * sumXInverse - q * sumInverse];
  if (!withHessian) return {value, gradient};
  const hpGamma = -sumXInverse;
  const hqGamma = W / gamma - sumInverse;
  const hGammaGamma = (-W * q) / (gamma * gamma) + p * sumXInverse2 + q * sumInverse2;
  const hessian = [
    [hpp, hpq, hpGamma],
    [hpq, hqq, hqGamma],
    [hpGamma, hqGamma, hGammaGamma]
  ];
  return {value, gradient, hessian};
}

/**
 * ln f(m_x | p, q, γ; x) for one customer.
 *
 * @example gammaGammaLogLikelihood({p: 1, q: 1, gamma: 1}, 1, 1) // ln(1/4)
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  return gammaGammaLogLikelihoodDerivatives(params, groupSpends([{x, m}])).value;
}

/** ∇ ln f with respect to [p, q, γ] for one customer (analytic; see the file header). */
export function gammaGammaLogLikelihoodGradient(params: GammaGammaParams, x: number, m: number): number[] {
  return gammaGammaLogLikelihoodDerivatives(params, groupSpends([{x, m}])).gradient;
}

/** Σ weight · ln f over customers. */
export function gammaGammaTotalLogLikelihood(params: GammaGammaParams, customers: readonly CustomerSpend[]): number {
  return gammaGammaLogLikelihoodDerivatives(params, groupSpends(customers)).value;
}
