import * as Plot from "@observablehq/plot";
import {rollups, sum} from "d3";
import {chartWidth} from "./chartWidth.js";

/**
 * Rejected rows per reason as horizontal bars, most first, stacked by table where a reason
 * occurs in several, each labelled with its total.
 */
export function rejectsChart(
  data: readonly {table: string; reason: string; rows: number}[],
  {width, ...options}: {width: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  const totals = rollups(
    data,
    (v) => sum(v, (d) => d.rows),
    (d) => d.reason
  ).sort((a, b) => b[1] - a[1]);
  const longest = Math.max(...totals.map(([reason]) => reason.length));
  const marginLeft = Math.min(width / 2, 12 + 6.2 * longest);
  const marginRight = 60;
  // Counts: whole-number ticks only (a few rows set aside would otherwise get 0.5 steps), with
  // thousands separated and about 80 px apart, so that six-digit counts do not run into each other.
  const ticks = Math.max(
    1,
    Math.min(10, totals[0]?.[1] ?? 1, Math.floor((chartWidth(width) - marginLeft - marginRight) / 80))
  );
  return Plot.plot({
    width: chartWidth(width),
    height: 50 + 26 * totals.length,
    marginLeft,
    marginRight,
    x: {grid: true, label: "Rows set aside", ticks, tickFormat: ",d"},
    y: {label: null, domain: totals.map(([reason]) => reason)},
    color: {legend: true, label: "Table"},
    ...options,
    marks: [
      Plot.barX(data, {x: "rows", y: "reason", fill: "table", tip: true}),
      Plot.text(totals, {
        x: ([, total]) => total,
        y: ([reason]) => reason,
        text: ([, total]) => total.toLocaleString("en-US"),
        dx: 4,
        textAnchor: "start"
      })
    ]
  });
}
