// The lifecycle page's SQL: one definition for the loader (native DuckDB, the page's first
// view) and for the page's controls (DuckDB-WASM). It reads retention_days (one row per
// customer and purchase day, built by the retention page's retentionDaysSql) and, where the
// customer-equity model has run, a table of customer_id and p_alive. Values enter the SQL
// text only through literal() and numberLiteral().
import {dateLiteral, daysLiteral, identifier, literal, numberLiteral} from "./sql.js";

/** The seeds' relationship lifecycle, in its order. */
export const stages = ["identification", "development", "stability", "decline"] as const;
export type Stage = (typeof stages)[number];

/** The seeds' strategy for each stage. */
export const stageActions: Record<Stage, string> = {
  identification: "Acquisition and first experience: make the first purchases easy and good, and invite the second.",
  development: "Cross-selling and deepening: offer what fits what they already buy, raise the share of wallet.",
  stability: "Loyalty programmes and service: reward and look after them; they carry the business.",
  decline: "Win back or let go: call the valuable ones now, stop spending on the rest."
};

export interface LifecycleRules {
  /** Identification: first purchase within this many days up to the month end. */
  identificationDays: number;
  /** Development: more purchase days in the last this-many days than in as many days before. */
  developmentDays: number;
  /** Decline: silent for at least this many days (the retention page's inactivity window). */
  inactivityDays: number;
  /** Decline: the model's P(active) below this at the last month end (where a model is given). */
  minPAlive: number;
}

export const defaultLifecycleRules: Omit<LifecycleRules, "inactivityDays"> = {identificationDays: 90, developmentDays: 180, minPAlive: 0.3};

const ruleNames: [keyof LifecycleRules, string][] = [["identificationDays", "the identification period"], ["developmentDays", "the development window"], ["inactivityDays", "the inactivity window"]];

/** Refuses an end that is not YYYY-MM-DD, day counts that are not whole numbers ≥ 1 and a P(active) outside [0, 1]. */
function checkRules(end: string, r: LifecycleRules): void {
  dateLiteral(end);
  for (const [key, name] of ruleNames) daysLiteral(r[key], name);
  if (!(r.minPAlive >= 0 && r.minPAlive <= 1)) throw new Error(`the lowest P(active) must lie in [0, 1]: ${String(r.minPAlive)}`);
}

/**
 * CTE "staged": one row per customer and month end (customer_id, month_end, stage, value,
 * first_day, last_day, purchases). Month ends run from the month of the first purchase to
 * the last complete month (its last day on or before `end`); a customer appears from the
 * first month end after their first purchase. At a month end e, with first and last the
 * customer's first and latest purchase day up to e, the rules are tried in this order:
 *   identification  e − first < N (first purchase within the last N days);
 *   decline         e − last ≥ W (silent for the inactivity window, lapsed as on the
 *                   retention page), or, at the last month end only, the model's
 *                   P(active) < p (where `pAliveTable` is given);
 *   identification  still one purchase day only and not lapsed: a one-time buyer is
 *                   being won until the second purchase, neither developing nor stable;
 *   development     purchase days in (e − D, e] > purchase days in (e − 2D, e − D];
 *   stability       otherwise: tenure ≥ N days, a repeat buyer, a purchase within W days, not rising.
 * So every customer has exactly one stage at every month end. Value is the customer's
 * revenue in the 365 days up to e.
 */
function stagedCtes(end: string, r: LifecycleRules, pAliveTable: string | null): string {
  checkRules(end, r);
  const [n, d, w] = [numberLiteral(r.identificationDays), numberLiteral(r.developmentDays), numberLiteral(r.inactivityDays)];
  const pAlive = pAliveTable === null ? "NULL::DOUBLE" : `(SELECT TRY_CAST(m.p_alive AS DOUBLE) FROM ${identifier(pAliveTable)} m WHERE m.customer_id::VARCHAR = s.customer_id LIMIT 1)`;
  return `days AS (SELECT customer_id::VARCHAR AS customer_id, day::DATE AS day, revenue::DOUBLE AS revenue FROM retention_days),
bounds AS (
  SELECT date_trunc('month', min(day))::DATE AS first,
         (date_trunc('month', DATE ${literal(end)} + INTERVAL '1 day') - INTERVAL '1 month')::DATE AS last
  FROM days
),
ends AS (
  SELECT (m + INTERVAL '1 month' - INTERVAL '1 day')::DATE AS month_end
  FROM (SELECT unnest(generate_series(first, last, INTERVAL '1 month'))::DATE AS m FROM bounds WHERE first <= last)
),
last_end AS (SELECT max(month_end) AS month_end FROM ends),
stats AS (
  SELECT d.customer_id, e.month_end, min(d.day) AS first_day, max(d.day) AS last_day, count(*) AS purchases,
         count(*) FILTER (WHERE d.day > e.month_end - ${d}) AS recent,
         count(*) FILTER (WHERE d.day <= e.month_end - ${d} AND d.day > e.month_end - 2 * ${d}) AS earlier,
         coalesce(sum(d.revenue) FILTER (WHERE d.day > e.month_end - 365), 0) AS value
  FROM ends e JOIN days d ON d.day <= e.month_end
  GROUP BY ALL
),
scored AS (
  SELECT s.*, CASE WHEN s.month_end = (SELECT month_end FROM last_end) THEN ${pAlive} END AS p_alive FROM stats s
),
staged AS (
  SELECT customer_id, month_end, first_day, last_day, purchases, value, p_alive,
         CASE WHEN month_end - first_day < ${n} THEN 'identification'
              WHEN month_end - last_day >= ${w} OR coalesce(p_alive < ${numberLiteral(r.minPAlive)}, false) THEN 'decline'
              WHEN purchases = 1 THEN 'identification'
              WHEN recent > earlier THEN 'development'
              ELSE 'stability' END AS stage
  FROM scored
)`;
}

/** Every customer's stage at every month end: customer_id, month_end (YYYY-MM-DD), stage, value. */
export function lifecycleStagesSql(end: string, r: LifecycleRules, pAliveTable: string | null = null): string {
  return `WITH ${stagedCtes(end, r, pAliveTable)}
SELECT customer_id, strftime(month_end, '%Y-%m-%d') AS month_end, stage, round(value, 2)::DOUBLE AS value
FROM staged ORDER BY month_end, customer_id`;
}

/** A row of stageCountsSql. */
export interface StageCountRow {
  month_end: string;
  stage: Stage;
  customers: number;
  /** The stage's customers' revenue in the 365 days up to the month end. */
  value: number;
}

/** Customers and value per stage at every month end; every stage appears at every month end (zeros included). */
export function stageCountsSql(end: string, r: LifecycleRules, pAliveTable: string | null = null): string {
  return `WITH ${stagedCtes(end, r, pAliveTable)},
names AS (SELECT unnest([${stages.map(literal).join(", ")}]) AS stage, unnest(range(${stages.length})) AS position)
SELECT strftime(e.month_end, '%Y-%m-%d') AS month_end, n.stage, count(s.customer_id)::INTEGER AS customers, round(coalesce(sum(s.value), 0), 2)::DOUBLE AS value
FROM ends e CROSS JOIN names n LEFT JOIN staged s ON s.month_end = e.month_end AND s.stage = n.stage
GROUP BY e.month_end, n.stage, n.position ORDER BY e.month_end, n.position`;
}

/** A row of stageFlowsSql: customers moving from one stage at the previous month end to one at this month end. */
export interface StageFlowRow {
  month_end: string;
  /** The stage at the previous month end; "new" for customers who had not bought by then. */
  from_stage: Stage | "new";
  to_stage: Stage;
  customers: number;
}

/** The flows between stages from each month end to the next (the flow matrix, one per month end). */
export function stageFlowsSql(end: string, r: LifecycleRules, pAliveTable: string | null = null): string {
  return `WITH ${stagedCtes(end, r, pAliveTable)}
SELECT strftime(cur.month_end, '%Y-%m-%d') AS month_end, coalesce(prev.stage, 'new') AS from_stage, cur.stage AS to_stage, count(*)::INTEGER AS customers
FROM staged cur LEFT JOIN staged prev ON prev.customer_id = cur.customer_id AND prev.month_end = (date_trunc('month', cur.month_end) - INTERVAL '1 day')::DATE
WHERE cur.month_end > (SELECT min(month_end) FROM ends)
GROUP BY ALL ORDER BY month_end, from_stage, to_stage`;
}

/** A row of stageDurationSql. */
export interface StageDurationRow {
  stage: Stage;
  /** Unbroken runs of month ends in the stage. */
  spells: number;
  /** Mean length of the runs that ended before the last month end, in months. */
  mean_months: number | null;
  /** Runs still going at the last month end. */
  ongoing: number;
}

/** The average time spent in each stage: the mean length, in month ends, of the completed spells in it. */
export function stageDurationSql(end: string, r: LifecycleRules, pAliveTable: string | null = null): string {
  return `WITH ${stagedCtes(end, r, pAliveTable)},
runs AS (
  SELECT customer_id, stage, month_end,
         row_number() OVER (PARTITION BY customer_id ORDER BY month_end) - row_number() OVER (PARTITION BY customer_id, stage ORDER BY month_end) AS run
  FROM staged
),
spells AS (SELECT customer_id, stage, run, count(*) AS months, max(month_end) AS last FROM runs GROUP BY ALL)
SELECT stage, count(*)::INTEGER AS spells,
       round(avg(months) FILTER (WHERE last < (SELECT month_end FROM last_end)), 1)::DOUBLE AS mean_months,
       count(*) FILTER (WHERE last = (SELECT month_end FROM last_end))::INTEGER AS ongoing
FROM spells GROUP BY stage ORDER BY list_position([${stages.map(literal).join(", ")}], stage)`;
}

/** A row of newlyDeclinedSql. */
export interface DeclinedRow {
  customer_id: string;
  previous_stage: Stage;
  first_purchase: string;
  last_purchase: string;
  days_silent: number;
  purchases: number;
  value: number;
  p_alive: number | null;
}

/** The customers in decline at the last month end who were in another stage at the month end before, most value first. */
export function newlyDeclinedSql(end: string, r: LifecycleRules, pAliveTable: string | null = null): string {
  return `WITH ${stagedCtes(end, r, pAliveTable)}
SELECT cur.customer_id, prev.stage AS previous_stage, strftime(cur.first_day, '%Y-%m-%d') AS first_purchase,
       strftime(cur.last_day, '%Y-%m-%d') AS last_purchase, (cur.month_end - cur.last_day)::INTEGER AS days_silent,
       cur.purchases::INTEGER AS purchases, round(cur.value, 2)::DOUBLE AS value, round(cur.p_alive, 3)::DOUBLE AS p_alive
FROM staged cur JOIN staged prev ON prev.customer_id = cur.customer_id AND prev.month_end = (date_trunc('month', cur.month_end) - INTERVAL '1 day')::DATE
WHERE cur.month_end = (SELECT month_end FROM last_end) AND cur.stage = 'decline' AND prev.stage <> 'decline'
ORDER BY cur.value DESC, cur.customer_id`;
}
