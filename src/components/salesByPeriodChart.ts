import * as Plot from "@observablehq/plot";
import type {Period, PeriodSales} from "../core/metrics/salesByPeriod.js";

// Plot's name for each period's calendar interval; SQL weeks start on Monday.
const intervals = {week: "monday", month: "month", quarter: "quarter"} as const;

/** Revenue per period as stacked bars: first purchases below, repeat purchases on top. */
export function salesByPeriodChart(
  data: readonly PeriodSales[],
  {period, width, height = 320, ...options}: {period: Period; width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    marginLeft: 60,
    x: {type: "utc", label: null},
    y: {grid: true, label: "Revenue", tickFormat: "s"},
    color: {domain: ["first purchase", "repeat"], range: ["#9ecae1", "#3182bd"], legend: true},
    ...options,
    marks: [
      Plot.rectY(data, {
        x: (d: PeriodSales) => new Date(d.period),
        interval: intervals[period],
        y: "revenue",
        fill: "kind",
        inset: 0.5,
        tip: {format: {x: (d: Date) => d.toISOString().slice(0, 10), y: ",.0f"}}
      }),
      Plot.ruleY([0])
    ]
  });
}
