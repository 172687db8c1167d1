import * as Plot from "@observablehq/plot";

/** A small trend line for a KPI card: no axes, the last value marked. Empty for fewer than two values. */
export function sparkline(
  values: readonly number[],
  {width = 200, height = 40, ...options}: {width?: number; height?: number} & Plot.PlotOptions = {}
): SVGSVGElement | HTMLElement {
  const points = values.map((value, index) => ({index, value})).filter((d) => Number.isFinite(d.value));
  return Plot.plot({
    width,
    height,
    margin: 4,
    axis: null,
    ...options,
    marks:
      points.length < 2
        ? []
        : [
            Plot.lineY(points, {x: "index", y: "value", stroke: "currentColor", strokeWidth: 1.5}),
            Plot.dot(points.slice(-1), {x: "index", y: "value", fill: "currentColor", r: 2.5})
          ]
  });
}
