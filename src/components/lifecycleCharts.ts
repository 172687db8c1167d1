// Charts of the lifecycle page: customers (or their value) per stage over time as a
// stacked area, and the flow matrix between two consecutive month ends.
import * as Plot from "@observablehq/plot";
import {stages, type StageCountRow, type StageFlowRow} from "../core/sql/lifecycleSql.js";

type ChartOptions = {width: number; height?: number} & Plot.PlotOptions;

/** One colour per stage, in the lifecycle's order: blue to green for the healthy stages, purple for the returning, orange for decline, grey for lost. */
export const stageColors: Record<(typeof stages)[number], string> = {
  identification: "#9ecae1",
  development: "#3182bd",
  stability: "#31a354",
  reactivated: "#756bb1",
  decline: "#e6550d",
  lost: "#bdbdbd"
};

const monthEndDate = (d: string | Date) => (d instanceof Date ? d : new Date(`${d}T00:00:00Z`));

/** Customers (measure "customers") or their last-year revenue (measure "value") per stage at each month end, stacked. */
export function stageAreaChart(
  rows: readonly StageCountRow[],
  {width, height = 320, measure, label, ...options}: ChartOptions & {measure: "customers" | "value"; label: string}
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    x: {label: null, type: "utc"},
    y: {label, grid: true, tickFormat: "~s"},
    color: {domain: Object.keys(stageColors), range: Object.values(stageColors), legend: true},
    ...options,
    marks: [
      Plot.areaY(rows, {
        x: (d: StageCountRow) => monthEndDate(d.month_end),
        y: measure,
        fill: "stage",
        order: [...stages],
        tip: true
      }),
      Plot.ruleY([0])
    ]
  });
}

/** The flow matrix: rows are the stage at the previous month end ("new" for first buyers), columns the stage now; cells count customers. */
export function flowMatrix(
  rows: readonly StageFlowRow[],
  {width, height = 300, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height,
    marginLeft: 100,
    marginTop: 70,
    // Six stages side by side: the column names slant so that they do not run into each other.
    x: {label: "Stage now →", domain: [...stages], axis: "top", tickRotate: -35},
    y: {label: "Stage a month before", domain: ["new", ...stages]},
    color: {type: "log", scheme: "blues", legend: false},
    ...options,
    marks: [
      Plot.cell(rows, {x: "to_stage", y: "from_stage", fill: "customers", inset: 1, tip: true}),
      Plot.text(rows, {
        x: "to_stage",
        y: "from_stage",
        text: (d: StageFlowRow) => d.customers.toLocaleString("en-US"),
        fill: "black",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke"
      })
    ]
  });
}
