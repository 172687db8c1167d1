// Returns and cancellations net against what they cancel: the one definition of which
// purchase a return line takes back, and of the purchases that remain once it has. Every
// count of purchases (retention_days and the customer-equity models, customer_summary,
// daily sales' first purchases, customer_months' orders, the lifecycle) reads the net
// purchase days defined here; one text for DuckDB and PostgreSQL.
//
// The unit a return nets against is the purchase day (customer × day), the unit the models
// count purchases in (same-day lines are one transaction, as Fader & Hardie aggregate them).
// A return line (revenue < 0) is matched to one purchase day of the same customer by the
// first rule that finds one:
//   1. 'order':   a purchase line of the same order (order_id) — the day of that line (the
//                 nearest one on or before the return; failing that, the nearest after);
//   2. 'product': the nearest earlier (or same-time) purchase line of the same product worth
//                 at least the return — that line's day;
//   3. 'value':   the nearest purchase day on or before the return's day worth at least the return;
//   otherwise 'unmatched' (e.g. a return of something bought before the data start).
// A purchase day's net revenue is its purchase lines less the returns matched to it. A day
// that returns cancel in full (net ≤ 0) is no purchase; a partial return lowers its revenue.
// Unmatched returns change no purchase day; they still lower the customer's money totals,
// which sum every line. Each return is matched on its own: several returns matched to one
// day may together exceed it, and the day is then simply no purchase.

/** The rules a return line can be matched by, in the order they are tried, and 'unmatched'. */
export const returnRules = ["order", "product", "value", "unmatched"] as const;
export type ReturnRule = (typeof returnRules)[number];

/** What the data-quality page says of each rule. */
export const returnRuleLabels: Record<ReturnRule, string> = {
  order: "same order",
  product: "earlier purchase of the same product",
  value: "earlier purchase day of at least that value",
  unmatched: "no earlier purchase found"
};

/**
 * SQL selecting one row per return line (revenue < 0) of the transactions (a relation,
 * quoted, with customer_id, occurred_at, revenue, order_id and product): customer_id,
 * occurred_at, revenue (negative), rule (returnRules) and day, the purchase day it nets
 * against (NULL when unmatched). Returns join only their own customer's purchases.
 */
export function returnMatchesSql(transactions = "canonical_transactions"): string {
  // The purchases only of customers with a return: the others' are matched to nothing, and most customers return nothing.
  return `WITH returns AS (
  -- a key per return line; lines equal in every column used here get equal matches, so their order does not matter
  SELECT customer_id, occurred_at, occurred_at::DATE AS day, revenue, order_id, product,
         row_number() OVER (PARTITION BY customer_id ORDER BY occurred_at, revenue, order_id, product) AS k
  FROM ${transactions} WHERE revenue < 0
), purchase_lines AS (
  SELECT customer_id, occurred_at, occurred_at::DATE AS day, revenue, order_id, product FROM ${transactions}
  WHERE revenue >= 0 AND customer_id IN (SELECT customer_id FROM returns)
), purchase_days AS (
  SELECT customer_id, day, sum(revenue) AS revenue FROM purchase_lines GROUP BY customer_id, day
), candidates AS (
  SELECT r.customer_id, r.k, 1 AS priority, p.day > r.day AS late, abs(r.day - p.day) AS gap, p.occurred_at AS bought_at, p.day
  FROM returns r JOIN purchase_lines p ON p.customer_id = r.customer_id AND p.order_id = r.order_id
  UNION ALL
  SELECT r.customer_id, r.k, 2, false, r.day - p.day, p.occurred_at, p.day
  FROM returns r JOIN purchase_lines p ON p.customer_id = r.customer_id AND p.product = r.product
  WHERE p.occurred_at <= r.occurred_at AND p.revenue >= -r.revenue
  UNION ALL
  SELECT r.customer_id, r.k, 3, false, r.day - p.day, NULL, p.day
  FROM returns r JOIN purchase_days p ON p.customer_id = r.customer_id
  WHERE p.day <= r.day AND p.revenue >= -r.revenue
), best AS (
  SELECT customer_id, k, priority, day,
         row_number() OVER (PARTITION BY customer_id, k ORDER BY priority, late, gap, bought_at DESC, day) AS n
  FROM candidates
)
SELECT r.customer_id, r.occurred_at, r.revenue,
       CASE b.priority WHEN 1 THEN 'order' WHEN 2 THEN 'product' WHEN 3 THEN 'value' ELSE 'unmatched' END AS rule,
       b.day
FROM returns r LEFT JOIN best b ON b.customer_id = r.customer_id AND b.k = r.k AND b.n = 1`;
}

/** returnMatchesSql's rows: read from `matches` where it names them, else computed from the transactions. */
const matchesOf = (transactions: string, matches: string | null) =>
  matches === null ? returnMatchesSql(transactions) : `SELECT * FROM ${matches}`;

/**
 * SQL selecting each customer's net purchase days (customer_id, day, revenue) from the
 * transactions (a relation, quoted): per customer and day with at least one line of
 * non-negative revenue, those lines less the returns matched to the day (returnMatchesSql),
 * leaving out days that returns cancel in full (net ≤ 0). A day no return is matched to
 * stays whatever its revenue (a day of free items is still a visit). `matches` names a table of
 * returnMatchesSql's rows for these transactions where one is computed already (return_matches).
 */
export function netPurchaseDaysSql(transactions = "canonical_transactions", matches: string | null = null): string {
  return `WITH gross AS (
  SELECT customer_id, occurred_at::DATE AS day, sum(revenue) AS revenue FROM ${transactions} WHERE revenue >= 0
  GROUP BY customer_id, occurred_at::DATE
), matched AS (
  SELECT customer_id, day, sum(revenue) AS returned FROM (
${matchesOf(transactions, matches)}
  ) m WHERE day IS NOT NULL GROUP BY customer_id, day
)
SELECT g.customer_id, g.day, (g.revenue + coalesce(m.returned, 0))::DECIMAL(18, 2) AS revenue
FROM gross g LEFT JOIN matched m ON m.customer_id = g.customer_id AND m.day = g.day
WHERE m.returned IS NULL OR g.revenue + m.returned > 0`;
}

/**
 * The net purchase days (customer_id, day, revenue: netPurchaseDaysSql): read from `purchaseDays` where it names a
 * table of them computed already (retention_days), else computed from the transactions.
 */
export const netPurchaseDaysFromSql = (transactions: string, purchaseDays: string | null): string =>
  purchaseDays === null ? netPurchaseDaysSql(transactions) : `SELECT customer_id, day, revenue FROM ${purchaseDays}`;

/**
 * SQL giving, per rule (returnRules, in their order, each present once), the return lines
 * it matched (lines) and their value (a positive amount): what the data-quality page says
 * of how returns were netted. `matches` as netPurchaseDaysSql's.
 */
export function returnNettingSql(transactions = "canonical_transactions", matches: string | null = null): string {
  return `WITH matches AS (
${matchesOf(transactions, matches)}
), rules AS (
  SELECT * FROM (VALUES (1, 'order'), (2, 'product'), (3, 'value'), (4, 'unmatched')) AS t(pos, rule)
)
SELECT rules.rule, count(m.rule)::INTEGER AS lines, (-coalesce(sum(m.revenue), 0))::DECIMAL(18, 2) AS value
FROM rules LEFT JOIN matches m ON m.rule = rules.rule
GROUP BY rules.pos, rules.rule ORDER BY rules.pos`;
}
