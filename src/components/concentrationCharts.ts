// Charts of profit concentration: the Lorenz curve against equality, and the whale curve.
import * as Plot from "@observablehq/plot";
import type {CurvePoint, WhalePeak} from "../core/metrics/concentration.js";
import {formatPercent} from "../core/format/format.js";

const percent = (d: number) => `${Math.round(d * 100)} %`;

/** Lorenz curve of profit with the diagonal of perfect equality; the gap between them is what Gini measures. */
export function lorenzChart(
  points: readonly CurvePoint[],
  {width, height = 320, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {label: "Customers, least to most profitable →", tickFormat: percent, domain: [0, 1]},
    y: {label: "↑ Cumulative share of profit", tickFormat: percent, grid: true},
    ...options,
    marks: [
      Plot.ruleY([0]),
      Plot.line(
        [
          {customers: 0, share: 0},
          {customers: 1, share: 1}
        ],
        {x: "customers", y: "share", stroke: "currentColor", strokeDasharray: "4 3", strokeOpacity: 0.5}
      ),
      Plot.areaY(points, {x: "customers", y: "share", fill: "#3182bd", fillOpacity: 0.15}),
      Plot.line(points, {x: "customers", y: "share", stroke: "#3182bd", strokeWidth: 2}),
      Plot.text(["equality"], {x: 0.55, y: 0.55, rotate: -38, dy: -8, fill: "currentColor", fillOpacity: 0.6})
    ]
  });
}

/**
 * The whale curve: cumulative profit of customers ranked from most to least profitable,
 * with its peak marked and the 100 % line the curve falls back to.
 */
export function whaleChart(
  points: readonly CurvePoint[],
  peak: WhalePeak,
  {width, height = 320, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    marginRight: 20,
    x: {label: "Customers, most to least profitable →", tickFormat: percent, domain: [0, 1]},
    y: {label: "↑ Cumulative share of total profit", tickFormat: percent, grid: true},
    ...options,
    marks: [
      Plot.ruleY([0]),
      Plot.ruleY([1], {stroke: "currentColor", strokeDasharray: "4 3", strokeOpacity: 0.6}),
      Plot.line(points, {x: "customers", y: "share", stroke: "#e6550d", strokeWidth: 2}),
      Plot.dot([peak], {x: "customers", y: "peak", fill: "#e6550d", r: 4}),
      Plot.text([peak], {
        x: "customers",
        y: "peak",
        text: (d: WhalePeak) => `peak ${formatPercent(d.peak)} at ${formatPercent(d.customers)} of customers`,
        dy: -10,
        textAnchor: "end",
        fill: "currentColor"
      })
    ]
  });
}
