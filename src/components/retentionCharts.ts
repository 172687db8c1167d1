// Charts of the retention page: the leaky bucket (inflows above, outflows below, the net
// line), ratios over time, the cohort heatmap, retention curves (by cohort and by bond), the
// inactivity-window status and the loyalty ladder.
import * as Plot from "@observablehq/plot";
import type {BondCurveRow, BondGroupName} from "../core/metrics/bonds.js";
import type {LadderRow} from "../core/metrics/loyaltyLadder.js";
import type {CohortRow, WindowStatusRow} from "../core/sql/retentionSql.js";
import type {Period} from "../core/metrics/salesByPeriod.js";
import {formatPercent} from "../core/format/format.js";

type ChartOptions = {width: number; height?: number} & Plot.PlotOptions;

/** Plot's interval for a period (ISO weeks start on Monday, as DuckDB's date_trunc). */
const intervals: Record<Period, Plot.Interval> = {week: "monday", month: "month", quarter: "3 months"};

/** The first day of a period, as a Date (UTC), from "YYYY-MM-DD" or a typed CSV's Date. */
export const periodDate = (period: string | Date) =>
  period instanceof Date ? period : new Date(`${period}T00:00:00Z`);

/** One flow of the bucket: inflows positive, outflows negative. */
export interface Flow {
  period: string | Date;
  flow: string;
  value: number;
}

/**
 * The leaky bucket: per period, inflows stacked above zero and outflows below, with the
 * net change (their sum) as a line. flows are long form; colors maps each flow name to a
 * colour, in legend order.
 */
export function bucketChart(
  flows: readonly Flow[],
  {
    width,
    height = 320,
    period,
    colors,
    label,
    ...options
  }: ChartOptions & {period: Period; colors: Record<string, string>; label: string}
): SVGSVGElement | HTMLElement {
  const net = new Map<number, number>();
  for (const f of flows) net.set(+periodDate(f.period), (net.get(+periodDate(f.period)) ?? 0) + f.value);
  const interval = intervals[period];
  return Plot.plot({
    width,
    height,
    x: {label: null, type: "utc"},
    y: {label, grid: true, tickFormat: "~s"},
    color: {domain: Object.keys(colors), range: Object.values(colors), legend: true},
    ...options,
    marks: [
      Plot.rectY(flows, {
        x: (d: Flow) => periodDate(d.period),
        interval,
        y: "value",
        fill: "flow",
        order: Object.keys(colors),
        insetLeft: 0.5,
        insetRight: 0.5,
        tip: true
      }),
      Plot.ruleY([0]),
      Plot.lineY(
        [...net].map(([time, value]) => ({time: new Date(time), value})),
        {
          x: "time",
          y: "value",
          stroke: "currentColor",
          strokeWidth: 1.5,
          marker: period === "week" ? null : "circle-stroke",
          tip: {format: {y: (v: number) => `net ${v.toLocaleString("en-US", {maximumFractionDigits: 0})}`}}
        }
      )
    ]
  });
}

/** Ratios over time (quick ratio, net revenue retention …) as lines, with the break-even line at 1. */
export function ratioChart(
  rows: readonly {period: string | Date; measure: string; value: number}[],
  {width, height = 240, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const finite = rows.filter((d) => Number.isFinite(d.value));
  return Plot.plot({
    width,
    height,
    x: {label: null, type: "utc"},
    y: {label: "↑ Ratio", grid: true, zero: true},
    color: {legend: true},
    ...options,
    marks: [
      Plot.ruleY([1], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.lineY(finite, {x: (d) => periodDate(d.period), y: "value", stroke: "measure", tip: true})
    ]
  });
}

/**
 * Acquisition cohorts (rows) by age in periods since the first purchase (columns), coloured
 * by value: the share still active, or revenue per original customer.
 */
export function cohortHeatmap(
  cells: readonly CohortRow[],
  {
    width,
    value = "share",
    period,
    ...options
  }: ChartOptions & {value?: "share" | "revenue_per_customer"; period: Period}
): SVGSVGElement | HTMLElement {
  const cohorts = [...new Set(cells.map((d) => d.group))];
  const share = value === "share";
  return Plot.plot({
    width,
    height: Math.max(160, cohorts.length * 16 + 60),
    marginLeft: 80,
    padding: 0.05,
    x: {
      label: `${period[0]!.toUpperCase()}${period.slice(1)}s since the first purchase →`,
      type: "band",
      tickFormat: (d: number) => (d % (period === "quarter" ? 1 : 3) === 0 ? String(d) : "")
    },
    y: {label: "Cohort (first purchase)", domain: cohorts},
    color: share
      ? {
          type: "sqrt",
          scheme: "blues",
          domain: [0, 1],
          legend: true,
          label: "Share active",
          tickFormat: (d: number) => `${Math.round(d * 100)} %`
        }
      : {type: "sqrt", scheme: "greens", legend: true, label: "Revenue per original customer"},
    ...options,
    marks: [
      Plot.cell(cells, {
        x: "age",
        y: "group",
        fill: value,
        tip: {format: {fill: share ? (d: number) => `${(d * 100).toFixed(1)} %` : (d: number) => d.toFixed(2)}},
        channels: {customers: "customers", active: "active"}
      })
    ]
  });
}

/** Retention curves: share active by age, one line per group (cohort year, channel …). */
export function retentionCurves(
  rows: readonly CohortRow[],
  {width, height = 300, period, ...options}: ChartOptions & {period: Period}
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {label: `${period[0]!.toUpperCase()}${period.slice(1)}s since the first purchase →`},
    y: {label: "↑ Share active", domain: [0, 1], grid: true, tickFormat: (d: number) => `${Math.round(d * 100)} %`},
    color: {legend: true},
    ...options,
    marks: [
      Plot.lineY(
        rows.filter((d) => d.age > 0),
        {x: "age", y: "share", stroke: "group", tip: true, channels: {customers: "customers"}}
      )
    ]
  });
}

/** The window chart's two groups, as its legend names them. */
const [withinWindow, pastWindow] = ["bought within the window", "silent past it (lapsed or lost)"];

/**
 * Customers who have bought, at each period's end: within the inactivity window or silent past
 * it (the customer states' lapsed and lost together). Not the states' "active", which leaves out
 * the new, at-risk and reactivated: the labels say what is counted.
 */
export function windowStatusChart(
  rows: readonly WindowStatusRow[],
  {width, height = 280, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const long = rows.flatMap((r) => [
    {period: periodDate(r.period), status: withinWindow, customers: r.active},
    {period: periodDate(r.period), status: pastWindow, customers: r.lapsed}
  ]);
  return Plot.plot({
    width,
    height,
    x: {label: null, type: "utc"},
    y: {label: "↑ Customers at the period's end", grid: true, tickFormat: "~s"},
    color: {domain: [withinWindow, pastWindow], range: ["#3182bd", "#bdbdbd"], legend: true},
    ...options,
    marks: [
      Plot.areaY(long, {x: "period", y: "customers", fill: "status", order: [withinWindow, pastWindow], tip: true}),
      Plot.ruleY([0])
    ]
  });
}

/** The loyalty ladder as horizontal bars, each labelled with its count and conversion from the step before. */
export function ladderChart(
  rows: readonly LadderRow[],
  {width, height = 220, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const label = (d: LadderRow) =>
    d.people === null
      ? "no data"
      : `${d.people.toLocaleString("en-US")}${d.conversion === null ? "" : ` (${formatPercent(d.conversion)} of the step before)`}`;
  return Plot.plot({
    width,
    height,
    marginLeft: 110,
    marginRight: 20,
    x: {label: "People →", grid: true, tickFormat: "~s"},
    y: {label: null, domain: rows.map((d) => d.step)},
    ...options,
    marks: [
      Plot.barX(rows, {y: "step", x: (d: LadderRow) => d.people ?? 0, fill: "#3182bd"}),
      Plot.text(rows, {
        y: "step",
        x: 0,
        text: label,
        textAnchor: "start",
        dx: 6,
        fill: "currentColor",
        stroke: "var(--theme-background)",
        strokeWidth: 3,
        paintOrder: "stroke"
      }),
      Plot.ruleX([0])
    ]
  });
}

/** The share of each cohort who climbed to each rung within a span, one line per rung: is the ladder getting easier? */
export function climbTrendChart(
  rows: readonly {cohort: Date; step: string; share: number}[],
  {width, height = 260, months, ...options}: ChartOptions & {months: number}
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {type: "utc", label: "Cohort: quarter of the first purchase →"},
    y: {label: `↑ Climbed within ${months} months of the rung below (%)`, grid: true, percent: true, domain: [0, 100]},
    color: {legend: true, domain: [...new Set(rows.map((d) => d.step))]},
    ...options,
    marks: [Plot.line(rows, {x: "cohort", y: "share", stroke: "step", marker: "dot"}), Plot.ruleY([0])]
  });
}

/** The bond charts' groups as their legend names them, in legend order. */
const bondGroupLabels: Record<BondGroupName, string> = {with: "with the bond", without: "without it"};

/**
 * Retention with and without each bond, one panel per bond: the share active each month after the first purchase,
 * holders and the others, each with its 95 % interval as a band. Ages where fewer than `minCustomers` of a group
 * can be seen are left out, as the other retention curves do.
 */
export function bondRetentionCurves(
  rows: readonly BondCurveRow[],
  {width, height = 260, minCustomers = 20, ...options}: ChartOptions & {minCustomers?: number}
): SVGSVGElement | HTMLElement {
  const shown = rows
    .filter((d) => d.age > 0 && d.customers >= minCustomers)
    .map((d) => ({...d, group: bondGroupLabels[d.group]}));
  const color = {domain: Object.values(bondGroupLabels), range: ["#4269d0", "#9a9a9a"], legend: true};
  return Plot.plot({
    width,
    height,
    marginTop: 30,
    // The panels in the order the rows give the bonds (their declared order).
    fx: {label: null, domain: [...new Set(rows.map((d) => d.bond))]},
    x: {label: "Months since the first purchase →"},
    y: {label: "↑ Share active", domain: [0, 1], grid: true, tickFormat: (d: number) => `${Math.round(d * 100)} %`},
    color,
    ...options,
    marks: [
      Plot.areaY(shown, {fx: "bond", x: "age", y1: "low", y2: "high", fill: "group", fillOpacity: 0.2}),
      Plot.lineY(shown, {
        fx: "bond",
        x: "age",
        y: "share",
        stroke: "group",
        tip: true,
        channels: {customers: "customers", active: "active"}
      })
    ]
  });
}
