// Each customer's next purchase as the equity page's table and `npm run clv --customers` report
// it, from the BG/NBD formulas in bgnbdNextPurchase.ts: the date by which the customer, if still
// active, has an even chance of having bought again, and the probability of buying in the
// next 90 days. Time in the fit's weeks; dates in UTC days.
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {bgnbdMedianWaitIfAlive, bgnbdProbabilityPurchaseWithin} from "./bgnbdNextPurchase.js";

/** The window of the probability of buying: a quarter, in days. */
export const purchaseWindowDays = 90;

/** The day `days` whole days after `day` (YYYY-MM-DD). */
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The customer's expected next purchase: `asOf` (the day their T is measured to) plus the
 * median wait if active, to the nearest day; and P(at least one purchase in the next
 * purchaseWindowDays days).
 *
 * @example
 * // r = α = 1, x = 1, T = 2 weeks: median wait 3(√2 − 1) = 1.243 weeks = 8.7 days → 9 days on
 * customerNextPurchase({r: 1, alpha: 1, a: 1, b: 1}, {x: 1, tx: 1, T: 2}, "2024-01-01").date // "2024-01-10"
 */
export function customerNextPurchase(
  params: BgNbdParams,
  {x, tx, T}: {x: number; tx: number; T: number},
  asOf: string
): {date: string; pBuyWithinWindow: number} {
  return {
    date: addDays(asOf, Math.round(7 * bgnbdMedianWaitIfAlive(params, x, T))),
    pBuyWithinWindow: bgnbdProbabilityPurchaseWithin(params, purchaseWindowDays / 7, x, tx, T)
  };
}
