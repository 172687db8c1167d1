// The satisfaction gap (SERVQUAL: Parasuraman, Zeithaml & Berry 1988, Journal of
// Retailing 64(1)): gap = perception − expectation. Below expectation the customer is
// dissatisfied, at it satisfied, above it delighted; a tolerance band (Zeithaml, Berry &
// Parasuraman 1993, "zone of tolerance") counts gaps within ±tolerance as meeting it.
import type {GapCount} from "../sql/satisfactionSql.js";

export type GapClass = "below" | "meets" | "exceeds";
export const gapClasses: readonly GapClass[] = ["below", "meets", "exceeds"];

/** The page's default tolerance, in scale points: on a 1–7 scale a gap of 0 meets expectation, ±1 misses or exceeds it. */
export const defaultTolerance = 0.5;

/** Slack for tolerances typed or slid in steps of 0.1 (0.1 + 0.2 is not 0.3 in binary). */
const slack = 1e-9;

/**
 * below when gap < −tolerance, exceeds when gap > tolerance, else meets: the band's edges
 * belong to "meets". classifyGap(−0.5, 0.5) = "meets"; classifyGap(−0.6, 0.5) = "below".
 */
export function classifyGap(gap: number, tolerance: number): GapClass {
  if (!(tolerance >= 0)) throw new Error(`tolerance must be 0 or more: ${tolerance}`);
  if (gap < -tolerance - slack) return "below";
  if (gap > tolerance + slack) return "exceeds";
  return "meets";
}

/** A mean with its 95 % interval. */
export interface MeanInterval {
  n: number;
  mean: number;
  low: number;
  high: number;
}

/**
 * Mean of values given with counts, and its 95 % normal interval mean ± 1.96 s/√n, s the
 * sample standard deviation (divisor n − 1). Example: values 1, 2, 3 once each → mean 2,
 * s = 1, interval 2 ± 1.96/√3 = [0.868, 3.132]. NaN bounds below two values.
 */
export function meanInterval(values: readonly {value: number; n: number}[]): MeanInterval {
  let n = 0;
  let total = 0;
  for (const v of values) [n, total] = [n + v.n, total + v.value * v.n];
  const mean = n > 0 ? total / n : NaN;
  let squares = 0;
  for (const v of values) squares += v.n * (v.value - mean) ** 2;
  return normalInterval(n, mean, squares);
}

/**
 * The same interval from a sum and a sum of squares over n values (what SQL aggregates give):
 * s² = (Σx² − (Σx)²/n)/(n − 1). Example: 1, 2, 3 → n 3, Σx 6, Σx² 14 → [0.868, 3.132].
 */
export function meanIntervalFromSums(n: number, sum: number, sumOfSquares: number): MeanInterval {
  const mean = n > 0 ? sum / n : NaN;
  return normalInterval(n, mean, Math.max(0, sumOfSquares - sum * mean));
}

/** mean ± 1.96 s/√n, s² = squares/(n − 1) (squares: the sum of squared deviations from the mean). */
function normalInterval(n: number, mean: number, squares: number): MeanInterval {
  const half = n > 1 ? (1.96 * Math.sqrt(squares / (n - 1))) / Math.sqrt(n) : NaN;
  return {n, mean, low: mean - half, high: mean + half};
}

/** Per dimension: answers, the share below / meeting / exceeding expectation, and the mean gap with its interval. */
export interface DimensionGap extends MeanInterval {
  dimension: string;
  below: number;
  meets: number;
  exceeds: number;
}

/** SERVQUAL's five in their usual order; other dimensions (delivery) follow by name. */
export const servqualDimensions = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"];

export function dimensionOrder(a: string, b: string): number {
  const [i, j] = [servqualDimensions.indexOf(a), servqualDimensions.indexOf(b)];
  return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || a.localeCompare(b);
}

/** Gap classes and mean gap per dimension from answers counted by expectation and perception (gapCountsSql). */
export function dimensionGaps(counts: readonly GapCount[], tolerance: number): DimensionGap[] {
  const byDimension = new Map<string, GapCount[]>();
  for (const c of counts) byDimension.set(c.dimension, [...(byDimension.get(c.dimension) ?? []), c]);
  return [...byDimension.keys()].sort(dimensionOrder).map((dimension) => {
    const rows = byDimension.get(dimension)!;
    const interval = meanInterval(rows.map((r) => ({value: r.perception - r.expectation, n: r.n})));
    const share = (c: GapClass) =>
      rows.filter((r) => classifyGap(r.perception - r.expectation, tolerance) === c).reduce((t, r) => t + r.n, 0) /
      interval.n;
    return {dimension, ...interval, below: share("below"), meets: share("meets"), exceeds: share("exceeds")};
  });
}

/** The share of all answers (every dimension counted) below expectation. */
export function belowShare(counts: readonly GapCount[], tolerance: number): number {
  let [below, all] = [0, 0];
  for (const c of counts) {
    all += c.n;
    if (classifyGap(c.perception - c.expectation, tolerance) === "below") below += c.n;
  }
  return below / all;
}
