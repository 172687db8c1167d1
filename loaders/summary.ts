// Per-customer summaries: what the pages and the customer-equity models read instead of
// raw transactions. A purchase day is a day with at least one line of non-negative revenue
// (same-day lines are one transaction, as Fader & Hardie aggregate them) that returns do not
// cancel in full; a line of negative revenue is a return, netted against the purchase it
// cancels (src/core/sql/netPurchases.ts).
import {netPurchaseDaysFromSql} from "../src/core/sql/netPurchases.js";
import {dateLiteral, numberLiteral} from "../src/core/sql/sql.js";
import type {Dialect} from "../src/core/sql/sqlDialect.js";

/**
 * SQL selecting customer_summary from the canonical customers and transactions (relations,
 * quoted), one text for DuckDB and PostgreSQL (a warehouse computes it where the data lives). `purchaseDays`
 * names a table of the net purchase days (netPurchaseDaysSql) where one is computed already (retention_days).
 * Purchase days are the net ones (netPurchaseDaysSql): a day its returns cancel in full is
 * none, a partial return lowers its revenue. frequency = purchase days − 1 (repeat purchases), recency_days = last − first purchase
 * day (t_x), tenure_days = observation end − first purchase day (T), monetary_value = mean
 * net revenue of the repeat purchase days to the cent, half up (0 without any), as in the BG/NBD and Gamma-Gamma
 * literature (Fader, Hardie & Lee 2005). cost is the transactions' cost, or revenue × (1 −
 * marginRate) where a line has none; profit = revenue − cost (gross profit, before cost
 * to serve and acquisition cost, which the pages add).
 */
export function customerSummarySql(
  dialect: Dialect,
  observationEnd: string,
  marginRate: number,
  transactions = "canonical_transactions",
  customers = "canonical_customers",
  purchaseDays: string | null = null
): string {
  // The repeat purchase days' revenue is all days' less the first's (a customer's days are distinct): no window sort.
  return `WITH lines AS (
    SELECT customer_id, occurred_at::DATE AS day, revenue, coalesce(cost, revenue * (1 - ${numberLiteral(marginRate)})) AS cost, revenue < 0 AS is_return
    FROM ${transactions}
  ), purchase_days AS (
${netPurchaseDaysFromSql(transactions, purchaseDays)}
  ), days AS (
    SELECT customer_id, min(day) AS first_purchase, max(day) AS last_purchase, count(*) AS purchase_days, sum(revenue) AS revenue
    FROM purchase_days GROUP BY customer_id
  ), rfm AS (
    SELECT d.customer_id, d.first_purchase, d.last_purchase, d.purchase_days,
           (100 * (d.revenue - p.revenue))::BIGINT AS repeat_cents, d.purchase_days - 1 AS repeats
    FROM days d JOIN purchase_days p ON p.customer_id = d.customer_id AND p.day = d.first_purchase
  ), money AS (
    SELECT customer_id, sum(revenue) AS revenue, sum(cost) AS cost,
           count(*) FILTER (WHERE is_return) AS returns, -coalesce(sum(revenue) FILTER (WHERE is_return), 0) AS returned_revenue
    FROM lines GROUP BY customer_id
  )
  SELECT c.customer_id, c.first_seen, c.acquisition_channel, c.acquisition_cost, c.segment, c.service_contacts,
         r.first_purchase, r.last_purchase,
         coalesce(r.purchase_days, 0)::INTEGER AS purchase_days,
         greatest(coalesce(r.purchase_days, 0) - 1, 0)::INTEGER AS frequency,
         (r.last_purchase - r.first_purchase)::INTEGER AS recency_days,
         (${dateLiteral(observationEnd)} - r.first_purchase)::INTEGER AS tenure_days,
         -- cents / repeats rounded half up in whole numbers: exact, so every engine rounds a tie alike
         coalesce(CASE WHEN r.repeats > 0 THEN (${dialect.integerDivide("2 * r.repeat_cents + r.repeats", "2 * r.repeats")} / 100)::DECIMAL(18, 2) END, 0)::DECIMAL(18, 2) AS monetary_value,
         coalesce(m.revenue, 0)::DECIMAL(18, 2) AS revenue,
         coalesce(m.returned_revenue, 0)::DECIMAL(18, 2) AS returned_revenue,
         coalesce(m.returns, 0)::INTEGER AS returns,
         round(coalesce(m.cost, 0), 2)::DECIMAL(18, 2) AS cost,
         round(coalesce(m.revenue, 0) - coalesce(m.cost, 0), 2)::DECIMAL(18, 2) AS profit
  FROM ${customers} c
  LEFT JOIN rfm r USING (customer_id)
  LEFT JOIN money m USING (customer_id)`;
}
