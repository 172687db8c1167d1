// The satisfaction page's SQL. The loader builds six small tables from the canonical
// feedback (and purchase days, customers, prospects) with satisfactionTables, each one
// query text per engine (native DuckDB over a folder, or a PostgreSQL warehouse where the
// data lives); the page's first view and its filters then run the SAME queries below over
// those tables (native DuckDB or the warehouse in the loader, DuckDB-WASM in the page).
// The page's queries read the same on every engine; they take a dialect like every
// builder, so a caller never needs to know which do. Values enter SQL only as literals.
import {dateLiteral, literal, monthLiteral} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/** The page's filters: first and last month of the response (YYYY-MM), channel and segment; null for all. */
export interface SatisfactionFilter {
  from: string | null;
  to: string | null;
  channel: string | null;
  segment: string | null;
}

export const noSatisfactionFilter: SatisfactionFilter = {from: null, to: null, channel: null, segment: null};

/** The dimensions that are not survey scores: 'overall' holds satisfaction and NPS, 'delivery' is days early. */
export const overallDimension = "overall";
export const deliveryDimension = "delivery";

/** Days after a response (or delivery) in which a later purchase counts: the page's two horizons. */
export const horizons = [90, 180] as const;

/** Which of the canonical tables the source has; the others are replaced by empty relations of the same shape. */
export interface SatisfactionInputs {
  feedback: boolean;
  prospects: boolean;
  /** The last day observed (YYYY-MM-DD): a horizon counts only where it fits before it. */
  observationEnd: string;
}

const emptyFeedback = `(SELECT NULL::VARCHAR AS response_id, NULL::VARCHAR AS order_id, NULL::VARCHAR AS customer_id, NULL::TIMESTAMP AS responded_at, NULL::VARCHAR AS dimension,
  NULL::DOUBLE PRECISION AS expectation, NULL::DOUBLE PRECISION AS perception, NULL::DOUBLE PRECISION AS satisfaction, NULL::INTEGER AS nps WHERE false)`;
const emptyProspects = `(SELECT NULL::VARCHAR AS prospect_id, NULL::TIMESTAMP AS first_contact_at, NULL::VARCHAR AS converted_customer_id, NULL::VARCHAR AS referred_by WHERE false)`;

/** A table of the page, computed where the data lives: its rows come in a fixed order. */
export interface SatisfactionTable {
  name: string;
  select: (dialect: Dialect) => string;
  /** Columns that identify a person: pseudonymised when the rows come from a warehouse. */
  personal: readonly string[];
}

/**
 * The page's tables, each a query over canonical_feedback, canonical_prospects,
 * customer_summary and retention_days (purchase days, purchaseDaysSql), one text per engine:
 * - satisfaction_cells: responses per month, channel, segment, dimension, expectation and
 *   perception (survey dimensions and 'delivery'); gaps, zones and the scatter come from it.
 * - satisfaction_importance: per month, channel, segment and survey dimension the sums
 *   n, Σp, Σs, Σp², Σs², Σps of perception p and the same response's overall satisfaction s,
 *   enough for their correlation over any set of cells.
 * - satisfaction_responses: one row per survey response: pseudonymous customer, month,
 *   channel, segment, mean gap over its dimensions, satisfaction, NPS answer, and for each
 *   horizon h whether the customer bought in the h days after the response (NULL when
 *   fewer than h days were observed) and the revenue of those 180 days.
 * - satisfaction_deliveries: deliveries per month, channel, segment and days late, with
 *   how many could be followed for each horizon and how many of those bought again.
 * - satisfaction_late_scores: survey responses about an order that has a delivery (the
 *   'overall' row of a response and the 'delivery' row with the same order_id and
 *   customer), counted per response month, channel, segment, the order's days late,
 *   overall satisfaction and 0–10 answer.
 * - satisfaction_referrals: prospects who name a referring customer, per month of first contact,
 *   referrer (with the referrer's channel and segment) and the customer the prospect became
 *   (NULL for those who did not): how many prospects, and how many of them converted.
 * A response's several 'overall' rows (which a source should not have) count the lowest score.
 */
export function satisfactionTables(inputs: SatisfactionInputs): SatisfactionTable[] {
  const feedback = inputs.feedback ? "canonical_feedback" : emptyFeedback;
  const prospects = inputs.prospects ? "canonical_prospects" : emptyProspects;
  const end = dateLiteral(inputs.observationEnd);
  const scored = `dimension NOT IN (${literal(overallDimension)}, ${literal(deliveryDimension)}) AND expectation IS NOT NULL AND perception IS NOT NULL`;
  // CAST: a CSV reader types an all-empty channel or segment column as something other than text.
  const customer =
    "LEFT JOIN (SELECT customer_id, CAST(acquisition_channel AS VARCHAR) AS channel, CAST(segment AS VARCHAR) AS segment FROM customer_summary) c USING (customer_id)";
  const purchases = "(SELECT customer_id, day, CAST(revenue AS DOUBLE PRECISION) AS revenue FROM retention_days)";
  const followed = (h: number, day: string) =>
    `CASE WHEN ${end} - ${day} >= ${h} THEN coalesce(bool_or(p.day <= ${day} + ${h}), false) END`;
  const month = (dialect: Dialect, timestamp: string) => dialect.dateText(timestamp, "month");
  return [
    {
      name: "satisfaction_cells",
      personal: [],
      select: (
        dialect
      ) => `SELECT ${month(dialect, "f.responded_at")} AS month, c.channel, c.segment, f.dimension, CAST(f.expectation AS DOUBLE PRECISION) AS expectation, CAST(f.perception AS DOUBLE PRECISION) AS perception, count(*)::INTEGER AS n
FROM ${feedback} f ${customer}
WHERE f.expectation IS NOT NULL AND f.perception IS NOT NULL AND f.dimension <> ${literal(overallDimension)}
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`
    },
    {
      name: "satisfaction_importance",
      personal: [],
      select: (
        dialect
      ) => `SELECT ${month(dialect, "d.responded_at")} AS month, c.channel, c.segment, d.dimension, count(*)::INTEGER AS n,
       CAST(sum(d.perception) AS DOUBLE PRECISION) AS sum_p, CAST(sum(o.satisfaction) AS DOUBLE PRECISION) AS sum_s, CAST(sum(d.perception * d.perception) AS DOUBLE PRECISION) AS sum_pp,
       CAST(sum(o.satisfaction * o.satisfaction) AS DOUBLE PRECISION) AS sum_ss, CAST(sum(d.perception * o.satisfaction) AS DOUBLE PRECISION) AS sum_ps
FROM (SELECT * FROM ${feedback} f WHERE ${scored}) d
JOIN (SELECT response_id, customer_id, satisfaction FROM ${feedback} f WHERE dimension = ${literal(overallDimension)} AND satisfaction IS NOT NULL) o USING (response_id, customer_id)
${customer}
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`
    },
    {
      name: "satisfaction_responses",
      personal: ["customer_id"],
      select: (dialect) => `WITH dims AS (
  SELECT response_id, customer_id, min(responded_at) AS responded_at, avg(perception - expectation) AS gap
  FROM ${feedback} f WHERE ${scored} GROUP BY response_id, customer_id
), overall AS (
  SELECT response_id, customer_id, min(responded_at) AS responded_at, min(satisfaction) AS satisfaction, min(nps) AS nps
  FROM ${feedback} f WHERE dimension = ${literal(overallDimension)} GROUP BY response_id, customer_id
), responses AS (
  SELECT response_id, customer_id, coalesce(o.responded_at, d.responded_at)::DATE AS day, d.gap, o.satisfaction, o.nps
  FROM dims d FULL JOIN overall o USING (response_id, customer_id)
)
SELECT r.customer_id, ${month(dialect, "r.day")} AS month, r.day, c.channel, c.segment, ${dialect.round("r.gap", 6)} AS gap,
       CAST(r.satisfaction AS DOUBLE PRECISION) AS satisfaction, r.nps::INTEGER AS nps,
       ${horizons.map((h) => `${followed(h, "r.day")} AS bought_${h}`).join(", ")},
       CASE WHEN ${end} - r.day >= 180 THEN ${dialect.round("coalesce(sum(p.revenue), 0)", 2)} END AS spend_180
FROM responses r ${customer}
LEFT JOIN ${purchases} p ON p.customer_id = r.customer_id AND p.day > r.day AND p.day <= r.day + 180
GROUP BY r.response_id, r.customer_id, r.day, r.gap, r.satisfaction, r.nps, c.channel, c.segment
ORDER BY r.customer_id, r.day, r.response_id`
    },
    {
      name: "satisfaction_deliveries",
      personal: [],
      select: (dialect) => `WITH each_delivery AS (
  SELECT f.response_id, f.customer_id, f.responded_at::DATE AS day, greatest(0, -f.perception)::INTEGER AS days_late,
         ${horizons.map((h) => `${followed(h, "f.responded_at::DATE")} AS bought_${h}`).join(", ")}
  FROM (SELECT * FROM ${feedback} f WHERE dimension = ${literal(deliveryDimension)} AND perception IS NOT NULL) f
  LEFT JOIN ${purchases} p ON p.customer_id = f.customer_id AND p.day > f.responded_at::DATE AND p.day <= f.responded_at::DATE + 180
  GROUP BY f.response_id, f.customer_id, f.responded_at, f.perception
)
SELECT ${month(dialect, "e.day")} AS month, c.channel, c.segment, e.days_late, count(*)::INTEGER AS n,
       ${horizons.map((h) => `count(bought_${h})::INTEGER AS followed_${h}, count(*) FILTER (WHERE bought_${h})::INTEGER AS bought_${h}`).join(", ")}
FROM each_delivery e ${customer}
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`
    },
    {
      name: "satisfaction_late_scores",
      personal: [],
      select: (dialect) => `WITH late AS (
  -- An order delivered in parts counts as late as its last part.
  SELECT order_id, customer_id, max(greatest(0, -perception))::INTEGER AS days_late
  FROM ${feedback} f WHERE dimension = ${literal(deliveryDimension)} AND perception IS NOT NULL AND order_id IS NOT NULL GROUP BY order_id, customer_id
)
SELECT ${month(dialect, "o.responded_at")} AS month, c.channel, c.segment, l.days_late, CAST(o.satisfaction AS DOUBLE PRECISION) AS satisfaction, o.nps::INTEGER AS nps, count(*)::INTEGER AS n
FROM (SELECT * FROM ${feedback} f WHERE dimension = ${literal(overallDimension)} AND order_id IS NOT NULL AND (satisfaction IS NOT NULL OR nps IS NOT NULL)) o
JOIN late l USING (order_id, customer_id)
${customer}
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`
    },
    {
      name: "satisfaction_referrals",
      personal: ["customer_id", "referred_customer_id"],
      select: (
        dialect
      ) => `SELECT ${month(dialect, "p.first_contact_at")} AS month, p.customer_id, c.channel, c.segment, p.referred_customer_id,
       count(*)::INTEGER AS referrals, count(p.referred_customer_id)::INTEGER AS converted
FROM (SELECT referred_by AS customer_id, converted_customer_id AS referred_customer_id, first_contact_at FROM ${prospects} p WHERE referred_by IS NOT NULL) p
${customer}
GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`
    }
  ];
}

/** The filter's conditions on columns month, channel and segment, and any further ones, as a WHERE clause. */
function whereSql(f: SatisfactionFilter, ...further: string[]): string {
  const conditions = [
    f.from !== null ? `month >= ${monthLiteral(f.from)}` : null,
    f.to !== null ? `month <= ${monthLiteral(f.to)}` : null,
    f.channel !== null ? `channel = ${literal(f.channel)}` : null,
    f.segment !== null ? `segment = ${literal(f.segment)}` : null,
    ...further
  ].filter((condition) => condition !== null);
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}

/** A row of gapCountsSql: how many answers of a dimension had this expectation and perception. */
export interface GapCount {
  dimension: string;
  expectation: number;
  perception: number;
  n: number;
}

/** Answers per dimension, expectation and perception in the filter's cells. */
export function gapCountsSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  return `SELECT dimension, expectation, perception, sum(n)::INTEGER AS n FROM satisfaction_cells ${whereSql(f)} GROUP BY dimension, expectation, perception ORDER BY dimension, expectation, perception`;
}

/** A row of importanceStatsSql: the sums behind the correlation of a dimension's perception with overall satisfaction. */
export interface ImportanceStats {
  dimension: string;
  n: number;
  sum_p: number;
  sum_s: number;
  sum_pp: number;
  sum_ss: number;
  sum_ps: number;
}

export function importanceStatsSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  const sums = ["sum_p", "sum_s", "sum_pp", "sum_ss", "sum_ps"]
    .map((column) => `CAST(sum(${column}) AS DOUBLE PRECISION) AS ${column}`)
    .join(", ");
  return `SELECT dimension, sum(n)::INTEGER AS n, ${sums}
FROM satisfaction_importance ${whereSql(f)} GROUP BY dimension ORDER BY dimension`;
}

/** A row of responsesSql. */
export interface SatisfactionResponse {
  customer_id: string;
  month: string;
  channel: string | null;
  segment: string | null;
  /** Mean of perception − expectation over the response's survey dimensions (null without any). */
  /** The day of the response: a customer's rows come in order of it, so the last is the latest answer. */
  day: string | Date;
  gap: number | null;
  satisfaction: number | null;
  nps: number | null;
  bought_90: boolean | null;
  bought_180: boolean | null;
  spend_180: number | null;
}

/**
 * Responses in the filter's cells, ordered by customer, month and day and then by every other
 * column: a total order, the same on every engine, so each customer's last row is their latest
 * answer (of two on one day, the one with the higher gap, then satisfaction, then 0–10 answer).
 */
export function responsesSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  const order = ["customer_id", "month", "day", "channel", "segment", "gap", "satisfaction", "nps"];
  const followed = horizons.map((h) => `bought_${h}`);
  return `SELECT * FROM satisfaction_responses ${whereSql(f)} ORDER BY ${[...order, ...followed, "spend_180"].join(", ")}`;
}

/** A row of deliveriesSql: deliveries that arrived this many days late (0 = on time or early). */
export interface DeliveryLateness {
  days_late: number;
  n: number;
  followed_90: number;
  bought_90: number;
  followed_180: number;
  bought_180: number;
}

export function deliveriesSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  return `SELECT days_late, sum(n)::INTEGER AS n, ${horizons.map((h) => `sum(followed_${h})::INTEGER AS followed_${h}, sum(bought_${h})::INTEGER AS bought_${h}`).join(", ")}
FROM satisfaction_deliveries ${whereSql(f)} GROUP BY days_late ORDER BY days_late`;
}

/** A row of lateScoresSql: n responses about orders this many days late (0 = on time or early) with this satisfaction and 0–10 answer. */
export type LateScore = Pick<SatisfactionResponse, "satisfaction" | "nps"> & {days_late: number; n: number};

export function lateScoresSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  return `SELECT days_late, satisfaction, nps, sum(n)::INTEGER AS n FROM satisfaction_late_scores ${whereSql(f)} GROUP BY days_late, satisfaction, nps ORDER BY days_late, satisfaction, nps`;
}

/**
 * Whether survey responses can be linked to deliveries, over all months and groups:
 * survey responses (their 'overall' rows with a score), how many carry an order id,
 * deliveries, and the responses linked to a delivery of the same order.
 */
export type DeliveryLink = Record<"responses" | "with_order" | "deliveries" | "linked", number>;

export function deliveryLinkSql(_dialect: Dialect, inputs: Pick<SatisfactionInputs, "feedback">): string {
  const answered = `dimension = ${literal(overallDimension)} AND (satisfaction IS NOT NULL OR nps IS NOT NULL)`;
  return `SELECT count(*) FILTER (WHERE ${answered})::INTEGER AS responses, count(*) FILTER (WHERE ${answered} AND order_id IS NOT NULL)::INTEGER AS with_order,
       count(*) FILTER (WHERE dimension = ${literal(deliveryDimension)} AND perception IS NOT NULL)::INTEGER AS deliveries,
       (SELECT coalesce(sum(n), 0) FROM satisfaction_late_scores)::INTEGER AS linked
FROM ${inputs.feedback ? "canonical_feedback" : emptyFeedback} f`;
}

/** A row of referrersSql: the prospects that name a customer as their referrer, and how many of them became customers. */
export interface Referrer {
  customer_id: string;
  referrals: number;
  converted: number;
}

/**
 * Per referring customer of the filter's channel and segment: the prospects first contacted
 * in the filter's months who name them, and how many of those became customers.
 */
export function referrersSql(_dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  return `SELECT customer_id, sum(referrals)::INTEGER AS referrals, sum(converted)::INTEGER AS converted
FROM satisfaction_referrals ${whereSql(f)} GROUP BY customer_id ORDER BY customer_id`;
}

/**
 * A row of acquisitionValueSql: customers won by referral (referred) or through an
 * acquisition channel, and the sums over them of their acquisition cost (where known), margin
 * to date and CLV (where the model values them) and of their equity, margin + CLV, and its square.
 */
export interface AcquisitionValue {
  referred: boolean;
  channel: string | null;
  customers: number;
  costed: number;
  cost_sum: number | null;
  margin_sum: number | null;
  valued: number;
  clv_sum: number | null;
  equity_sum: number | null;
  equity_squares: number | null;
}

/**
 * What customers cost to win and are worth, by how they were won: the customers that the
 * prospects referred in the filter's months by customers of its channel and segment became
 * (referred), and per acquisition channel the other customers of the filter's channel and
 * segment whose first purchase fell in its months. Their acquisition cost, margin to date and
 * CLV are the equity page's (table customer_clv: the loader's, or customer_clv.csv.gz in the
 * browser; its customers only, so a sample where the site ships one); channel, segment and
 * first purchase come from customer_summary.
 */
export function acquisitionValueSql(dialect: Dialect, f: SatisfactionFilter = noSatisfactionFilter): string {
  const anyReferred = "SELECT referred_customer_id FROM satisfaction_referrals WHERE referred_customer_id IS NOT NULL";
  const customers = `(SELECT customer_id, ${dialect.dateText("first_purchase", "month")} AS month, CAST(acquisition_channel AS VARCHAR) AS channel, CAST(segment AS VARCHAR) AS segment FROM customer_summary) s`;
  const equity = "(v.margin_to_date + v.clv)";
  return `WITH won AS (
  SELECT DISTINCT true AS referred, CAST(NULL AS VARCHAR) AS channel, referred_customer_id AS customer_id
  FROM satisfaction_referrals ${whereSql(f, "referred_customer_id IS NOT NULL")}
  UNION ALL
  SELECT false, channel, customer_id FROM ${customers} ${whereSql(f, `customer_id NOT IN (${anyReferred})`)}
)
SELECT w.referred, w.channel, count(*)::INTEGER AS customers,
       count(v.acquisition_cost)::INTEGER AS costed, CAST(sum(v.acquisition_cost) AS DOUBLE PRECISION) AS cost_sum,
       CAST(sum(v.margin_to_date) AS DOUBLE PRECISION) AS margin_sum, count(v.clv)::INTEGER AS valued,
       CAST(sum(v.clv) AS DOUBLE PRECISION) AS clv_sum, CAST(sum(${equity}) AS DOUBLE PRECISION) AS equity_sum,
       CAST(sum(${equity} * ${equity}) AS DOUBLE PRECISION) AS equity_squares
FROM won w JOIN customer_clv v USING (customer_id)
GROUP BY 1, 2 ORDER BY referred DESC, channel`;
}
