// Figures drawn from growth-accounting rows (growthAccountingSql): the identities, quick
// ratios, net revenue retention, and the cost of refilling the leaky bucket.
import type {BucketWindowRow, GrowthRow} from "../sql/retentionSql.js";

/**
 * Periods where active(t) ≠ active(t−1) + new + reactivated − lost, or where
 * revenue(t) ≠ revenue(t−1) + new + reactivated + expansion − contraction − lost (to the
 * cent), or where a period's previous_active / previous_revenue is not the period
 * before's active / revenue. The first row continues a period not shown (the data's first
 * month, whose customers were already customers: dataEdges.ts), so its previous figures
 * are not checked. Empty when the accounts balance.
 */
export function identityFailures(rows: readonly GrowthRow[]): string[] {
  const failures: string[] = [];
  rows.forEach((r, i) => {
    const before = rows[i - 1];
    const customers = r.previous_active + r.new + r.reactivated - r.lost;
    const revenue =
      r.previous_revenue +
      r.new_revenue +
      r.reactivated_revenue +
      r.expansion_revenue -
      r.contraction_revenue -
      r.lost_revenue;
    if (customers !== r.active)
      failures.push(
        `${r.period}: customers ${r.previous_active} + ${r.new} + ${r.reactivated} − ${r.lost} ≠ ${r.active}`
      );
    if (Math.abs(revenue - r.revenue) > 0.005)
      failures.push(`${r.period}: revenue ${revenue.toFixed(2)} ≠ ${r.revenue.toFixed(2)}`);
    if (before && (r.previous_active !== before.active || Math.abs(r.previous_revenue - before.revenue) > 0.005))
      failures.push(`${r.period}: does not continue the period before`);
  });
  return failures;
}

/** Customer quick ratio (new + reactivated) / lost: above 1 the bucket fills; NaN with no losses. */
export function quickRatio(r: Pick<GrowthRow, "new" | "reactivated" | "lost">): number {
  return r.lost > 0 ? (r.new + r.reactivated) / r.lost : NaN;
}

/** Revenue quick ratio (new + reactivated + expansion) / (contraction + lost); NaN with no loss. */
export function revenueQuickRatio(
  r: Pick<
    GrowthRow,
    "new_revenue" | "reactivated_revenue" | "expansion_revenue" | "contraction_revenue" | "lost_revenue"
  >
): number {
  const out = r.contraction_revenue + r.lost_revenue;
  return out > 0 ? (r.new_revenue + r.reactivated_revenue + r.expansion_revenue) / out : NaN;
}

/**
 * Net revenue retention: what last period's customers spend now as a share of what they
 * spent then, (revenue(t−1) + expansion − contraction − lost) / revenue(t−1); NaN without
 * revenue the period before.
 */
export function netRevenueRetention(
  r: Pick<GrowthRow, "previous_revenue" | "expansion_revenue" | "contraction_revenue" | "lost_revenue">
): number {
  return r.previous_revenue > 0
    ? (r.previous_revenue + r.expansion_revenue - r.contraction_revenue - r.lost_revenue) / r.previous_revenue
    : NaN;
}

/**
 * Net revenue retention over a window (bucketWindowSql): what the customers active at the
 * window's start spent a month in the window as a share of what they spent a month in the
 * comparison span before it, (retained revenue ÷ months) ÷ (previous revenue ÷ months of
 * the comparison span with data); the plain ratio of the two sums when the span lies wholly
 * in the data. NaN without revenue before.
 */
export function windowRevenueRetention(
  r: Pick<BucketWindowRow, "retained_revenue" | "previous_revenue" | "months" | "previous_months">
): number {
  return r.previous_revenue > 0 && r.previous_months > 0 && r.months > 0
    ? r.retained_revenue / r.months / (r.previous_revenue / r.previous_months)
    : NaN;
}

/** Customer retention: the share of last period's active customers active again, retained / active(t−1). */
export function customerRetention(r: Pick<GrowthRow, "retained" | "previous_active">): number {
  return r.previous_active > 0 ? r.retained / r.previous_active : NaN;
}

export interface RefillAssumptions {
  /** Cost of winning a new customer as a multiple of keeping one (the seeds' 5×). */
  ratio: number;
  /** Share of the lost customers kept in the "what if" (0.05 = 5 % more kept). */
  keepMore: number;
  /** Acquisition cost per new customer where the source gives none (null: unknown). */
  fallbackCost: number | null;
}

export const defaultRefill: Omit<RefillAssumptions, "fallbackCost"> = {ratio: 5, keepMore: 0.05};

export interface RefillRow {
  /** The period (growth accounting) or the window's first day (bucketWindowSql). */
  period: string;
  /** Mean acquisition cost of the period's new customers with one on file, else the fallback; null if neither. */
  acquisitionCost: number | null;
  /** New customers who only replaced net losses: min(new, max(0, lost − reactivated)). */
  replaced: number;
  /** replaced × acquisitionCost: acquisition spent to stand still. */
  refillCost: number;
  /** keepMore × net losses × acquisitionCost × (1 − 1/ratio): acquiring fewer replacements less the cost of keeping them. */
  saving: number;
}

/**
 * The cost of the leaky bucket per period. The net loss is lost − reactivated (customers
 * won back make up part of it); refilling it takes min(new, net loss) of the period's new
 * customers, each at the period's acquisition cost. Keeping a further share s of the net
 * loss would have spared s × net loss acquisitions, at a retention cost of acquisition
 * cost / ratio each, saving
 *   s × net loss × acquisition cost × (1 − 1/ratio).
 * Example: 120 lost, 20 reactivated, $50 per new customer, 5×, 5 % more kept → 5 × $50 × 0.8 = $200.
 */
export function refillCosts(
  rows: readonly Pick<GrowthRow, "period" | "new" | "reactivated" | "lost" | "acquisition_spend" | "costed_new">[],
  a: RefillAssumptions
): RefillRow[] {
  if (!(a.ratio >= 1))
    throw new Error(`the acquisition-to-retention cost ratio must be at least 1: ${String(a.ratio)}`);
  return rows.map((r) => {
    const acquisitionCost = r.costed_new > 0 ? r.acquisition_spend / r.costed_new : a.fallbackCost;
    const netLoss = Math.max(0, r.lost - r.reactivated);
    const replaced = Math.min(r.new, netLoss);
    const cost = acquisitionCost ?? 0;
    return {
      period: r.period,
      acquisitionCost,
      replaced,
      refillCost: replaced * cost,
      saving: a.keepMore * netLoss * cost * (1 - 1 / a.ratio)
    };
  });
}

/** Totals of count and revenue flows over rows (e.g. the last year's periods). */
export function totals(rows: readonly GrowthRow[]) {
  const sum = (key: keyof GrowthRow) => rows.reduce((s, r) => s + (r[key] as number), 0);
  return {
    new: sum("new"),
    reactivated: sum("reactivated"),
    lost: sum("lost"),
    retained: sum("retained"),
    previousActive: sum("previous_active"),
    newRevenue: sum("new_revenue"),
    reactivatedRevenue: sum("reactivated_revenue"),
    expansionRevenue: sum("expansion_revenue"),
    contractionRevenue: sum("contraction_revenue"),
    lostRevenue: sum("lost_revenue"),
    previousRevenue: sum("previous_revenue")
  };
}

/** How many periods make a year. */
export const periodsPerYear = {week: 52, month: 12, quarter: 4} as const;

/** One bar segment of the bucket chart: inflows positive, outflows negative. */
export interface BucketFlow {
  period: string;
  flow: "new" | "reactivated" | "lost";
  customers: number;
}

/** Long-form flows for the bucket chart: new and reactivated above zero, lost below. */
export function bucketFlows(rows: readonly GrowthRow[]): BucketFlow[] {
  return rows.flatMap((r) => [
    {period: r.period, flow: "new" as const, customers: r.new},
    {period: r.period, flow: "reactivated" as const, customers: r.reactivated},
    {period: r.period, flow: "lost" as const, customers: -r.lost}
  ]);
}
