// The loyalty ladder over time: how fast customers climb from one rung to the next, by cohort
// and acquisition channel. A climb is timed from the day a customer reached a rung to the day
// they reached the next (loyaltyLadder.ts's rungs: first purchase, repeat buyer, loyal,
// advocate); customers who have not climbed by the data's end are censored there, so the
// share who climb within m months and the median time to climb come from an actuarial life
// table (Cutler & Ederer 1958, "Maximum utilization of the life table method in analyzing
// survival", J. Chronic Diseases 8(6)), not from the climbers alone, which would favour old
// cohorts and fast climbers.
import {dateLiteral, numberLiteral} from "../sql/sql.js";
import type {Dialect} from "../sql/sqlDialect.js";
import {defaultLoyalPurchases, type LadderSources, type LadderStep} from "./loyaltyLadder.js";

/** The rungs a climb can reach, each from the rung before it. */
export const climbSteps = ["repeat buyer", "loyal", "advocate"] as const satisfies readonly LadderStep[];
export type ClimbStep = (typeof climbSteps)[number];

/** A month of a climb: 30 days, so that the months of every climb are alike. */
export const climbMonthDays = 30;

/** A row of ladderClimbsSql: customers of one cohort and channel who, m months after reaching the rung below `step`, climbed to it or were last seen. */
export interface ClimbCount {
  step: ClimbStep;
  channel: string;
  /** The quarter of the customer's first purchase (its first day). */
  cohort: string;
  /** Whole months (climbMonthDays) from reaching the rung below to climbing, or to the data's end. */
  month: number;
  climbed: number;
  censored: number;
}

/**
 * SQL counting the ladder's climbs per rung, channel, cohort quarter and month, from
 * retention_days (purchase days), customer_summary (acquisition channel) and, where the source
 * has them, canonical_prospects (referrals by date of first contact) and canonical_feedback
 * (answers of 9–10 by date). Rungs: repeat buyer on the second purchase day, loyal on the
 * loyalPurchases-th, advocate on the later of the loyal day and the first referral or 9–10
 * answer (as the ladder counts advocates: loyal, and ever referred or recommended). Only
 * customers won from `newFrom` on climb, where it is set: the first purchase of one already a
 * customer when the data start is not their first (dataEdges.ts). Customers who have not climbed by `end` are
 * censored at end.
 */
export function ladderClimbsSql(
  dialect: Dialect,
  sources: LadderSources,
  end: string,
  newFrom: string | null,
  loyalPurchases = defaultLoyalPurchases
): string {
  const loyal = numberLiteral(loyalPurchases);
  const advocacy = [
    sources.prospects
      ? "SELECT referred_by AS customer_id, first_contact_at::DATE AS day FROM canonical_prospects WHERE referred_by IS NOT NULL"
      : null,
    sources.recommendations
      ? "SELECT customer_id, responded_at::DATE AS day FROM canonical_feedback WHERE nps >= 9"
      : null
  ].filter((sql) => sql !== null);
  const acts = advocacy.length
    ? `SELECT customer_id, min(day) AS day FROM (${advocacy.join(" UNION ALL ")}) a GROUP BY customer_id`
    : "SELECT NULL::VARCHAR AS customer_id, NULL::DATE AS day WHERE false";
  const months = (from: string, to: string) =>
    `${dialect.integerDivide(`coalesce(${to}, ${dateLiteral(end)}) - ${from}`, String(climbMonthDays))}`;
  const climb = (step: ClimbStep, from: string, to: string) =>
    `SELECT '${step}' AS step, channel, cohort, ${months(from, to)} AS month, ${to} IS NOT NULL AS climbed FROM people WHERE ${from} IS NOT NULL`;
  return `WITH ranked AS (
  SELECT customer_id, day, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS n FROM retention_days
), rungs AS (
  SELECT customer_id, min(day) AS first, min(day) FILTER (WHERE n = 2) AS repeat, min(day) FILTER (WHERE n = ${loyal}) AS loyal
  FROM ranked WHERE n <= ${loyal} GROUP BY customer_id
), acts AS (${acts}
), people AS (
  SELECT coalesce(c.acquisition_channel::VARCHAR, 'unknown') AS channel,
         date_trunc('quarter', r.first)::DATE AS cohort, r.first, r.repeat, r.loyal,
         CASE WHEN r.loyal IS NOT NULL AND a.day IS NOT NULL THEN greatest(r.loyal, a.day) END AS advocate
  FROM rungs r LEFT JOIN customer_summary c USING (customer_id) LEFT JOIN acts a USING (customer_id)
  ${newFrom ? `WHERE r.first >= ${dateLiteral(newFrom)}` : ""}
), climbs AS (
  ${climb("repeat buyer", "first", "repeat")}
  UNION ALL
  ${climb("loyal", "repeat", "loyal")}${advocacy.length ? `\n  UNION ALL\n  ${climb("advocate", "loyal", "advocate")}` : ""}
)
SELECT step, channel, ${dialect.dateText("cohort", "day")} AS cohort, month::INTEGER AS month,
       count(*) FILTER (WHERE climbed)::INTEGER AS climbed, count(*) FILTER (WHERE NOT climbed)::INTEGER AS censored
FROM climbs GROUP BY step, channel, cohort, month
ORDER BY step, channel, cohort, month`;
}

/** The life table of one climb: the share who have climbed by the end of each month, and the median month. */
export interface ClimbTable {
  /** Customers who reached the rung below. */
  entered: number;
  /** Of them, those who have climbed by the data's end. */
  climbed: number;
  /** byMonth[m]: the estimated share who climb within m + 1 months; NaN once nobody is left at risk. */
  byMonth: number[];
  /** Customers still at risk at the start of each month (before that month's climbs and censoring). */
  atRisk: number[];
  /** The month (1-based) by whose end half have climbed; null when the table never reaches half. */
  medianMonths: number | null;
}

/**
 * The actuarial life table of climbs (Cutler & Ederer 1958): in month m, of n_m at risk, d_m
 * climb and c_m are last seen; those last seen count for half the month, so the month's climb
 * probability is q_m = d_m / (n_m − c_m / 2), and the share still below after month m is
 * S_m = Π (1 − q_k). The share who climb within m + 1 months is 1 − S_m.
 *
 * @example
 * // 10 entered: in month 0, 2 climb and 2 are last seen (q = 2/9); in month 1, 3 of the 6 left climb (q = 1/2);
 * // in month 2 the last 3 are last seen: byMonth [2/9, 11/18, 11/18], medianMonths 2.
 * climbTable([{month: 0, climbed: 2, censored: 2}, {month: 1, climbed: 3, censored: 0}, {month: 2, climbed: 0, censored: 3}])
 */
export function climbTable(rows: readonly Pick<ClimbCount, "month" | "climbed" | "censored">[]): ClimbTable {
  const last = rows.reduce((m, r) => Math.max(m, r.month), -1);
  const climbs = new Float64Array(last + 1);
  const censors = new Float64Array(last + 1);
  for (const r of rows) {
    climbs[r.month]! += r.climbed;
    censors[r.month]! += r.censored;
  }
  const entered = rows.reduce((n, r) => n + r.climbed + r.censored, 0);
  const byMonth: number[] = [];
  const atRisk: number[] = [];
  let atRiskNow = entered;
  let below = 1;
  let medianMonths: number | null = null;
  for (let m = 0; m <= last; m++) {
    atRisk.push(atRiskNow);
    const exposed = atRiskNow - censors[m]! / 2;
    if (exposed > 0) below *= 1 - climbs[m]! / exposed;
    byMonth.push(atRiskNow > 0 ? 1 - below : NaN);
    if (medianMonths === null && 1 - below >= 0.5) medianMonths = m + 1;
    atRiskNow -= climbs[m]! + censors[m]!;
  }
  return {entered, climbed: climbs.reduce((n, d) => n + d, 0), byMonth, atRisk, medianMonths};
}

/**
 * The share who climb within `months`, or null where too few are still watched at the last of those months
 * (fewer than `minAtRisk` at risk: a recent cohort's figure would be a guess).
 */
export function climbWithin(table: ClimbTable, months: number, minAtRisk = 20): number | null {
  const m = months - 1;
  if (m < table.byMonth.length) return table.atRisk[m]! >= minAtRisk ? table.byMonth[m]! : null;
  // Past the last month anyone was watched: known only where everyone had climbed by then.
  return table.byMonth.at(-1) === 1 ? 1 : null;
}
