// Daily sales split into each customer's first purchase and repeat purchases, from the
// canonical transactions: the table behind the overview's sales chart (and its SQL in the
// browser, salesByPeriodSql).

import {netPurchaseDaysFromSql} from "../src/core/sql/netPurchases.js";

/**
 * SQL selecting daily_sales(date, first_orders, first_revenue, repeat_orders, repeat_revenue)
 * from the canonical transactions (a relation, quoted). A customer's first purchase day (the
 * first net purchase day, netPurchaseDaysSql: an order its returns cancel in full is no first
 * purchase) counts as first whole (several lines that day are all "first", a return that day
 * included); every other line is repeat, returns included (as negative revenue), so revenue is
 * net. Orders count lines. One text for DuckDB and PostgreSQL. `purchaseDays` names a table of these
 * transactions' net purchase days where one is already computed (retention_days).
 */
export function dailySalesSql(transactions = "canonical_transactions", purchaseDays: string | null = null): string {
  return `WITH firsts AS (
  SELECT customer_id, min(day) AS first_day FROM (
${netPurchaseDaysFromSql(transactions, purchaseDays)}
  ) d GROUP BY customer_id
), lines AS (
  SELECT t.occurred_at::DATE AS "date", t.revenue, coalesce(t.occurred_at::DATE = f.first_day, false) AS first
  FROM ${transactions} t LEFT JOIN firsts f ON f.customer_id = t.customer_id
)
SELECT "date",
       count(*) FILTER (WHERE first)::INTEGER AS first_orders,
       coalesce(sum(revenue) FILTER (WHERE first), 0)::DOUBLE PRECISION AS first_revenue,
       count(*) FILTER (WHERE NOT first)::INTEGER AS repeat_orders,
       coalesce(sum(revenue) FILTER (WHERE NOT first), 0)::DOUBLE PRECISION AS repeat_revenue
FROM lines GROUP BY "date"`;
}
