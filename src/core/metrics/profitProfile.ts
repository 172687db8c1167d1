// The profit page's figures and charts over a set of customers: concentration, deciles and
// tiers. The loader computes them over every customer (profit_profile.json), so they are
// exact however few customers the browser gets; the page computes them with the same
// function over the customers its filters select.
import {median} from "d3";
import {
  gini,
  lorenzCurve,
  thinCurve,
  topShares,
  whaleCurve,
  whalePeak,
  type CurvePoint,
  type WhalePeak
} from "./concentration.js";
import type {ValueTier} from "./customerTypes.js";
import {decileRows, tierRows, type GroupRow, type ProfitColumns, type DecileRow} from "./profitGroups.js";

/** The largest share of customers the page's "top customers" slider offers, in percent. */
export const topPercentMax = 50;

export interface ProfitProfile {
  customers: number;
  total: number;
  /** Customers who lose money. */
  losers: number;
  /** NaN (null in JSON) for a zero total. */
  gini: number | null;
  peak: WhalePeak;
  /** Median profit: the default threshold between more and less profitable. */
  median: number | null;
  /** topShares[k]: the share of total profit made by the top k % of customers, k = 0…topPercentMax. */
  topShares: (number | null)[];
  /** The curves thinned for drawing (thinCurve). */
  lorenz: CurvePoint[];
  whale: CurvePoint[];
  deciles: DecileRow[];
  tiers: GroupRow<ValueTier>[];
}

/** The profile of customers' profit (with their revenue and orders, for the deciles), given as columns. */
export function profitProfile(customers: ProfitColumns): ProfitProfile {
  const profits = customers.profit;
  let total = 0;
  let losers = 0;
  for (let i = 0; i < profits.length; i++) {
    total += profits[i]!;
    if (profits[i]! < 0) losers++;
  }
  return {
    customers: profits.length,
    total,
    losers,
    gini: gini(profits),
    peak: whalePeak(profits),
    median: median(profits) ?? null,
    topShares: topShares(
      profits,
      Array.from({length: topPercentMax + 1}, (_, k) => k / 100)
    ),
    lorenz: thinCurve(lorenzCurve(profits)),
    whale: thinCurve(whaleCurve(profits)),
    deciles: decileRows(customers),
    tiers: tierRows(profits)
  };
}

/** The overview's profit figures: customers, the top 20 %'s share, the share who lose money and the total. */
export function profitKpis(profile: ProfitProfile): {
  customers: number;
  top20Share: number | null;
  lossMakingShare: number;
  total: number;
} {
  return {
    customers: profile.customers,
    top20Share: profile.topShares[20] ?? null,
    lossMakingShare: profile.customers ? profile.losers / profile.customers : NaN,
    total: profile.total
  };
}
