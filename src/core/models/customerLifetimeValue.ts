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
import {bgnbdConditionalExpectedPurchases, bgnbdExpectedPurchasesIfAlive} from "./bgnbdConditionalExpectedPurchases.js";
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

/** The expected purchases in each of the K periods: E[Y(kτ)] − E[Y((k−1)τ)], k = 1..K. */
export function expectedPurchasesByPeriod(
  params: BgNbdParams,
  customer: {x: number; tx: number; T: number},
  periodLength: number,
  periods: number
): number[] {
  const {x, tx, T} = customer;
  const out: number[] = [];
  let previous = 0;
  for (let k = 1; k <= periods; ++k) {
    const cumulative = bgnbdConditionalExpectedPurchases(params, k * periodLength, x, tx, T);
    out.push(cumulative - previous);
    previous = cumulative;
  }
  return out;
}

/**
 * One customer's CLV over the horizon (in the currency of spendPerTransaction).
 *
 * @example
 * // lifetimes' docs example for CDNOW customer 1 (x = 2, t_x = 30.43, T = 38.86, E[M] 24.6586),
 * // 12 periods of 30 weeks at 1 % per period: ≈ 140.10
 * customerLifetimeValue(bgnbdFit.params, {x: 2, tx: 30.43, T: 38.86}, 24.6586,
 *   {periodLength: 30, periods: 12, discountRate: 0.01})
 */
export function customerLifetimeValue(
  params: BgNbdParams,
  customer: {x: number; tx: number; T: number},
  spendPerTransaction: number,
  {margin = 1, ...options}: ClvOptions
): number {
  const {x, tx, T} = customer;
  return (
    margin *
    spendPerTransaction *
    bgnbdProbabilityAlive(params, x, tx, T) *
    discountedPurchasesIfAlive(params, {x, T}, options)
  );
}

/**
 * Σ_k (E[Y(kτ) | alive] − E[Y((k−1)τ) | alive]) / (1 + d)^k: the discounted purchases of a
 * customer known to be active. Eq. 10 is P(alive) times this factor, which depends on x
 * and T but not t_x, so customers who share (x, T) share it (see memoizedDiscountedPurchases).
 */
export function discountedPurchasesIfAlive(
  params: BgNbdParams,
  customer: {x: number; T: number},
  options: Omit<ClvOptions, "margin">
): number {
  return discountedPurchasesIfAliveByPeriod(params, customer, options).reduce((total, term) => total + term, 0);
}

/** The terms of discountedPurchasesIfAlive, one per period k = 1..K. */
export function discountedPurchasesIfAliveByPeriod(
  params: BgNbdParams,
  {x, T}: {x: number; T: number},
  {periodLength, periods, discountRate}: Omit<ClvOptions, "margin">
): number[] {
  if (!(periodLength > 0)) throw new Error("customerLifetimeValue: periodLength must be positive");
  if (!(Number.isInteger(periods) && periods >= 0))
    throw new Error("customerLifetimeValue: periods must be a non-negative integer");
  if (!(discountRate > -1)) throw new Error("customerLifetimeValue: discountRate must exceed −1");
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
  const cache = new Map<string, number[]>();
  return (x, T) => {
    const key = `${x}|${T}`;
    let terms = cache.get(key);
    if (terms === undefined) cache.set(key, (terms = discountedPurchasesIfAliveByPeriod(params, {x, T}, options)));
    return terms;
  };
}
