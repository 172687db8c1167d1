// Each customer's calibration summary for the customer-equity models, in SQL over the
// canonical transactions, so that it runs where the data lives (native DuckDB here,
// DuckDB-WASM or a PostgreSQL warehouse alike: one text, a dialect for what differs).
// Same-day purchases are one transaction, as Fader & Hardie aggregate them; returns
// (negative revenue) are not purchases.
import {purchaseDaysSql} from "./purchaseDays.js";
import {dateLiteral, identifier} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/**
 * SQL giving, for every customer whose first purchase is before the calibration
 * end C: x = repeat purchase days in (first, C], t_x = weeks from the first to the last
 * purchase day ≤ C, "T" = weeks from the first purchase to C, spend = mean revenue of those
 * repeat days (NULL when x = 0; the Gamma-Gamma input m_x), holdout = purchase days in
 * (C, H], holdout_spend = their mean revenue (NULL without one; Gamma-Gamma's check),
 * first_week = whole weeks from the data's first purchase to the customer's.
 * Weeks are days / 7 (Fader, Hardie & Lee 2005 measure CDNOW in weeks), divided in
 * double precision so that both engines give the same bits. `days` is a query giving each
 * customer's purchase days (customer_id, day, revenue), as purchaseDaysSql selects them
 * from the canonical transactions or as the site's table retention_days holds them.
 */
export function calibrationSummarySql(
  dialect: Dialect,
  calibrationEnd: string,
  holdoutEnd: string,
  days = purchaseDaysSql()
): string {
  const c = dateLiteral(calibrationEnd);
  const h = dateLiteral(holdoutEnd);
  const repeat = `d.day > f.first AND d.day <= ${c}`;
  const holdout = `d.day > ${c} AND d.day <= ${h}`;
  return `WITH days AS (
${days}
), firsts AS (
  SELECT customer_id, min(day) AS first FROM days GROUP BY customer_id
), origin AS (
  SELECT min(first) AS origin FROM firsts
)
SELECT d.customer_id,
       (count(*) FILTER (WHERE ${repeat}))::INTEGER AS x,
       (max(d.day) FILTER (WHERE d.day <= ${c}) - f.first)::DOUBLE PRECISION / 7 AS t_x,
       (${c} - f.first)::DOUBLE PRECISION / 7 AS "T",
       (sum(d.revenue) FILTER (WHERE ${repeat}))::DOUBLE PRECISION / nullif(count(*) FILTER (WHERE ${repeat}), 0) AS spend,
       (count(*) FILTER (WHERE ${holdout}))::INTEGER AS holdout,
       (sum(d.revenue) FILTER (WHERE ${holdout}))::DOUBLE PRECISION / nullif(count(*) FILTER (WHERE ${holdout}), 0) AS holdout_spend,
       ${dialect.integerDivide(`f.first - (SELECT origin FROM origin)`, "7")}::INTEGER AS first_week
FROM days d JOIN firsts f ON d.customer_id = f.customer_id
WHERE f.first < ${c} -- T = 0 says nothing about a customer
GROUP BY d.customer_id, f.first`;
}

/** calibrationSummarySql's columns after customer_id that change with the cut-off (first_week does not). */
export const calibrationColumns = ["x", "t_x", "T", "spend", "holdout", "holdout_spend"] as const;

/**
 * Every customer's calibration summary at the holdout's end (calibrationSummarySql(end, end)) and, for those who had
 * bought before `checkEnd`, the one at that cut-off with the holdout to the end, as check_x, check_t_x and so on (NULL
 * for the others): the models' inputs and their check's in one query, so that a warehouse sends each customer once.
 */
export function calibrationWithCheckSql(dialect: Dialect, checkEnd: string, end: string, days?: string): string {
  return `WITH at_end AS (
${calibrationSummarySql(dialect, end, end, days)}
), at_check AS (
${calibrationSummarySql(dialect, checkEnd, end, days)}
)
SELECT e.*, ${calibrationColumns.map((column) => `c.${identifier(column)} AS ${identifier(`check_${column}`)}`).join(", ")}
FROM at_end e LEFT JOIN at_check c ON c.customer_id = e.customer_id`;
}

/**
 * What the fits need of the calibration summary, and no more: one row per distinct
 * (x, t_x, T, holdout) with its customers (n) (kind 'bgnbd': the likelihoods' triples once
 * rows of one triple are added up, and each customer's holdout purchase days for the
 * holdout scorecard's errors per customer), and one per distinct (x, spend, holdout_spend) of repeat
 * buyers with its customers (kind 'spend': Gamma-Gamma's input, and its check on the holdout). The rows number thousands even for a
 * million customers (holdout purchase days take few values); the spends at most the repeat
 * buyers (a mean spend rarely repeats).
 */
export function calibrationAggregatesSql(
  dialect: Dialect,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string
): string {
  return `WITH calibration AS (
${calibrationSummarySql(dialect, calibrationEnd, holdoutEnd, days)}
)
${summaryAggregatesSql("calibration")}`;
}

/** The same aggregates of a relation that already holds a calibration summary (the site's table of it). */
export function summaryAggregatesSql(calibration: string): string {
  return `SELECT 'bgnbd' AS kind, x, t_x, "T", NULL::DOUBLE PRECISION AS spend, count(*)::INTEGER AS n, holdout,
       NULL::DOUBLE PRECISION AS holdout_spend
FROM ${calibration} GROUP BY x, t_x, "T", holdout
UNION ALL
SELECT 'spend', x, NULL, NULL, spend, count(*)::INTEGER, NULL, holdout_spend
FROM ${calibration} WHERE x > 0 AND spend > 0 GROUP BY x, spend, holdout_spend
ORDER BY kind, x, t_x, "T", holdout, spend, holdout_spend`;
}

/**
 * A calibration summary's customers by (x, t_x, T), for valuing them under refitted models (sliceValue.ts): each
 * group's customers, its repeat buyers with a mean spend, and the sum of those means; T and t_x in whole days.
 */
export function valueGroupsSql(calibration: string): string {
  return `SELECT x, round(t_x * 7)::INTEGER AS t_x_days, round("T" * 7)::INTEGER AS "T_days", count(*)::INTEGER AS customers,
       (count(*) FILTER (WHERE x > 0 AND spend > 0))::INTEGER AS repeat_buyers,
       coalesce(sum(spend) FILTER (WHERE x > 0 AND spend > 0), 0)::DOUBLE PRECISION AS repeat_spend
FROM ${calibration} GROUP BY x, t_x, "T" ORDER BY x, t_x, "T"`;
}
