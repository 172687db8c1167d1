// Customer equity: the discounted value of all customers' future margin (Gupta, Lehmann &
// Stuart 2004, "Valuing customers", JMR 41(1)), as current customers' CLV plus the value of
// customers still to be won. Current customers come as distinct (x, t_x, T) with the sum
// of their expected spend per purchase, so a what-if recomputes a few thousand
// expectations, not one per customer.
import {ascending, bin} from "d3";
import {formatCount, formatMoney} from "../format/format.js";
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {bgnbdExpectedPurchases} from "./bgnbdExpectedPurchases.js";
import {customerValuation, type CustomerGroup} from "./customerLifetimeValue.js";
import {MIN_CUSTOMERS_PER_PARAMETER} from "./positiveMle.js";

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

/** The retention gain the page values beside today's (EquityInputs.retentionGain) when its slider is at 0 or untouched. */
export const defaultRetentionGain = 0.05;

/** A scenario's inputs as one string, whatever the order of their fields: the key the what-if's valuations are kept by. */
export const scenarioKey = ({params: {r, alpha, a, b}, ...inputs}: EquityInputs): string =>
  JSON.stringify([
    r,
    alpha,
    a,
    b,
    inputs.margin,
    inputs.annualDiscountRate,
    inputs.years,
    inputs.retentionGain,
    inputs.acquisitionsPerMonth,
    inputs.acquisitionCost,
    inputs.newCustomerSpend
  ]);

/** How finely the what-if's groups may be rounded, in weeks, finest first (0: exact). */
const groupWeeks = [0, 1, 4, 13];

/** Customers, or groups of them, as columns: (x, t_x, T), spend, and how many customers each entry is (1 each when absent). */
export interface GroupColumns {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Σ over the entry's customers of their expected spend per purchase. */
  spend: ArrayLike<number>;
  customers?: ArrayLike<number>;
}

/**
 * Customer groups for the what-if, at most `max` where rounding allows: the exact
 * (x, t_x, T) while they are few, else t_x and T rounded to the finest of whole weeks, four
 * or thirteen that keeps them under `max` (the coarsest, should none). A million customers have
 * nearly as many exact triples, and the page values every group, with a series for each
 * distinct (x, T), at each move of a slider. Groups are returned in (x, t_x, T) order, each
 * group's sums added in the entries' order. The entries are sorted as indices over typed
 * arrays, so a million customers cost tens of MB, not a map of a million keyed objects.
 */
export function coarsenGroups(entries: GroupColumns, max: number): {groups: CustomerGroup[]; weeks: number} {
  const n = entries.x.length;
  for (const weeks of groupWeeks) {
    const round = (value: number) => (weeks === 0 ? value : Math.round(value / weeks) * weeks);
    // Rounding keeps order, so t_x stays at most T.
    const tx = Float64Array.from(entries.tx, round);
    const T = Float64Array.from(entries.T, round);
    const {x} = entries;
    // Ties by index: a group's entries stay in their order, so its sums add up as they come.
    const order = new Uint32Array(n)
      .map((_, i) => i)
      .sort((a, b) => x[a]! - x[b]! || tx[a]! - tx[b]! || T[a]! - T[b]! || a - b);
    const starts = (k: number) =>
      k === 0 ||
      x[order[k]!] !== x[order[k - 1]!] ||
      tx[order[k]!] !== tx[order[k - 1]!] ||
      T[order[k]!] !== T[order[k - 1]!];
    let count = 0;
    for (let k = 0; k < n; ++k) if (starts(k)) ++count;
    if (count > max && weeks !== groupWeeks.at(-1)) continue;
    const groups: CustomerGroup[] = [];
    for (let k = 0; k < n; ++k) {
      const i = order[k]!;
      if (starts(k)) groups.push({x: x[i]!, tx: tx[i]!, T: T[i]!, customers: 0, spend: 0});
      const group = groups[groups.length - 1]!;
      group.customers += entries.customers?.[i] ?? 1;
      group.spend += entries.spend[i]!;
    }
    return {groups, weeks};
  }
  throw new Error("coarsenGroups: no rounding tried");
}

/** Monthly rate equivalent to an annual one: (1 + annual)^(1/12) − 1. */
export const monthlyRate = (annual: number) => (1 + annual) ** (1 / 12) - 1;

/**
 * BG/NBD parameters with the mean dropout probability a/(a + b) cut by the share `gain`,
 * keeping a + b (how alike customers are) fixed: a' = (1 − gain)·a, b' = a + b − a'.
 */
export function shiftRetention(params: BgNbdParams, gain: number): BgNbdParams {
  // No gain leaves the model as fitted (a + b − a need not give back b to the last bit).
  if (gain === 0) return params;
  const a = (1 - gain) * params.a;
  return {...params, a, b: params.a + params.b - a};
}

/**
 * The value of today's customers in each year of the horizon: their CLV (customerValuation),
 * a month at a time, with the what-if's retention gain. The years add up to their value.
 */
export function currentCustomersValueByYear(groups: readonly CustomerGroup[], inputs: EquityInputs): number[] {
  const periods = Math.round(12 * inputs.years);
  const valuation = customerValuation(shiftRetention(inputs.params, inputs.retentionGain), {
    margin: inputs.margin,
    periodLength: weeksPerMonth,
    periods,
    discountRate: monthlyRate(inputs.annualDiscountRate)
  });
  const years = new Array<number>(Math.ceil(periods / 12)).fill(0);
  for (const group of groups) valuation.byPeriod(group).forEach((value, k) => (years[Math.floor(k / 12)]! += value));
  return years;
}

/** The value of today's customers over the whole horizon. */
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
  for (let m = 1; m <= months; m++)
    years[Math.floor((m - 1) / 12)]! += (inputs.acquisitionsPerMonth * perCustomer) / (1 + d) ** m;
  return years;
}

/** Value of the customers still to be won over the whole horizon. */
export function futureCustomersValue(inputs: EquityInputs): number {
  return futureCustomersValueByYear(inputs).reduce((total, value) => total + value, 0);
}

/** The equity page's figures for one scenario of its what-if. */
export interface EquityScenario {
  /** The value of today's customers in each year of the horizon, and in all. */
  todaysCustomersByYear: number[];
  todaysCustomers: number;
  /** The value of the customers still to win, net of what winning them costs, by the year they are won, and in all. */
  customersToWinByYear: number[];
  customersToWin: number;
  /** Customer equity: today's customers and those still to win. */
  customerEquity: number;
  /** What one customer won today is worth, before the cost of winning them. */
  perNewCustomer: number;
  /** A new customer's expected repeat purchases (FHL 2005 eq. 7) in the first year and over the horizon. */
  newCustomerRepeatPurchases: {year: number; horizon: number};
}

/** Values a scenario: today's customers (their groups), the customers still to win, and customer equity, the two together. */
export function equityScenario(groups: readonly CustomerGroup[], inputs: EquityInputs): EquityScenario {
  const total = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);
  const todaysCustomersByYear = currentCustomersValueByYear(groups, inputs);
  const customersToWinByYear = futureCustomersValueByYear(inputs);
  const todaysCustomers = total(todaysCustomersByYear);
  const customersToWin = total(customersToWinByYear);
  const shifted = shiftRetention(inputs.params, inputs.retentionGain);
  return {
    todaysCustomersByYear,
    todaysCustomers,
    customersToWinByYear,
    customersToWin,
    customerEquity: todaysCustomers + customersToWin,
    perNewCustomer: newCustomerValue(inputs),
    newCustomerRepeatPurchases: {
      year: bgnbdExpectedPurchases(shifted, 52),
      horizon: bgnbdExpectedPurchases(shifted, 52 * inputs.years)
    }
  };
}

/**
 * The equity page's headline: what today's customers are worth and, where the purchase
 * model can tell dropout, what losing fewer of them would add. Where it cannot (the fit's
 * health lists "dropout" as unidentified: a → 0 or b → ∞, or no repeat buyers), the second
 * half would rest on a guess, so it is withheld and the sentence says why.
 */
export function equityHeadline(
  {
    customers,
    years,
    todaysCustomers,
    gain,
    gainValue
  }: {
    customers: number;
    years: number;
    todaysCustomers: number;
    /** The what-if's retention gain (share). */
    gain: number;
    /** What it adds to customer equity. */
    gainValue: number;
  },
  unidentified: readonly string[],
  currency: string
): string {
  const today = `Today's ${formatCount(customers)} customers are worth ${formatMoney(todaysCustomers, currency)} over the next ${years} years`;
  if (unidentified.includes("dropout"))
    return `${today}. This data cannot tell how many customers stop buying, so this page does not say what keeping more of them would add.`;
  return `${today}; losing ${Math.round(gain * 100)} % fewer of them after each purchase would add ${formatMoney(gainValue, currency)} to customer equity.`;
}

/** What each part of the models the data may not tell (FitHealth.unidentified) is, in a manager's words. */
const unidentifiedWords: Record<string, string> = {
  dropout: "how many customers stop buying, and so how likely each customer is to still be buying",
  "purchase rate spread": "how much more often some customers buy than others",
  "spend spread": "how much customers differ in what they usually spend per purchase",
  "transaction value spread": "how much a customer's spend varies from one purchase to the next"
};

/**
 * The equity and profit pages' warning where a fit is not healthy: one plain line per part of
 * the models the data do not tell (the fits' own problems, in model terms, go to the Method
 * section); a fit with problems but nothing unidentified (it did not settle) gets one line too.
 */
export function fitWarnings(health: readonly {ok: boolean; unidentified: readonly string[]}[]): string[] {
  const unidentified = [...new Set(health.flatMap((h) => h.unidentified))];
  const lines = unidentified.map((key) => `This data cannot tell ${unidentifiedWords[key] ?? key}.`);
  if (!lines.length && health.some((h) => !h.ok))
    lines.push("The models did not settle on this data, so their figures are less certain than they look.");
  return lines;
}

/**
 * Fewest customers, and repeat buyers among them, that the customer-equity models need before
 * they value anyone: ten per parameter estimated (MIN_CUSTOMERS_PER_PARAMETER, Peduzzi et al.
 * 1996). Customers: the seven parameters of BG/NBD (r, α, a, b) and Gamma-Gamma (p, q, γ), 70.
 * Repeat buyers: BG/NBD's four, 40, since dropout is told by repeat buyers alone (FHL 2005 §3,
 * assumption iii) and Gamma-Gamma's three (30) are fitted to them too. The whole business
 * (the equity page) and every segment report apply the same rule.
 */
export const minimumFit = {
  customers: MIN_CUSTOMERS_PER_PARAMETER * 7,
  repeatBuyers: MIN_CUSTOMERS_PER_PARAMETER * 4
} as const;

/** Whether customers and repeat buyers reach minimumFit. */
export const enoughToFit = ({customers, repeatBuyers}: {customers: number; repeatBuyers: number}) =>
  customers >= minimumFit.customers && repeatBuyers >= minimumFit.repeatBuyers;

/** Whether the models value today's customers, and if not, why, in one plain sentence. */
export type EquityValuation = {valued: true} | {valued: false; reason: "too few" | "cannot value"; sentence: string};

/**
 * Whether the customer-equity models can value the customers, in this order: too few
 * customers or repeat buyers (minimumFit); the spread of purchase rates not told (health
 * lists "purchase rate spread": r, α run off, as when everyone buys at one steady pace, or
 * no one bought twice), which each customer's value rests on; a value that is not a number.
 * Dropout alone not told leaves the value standing (the page withholds what rests on it).
 */
export function equityValuation({
  customers,
  repeatBuyers,
  unidentified,
  value
}: {
  customers: number;
  repeatBuyers: number;
  unidentified: readonly string[];
  /** Today's customers' value as the models give it; NaN where not yet known. */
  value: number;
}): EquityValuation {
  if (!enoughToFit({customers, repeatBuyers}))
    return {
      valued: false,
      reason: "too few",
      sentence: `There are too few customers to value: ${formatCount(customers)} customers, ${formatCount(repeatBuyers)} of whom bought more than once, where the models need at least ${minimumFit.customers} and ${minimumFit.repeatBuyers}.`
    };
  if (unidentified.includes("purchase rate spread"))
    return {
      valued: false,
      reason: "cannot value",
      sentence:
        "The models cannot value these customers: this data cannot tell how much more often some customers buy than others, and each customer's value rests on that."
    };
  if (!Number.isFinite(value))
    return {
      valued: false,
      reason: "cannot value",
      sentence: "The models cannot value these customers: their figures do not come out as numbers on this data."
    };
  return {valued: true};
}

/** What the data say when the models do not value the customers: spend and margin over recent complete months. */
export interface ObservedActivity {
  /** Customers who bought in those months. */
  active: number;
  /** Their spend and margin over those months. */
  revenue: number;
  margin: number;
  /** How many complete months, and which ("Jan 2024 – Nov 2024"). */
  months: number;
  dates: string;
}

/**
 * The equity page's headline where the models do not value the customers: why (the
 * valuation's sentence), then what the data do say, spend and margin a month over the recent complete months.
 */
export function withheldHeadline(sentence: string, observed: ObservedActivity, currency: string): string {
  const said =
    observed.active && observed.months > 0
      ? ` What the data do say: in ${observed.dates}, ${formatCount(observed.active)} ${observed.active === 1 ? "customer" : "customers"} bought ${formatMoney(observed.revenue / observed.months, currency)} a month, ${formatMoney(observed.margin / observed.months, currency)} of it margin.`
      : observed.months > 0
        ? ` No customer bought in ${observed.dates}.`
        : " The data hold no complete month to say what customers spend.";
  return `${sentence}${said}`;
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
 * The discount rate of a period of `months` months equivalent to an annual one:
 * (1 + annual)^(months / 12) − 1 (a half-year at 10 % a year: 4.88 %). Gupta & Lehmann's
 * closed form holds for any period length when margin, retention and discount rate are all
 * per period: the equity page applies it at the length retention could be measured over.
 */
export function periodRate(annual: number, months: number): number {
  if (!(months > 0)) throw new Error(`a period must be at least a month: ${String(months)}`);
  return (1 + annual) ** (months / 12) - 1;
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

/**
 * The parameter-uncertainty band of a scenario's value of today's customers over its whole
 * horizon, as scenarioBand for one year: the loader's band of the value cumulated up to that
 * year, at its relative width. Null where the loader drew no band or the horizon is beyond it.
 */
export function scenarioTotalBand(
  start: {
    value: readonly number[];
    cumulative_low: readonly number[] | null;
    cumulative_high: readonly number[] | null;
  },
  scenarioByYear: readonly number[]
): {low: number; high: number} | null {
  const years = scenarioByYear.length;
  const low = start.cumulative_low?.[years - 1];
  const high = start.cumulative_high?.[years - 1];
  const at = start.value.slice(0, years).reduce((total, value) => total + value, 0);
  if (low === undefined || high === undefined || years > start.value.length || !(at && Number.isFinite(at)))
    return null;
  const scenario = scenarioByYear.reduce((total, value) => total + value, 0);
  return {low: (scenario * low) / at, high: (scenario * high) / at};
}

/** What a group's customers are worth on average (groupValues). */
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

/** Running sums of a group's customers' worth, added a customer at a time (the loader values a million in chunks). */
export interface GroupTotals {
  customers: number;
  margin: number;
  clv: number;
  /** Sum and count of the known acquisition costs. */
  cost: number;
  costed: number;
}

/** Adds a customer to its group's totals; a customer without a group (null or "") is left out. */
export function addToGroup(
  groups: Map<string, GroupTotals>,
  group: string | null | undefined,
  customer: {margin_to_date: number; clv: number; acquisition_cost: number | null}
): void {
  if (group == null || group === "") return;
  const totals = groups.get(group) ?? {customers: 0, margin: 0, clv: 0, cost: 0, costed: 0};
  totals.customers += 1;
  totals.margin += customer.margin_to_date;
  totals.clv += customer.clv;
  if (customer.acquisition_cost != null) {
    totals.cost += customer.acquisition_cost;
    totals.costed += 1;
  }
  groups.set(group, totals);
}

/** Groups' totals merged under coarser groups (acquisition months into their periods). */
export function mergeGroups(
  groups: ReadonlyMap<string, GroupTotals>,
  groupOf: (group: string) => string
): Map<string, GroupTotals> {
  const merged = new Map<string, GroupTotals>();
  for (const [group, t] of groups) {
    const into = merged.get(groupOf(group)) ?? {customers: 0, margin: 0, clv: 0, cost: 0, costed: 0};
    merged.set(groupOf(group), {
      customers: into.customers + t.customers,
      margin: into.margin + t.margin,
      clv: into.clv + t.clv,
      cost: into.cost + t.cost,
      costed: into.costed + t.costed
    });
  }
  return merged;
}

/** Each group's means, in group order. */
export function groupValues(groups: ReadonlyMap<string, GroupTotals>): GroupValue[] {
  return [...groups]
    .sort(([a], [b]) => ascending(a, b))
    .map(([group, t]) => ({
      group,
      customers: t.customers,
      margin_to_date: t.margin / t.customers,
      clv: t.clv / t.customers,
      acquisition_cost: t.costed ? t.cost / t.costed : null
    }));
}

/** A bar of the CLV histogram: customers whose CLV is at least x0 and below x1 (the last bar's x1 included). */
export interface ClvBin {
  x0: number;
  x1: number;
  customers: number;
}

/** Customers per CLV in about `count` bins of round widths (d3.bin's thresholds, as Plot's binX draws them). */
export function clvBins(values: readonly number[], count = 40): ClvBin[] {
  return bin()
    .thresholds(count)(values)
    .map((b) => ({x0: b.x0!, x1: b.x1!, customers: b.length}));
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
