// Customer equity: the discounted value of all customers' future margin (Gupta, Lehmann &
// Stuart 2004, "Valuing customers", JMR 41(1)), as current customers' CLV plus the value of
// customers still to be won. Current customers come as distinct (x, t_x, T) with the sum
// of their expected spend per purchase, so a what-if recomputes a few thousand
// expectations, not one per customer.
import {ascending, mean, rollups} from "d3";
import type {BgNbdParams} from "./clv/bgnbdLikelihood.js";
import {bgnbdExpectedPurchases} from "./clv/bgnbdExpectedPurchases.js";
import {bgnbdProbabilityAlive} from "./clv/bgnbdProbabilityAlive.js";
import {memoizedDiscountedPurchases} from "./clv/customerLifetimeValue.js";

/** Weeks in a month: the models' time unit is the week. */
export const weeksPerMonth = 52 / 12;

/** The longest horizon the page offers, in years; the loader's uncertainty band covers it. */
export const horizonMaxYears = 10;

export interface EquityInputs {
  params: BgNbdParams;
  /** Share of spend that is margin. */
  margin: number;
  annualDiscountRate: number;
  years: number;
  /** Relative cut in the mean dropout probability (0.05: 5 % fewer drop out after a purchase). */
  retentionGain: number;
  acquisitionsPerMonth: number;
  acquisitionCost: number;
  /** Expected spend per purchase of a customer not yet seen (Gamma-Gamma mean p·γ/(q − 1)). */
  newCustomerSpend: number;
}

/** Current customers sharing one calibration summary. */
export interface CustomerGroup {
  x: number;
  tx: number;
  T: number;
  customers: number;
  /** Σ over the group's customers of their expected spend per purchase. */
  spend: number;
}

/** Monthly rate equivalent to an annual one: (1 + annual)^(1/12) − 1. */
export const monthlyRate = (annual: number) => (1 + annual) ** (1 / 12) - 1;

/**
 * BG/NBD parameters with the mean dropout probability a/(a + b) cut by the share `gain`,
 * keeping a + b (how alike customers are) fixed: a' = (1 − gain)·a, b' = a + b − a'.
 */
export function shiftRetention(params: BgNbdParams, gain: number): BgNbdParams {
  const a = (1 - gain) * params.a;
  return {...params, a, b: params.a + params.b - a};
}

/**
 * Current customers' value in each year of the horizon: Σ over groups of margin × spend ×
 * P(alive) × the discounted purchases if alive of each month (customerLifetimeValue), the
 * last shared by every group with the same (x, T). The years add up to their equity.
 */
export function currentCustomersValueByYear(groups: readonly CustomerGroup[], inputs: EquityInputs): number[] {
  const params = shiftRetention(inputs.params, inputs.retentionGain);
  const periods = Math.round(12 * inputs.years);
  const purchases = memoizedDiscountedPurchases(params, {periodLength: weeksPerMonth, periods, discountRate: monthlyRate(inputs.annualDiscountRate)});
  const years = new Array<number>(Math.ceil(periods / 12)).fill(0);
  for (const {x, tx, T, spend} of groups) {
    const weight = inputs.margin * spend * bgnbdProbabilityAlive(params, x, tx, T);
    purchases(x, T).forEach((term, k) => (years[Math.floor(k / 12)]! += weight * term));
  }
  return years;
}

/** Current customers' value over the whole horizon. */
export function currentCustomersValue(groups: readonly CustomerGroup[], inputs: EquityInputs): number {
  return currentCustomersValueByYear(groups, inputs).reduce((total, value) => total + value, 0);
}

/**
 * Value of one customer won today: the margin of the first purchase (undiscounted) plus
 * that of the repeat purchases expected in each later month, E[X(kτ)] − E[X((k−1)τ)]
 * (FHL 2005 eq. 7), discounted by (1 + d)^k.
 */
export function newCustomerValue(inputs: EquityInputs): number {
  const params = shiftRetention(inputs.params, inputs.retentionGain);
  const d = monthlyRate(inputs.annualDiscountRate);
  let purchases = 1;
  let previous = 0;
  for (let k = 1; k <= Math.round(12 * inputs.years); k++) {
    const cumulative = bgnbdExpectedPurchases(params, k * weeksPerMonth);
    purchases += (cumulative - previous) / (1 + d) ** k;
    previous = cumulative;
  }
  return inputs.margin * inputs.newCustomerSpend * purchases;
}

/**
 * Value of the customers still to be won, by the year they are won: each month's
 * acquisitions × (new customer value − acquisition cost), discounted to today. Each
 * cohort's value is counted over the full horizon from its own start (a simplification
 * stated on the page).
 */
export function futureCustomersValueByYear(inputs: EquityInputs): number[] {
  const d = monthlyRate(inputs.annualDiscountRate);
  const perCustomer = newCustomerValue(inputs) - inputs.acquisitionCost;
  const months = Math.round(12 * inputs.years);
  const years = new Array<number>(Math.ceil(months / 12)).fill(0);
  for (let m = 1; m <= months; m++) years[Math.floor((m - 1) / 12)]! += (inputs.acquisitionsPerMonth * perCustomer) / (1 + d) ** m;
  return years;
}

/** Value of the customers still to be won over the whole horizon. */
export function futureCustomersValue(inputs: EquityInputs): number {
  return futureCustomersValueByYear(inputs).reduce((total, value) => total + value, 0);
}

/**
 * Closed-form CLV of Gupta & Lehmann (2003, "Customers as assets", J. Interactive
 * Marketing 17(1)): m · r / (1 + i − r), for a constant annual margin m, annual retention
 * rate r and discount rate i over an infinite horizon.
 */
export function guptaLehmannClv(margin: number, retention: number, discountRate: number): number {
  return (margin * retention) / (1 + discountRate - retention);
}

/**
 * The parameter-uncertainty band of a scenario's value by year. The loader draws the band
 * at the starting assumptions (too slow to redraw at every slider move); each year keeps
 * its relative width there, low/value and high/value, applied to the scenario's value.
 * Exact for a change of margin (value is proportional to it), an approximation otherwise.
 */
export function scenarioBand(
  start: {value: readonly number[]; low: readonly number[] | null; high: readonly number[] | null},
  scenarioByYear: readonly number[]
): {year: number; low: number; high: number}[] {
  const {value, low, high} = start;
  if (!low || !high) return [];
  return scenarioByYear.flatMap((v, i) => {
    const at = value[i];
    if (!(at && Number.isFinite(at)) || low[i] === undefined || high[i] === undefined) return [];
    return [{year: i + 1, low: (v * low[i]) / at, high: (v * high[i]) / at}];
  });
}

/** What a group's customers are worth on average (see valueByGroup). */
export interface GroupValue {
  group: string;
  customers: number;
  /** Mean margin so far (revenue less cost of goods). */
  margin_to_date: number;
  /** Mean expected future margin (CLV). */
  clv: number;
  /** Mean acquisition cost of the customers whose cost is known; null if none is. */
  acquisition_cost: number | null;
}

/** Customers grouped by groupOf (null: left out), with their means, in group order. */
export function valueByGroup<T extends {margin_to_date: number; clv: number; acquisition_cost?: number | null}>(
  customers: readonly T[],
  groupOf: (customer: T) => string | null | undefined
): GroupValue[] {
  const grouped = customers.filter((c) => groupOf(c) != null && groupOf(c) !== "");
  return rollups(
    grouped,
    (members) => ({
      customers: members.length,
      margin_to_date: mean(members, (c) => c.margin_to_date) ?? NaN,
      clv: mean(members, (c) => c.clv) ?? NaN,
      // d3's mean skips missing costs; undefined when none is known.
      acquisition_cost: mean(members, (c) => c.acquisition_cost) ?? null
    }),
    (c) => groupOf(c)!
  )
    .sort(([a], [b]) => ascending(a, b))
    .map(([group, value]) => ({group, ...value}));
}

/**
 * The acquisition period of a first purchase: its quarter ("2024-Q3"), or its year where
 * the data span more than `maxQuarters` quarters (a chart of 40 cohorts reads as noise).
 */
export function acquisitionPeriod(firstPurchases: readonly Date[], maxQuarters = 16): (date: Date) => string {
  const quarterOf = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  const quarters = new Set(firstPurchases.map(quarterOf));
  return quarters.size > maxQuarters ? (d) => String(d.getUTCFullYear()) : quarterOf;
}
