// Each customer's calibration summary for the customer-equity models, in SQL over the
// canonical transactions, so that it runs where the data lives (native DuckDB here,
// DuckDB-WASM or a warehouse alike). Same-day purchases are one transaction, as Fader &
// Hardie aggregate them; returns (negative revenue) are not purchases.
import {dateLiteral} from "./sql.js";

/**
 * SQL giving, for every customer whose first purchase is before the calibration
 * end C: x = repeat purchase days in (first, C], t_x = weeks from the first to the last
 * purchase day ≤ C, T = weeks from the first purchase to C, spend = mean revenue of those
 * repeat days (NULL when x = 0; the Gamma-Gamma input m_x), holdout = purchase days in
 * (C, H], first_week = whole weeks from the data's first purchase to the customer's.
 * Weeks are days / 7 (Fader, Hardie & Lee 2005 measure CDNOW in weeks).
 */
export function calibrationSummarySql(calibrationEnd: string, holdoutEnd: string, table = "canonical_transactions"): string {
  const c = dateLiteral(calibrationEnd);
  const h = dateLiteral(holdoutEnd);
  return `WITH days AS (
  SELECT customer_id, occurred_at::DATE AS day, sum(revenue) AS revenue
  FROM ${table} WHERE revenue >= 0 GROUP BY ALL
), firsts AS (
  SELECT customer_id, min(day) AS first FROM days GROUP BY customer_id
), origin AS (
  SELECT min(first) AS origin FROM firsts
)
SELECT d.customer_id,
       (count(*) FILTER (WHERE d.day > f.first AND d.day <= ${c}))::INTEGER AS x,
       ((max(d.day) FILTER (WHERE d.day <= ${c}) - f.first) / 7.0)::DOUBLE AS t_x,
       ((${c} - f.first) / 7.0)::DOUBLE AS T,
       (avg(d.revenue) FILTER (WHERE d.day > f.first AND d.day <= ${c}))::DOUBLE AS spend,
       (count(*) FILTER (WHERE d.day > ${c} AND d.day <= ${h}))::INTEGER AS holdout,
       ((f.first - (SELECT origin FROM origin)) // 7)::INTEGER AS first_week
FROM days d JOIN firsts f USING (customer_id)
WHERE f.first < ${c} -- T = 0 says nothing about a customer
GROUP BY d.customer_id, f.first
ORDER BY d.customer_id`;
}
