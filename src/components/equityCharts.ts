// Charts of the customer-equity page: how well the model tracks purchases it was not fitted
// on, and what customers are worth.
import * as Plot from "@observablehq/plot";
import {chartWidth} from "./chartWidth.js";
import type {ClvBin, GroupValue} from "../core/models/equity.js";

/** Repeat purchases added up week by week: observed (solid) against each model's expectation (dashed). */
export function trackingChart(
  weeks: readonly ({date: string; actual: number} & Record<string, number | string>)[],
  calibrationEnd: string,
  {
    width,
    height = 300,
    models,
    ...options
  }: {width: number; height?: number; models: Record<string, string>} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  const names = Object.values(models);
  const long = weeks.flatMap((w) => [
    {date: new Date(w.date), value: w.actual, series: "observed"},
    ...Object.entries(models).map(([key, name]) => ({date: new Date(w.date), value: Number(w[key]), series: name}))
  ]);
  return Plot.plot({
    width: chartWidth(width),
    height,
    x: {type: "utc", label: null},
    y: {label: "↑ Cumulative repeat purchases", grid: true, tickFormat: "s"},
    color: {domain: ["observed", ...names], range: ["currentColor", "#e6550d", "#3182bd"], legend: true},
    ...options,
    marks: [
      Plot.ruleX([new Date(calibrationEnd)], {stroke: "currentColor", strokeDasharray: "4 3", strokeOpacity: 0.6}),
      Plot.text([new Date(calibrationEnd)], {
        x: (d: Date) => d,
        frameAnchor: "top",
        text: () => "cut-off date",
        dx: 4,
        textAnchor: "start"
      }),
      Plot.line(long, {
        filter: (d: {series: string}) => d.series === "observed",
        x: "date",
        y: "value",
        stroke: "series"
      }),
      Plot.line(long, {
        filter: (d: {series: string}) => d.series !== "observed",
        x: "date",
        y: "value",
        z: "series",
        stroke: "series",
        strokeDasharray: "6 3"
      }),
      Plot.ruleY([0])
    ]
  });
}

/**
 * Mean holdout purchases per customer by group: observed (dots) against a model's expectation (line). By default the
 * groups are customers' repeat purchases before the cut-off (the last bucket that many or more); `x` names others,
 * such as tenths of customers by predicted purchases.
 */
export function holdoutChart(
  rows: readonly {x: number; customers: number; actual: number; expected: number | null}[],
  {
    width,
    height = 280,
    lastBucket = 7,
    model = "model",
    x = {
      label: "Repeat purchases before the cut-off →",
      tickFormat: (x: number) => (x === lastBucket ? `${x}+` : String(x))
    },
    ...options
  }: {
    width: number;
    height?: number;
    lastBucket?: number;
    /** The model's name, in the tips. */
    model?: string;
    x?: {label: string; tickFormat: (x: number) => string};
  } & Omit<Plot.PlotOptions, "x">
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height,
    x: {...x, ticks: rows.map((r) => r.x)},
    y: {label: "↑ Purchases in the holdout period (mean)", grid: true},
    ...options,
    marks: [
      Plot.line(rows, {x: "x", y: "expected", stroke: "#e6550d", strokeDasharray: "6 3"}),
      Plot.dot(rows, {
        x: "x",
        y: "actual",
        fill: "currentColor",
        r: 4,
        tip: true,
        // The model's expectation is missing where it cannot forecast (the models' limits).
        title: (r: {customers: number; actual: number; expected: number | null}) =>
          `${r.customers} customers: observed ${r.actual.toFixed(2)}, ${model} ${r.expected == null ? "–" : r.expected.toFixed(2)}`
      }),
      Plot.ruleY([0])
    ]
  });
}

/** Distribution of customer lifetime value (customers per CLV bin). */
export function clvHistogram(
  bins: readonly ClvBin[],
  {width, height = 260, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height,
    x: {label: "Customer lifetime value →", tickFormat: "s"},
    y: {label: "↑ Customers", grid: true},
    ...options,
    marks: [Plot.rectY(bins, {x1: "x0", x2: "x1", y: "customers", fill: "#3182bd", inset: 0.5}), Plot.ruleY([0])]
  });
}

/**
 * What a group's customers are worth, per customer: margin so far plus expected future
 * margin (CLV) in one stacked bar, beside the mean cost of winning one. A group pays for
 * itself where the first bar is well longer than the second.
 */
export function valueVsCostChart(
  rows: readonly GroupValue[],
  {width, height, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  const long = rows.flatMap((r) => [
    {group: r.group, row: "worth", part: "margin so far", value: r.margin_to_date},
    {group: r.group, row: "worth", part: "future margin (CLV)", value: r.clv},
    ...(r.acquisition_cost == null
      ? []
      : [{group: r.group, row: "cost", part: "acquisition cost", value: r.acquisition_cost}])
  ]);
  // Without any acquisition cost there is no cost bar: neither its row nor its legend entry.
  const costed = long.some((d) => d.row === "cost");
  const parts = ["margin so far", "future margin (CLV)", "acquisition cost"].slice(0, costed ? 3 : 2);
  return Plot.plot({
    width: chartWidth(width),
    height: height ?? 50 + 46 * rows.length,
    marginLeft: 90,
    x: {label: "Per customer →", grid: true},
    y: {label: null, domain: costed ? ["worth", "cost"] : ["worth"], axis: null},
    fy: {label: null, domain: rows.map((r) => r.group)},
    color: {domain: parts, range: ["#9ecae1", "#3182bd", "#e6550d"].slice(0, parts.length), legend: true},
    ...options,
    marks: [Plot.barX(long, {x: "value", y: "row", fy: "group", fill: "part", tip: true}), Plot.ruleX([0])]
  });
}

/**
 * Customer equity by year: today's customers' value and that of the customers still to win, stacked, with a
 * band (e.g. from the parameters' uncertainty) drawn as a rule over today's customers' bar.
 */
export function equityByYearChart(
  rows: readonly {year: number; kind: "today's customers" | "customers still to win"; value: number}[],
  band: readonly {year: number; low: number; high: number}[],
  {width, height = 280, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height,
    x: {label: "Year from today", type: "band"},
    y: {label: "↑ Discounted margin", grid: true, tickFormat: "s"},
    color: {domain: ["today's customers", "customers still to win"], range: ["#3182bd", "#9ecae1"], legend: true},
    ...options,
    marks: [
      Plot.barY(rows, {x: "year", y: "value", fill: "kind", tip: true}),
      Plot.ruleX(band, {x: "year", y1: "low", y2: "high", stroke: "currentColor", strokeWidth: 2}),
      Plot.ruleY([0])
    ]
  });
}
