// Daily sales split into each customer's first purchase and repeat purchases, from the
// canonical transactions: the table behind the overview's sales chart (and its SQL in the
// browser, salesByPeriodSql).

/**
 * SQL creating daily_sales(date, first_orders, first_revenue, repeat_orders, repeat_revenue)
 * from canonical_transactions. A customer's first purchase day counts as first whole
 * (several lines that day are all "first"); every later line is repeat, returns included
 * (as negative revenue). Orders count lines.
 */
export const dailySalesSql = `CREATE OR REPLACE TEMP TABLE daily_sales AS
  WITH lines AS (
    SELECT occurred_at::DATE AS "date", revenue,
           occurred_at::DATE = min(occurred_at::DATE) OVER (PARTITION BY customer_id) AS first
    FROM canonical_transactions
  )
  SELECT "date",
         count(*) FILTER (first)::INTEGER AS first_orders,
         coalesce(sum(revenue) FILTER (first), 0)::DOUBLE AS first_revenue,
         count(*) FILTER (NOT first)::INTEGER AS repeat_orders,
         coalesce(sum(revenue) FILTER (NOT first), 0)::DOUBLE AS repeat_revenue
  FROM lines GROUP BY "date" ORDER BY "date"`;
