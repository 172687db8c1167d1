// The explore page's chart of a query's result, of the kind and columns chosen, from the
// data chartData (src/components/explore.ts) aggregated in DuckDB over the whole result; the
// chart says what of the result it covers ("All 12,345 rows", "Showing the first 10,000 of …").
import * as Plot from "@observablehq/plot";
import type {ChartData} from "./explore.js";

/** The site's blue (as on the profit page's bars). */
const barColor = "#3182bd";

/** Room for category labels left of the bars: about 7 px a character, within 60–220 px. */
const labelMargin = (rows: readonly Record<string, unknown>[]) =>
  Math.min(220, Math.max(60, 7 * Math.max(0, ...rows.map((r) => String(r.category ?? "").length)) + 10));

export function exploreChart(
  {kind, x, y = "", series, rows, bin, note}: ChartData,
  {width, height = 360, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  // Room for y tick labels such as "150,000"; the caption says what of the result the chart covers.
  const base = {width, height, marginLeft: 60, caption: note, ...options};
  switch (kind) {
    case "line":
      return Plot.plot({
        ...base,
        y: {grid: true, label: `↑ ${bin ? `sum of ${y} per ${bin}` : y}`},
        x: {label: bin ? `${x} (${bin}) →` : `${x} →`},
        color: {legend: series !== undefined},
        marks: [
          Plot.lineY(rows, {
            x: "x",
            y: "y",
            stroke: series === undefined ? undefined : "series",
            marker: rows.length <= 60 ? "circle" : undefined,
            tip: true
          }),
          Plot.ruleY([0])
        ]
      });
    case "bar":
    case "count":
      return Plot.plot({
        ...base,
        marginLeft: labelMargin(rows),
        x: {grid: true, label: kind === "bar" ? `sum of ${y} →` : "rows →"},
        y: {
          label: null,
          domain: rows.map((r) => r.category as string),
          tickFormat: (d: unknown) => (String(d).length > 30 ? `${String(d).slice(0, 29)}…` : String(d))
        },
        marks: [Plot.barX(rows, {y: "category", x: "value", fill: barColor, tip: true}), Plot.ruleX([0])]
      });
    case "dot":
      return Plot.plot({
        ...base,
        grid: true,
        marks: [Plot.dot(rows, {x, y, r: 2, fill: barColor, fillOpacity: 0.6, tip: true})]
      });
    case "histogram":
      return Plot.plot({
        ...base,
        x: {label: bin ? `${x} (${bin}) →` : `${x} →`},
        y: {grid: true, label: "↑ rows"},
        marks: [
          Plot.rectY(rows, {x1: "x1", x2: "x2", y: "count", fill: barColor, inset: 0.5, tip: true}),
          Plot.ruleY([0])
        ]
      });
  }
}
