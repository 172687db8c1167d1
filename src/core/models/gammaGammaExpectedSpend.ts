// Conditional expected spend per transaction under the Gamma-Gamma model (Fader, Hardie &
// Lee 2005, Journal of Marketing Research 42(4), §"Adding monetary value"; Fader & Hardie
// 2013, "The Gamma-Gamma model of monetary value", note at brucehardie.com):
//
//   E[M | p, q, γ, m_x, x] = (γ + m_x x) p / (p x + q − 1)
//
// a weighted mean of the population mean pγ/(q−1) and the customer's own mean m_x, with
// weight px/(px+q−1) on m_x. With x = 0 it is the population mean, finite only when q > 1.
import type {GammaGammaParams} from "./gammaGammaLikelihood.js";

/**
 * E[M | x, m_x]: expected value of a customer's future transactions. NaN when px + q ≤ 1
 * (the expectation does not exist).
 *
 * @example gammaGammaExpectedSpend({p: 6.25, q: 3.74, gamma: 15.44}, 2, 22.35) // (15.44 + 44.7)·6.25/15.24 = 24.6636…
 */
export function gammaGammaExpectedSpend({p, q, gamma}: GammaGammaParams, x: number, m: number): number {
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return NaN;
  return ((gamma + (x > 0 ? m * x : 0)) * p) / denominator;
}

/**
 * What a new customer (or one without repeat purchases) is expected to spend per purchase:
 * Gamma-Gamma's population mean pγ/(q − 1) where the model has one (q > 1), else the mean of
 * the repeat buyers' mean spends (`repeatBuyersMean`), as the equity page and npm run clv take it.
 *
 * @example newCustomerSpend({p: 6.25, q: 3.74, gamma: 15.44}, 30) // 6.25 · 15.44 / 2.74 = 35.2189…
 */
export function newCustomerSpend(params: GammaGammaParams | undefined, repeatBuyersMean: number): number {
  return params && params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : repeatBuyersMean;
}

/**
 * A customer's expected spend per purchase for their CLV: Gamma-Gamma's conditional mean for
 * a repeat buyer (x > 0, m_x > 0) where it exists, else `newCustomer` (newCustomerSpend).
 */
export function expectedSpendPerPurchase(
  params: GammaGammaParams | undefined,
  x: number,
  m: number | null,
  newCustomer: number
): number {
  return params && x > 0 && m && m > 0 && params.p * x + params.q > 1
    ? gammaGammaExpectedSpend(params, x, m)
    : newCustomer;
}
