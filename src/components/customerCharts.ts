// The customer profile's chart: one customer's orders and spending month by month, with the
// months in which they sent something back marked below the axis.
import * as Plot from "@observablehq/plot";

/** A row of customer_months.csv (the profit page's per-customer months). */
export interface CustomerMonth {
  /** YYYY-MM. */
  month: string;
  orders: number;
  /** Returned lines. */
  returns: number;
  /** Revenue net of the returns. */
  revenue: number;
}

type ChartOptions = {width: number; height?: number} & Plot.PlotOptions;

const monthDate = (month: string) => new Date(`${month}-01T00:00:00Z`);

/** Net revenue per month as bars from `from` to `to` (YYYY-MM, the data's span), each labelled with its orders; a red mark under a month with returns. */
export function purchaseHistoryChart(
  months: readonly CustomerMonth[],
  {
    width,
    height = 260,
    from,
    to,
    money,
    ...options
  }: ChartOptions & {from: string; to: string; money: (value: number) => string}
): SVGSVGElement | HTMLElement {
  const returned = months.filter((d) => d.returns > 0);
  return Plot.plot({
    width,
    height,
    marginTop: 24,
    // Room for the widest money tick ("$10,000").
    marginLeft: 56,
    x: {type: "utc", label: null, domain: [monthDate(from), Plot.utcInterval("month").offset(monthDate(to), 1)]},
    y: {label: "Net revenue", grid: true, tickFormat: (d: number) => money(d)},
    ...options,
    marks: [
      Plot.rectY(months, {
        x1: (d: CustomerMonth) => monthDate(d.month),
        x2: (d: CustomerMonth) => Plot.utcInterval("month").offset(monthDate(d.month), 1),
        y: "revenue",
        fill: "#3182bd",
        inset: 1,
        title: (d: CustomerMonth) =>
          `${d.month}: ${d.orders} order${d.orders === 1 ? "" : "s"}, ${money(d.revenue)}${d.returns ? `, ${d.returns} returned` : ""}`
      }),
      Plot.text(months, {
        x: (d: CustomerMonth) => Plot.utcInterval("day").offset(monthDate(d.month), 15),
        y: "revenue",
        text: (d: CustomerMonth) => String(d.orders),
        dy: -8,
        fontSize: 10
      }),
      Plot.dot(returned, {
        x: (d: CustomerMonth) => Plot.utcInterval("day").offset(monthDate(d.month), 15),
        y: 0,
        dy: 10,
        symbol: "triangle",
        fill: "#e6550d",
        r: 4
      }),
      Plot.ruleY([0])
    ]
  });
}
