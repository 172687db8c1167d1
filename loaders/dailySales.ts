// Daily sales split into each customer's first purchase and repeat purchases, from the
// canonical transactions: the table behind the overview's sales chart (and its SQL in the
// browser, salesByPeriodSql).

/**
 * SQL selecting daily_sales(date, first_orders, first_revenue, repeat_orders, repeat_revenue)
 * from the canonical transactions (a relation, quoted). A customer's first purchase day
 * counts as first whole (several lines that day are all "first"); every later line is
 * repeat, returns included (as negative revenue). Orders count lines. One text for DuckDB
 * and PostgreSQL.
 */
export function dailySalesSql(transactions = "canonical_transactions"): string {
  return `WITH lines AS (
  SELECT occurred_at::DATE AS "date", revenue,
         occurred_at::DATE = min(occurred_at::DATE) OVER (PARTITION BY customer_id) AS first
  FROM ${transactions}
)
SELECT "date",
       count(*) FILTER (WHERE first)::INTEGER AS first_orders,
       coalesce(sum(revenue) FILTER (WHERE first), 0)::DOUBLE PRECISION AS first_revenue,
       count(*) FILTER (WHERE NOT first)::INTEGER AS repeat_orders,
       coalesce(sum(revenue) FILTER (WHERE NOT first), 0)::DOUBLE PRECISION AS repeat_revenue
FROM lines GROUP BY "date"`;
}
