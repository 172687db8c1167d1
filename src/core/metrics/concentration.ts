// How concentrated a quantity (profit, revenue) is across customers: the Lorenz curve, the
// Gini coefficient, the share of the top x %, deciles and the whale curve. Values may be
// negative (customers who lose money), which is the point of the whale curve.

/** A point of a cumulative curve: share of customers (0–1) and cumulative share of the total. */
export interface CurvePoint {
  customers: number;
  share: number;
}

const ascending = (values: ArrayLike<number>) => Float64Array.from(values).sort();
const descending = (values: ArrayLike<number>) => ascending(values).reverse();
const total = (values: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
};

/**
 * Lorenz curve: customers ranked from least to most, cumulative share of the total
 * (Lorenz 1905). Starts at (0, 0) and ends at (1, 1); with negative values it first dips
 * below zero. Empty input or a zero total gives [].
 */
export function lorenzCurve(values: ArrayLike<number>): CurvePoint[] {
  return cumulative(ascending(values));
}

/**
 * Whale curve: customers ranked from most to least, cumulative share of the total
 * (Kaplan & Narayanan 2001). Rises above 100 % while customers add profit and falls back
 * to 100 % through those who lose money.
 */
export function whaleCurve(values: ArrayLike<number>): CurvePoint[] {
  return cumulative(descending(values));
}

function cumulative(sorted: Float64Array): CurvePoint[] {
  const sum = total(sorted);
  if (sorted.length === 0 || sum === 0) return [];
  const points: CurvePoint[] = [{customers: 0, share: 0}];
  let running = 0;
  for (let i = 0; i < sorted.length; i++) {
    running += sorted[i]!;
    points.push({customers: (i + 1) / sorted.length, share: running / sum});
  }
  return points;
}

/**
 * At most `max` + 3 points of a cumulative curve, for drawing: evenly spaced by customers,
 * with the first, the last, and the curve's lowest and highest points kept (the Lorenz
 * curve's dip below zero, the whale curve's peak), so that a million customers draw as
 * quickly as a thousand and the chart keeps its shape.
 */
export function thinCurve(points: readonly CurvePoint[], max = 1000): CurvePoint[] {
  if (points.length <= max + 1) return [...points];
  const last = points.length - 1;
  const keep = new Set<number>();
  for (let i = 0; i <= max; i++) keep.add(Math.round((i * last) / max));
  let low = 0;
  let high = 0;
  for (let i = 1; i <= last; i++) {
    if (points[i]!.share < points[low]!.share) low = i;
    if (points[i]!.share > points[high]!.share) high = i;
  }
  keep.add(low).add(high);
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}

/**
 * Gini coefficient, G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ), computed on sorted values as
 * G = 2 Σᵢ i·x₍ᵢ₎ / (n Σ x) − (n + 1)/n (i = 1…n ascending). 0 when all are equal,
 * (n − 1)/n when one customer has everything; above 1 when some values are negative
 * (Raffinetti, Siletti & Vernizzi 2015). NaN for empty input or a zero total.
 */
export function gini(values: ArrayLike<number>): number {
  const sorted = ascending(values);
  const n = sorted.length;
  const sum = total(sorted);
  if (n === 0 || sum === 0) return NaN;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * sorted[i]!;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/**
 * Share of the total held by the top `fraction` of customers (0–1), rounding the number
 * of customers to the nearest whole one (at least one when fraction > 0). NaN for a zero total.
 */
export function topShare(values: ArrayLike<number>, fraction: number): number {
  return topShares(values, [fraction])[0]!;
}

/** topShare for each of several fractions, sorting the values once (a million customers: one copy, not one per fraction). */
export function topShares(values: ArrayLike<number>, fractions: readonly number[]): number[] {
  const sorted = descending(values);
  const sum = total(sorted);
  return fractions.map((fraction) => {
    if (sorted.length === 0 || sum === 0) return NaN;
    const k = fraction <= 0 ? 0 : Math.max(1, Math.min(sorted.length, Math.round(fraction * sorted.length)));
    return total(sorted.subarray(0, k)) / sum;
  });
}

/** The top of the whale curve: its height, the share of customers there, and what the rest destroy. */
export interface WhalePeak {
  /** Highest cumulative share of the total (1.4 = 140 %). */
  peak: number;
  /** Share of customers (ranked from most) at the peak. */
  customers: number;
  /** Sum of the negative values, as a positive amount. */
  destroyed: number;
}

export function whalePeak(values: ArrayLike<number>): WhalePeak {
  // The whale curve's highest point, walked without building the curve's points.
  const sorted = descending(values);
  const sum = total(sorted);
  let best: CurvePoint = {customers: 0, share: 0};
  let running = 0;
  for (let i = 0; i < sorted.length && sum !== 0; i++) {
    running += sorted[i]!;
    if (running / sum > best.share) best = {customers: (i + 1) / sorted.length, share: running / sum};
  }
  let destroyed = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) destroyed -= values[i]!;
  return {peak: best.share, customers: best.customers, destroyed};
}

/**
 * Deciles by rank, most first: decile 1 holds the top tenth of customers. Ranks break
 * ties by position in the input, so deciles differ in size by at most one customer
 * (sizes: the first n mod 10 deciles get one more). Returns the indices of each decile.
 */
export function decileIndices<T>(items: ArrayLike<T>, value: (item: T) => number): number[][] {
  const order = Array.from({length: items.length}, (_, i) => i).sort(
    (a, b) => value(items[b]!) - value(items[a]!) || a - b
  );
  const deciles: number[][] = Array.from({length: 10}, () => []);
  const n = order.length;
  let start = 0;
  for (let d = 0; d < 10; d++) {
    const size = Math.floor(n / 10) + (d < n % 10 ? 1 : 0);
    deciles[d] = order.slice(start, start + size);
    start += size;
  }
  return deciles;
}
