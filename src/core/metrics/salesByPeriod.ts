// Sales summed by calendar period, split into first purchases and repeat purchases.
// One SQL definition serves native DuckDB in the loaders and DuckDB-WASM in the page.
import {alreadyCustomerSql, completePeriodSql, newFromSql, type NewFrom} from "../sql/dataEdges.js";

/** The calendar periods a page can sum by. */
export const periods = ["week", "month", "quarter"] as const;
export type Period = (typeof periods)[number];

/** A row of salesByPeriodSql: one period and one kind of purchase. */
export interface PeriodSales {
  period: string | Date; // the period's first day (ISO string from SQL, Date from a typed CSV)
  kind: "first purchase" | "repeat";
  orders: number;
  revenue: number;
}

export function isPeriod(value: unknown): value is Period {
  return (periods as readonly unknown[]).includes(value);
}

/**
 * SQL over a daily table (date DATE, first_orders, first_revenue, repeat_orders,
 * repeat_revenue) that returns PeriodSales rows ordered by period then kind. Weeks
 * start on Monday (ISO 8601), as DuckDB's date_trunc('week') does. Only complete periods
 * at the observation end `end` (their last day on or before it: dataEdges.ts) are summed,
 * so an incomplete last period never looks like a collapse; null sums every period. First
 * purchases before newFrom (by the rule, in the data's first month: dataEdges.ts) are those
 * of customers who were already customers when the data start: they count as repeat.
 */
export function salesByPeriodSql(period: Period, end: string | null, table = "daily_sales", newFrom?: NewFrom): string {
  // The period goes into the SQL text, so only the known names are accepted.
  if (!isPeriod(period)) throw new Error(`unknown period: ${String(period)}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`invalid table name: ${table}`);
  const already = alreadyCustomerSql('d."date"', "e.new_from");
  const complete =
    end === null ? "" : `\n  WHERE ${completePeriodSql(period, `date_trunc('${period}', d."date")`, end)}`;
  return `WITH edges AS (SELECT ${newFromSql(newFrom, table, '"date"')} AS new_from),
periods AS (
  SELECT date_trunc('${period}', d."date") AS start,
         sum(CASE WHEN ${already} THEN 0 ELSE d.first_orders END) AS first_orders,
         sum(CASE WHEN ${already} THEN 0 ELSE d.first_revenue END) AS first_revenue,
         sum(d.repeat_orders + CASE WHEN ${already} THEN d.first_orders ELSE 0 END) AS repeat_orders,
         sum(d.repeat_revenue + CASE WHEN ${already} THEN d.first_revenue ELSE 0 END) AS repeat_revenue
  FROM ${table} d, edges e${complete}
  GROUP BY start
)
SELECT strftime(start, '%Y-%m-%d') AS period, 'first purchase' AS kind,
       first_orders::INTEGER AS orders, round(first_revenue, 2)::DOUBLE AS revenue
FROM periods
UNION ALL
SELECT strftime(start, '%Y-%m-%d'), 'repeat', repeat_orders::INTEGER, round(repeat_revenue, 2)::DOUBLE
FROM periods
ORDER BY period, kind`;
}

/** Share of revenue from repeat purchases, in [0, 1]; NaN when there is no revenue. */
export function repeatRevenueShare(rows: Iterable<Pick<PeriodSales, "kind" | "revenue">>): number {
  let total = 0;
  let repeat = 0;
  for (const {kind, revenue} of rows) {
    total += revenue;
    if (kind === "repeat") repeat += revenue;
  }
  return total > 0 ? repeat / total : NaN;
}
