// The segment reports' figures and index table (loaders/site/reports.ts writes
// reports.json and one report-<kind>-<slug>.json per slice).
import {formatCount, formatMoney, formatPercent} from "./format.js";

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

export interface SliceSummary extends SliceTotals {
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
        profit_per_customer: shares.profitPerCustomer
      };
    });
}

/**
 * The index table of one kind: each slice's name linking to its report (base: the path
 * to the site's root), its customers, revenue and profit with their shares of the whole.
 * Names are set as text.
 */
export function indexTable(
  rows: ReturnType<typeof indexRows>,
  kind: SliceKind,
  {currency = "USD", base = "./"} = {}
): HTMLTableElement {
  const money = (value: number | null) => (value === null ? "–" : formatMoney(value, currency));
  const table = document.createElement("table");
  table.className = "advice";
  const cell = (tag: "th" | "td", content: string | Node, numeric = false) => {
    const element = document.createElement(tag);
    element.append(content);
    if (numeric) element.className = "number";
    return element;
  };
  const headers = [
    kindNames[kind].title.toLowerCase(),
    "customers",
    "of all",
    "revenue",
    "of all",
    "profit",
    "of all",
    "profit per customer"
  ];
  table
    .createTHead()
    .insertRow()
    .append(...headers.map((header, i) => cell("th", header, i > 0)));
  const body = table.createTBody();
  for (const row of rows) {
    const link = document.createElement("a");
    link.textContent = row.name;
    link.href = `${base}${row.path.slice(1)}.html`;
    body
      .insertRow()
      .append(
        cell("td", link),
        ...[
          formatCount(row.customers),
          formatPercent(row.customer_share),
          money(row.revenue),
          formatPercent(row.revenue_share),
          money(row.profit),
          formatPercent(row.profit_share),
          money(row.profit_per_customer)
        ].map((text) => cell("td", text, true))
      );
  }
  return table;
}
