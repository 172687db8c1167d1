// The customer-equity page's SQL beside the model fits (clvSql.ts): the tracking plot's
// counts, the margin and the last two years' activity behind the what-if defaults. Each
// reads the site's tables (retention_days, customer_months, customer_summary) and is one
// text per engine, so a warehouse computes it where the data lives and sends back a few rows.
import {grossProfitSum} from "./profitSql.js";
import type {MonthSpan, RecentWindows} from "./dataEdges.js";
import {dateLiteral, monthLiteral} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/** A row of trackingCountsSql. */
export interface TrackingCount {
  kind: "repeats" | "acquired";
  /** Whole weeks (repeats) or days (acquired) from the start. */
  period: number;
  n: number;
}

/**
 * SQL giving, for the customers whose first purchase day is before the calibration end:
 * their repeat purchase days per whole week from `start` (kind 'repeats'; a week with
 * first purchases only counts 0), and how many were acquired on each day, as days from
 * `start` (kind 'acquired'): the observed and expected curves of Fader, Hardie & Lee's
 * tracking plot. Purchase days from retention_days.
 */
export function trackingCountsSql(dialect: Dialect, start: string, calibrationEnd: string): string {
  const origin = dateLiteral(start);
  return `WITH firsts AS (
  SELECT customer_id, min(day) AS first FROM retention_days GROUP BY customer_id HAVING min(day) < ${dateLiteral(calibrationEnd)}
)
SELECT 'repeats' AS kind, ${dialect.integerDivide(`d.day - ${origin}`, "7")}::INTEGER AS period, (count(*) FILTER (WHERE d.day > f.first))::INTEGER AS n
FROM retention_days d JOIN firsts f ON d.customer_id = f.customer_id GROUP BY 2
UNION ALL
SELECT 'acquired', (f.first - ${origin})::INTEGER, count(*)::INTEGER FROM firsts f GROUP BY f.first
ORDER BY kind, period`;
}

/**
 * SQL giving the gross margin (gross profit / revenue) of all of customer_months, to a
 * tenth of a percent: the page's margin slider has that step, so the page and the overview
 * value customers with the same margin. Divided in double precision, as DuckDB divides
 * DECIMALs, so that both engines round the same quotient.
 */
export function grossMarginSql(dialect: Dialect, marginRate: number): string {
  return `SELECT ${dialect.round(`CAST(${grossProfitSum(marginRate)} AS DOUBLE PRECISION) / CAST(sum(revenue) AS DOUBLE PRECISION)`, 3)} AS margin FROM customer_months`;
}

/** A row of recentActivitySql. */
export interface RecentActivity {
  /** Customers won in the acquisition window (their first purchase in it). */
  acquired: number;
  cac: number | null;
  /** Customers who bought in the retention's previous span, and those of them who bought again in its current span. */
  previous: number;
  retained: number;
  /** Customers who bought in the retention's current span, and their revenue there. */
  active: number;
  revenue: number;
}

/**
 * SQL giving one row about the recent windows of complete months (recentWindows,
 * dataEdges.ts): customers won in the acquisition window (whose first purchase is in it;
 * it leaves out the data's first month, whose customers were already customers) and their
 * mean acquisition cost (customer_summary); customers who bought in the retention's
 * previous span and those of them who bought again in its current span, and the current
 * span's customers and revenue (customer_months). The what-if's defaults and the
 * closed-form (Gupta & Lehmann) cross-check, at periods of the spans' length, come from it. The mean cost is taken of the
 * cents, exactly, so that both engines give the same bits.
 */
export function recentActivitySql(_dialect: Dialect, w: RecentWindows): string {
  const month = (date: string) => monthLiteral(date.slice(0, 7));
  const within = (s: MonthSpan) => `month >= ${month(s.from)} AND month < ${month(s.to)}`;
  const r = w.retention;
  const won = `first_purchase >= ${dateLiteral(w.acquisition.from)} AND first_purchase < ${dateLiteral(w.acquisition.to)}`;
  return `WITH active AS (
  SELECT customer_id, bool_or(${r ? within(r.previous) : "false"}) AS previous, bool_or(${r ? within(r.current) : "false"}) AS current,
         sum(revenue) FILTER (WHERE ${r ? within(r.current) : "false"}) AS revenue
  FROM customer_months GROUP BY customer_id
)
SELECT (SELECT count(*) FROM customer_summary WHERE ${won})::INTEGER AS acquired,
       (SELECT CAST(avg(CAST(acquisition_cost AS DECIMAL(18, 2))) AS DOUBLE PRECISION) FROM customer_summary WHERE ${won}) AS cac,
       count(*) FILTER (WHERE previous)::INTEGER AS previous,
       count(*) FILTER (WHERE previous AND current)::INTEGER AS retained,
       count(*) FILTER (WHERE current)::INTEGER AS active,
       CAST(coalesce(sum(revenue), 0) AS DOUBLE PRECISION) AS revenue
FROM active`;
}
