// Charts of the satisfaction page: gaps by dimension, expectation against perception, the
// importance–performance grid, NPS over time, outcomes by group with their intervals and
// satisfaction by days late.
import * as Plot from "@observablehq/plot";
import type {DimensionGap} from "../core/metrics/gap.js";
import type {ImportanceRow} from "../core/metrics/importance.js";
import type {NetPromoterScore} from "../core/metrics/nps.js";
import type {ScoreOutcome} from "../core/metrics/satisfactionLink.js";
import type {GapCount} from "../core/sql/satisfactionSql.js";
import {chartWidth, minChartWidth} from "./chartWidth.js";

type ChartOptions = {width: number; height?: number} & Plot.PlotOptions;
const percent = (d: number) => `${Math.round(d * 100)} %`;
const classColors = {below: "#e6550d", meets: "#bdbdbd", exceeds: "#3182bd"};

/**
 * Diverging bars: per dimension the share of answers below expectation to the left of
 * zero, those within the tolerance band centred on it, and those above it to the right.
 */
export function gapBarsChart(
  rows: readonly DimensionGap[],
  {width, height, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const segments = rows.flatMap((r) => [
    {dimension: r.dimension, zone: "below", x1: -r.meets / 2 - r.below, x2: -r.meets / 2, share: r.below},
    {dimension: r.dimension, zone: "meets", x1: -r.meets / 2, x2: r.meets / 2, share: r.meets},
    {dimension: r.dimension, zone: "exceeds", x1: r.meets / 2, x2: r.meets / 2 + r.exceeds, share: r.exceeds}
  ]);
  return Plot.plot({
    width: chartWidth(width),
    height: height ?? 60 + 36 * rows.length,
    marginLeft: 110,
    x: {
      label: "← below expectation · share of answers · above expectation →",
      tickFormat: (d: number) => percent(Math.abs(d)),
      domain: [-1, 1],
      grid: true
    },
    y: {label: null, domain: rows.map((r) => r.dimension)},
    color: {
      domain: Object.keys(classColors),
      range: Object.values(classColors),
      legend: true,
      tickFormat: (d: string) => ({below: "below", meets: "meets (within tolerance)", exceeds: "exceeds"})[d] ?? d
    },
    ...options,
    marks: [
      Plot.barX(segments, {
        y: "dimension",
        x1: "x1",
        x2: "x2",
        fill: "zone",
        title: (d: (typeof segments)[number]) => `${d.dimension}: ${percent(d.share)} ${d.zone}`
      }),
      Plot.text(
        segments.filter((d) => d.zone !== "meets" && d.share >= 0.06),
        {
          y: "dimension",
          x: (d: (typeof segments)[number]) => (d.x1 + d.x2) / 2,
          text: (d: (typeof segments)[number]) => percent(d.share),
          fill: "white"
        }
      ),
      Plot.ruleX([0])
    ]
  });
}

/** Mean gap per dimension with its 95 % interval; zero is where perception equals expectation. */
export function meanGapChart(
  rows: readonly DimensionGap[],
  {width, height, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height: height ?? 60 + 36 * rows.length,
    marginLeft: 110,
    x: {label: "Mean gap, perception − expectation (scale points) →", grid: true},
    y: {label: null, domain: rows.map((r) => r.dimension)},
    ...options,
    marks: [
      Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.6}),
      Plot.ruleY(rows, {
        y: "dimension",
        x1: "low",
        x2: "high",
        stroke: (d: DimensionGap) => (d.high < 0 ? classColors.below : d.low > 0 ? classColors.exceeds : "#636363"),
        strokeWidth: 3
      }),
      Plot.dot(rows, {
        y: "dimension",
        x: "mean",
        r: 4,
        fill: "currentColor",
        title: (d: DimensionGap) =>
          `${d.dimension}: ${d.mean.toFixed(2)} (95 % CI ${d.low.toFixed(2)} to ${d.high.toFixed(2)}), ${d.n} answers`
      })
    ]
  });
}

/**
 * Expectation against perception, binned: one circle per score pair, its area the number
 * of answers; the diagonal is perception = expectation, the grey band ± tolerance around
 * it, above it expectations are exceeded and below it missed.
 */
export function expectationScatter(
  counts: readonly GapCount[],
  tolerance: number,
  {width, height = 380, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const values = counts.flatMap((c) => [c.expectation, c.perception]);
  const [lo, hi] = [Math.min(1, ...values) - 0.5, Math.max(7, ...values) + 0.5];
  const line = [lo, hi];
  return Plot.plot({
    width: chartWidth(width),
    height,
    aspectRatio: 1,
    x: {label: "Expectation →", domain: [lo, hi], ticks: 7},
    y: {label: "↑ Perception", domain: [lo, hi], ticks: 7},
    r: {range: [0, 18]},
    ...options,
    marks: [
      Plot.areaY(line, {
        x: (d: number) => d,
        y1: (d: number) => d + tolerance,
        y2: hi,
        fill: classColors.exceeds,
        fillOpacity: 0.08,
        clip: true
      }),
      Plot.areaY(line, {
        x: (d: number) => d,
        y1: lo,
        y2: (d: number) => d - tolerance,
        fill: classColors.below,
        fillOpacity: 0.08,
        clip: true
      }),
      Plot.areaY(line, {
        x: (d: number) => d,
        y1: (d: number) => d - tolerance,
        y2: (d: number) => d + tolerance,
        fill: "#bdbdbd",
        fillOpacity: 0.3,
        clip: true
      }),
      Plot.line(line, {x: (d: number) => d, y: (d: number) => d, stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.dot(counts, {
        x: "expectation",
        y: "perception",
        r: "n",
        fill: (d: GapCount) =>
          d.perception - d.expectation < -tolerance
            ? classColors.below
            : d.perception - d.expectation > tolerance
              ? classColors.exceeds
              : "#636363",
        fillOpacity: 0.7,
        title: (d: GapCount) => `expected ${d.expectation}, perceived ${d.perception}: ${d.n} answers`
      }),
      Plot.text(["exceeds expectation"], {frameAnchor: "top-left", dx: 8, dy: 8, fill: classColors.exceeds}),
      Plot.text(["below expectation"], {frameAnchor: "bottom-right", dx: -8, dy: -8, fill: classColors.below})
    ]
  });
}

/**
 * Importance–performance grid (Martilla & James 1977) on the gap: each dimension at (mean
 * gap, derived importance) with both 95 % intervals; the cross-hairs at zero gap (expectation
 * met) and at the mean importance; the four quadrants labelled.
 */
export function importanceGrid(
  rows: readonly ImportanceRow[],
  {width, height = 380, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const at = {importance: rows.reduce((t, r) => t + r.importance, 0) / rows.length, gap: 0};
  // Symmetric about the cross-hairs, wide enough for every interval and a margin for the labels.
  const reach = (lows: number[], highs: number[], centre: number, min: number) =>
    Math.max(min, ...lows.map((v) => centre - v), ...highs.map((v) => v - centre)) * 1.25;
  const [dx, dy] = [
    reach(
      rows.map((r) => r.gapLow),
      rows.map((r) => r.gapHigh),
      at.gap,
      0.2
    ),
    reach(
      rows.map((r) => r.importanceLow),
      rows.map((r) => r.importanceHigh),
      at.importance,
      0.05
    )
  ];
  const byGap = [...rows].sort((a, b) => a.gap - b.gap);
  const label = (r: ImportanceRow) =>
    `${r.dimension}: importance ${r.importance.toFixed(2)} (95 % CI ${r.importanceLow.toFixed(2)}–${r.importanceHigh.toFixed(2)}), mean gap ${r.gap.toFixed(2)} (95 % CI ${r.gapLow.toFixed(2)} to ${r.gapHigh.toFixed(2)})`;
  return Plot.plot({
    width: chartWidth(width),
    height,
    marginRight: 30,
    x: {label: "Mean gap, perception − expectation (scale points) →", domain: [at.gap - dx, at.gap + dx]},
    y: {label: "↑ Importance: correlation with overall satisfaction", domain: [at.importance - dy, at.importance + dy]},
    ...options,
    marks: [
      Plot.ruleX([at.gap], {strokeOpacity: 0.6}),
      Plot.ruleY([at.importance], {strokeDasharray: "4 3", strokeOpacity: 0.6}),
      Plot.text(["Concentrate here"], {
        frameAnchor: "top-left",
        dx: 6,
        dy: 6,
        fill: classColors.below,
        fontWeight: 600
      }),
      Plot.text(["Keep up the good work"], {
        frameAnchor: "top-right",
        dx: -6,
        dy: 6,
        fill: classColors.exceeds,
        fontWeight: 600
      }),
      Plot.text(["Low priority"], {frameAnchor: "bottom-left", dx: 6, dy: -6, fillOpacity: 0.7}),
      Plot.text(["Possible overkill"], {frameAnchor: "bottom-right", dx: -6, dy: -6, fillOpacity: 0.7}),
      // Each dimension's two 95 % intervals: importance (vertical) and mean gap (horizontal).
      Plot.ruleX(rows, {x: "gap", y1: "importanceLow", y2: "importanceHigh", strokeOpacity: 0.5, strokeWidth: 2}),
      Plot.ruleY(rows, {y: "importance", x1: "gapLow", x2: "gapHigh", strokeOpacity: 0.5, strokeWidth: 2}),
      Plot.dot(rows, {x: "gap", y: "importance", r: 5, fill: "currentColor", title: label}),
      // Labels alternate above and below, by gap, so that neighbours do not overlap.
      Plot.text(
        byGap.filter((_, i) => i % 2 === 0),
        {x: "gap", y: "importance", text: "dimension", dy: -14, dx: 4, textAnchor: "start"}
      ),
      Plot.text(
        byGap.filter((_, i) => i % 2 === 1),
        {x: "gap", y: "importance", text: "dimension", dy: 14, dx: 4, textAnchor: "start"}
      )
    ]
  });
}

/** NPS by period with its 95 % interval as a band. */
export function npsTrendChart(
  rows: readonly (NetPromoterScore & {period: string})[],
  {width, height = 280, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height,
    marginBottom: 50,
    x: {label: null, type: "point", domain: rows.map((r) => r.period), tickRotate: -40},
    y: {label: "↑ Net Promoter Score", grid: true},
    ...options,
    marks: [
      Plot.ruleY([0]),
      Plot.areaY(rows, {x: "period", y1: "low", y2: "high", fill: "#3182bd", fillOpacity: 0.15}),
      Plot.line(rows, {x: "period", y: "nps", stroke: "#3182bd", strokeWidth: 2}),
      Plot.dot(rows, {
        x: "period",
        y: "nps",
        fill: "#3182bd",
        title: (d: NetPromoterScore & {period: string}) =>
          `${d.period}: NPS ${d.nps.toFixed(0)} (95 % CI ${d.low.toFixed(0)} to ${d.high.toFixed(0)}), ${d.n} answers`
      })
    ]
  });
}

/** Promoters, passives and detractors as one bar of shares. */
export function npsGroupsChart(
  score: NetPromoterScore,
  {width, height = 90, ...options}: ChartOptions
): SVGSVGElement | HTMLElement {
  const groups = [
    {group: "detractors (0–6)", share: score.detractors / score.n},
    {group: "passives (7–8)", share: score.passives / score.n},
    {group: "promoters (9–10)", share: score.promoters / score.n}
  ];
  return Plot.plot({
    width: chartWidth(width),
    height,
    x: {label: "Share of answers", tickFormat: percent, domain: [0, 1]},
    color: {
      domain: groups.map((g) => g.group),
      range: [classColors.below, "#bdbdbd", classColors.exceeds],
      legend: true
    },
    ...options,
    marks: [
      Plot.barX(
        groups,
        Plot.stackX({
          x: "share",
          fill: "group",
          title: (d: (typeof groups)[number]) => `${d.group}: ${percent(d.share)}`
        })
      ),
      Plot.text(
        groups,
        Plot.stackX({
          x: "share",
          text: (d: (typeof groups)[number]) => (d.share >= 0.05 ? percent(d.share) : ""),
          fill: "white"
        })
      )
    ]
  });
}

/** A share (or, with `format`, any figure) per group with its 95 % interval (dot and bar), e.g. customers buying again by gap band. */
export function outcomeChart(
  rows: readonly {group: string; share: number; low: number; high: number}[],
  {
    width,
    height,
    label = "Share →",
    format = percent,
    ...options
  }: ChartOptions & {label?: string; format?: (x: number) => string}
): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: chartWidth(width),
    height: height ?? 50 + 34 * rows.length,
    marginLeft: 130,
    x: {label, tickFormat: format, grid: true},
    y: {label: null, domain: rows.map((r) => r.group)},
    ...options,
    marks: [
      Plot.ruleY(rows, {y: "group", x1: "low", x2: "high", strokeWidth: 3, stroke: "#9ecae1"}),
      Plot.dot(rows, {
        y: "group",
        x: "share",
        r: 4,
        fill: "#3182bd",
        title: (d: {group: string; share: number; low: number; high: number}) =>
          `${d.group}: ${format(d.share)} (95 % CI ${format(d.low)} to ${format(d.high)})`
      })
    ]
  });
}

/**
 * Scores by days late, two panels side by side on one row per lateness band: mean overall
 * satisfaction (1–7) with its 95 % interval, and the shares of promoters and detractors
 * with their Wilson intervals. Groups without responses are left out.
 */
export function lateScoresChart(rows: readonly ScoreOutcome[], {width, height, ...options}: ChartOptions): HTMLElement {
  const shown = rows.filter((r) => r.responses > 0);
  const frame = {
    height: height ?? 60 + 34 * shown.length,
    marginLeft: 110,
    y: {label: null, domain: shown.map((r) => r.group)},
    ...options
  };
  const half = Math.max(width, 2 * minChartWidth) / 2;
  const means = shown.filter((r) => r.satisfaction.n > 0).map((r) => ({group: r.group, ...r.satisfaction}));
  const satisfaction = Plot.plot({
    ...frame,
    width: half,
    x: {label: "Mean overall satisfaction (1–7) →", domain: [1, 7], grid: true},
    marks: [
      Plot.ruleY(means, {y: "group", x1: "low", x2: "high", strokeWidth: 3, stroke: "#9ecae1"}),
      Plot.dot(means, {
        y: "group",
        x: "mean",
        r: 4,
        fill: "#3182bd",
        title: (d: (typeof means)[number]) =>
          `${d.group}: ${d.mean.toFixed(2)} (95 % CI ${d.low.toFixed(2)} to ${d.high.toFixed(2)}), ${d.n} responses`
      })
    ]
  });
  const kinds = [
    {kind: "promoters (9–10)", key: "promoters", color: classColors.exceeds, dy: -5},
    {kind: "detractors (0–6)", key: "detractors", color: classColors.below, dy: 5}
  ] as const;
  const color = {domain: kinds.map((k) => k.kind), range: kinds.map((k) => k.color)};
  const shares = Plot.plot({
    ...frame,
    width: half,
    x: {label: "Share of 0–10 answers →", tickFormat: percent, domain: [0, 1], grid: true},
    color,
    marks: kinds.flatMap(({kind, key, dy}) => {
      const points = shown.filter((r) => r[key].n > 0).map((r) => ({group: r.group, kind, ...r[key]}));
      return [
        Plot.ruleY(points, {y: "group", x1: "low", x2: "high", stroke: "kind", strokeOpacity: 0.4, strokeWidth: 3, dy}),
        Plot.dot(points, {
          y: "group",
          x: "share",
          r: 4,
          fill: "kind",
          dy,
          title: (d: (typeof points)[number]) =>
            `${d.group}: ${percent(d.share)} ${kind} (95 % CI ${percent(d.low)} to ${percent(d.high)}), ${d.n} answers`
        })
      ];
    })
  });
  // The legend above both panels, so that their rows line up.
  const panels = document.createElement("div");
  panels.style.display = "flex";
  panels.style.flexWrap = "wrap";
  panels.append(satisfaction, shares);
  const figure = document.createElement("div");
  figure.append(Plot.legend({color}) as Element, panels);
  return figure;
}
