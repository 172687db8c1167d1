// Importance–performance analysis (Martilla & James 1977, "Importance-performance
// analysis", Journal of Marketing 41(1)). Importance is DERIVED (the survey asks no stated
// importance): the Pearson correlation of the dimension's perception with the same
// response's overall satisfaction. Performance is the dimension's mean GAP, perception −
// expectation (SERVQUAL's gap score, Parasuraman, Zeithaml & Berry 1988), not its mean
// perception: a dimension rated well that customers expected to be better still lets them
// down, and "possible overkill" should mean customers get more than they expected.
import type {DimensionGap} from "./gap.js";
import type {ImportanceStats} from "../sql/satisfactionSql.js";

/**
 * Pearson's r from the sums n, Σp, Σs, Σp², Σs², Σps:
 * r = (nΣps − ΣpΣs) / √((nΣp² − (Σp)²)(nΣs² − (Σs)²)). NaN when either side has no spread.
 */
export function correlationFromSums(s: Omit<ImportanceStats, "dimension">): number {
  const cov = s.n * s.sum_ps - s.sum_p * s.sum_s;
  const varP = s.n * s.sum_pp - s.sum_p * s.sum_p;
  const varS = s.n * s.sum_ss - s.sum_s * s.sum_s;
  return varP > 0 && varS > 0 ? cov / Math.sqrt(varP * varS) : NaN;
}

/** The sums correlationFromSums needs, of paired values (for tests and small samples). */
export function sumsOf(pairs: readonly [p: number, s: number][]): Omit<ImportanceStats, "dimension"> {
  const sums = {n: 0, sum_p: 0, sum_s: 0, sum_pp: 0, sum_ss: 0, sum_ps: 0};
  for (const [p, s] of pairs) {
    sums.n++;
    sums.sum_p += p;
    sums.sum_s += s;
    sums.sum_pp += p * p;
    sums.sum_ss += s * s;
    sums.sum_ps += p * s;
  }
  return sums;
}

/** z for a two-sided 95 % interval: the standard normal's 0.975 quantile (R: qnorm(0.975)). */
const z95 = 1.959963984540054;

/**
 * Fisher's 95 % interval for a Pearson correlation r of n pairs (Fisher 1921, "On the
 * 'probable error' of a coefficient of correlation deduced from a small sample", Metron
 * 1(4)): z = atanh(r) is close to normal with standard error 1/√(n − 3), so the interval is
 * tanh(atanh(r) ± 1.959964/√(n − 3)); R's cor.test gives the same. Example (R's ?cor.test,
 * Hollander & Wolfe's data): r = 0.5711816 of 9 pairs → [−0.1497426, 0.8955795]. NaN bounds
 * for r NaN or n ≤ 3.
 */
export function correlationInterval(r: number, n: number): {low: number; high: number} {
  if (!(n > 3) || !Number.isFinite(r)) return {low: NaN, high: NaN};
  const [z, half] = [Math.atanh(r), z95 / Math.sqrt(n - 3)];
  return {low: Math.tanh(z - half), high: Math.tanh(z + half)};
}

export type Quadrant = "Concentrate here" | "Keep up the good work" | "Low priority" | "Possible overkill";

/** What each of Martilla & James's four quadrants asks of the manager, when performance is the gap. */
export const quadrantAdvice: Record<Quadrant, string> = {
  "Concentrate here": "fix these first",
  "Keep up the good work": "protect them",
  "Low priority": "fix after the important ones",
  "Possible overkill": "effort could move elsewhere"
};

/**
 * The quadrant of a dimension by its importance against the cross-hair (the mean over
 * dimensions) and its mean gap against zero, where experience meets expectation. At a
 * cross-hair counts as high: a gap of exactly 0 meets expectation.
 */
export function quadrant(importance: number, gap: number, at: {importance: number}): Quadrant {
  const important = importance >= at.importance;
  const met = gap >= 0;
  return important ? (met ? "Keep up the good work" : "Concentrate here") : met ? "Possible overkill" : "Low priority";
}

export interface ImportanceRow {
  dimension: string;
  /** Answers with an overall satisfaction, behind the importance. */
  n: number;
  importance: number;
  /** Fisher's 95 % interval of the importance (correlationInterval). */
  importanceLow: number;
  importanceHigh: number;
  /** Mean gap (perception − expectation) of all the dimension's answers, with its 95 % interval (dimensionGaps). */
  gap: number;
  gapLow: number;
  gapHigh: number;
  /** Share of the dimension's answers below expectation, beyond the tolerance. */
  below: number;
  quadrant: Quadrant;
}

/**
 * Importance (with its interval), mean gap and quadrant per dimension that has both, in the
 * gaps' order; the importance cross-hair at the mean importance, the gap's at zero.
 */
export function importanceRows(stats: readonly ImportanceStats[], gaps: readonly DimensionGap[]): ImportanceRow[] {
  const rows = gaps.flatMap((gap) => {
    const s = stats.find((s) => s.dimension === gap.dimension);
    if (!s || !(s.n > 0)) return [];
    const importance = correlationFromSums(s);
    const interval = correlationInterval(importance, s.n);
    return [
      {
        dimension: s.dimension,
        n: s.n,
        importance,
        importanceLow: interval.low,
        importanceHigh: interval.high,
        gap: gap.mean,
        gapLow: gap.low,
        gapHigh: gap.high,
        below: gap.below
      }
    ];
  });
  const at = {importance: rows.reduce((t, r) => t + r.importance, 0) / rows.length};
  return rows.map((r) => ({...r, quadrant: quadrant(r.importance, r.gap, at)}));
}

/**
 * The pairs of dimensions whose importance intervals do not overlap, [more important, less
 * important], most important first. Overlapping 95 % intervals are a conservative reading
 * (two correlations can differ at the 5 % level while their intervals touch; and these are
 * correlations on the same responses); no pair means the data cannot rank the dimensions by
 * importance.
 */
export function importanceSeparations(rows: readonly ImportanceRow[]): [string, string][] {
  const ranked = [...rows].sort((a, b) => b.importance - a.importance);
  return ranked.flatMap((a, i) =>
    ranked
      .slice(i + 1)
      .flatMap((b): [string, string][] => (a.importanceLow > b.importanceHigh ? [[a.dimension, b.dimension]] : []))
  );
}
