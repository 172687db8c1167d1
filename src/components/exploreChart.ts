// The explore page's chart of a query's result, of the kind and columns chosen
// (src/components/explore.ts proposes them from the result's column types).
import * as Plot from "@observablehq/plot";
import {lineNeedsBinning, type ChartKind} from "./explore.js";

export interface ExploreChartSpec {
  kind: ChartKind;
  x: string;
  y?: string;
  /** A text column splitting a line into coloured series. */
  series?: string;
}

/** The site's blue (as on the profit page's bars). */
const barColor = "#3182bd";

/** A bar chart's label for rows whose category is NULL. */
const noCategory = "(none)";

/** How many categories a bar chart shows (the largest). */
export const topCategories = 20;

/** Room for category labels left of the bars: about 7 px a character, within 60–220 px. */
const labelMargin = (rows: readonly Record<string, unknown>[], column: string) =>
  Math.min(220, Math.max(60, 7 * Math.max(0, ...rows.slice(0, 5000).map((r) => String(r[column] ?? "").length)) + 10));

export function exploreChart(
  rows: readonly Record<string, unknown>[],
  {kind, x, y = "", series}: ExploreChartSpec,
  {width, height = 360, ...options}: {width: number; height?: number} & Plot.PlotOptions
): SVGSVGElement | HTMLElement {
  const defined = (column: string) => (d: Record<string, unknown>) => d[column] != null;
  // Room for y tick labels such as "150,000".
  const base = {width, height, marginLeft: 60, ...options};
  switch (kind) {
    case "line": {
      // Rows that share a time (raw events) are summed per time bin; an already aggregated series is drawn as it is.
      const binned = lineNeedsBinning(rows, x, series);
      const mark = binned
        ? Plot.lineY(
            rows,
            Plot.binX<Plot.LineYOptions>({y: "sum"}, {x, y, stroke: series, filter: defined(x), tip: true})
          )
        : Plot.lineY(rows, {
            x,
            y,
            stroke: series,
            sort: x,
            filter: defined(x),
            marker: rows.length <= 60 ? "circle" : undefined,
            tip: true
          });
      return Plot.plot({
        ...base,
        y: {grid: true, label: `↑ ${binned ? `sum of ${y} per time bin` : y}`},
        color: {legend: series !== undefined},
        marks: [mark, Plot.ruleY([0])]
      });
    }
    case "bar":
    case "count": {
      const reduce = kind === "bar" ? {x: "sum" as const} : {x: "count" as const};
      // A missing category is a bar of its own: a result whose only category is NULL (a source without channels) still shows.
      const categorised = rows.map((d) => (d[x] == null ? {...d, [x]: noCategory} : d));
      const channels = kind === "bar" ? {y: x, x: y} : {y: x};
      return Plot.plot({
        ...base,
        marginLeft: labelMargin(categorised, x),
        x: {grid: true, label: kind === "bar" ? `sum of ${y} →` : "rows →"},
        y: {
          label: null,
          tickFormat: (d: unknown) => (String(d).length > 30 ? `${String(d).slice(0, 29)}…` : String(d))
        },
        marks: [
          Plot.barX(
            categorised,
            Plot.groupY(reduce, {...channels, fill: barColor, sort: {y: "-x", limit: topCategories}, tip: true})
          ),
          Plot.ruleX([0])
        ]
      });
    }
    case "dot":
      return Plot.plot({
        ...base,
        grid: true,
        marks: [Plot.dot(rows, {x, y, r: 2, fill: barColor, fillOpacity: 0.6, tip: true})]
      });
    case "histogram":
      return Plot.plot({
        ...base,
        y: {grid: true},
        marks: [
          Plot.rectY(
            rows,
            Plot.binX<Plot.RectYOptions>({y: "count"}, {x, fill: barColor, filter: defined(x), tip: true})
          ),
          Plot.ruleY([0])
        ]
      });
  }
}
