// Charts of profit by customer group: deciles (a Pareto chart) and the four customer types.
import * as Plot from "@observablehq/plot";
import type {CustomerType} from "../core/metrics/customerTypes.js";
import type {DecileRow} from "../core/metrics/profitGroups.js";

/** Pareto chart: profit share of each decile (bars, most profitable first) and the running total (line). */
export function decileChart(
  deciles: readonly DecileRow[],
  {width, height = 300, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {label: "Decile of customers by profit (1 = top 10 %)", type: "band"},
    y: {label: "↑ Share of total profit", tickFormat: (d: number) => `${Math.round(d * 100)} %`, grid: true},
    ...options,
    marks: [
      Plot.barY(deciles, {
        x: "decile",
        y: "share",
        fill: (d: DecileRow) => (d.profit < 0 ? "#e6550d" : "#3182bd"),
        tip: true
      }),
      Plot.line(deciles, {x: "decile", y: "cumulative", stroke: "currentColor", marker: "circle", curve: "linear"}),
      Plot.ruleY([0])
    ]
  });
}

const typeColors: Record<CustomerType, string> = {
  "true friends": "#31a354",
  butterflies: "#3182bd",
  barnacles: "#e6550d",
  strangers: "#969696"
};

/**
 * The four customer types: each customer at (profit, expected loyalty), coloured by type,
 * with the two thresholds as rules. Profit uses a symmetric log scale, since a few
 * customers make or lose far more than most.
 */
export function customerTypesChart(
  customers: readonly {profit: number; loyalty: number; type: CustomerType}[],
  thresholds: {profit: number; loyalty: number},
  {
    width,
    height = 380,
    loyaltyLabel = "Expected loyalty",
    loyaltyDomain = [0, 1],
    ...options
  }: {
    width: number;
    height?: number;
    loyaltyLabel?: string;
    loyaltyDomain?: readonly number[] | null;
  } & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {
      type: "symlog",
      label: "Profit per customer →",
      grid: true,
      ticks: [-10000, -1000, -100, -10, 0, 10, 100, 1000, 10000],
      tickFormat: (d: number) => d.toLocaleString("en-US")
    },
    y: {label: `↑ ${loyaltyLabel}`, domain: loyaltyDomain ? [...loyaltyDomain] : undefined, grid: true},
    color: {domain: Object.keys(typeColors), range: Object.values(typeColors), legend: true},
    ...options,
    marks: [
      Plot.dot(customers, {x: "profit", y: "loyalty", fill: "type", r: 2, fillOpacity: 0.5}),
      Plot.ruleX([thresholds.profit], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.ruleY([thresholds.loyalty], {stroke: "currentColor", strokeDasharray: "4 3"})
    ]
  });
}
