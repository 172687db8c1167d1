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
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";

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

/**
 * ln f(m_x | p, q, γ; x) for one customer.
 *
 * @example gammaGammaLogLikelihood({p: 1, q: 1, gamma: 1}, 1, 1) // ln(1/4)
 */
export function gammaGammaLogLikelihood({p, q, gamma}: GammaGammaParams, x: number, m: number): number {
  const px = p * x;
  return (
    gammaln(px + q) -
    gammaln(px) -
    gammaln(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + m * x)
  );
}

/** ∇ ln f with respect to [p, q, γ] for one customer (analytic; see the file header). */
export function gammaGammaLogLikelihoodGradient({p, q, gamma}: GammaGammaParams, x: number, m: number): number[] {
  const px = p * x;
  const psi = digamma(px + q);
  const lnSum = Math.log(gamma + m * x);
  return [
    x * (psi - digamma(px) + Math.log(m) + Math.log(x) - lnSum),
    psi - digamma(q) + Math.log(gamma) - lnSum,
    q / gamma - (px + q) / (gamma + m * x)
  ];
}

/** Σ weight · ln f over customers. */
export function gammaGammaTotalLogLikelihood(params: GammaGammaParams, customers: readonly CustomerSpend[]): number {
  let total = 0;
  for (const {x, m, weight = 1} of customers) if (weight !== 0) total += weight * gammaGammaLogLikelihood(params, x, m);
  return total;
}

/** ∇ Σ weight · ln f with respect to [p, q, γ]. */
export function gammaGammaTotalLogLikelihoodGradient(
  params: GammaGammaParams,
  customers: readonly CustomerSpend[]
): number[] {
  const out = [0, 0, 0];
  for (const {x, m, weight = 1} of customers) {
    if (weight === 0) continue;
    const g = gammaGammaLogLikelihoodGradient(params, x, m);
    for (let i = 0; i < 3; ++i) out[i]! += weight * g[i]!;
  }
  return out;
}
