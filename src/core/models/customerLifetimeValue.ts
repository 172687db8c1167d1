// Customer lifetime value as the discounted expected margin of a customer's future
// transactions over a finite horizon of K periods of length τ (in the model's time unit):
//
//   CLV = margin · E[M] · Σ_{k=1..K} (E[Y(kτ) | x, t_x, T] − E[Y((k−1)τ) | x, t_x, T]) / (1 + d)^k
//
// - E[Y(t) | x, t_x, T]: BG/NBD conditional expected purchases in (T, T+t] (FHL 2005,
//   Marketing Science, eq. 10; bgnbdConditionalExpectedPurchases.ts), differenced so each
//   period gets the purchases expected within it;
// - E[M]: expected spend per transaction, e.g. the Gamma-Gamma conditional mean
//   (gammaGammaExpectedSpend.ts); spend is independent of the purchase process in that model;
// - d: discount rate per period; every period's margin is discounted as if received at the
//   period's end, the usual discrete-time CLV convention (Gupta & Lehmann 2003, "Customers
//   as assets", Journal of Interactive Marketing 17(1); Berger & Nasr 1998, "Customer
//   lifetime value: marketing models and applications", J. Interactive Marketing 12(1)).
//
// This is the discrete approximation that lifetimes computes in
// utils._customer_lifetime_value (CamDavidsonPilon/lifetimes@4f2833f, lifetimes/utils.py):
// the same differenced expectations and the factor (1 + d)^k. As τ → 0 with (1 + d) = e^(δτ)
// it tends to the continuously discounted expected residual transactions (DERT) of Fader,
// Hardie & Lee 2005 (JMR 42(4)) truncated at Kτ; end-of-period discounting slightly
// understates it (by at most a factor (1 + d)).
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {bgnbdExpectedPurchasesIfAlive} from "./bgnbdConditionalExpectedPurchases.js";
import {bgnbdProbabilityAlive} from "./bgnbdProbabilityAlive.js";

/** Horizon, discounting and margin of a CLV calculation. */
export interface ClvOptions {
  /** Length τ of one period in the model's time unit (e.g. 4.345 weeks for a month). */
  periodLength: number;
  /** Number K of periods in the horizon. */
  periods: number;
  /** Discount rate d per period (0.01 a month ≈ 12.7 % a year). */
  discountRate: number;
  /** Share of the spend that is margin (1 when spend is already profit). Default 1. */
  margin?: number;
}

/** Customers who share a calibration summary (x, t_x, T); a customer is a group of one. */
export interface CustomerGroup {
  x: number;
  tx: number;
  T: number;
  customers: number;
  /** Σ over the group's customers of their expected spend per purchase (one customer's E[M]). */
  spend: number;
}

/** A group's value (its customers' CLV added up), a period at a time and over the horizon. */
export interface CustomerValuation {
  /** margin · spend · P(alive) · the discounted purchases if alive of each period k = 1..K. */
  byPeriod(group: Omit<CustomerGroup, "customers">): number[];
  /** margin · spend · P(alive) · Σ_k the discounted purchases if alive: the CLV above. */
  total(group: Omit<CustomerGroup, "customers">): number;
}

/**
 * The valuation of customers with one model, horizon and margin: the one definition of
 * CLV that the per-customer values, the overview, the equity page's what-if and the
 * segment reports share. P(alive) is eq. 13 of FHL 2005 (bgnbdProbabilityAlive.ts);
 * customers who share (x, T) share the discounted purchases, computed once.
 *
 * @example
 * // lifetimes' docs example for CDNOW customer 1 (x = 2, t_x = 30.43, T = 38.86, E[M] 24.6586),
 * // 12 periods of 30 weeks at 1 % per period: ≈ 140.10
 * customerValuation(bgnbdFit.params, {periodLength: 30, periods: 12, discountRate: 0.01})
 *   .total({x: 2, tx: 30.43, T: 38.86, spend: 24.6586})
 */
export function customerValuation(params: BgNbdParams, {margin = 1, ...options}: ClvOptions): CustomerValuation {
  const purchases = memoizedByXT((x, T) => discountedPurchasesIfAliveByPeriod(params, {x, T}, options));
  const totals = memoizedByXT((x, T) => horizonPurchases(purchases(x, T)));
  const pAlive = ({x, tx, T}: Omit<CustomerGroup, "customers">) => bgnbdProbabilityAlive(params, x, tx, T);
  return {
    byPeriod: (group) => {
      const p = pAlive(group);
      return purchases(group.x, group.T).map((term) => clvFromParts(margin, group.spend, p, term));
    },
    total: (group) => clvFromParts(margin, group.spend, pAlive(group), totals(group.x, group.T))
  };
}

/** Σ_k of the discounted purchases if alive (discountedPurchasesIfAliveByPeriod's terms): the horizon's, in all. */
export const horizonPurchases = (terms: readonly number[]): number => terms.reduce((total, term) => total + term, 0);

/**
 * The CLV above from its parts, margin · E[M] · P(alive) · discounted purchases if alive, multiplied in this order
 * (so that every caller, customerValuation and the parameter draws' valueIntervals.ts alike, gives the same number).
 */
export const clvFromParts = (margin: number, spend: number, pAlive: number, purchasesIfAlive: number): number =>
  margin * spend * pAlive * purchasesIfAlive;

/**
 * (E[Y(kτ) | alive] − E[Y((k−1)τ) | alive]) / (1 + d)^k for k = 1..K: the discounted purchases
 * of a customer known to be active, period by period. Eq. 10 is P(alive) times E[Y | alive],
 * which depends on x and T but not t_x, so customers who share (x, T) share these terms.
 */
export function discountedPurchasesIfAliveByPeriod(
  params: BgNbdParams,
  {x, T}: {x: number; T: number},
  {periodLength, periods, discountRate}: Omit<ClvOptions, "margin">
): number[] {
  if (!(periodLength > 0)) throw new Error("customerValuation: periodLength must be positive");
  if (!(Number.isInteger(periods) && periods >= 0))
    throw new Error("customerValuation: periods must be a non-negative integer");
  if (!(discountRate > -1)) throw new Error("customerValuation: discountRate must exceed −1");
  const terms: number[] = [];
  let previous = 0;
  for (let k = 1; k <= periods; ++k) {
    const cumulative = bgnbdExpectedPurchasesIfAlive(params, k * periodLength, x, T);
    terms.push((cumulative - previous) / (1 + discountRate) ** k);
    previous = cumulative;
  }
  return terms;
}

/** discountedPurchasesIfAliveByPeriod with a cache by (x, T), for valuing many customers with one model. */
export function memoizedDiscountedPurchases(
  params: BgNbdParams,
  options: Omit<ClvOptions, "margin">
): (x: number, T: number) => readonly number[] {
  return memoizedByXT((x, T) => discountedPurchasesIfAliveByPeriod(params, {x, T}, options));
}

/** f with a cache by (x, T): a map per x of maps by T, so that no key is formatted as a string (slow for a fractional T). */
export function memoizedByXT<V>(f: (x: number, T: number) => V): (x: number, T: number) => V {
  const cache = new Map<number, Map<number, V>>();
  return (x, T) => {
    let byT = cache.get(x);
    if (byT === undefined) cache.set(x, (byT = new Map()));
    let value = byT.get(T);
    if (value === undefined) byT.set(T, (value = f(x, T)));
    return value;
  };
}
