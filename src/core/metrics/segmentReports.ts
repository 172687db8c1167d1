// The segment reports' figures (loaders/site/reports.ts writes
// reports.json and one report-<kind>-<slug>.json per slice).

export type SliceKind = "channel" | "segment";

/** How a kind of slice is named in prose and in table headers. */
export const kindNames: Record<SliceKind, {title: string; plural: string; column: string}> = {
  channel: {title: "Acquisition channel", plural: "Acquisition channels", column: "acquisition_channel"},
  segment: {title: "Segment", plural: "Segments", column: "segment"}
};

/** A slice's size and money (or the whole business's): buying customers, revenue, profit after cost to serve. */
export interface SliceTotals {
  customers: number;
  revenue: number;
  profit: number | null;
}

/**
 * A slice's satisfaction (or the whole business's), the satisfaction page's figure
 * (loaders/site/satisfaction.ts): NPS and the share of survey answers below expectation;
 * null or absent without survey answers.
 */
export interface SliceSatisfaction {
  nps?: number | null;
  belowShare?: number | null;
}

export interface SliceSummary extends SliceTotals, SliceSatisfaction {
  kind: SliceKind;
  name: string;
  slug: string;
  path: string;
}

/** A slice's share of the business's customers, revenue and profit, and its profit per customer. */
export function sliceShares(slice: SliceTotals, whole: SliceTotals) {
  const share = (part: number | null, all: number | null) =>
    part === null || all === null || all === 0 ? NaN : part / all;
  return {
    customers: share(slice.customers, whole.customers),
    revenue: share(slice.revenue, whole.revenue),
    profit: share(slice.profit, whole.profit),
    profitPerCustomer: slice.customers > 0 && slice.profit !== null ? slice.profit / slice.customers : NaN
  };
}

/** The slices with the highest and the lowest profit per customer (the first in the list wins a tie); null for none. */
export function profitPerCustomerRange(slices: readonly SliceSummary[], whole: SliceTotals) {
  const ranked = slices
    .map((slice) => ({slice, perCustomer: sliceShares(slice, whole).profitPerCustomer}))
    .filter((d) => Number.isFinite(d.perCustomer));
  if (!ranked.length) return null;
  const best = ranked.reduce((a, b) => (b.perCustomer > a.perCustomer ? b : a));
  const worst = ranked.reduce((a, b) => (b.perCustomer < a.perCustomer ? b : a));
  return {best, worst};
}

/** "the search channel" or "the café segment": how a slice is named in a sentence. */
export const sliceLabel = ({kind, name}: {kind: SliceKind; name: string}) => `the ${name} ${kind}`;

/** The index's rows for one kind: figures as numbers, for the table and its CSV. */
export function indexRows(slices: readonly SliceSummary[], whole: SliceTotals, kind: SliceKind) {
  return slices
    .filter((slice) => slice.kind === kind)
    .map((slice) => {
      const shares = sliceShares(slice, whole);
      return {
        name: slice.name,
        path: slice.path,
        customers: slice.customers,
        customer_share: shares.customers,
        revenue: slice.revenue,
        revenue_share: shares.revenue,
        profit: slice.profit,
        profit_share: shares.profit,
        profit_per_customer: shares.profitPerCustomer,
        nps: slice.nps ?? null,
        below_share: slice.belowShare ?? null
      };
    });
}

/** A slice worth more per customer than the business, whose customers are unhappy. */
export interface UnhappyValuable {
  slice: SliceSummary;
  perCustomer: number;
  nps: number | null;
  belowShare: number | null;
  /** Which sign of unhappiness it shows: NPS below zero, more answers below expectation than the business's. */
  negativeNps: boolean;
  moreBelow: boolean;
}

/**
 * "Valuable but unhappy": the slices whose profit per customer (sliceShares, as the index
 * shows it) is above the business's and whose NPS is below zero or whose share of survey
 * answers below expectation is above the business's; most valuable first. A slice without
 * survey answers is never listed. Example: the business makes 20 a customer with 30 % of
 * answers below; a slice at 28 with NPS −7 and 49 % below is listed, one at 28 with NPS +5
 * and 25 % below is not, nor one at 15 with NPS −20.
 */
export function valuableButUnhappy(
  slices: readonly SliceSummary[],
  whole: SliceTotals & SliceSatisfaction
): UnhappyValuable[] {
  const average = whole.profit !== null && whole.customers > 0 ? whole.profit / whole.customers : NaN;
  return slices
    .map((slice) => {
      const [nps, belowShare] = [slice.nps ?? null, slice.belowShare ?? null];
      return {
        slice,
        perCustomer: sliceShares(slice, whole).profitPerCustomer,
        nps,
        belowShare,
        negativeNps: nps !== null && nps < 0,
        moreBelow: belowShare !== null && whole.belowShare != null && belowShare > whole.belowShare
      };
    })
    .filter((d) => d.perCustomer > average && (d.negativeNps || d.moreBelow))
    .sort((a, b) => b.perCustomer - a.perCustomer);
}
