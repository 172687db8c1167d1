// A customer's purchase days: the one definition of a purchase that the retention page, the
// satisfaction page's later behaviour and the customer-equity models share.

/**
 * SQL selecting retention_days from the canonical transactions (a relation, quoted): per
 * customer and purchase day (a day with at least one line of non-negative revenue, as
 * customer_summary counts them) the revenue of its purchase lines. Returns are left out: a
 * return is not a visit, and revenue here is what customers spent in the period. The
 * retention page reads them as retention_days and the customer-equity models count the
 * same days (clvSql.ts); one text for DuckDB and PostgreSQL.
 */
export function purchaseDaysSql(transactions = "canonical_transactions"): string {
  return `SELECT customer_id, occurred_at::DATE AS day, sum(revenue)::DECIMAL(18, 2) AS revenue
FROM ${transactions} WHERE revenue >= 0
GROUP BY customer_id, occurred_at::DATE`;
}
