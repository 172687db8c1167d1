// Importance–performance analysis (Martilla & James 1977, "Importance-performance
// analysis", Journal of Marketing 41(1)). Performance = mean perception of a dimension;
// importance is DERIVED (the survey asks no stated importance): the Pearson correlation
// of the dimension's perception with the same response's overall satisfaction.
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

export type Quadrant = "Concentrate here" | "Keep up the good work" | "Low priority" | "Possible overkill";

/** Martilla & James's four quadrants, with what each asks of the manager. */
export const quadrantAdvice: Record<Quadrant, string> = {
  "Concentrate here": "important and below par: fix these first",
  "Keep up the good work": "important and done well: protect them",
  "Low priority": "less important and below par: no urgency",
  "Possible overkill": "less important yet done well: effort could move elsewhere"
};

/** The quadrant of a dimension, given the cross-hairs (by default the means over dimensions). At a cross-hair counts as high. */
export function quadrant(
  importance: number,
  performance: number,
  at: {importance: number; performance: number}
): Quadrant {
  const important = importance >= at.importance;
  const good = performance >= at.performance;
  return important
    ? good
      ? "Keep up the good work"
      : "Concentrate here"
    : good
      ? "Possible overkill"
      : "Low priority";
}

export interface ImportanceRow {
  dimension: string;
  n: number;
  importance: number;
  performance: number;
  quadrant: Quadrant;
}

/** Importance, performance and quadrant per dimension; cross-hairs at the mean importance and mean performance. */
export function importanceRows(stats: readonly ImportanceStats[]): ImportanceRow[] {
  const rows = stats
    .filter((s) => s.n > 0)
    .map((s) => ({dimension: s.dimension, n: s.n, importance: correlationFromSums(s), performance: s.sum_p / s.n}));
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((t, r) => t + f(r), 0) / rows.length;
  const at = {importance: mean((r) => r.importance), performance: mean((r) => r.performance)};
  return rows.map((r) => ({...r, quadrant: quadrant(r.importance, r.performance, at)}));
}
