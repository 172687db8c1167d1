// Profit per customer, from per-customer monthly sums (customer_months) and the customer
// summary (customer_summary). One SQL definition serves the loader (native DuckDB or a
// PostgreSQL warehouse, for the page's first view: a dialect for what the engines spell
// differently) and the page's filters (DuckDB-WASM).
import type {MonthSpan} from "./dataEdges.js";
import {netPurchaseDaysFromSql} from "./netPurchases.js";
import {literal, monthLiteral, numberLiteral} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

export interface ProfitAssumptions {
  /** Gross margin applied to revenue that has no cost in the source (0–1). */
  marginRate: number;
  /** Cost to serve per order, per returned line and per service contact. */
  perOrder: number;
  perReturn: number;
  perContact: number;
  /** Whether each customer's acquisition cost is charged to them. */
  includeAcquisition: boolean;
}

export interface ProfitFilter {
  /** First and last month (YYYY-MM) counted; null for no bound. */
  from: string | null;
  to: string | null;
  channel: string | null;
  segment: string | null;
}

/** The page's defaults; marginRate is the source's (source.json). */
export const defaultProfitAssumptions: Omit<ProfitAssumptions, "marginRate"> = {
  perOrder: 0,
  perReturn: 5,
  perContact: 8,
  includeAcquisition: false
};
export const noProfitFilter: ProfitFilter = {from: null, to: null, channel: null, segment: null};

/** The parameters of the loader's customer_profit.csv.gz: the default assumptions at the source's margin, no filter. */
export function profitFirstView(marginRate: number): {assumptions: ProfitAssumptions; filter: ProfitFilter} {
  return {assumptions: {...defaultProfitAssumptions, marginRate}, filter: noProfitFilter};
}

/** A row of customerProfitSql. */
export interface CustomerProfit {
  customer_id: string;
  acquisition_channel: string | null;
  segment: string | null;
  orders: number;
  returns: number;
  revenue: number;
  gross_profit: number;
  cost_to_serve: number;
  acquisition_cost: number;
  profit: number;
  frequency: number;
  recency_days: number;
  tenure_days: number;
}

/** Gross profit summed over customer_months rows: revenue less the source's cost, or revenue × (1 − margin) where it has none; exact on DECIMAL columns. */
export const grossProfitSum = (marginRate: number) =>
  `sum(revenue) - sum(known_cost) - sum(revenue_without_cost) * (1 - ${numberLiteral(marginRate)})`;

/**
 * SQL giving one CustomerProfit row per customer with purchases in the filter's months:
 * profit = revenue − cost of goods (the source's cost, else revenue × (1 − margin)) −
 * orders × perOrder − returns × perReturn − service contacts × perContact −
 * (acquisition cost, if included). Service contacts and acquisition cost are lifetime
 * figures, charged whole when a customer has any purchase in the months shown. Columns a
 * source leaves empty are cast, since a CSV reader guesses an empty column to be text.
 */
export function customerProfitSql(dialect: Dialect, a: ProfitAssumptions, f: ProfitFilter = noProfitFilter): string {
  const where = [
    f.from !== null ? `m.month >= ${monthLiteral(f.from)}` : null,
    f.to !== null ? `m.month <= ${monthLiteral(f.to)}` : null,
    f.channel !== null ? `c.acquisition_channel = ${literal(f.channel)}` : null,
    f.segment !== null ? `c.segment = ${literal(f.segment)}` : null
  ].filter((condition) => condition !== null);
  const costToServe = `s.orders * ${numberLiteral(a.perOrder)} + s.returns * ${numberLiteral(a.perReturn)} + coalesce(CAST(c.service_contacts AS DOUBLE PRECISION), 0) * ${numberLiteral(a.perContact)}`;
  const acquisitionCost = "coalesce(CAST(c.acquisition_cost AS DOUBLE PRECISION), 0)";
  return `WITH sums AS (
  SELECT m.customer_id, sum(m.orders) AS orders, sum(m.returns) AS returns, sum(m.revenue) AS revenue,
         sum(m.known_cost) + sum(m.revenue_without_cost) * (1 - ${numberLiteral(a.marginRate)}) AS cost_of_goods
  FROM customer_months m JOIN customer_summary c USING (customer_id)
  ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
  GROUP BY m.customer_id
)
SELECT s.customer_id, c.acquisition_channel, c.segment,
       s.orders::INTEGER AS orders, s.returns::INTEGER AS returns,
       ${dialect.round("s.revenue", 2)} AS revenue,
       ${dialect.round("s.revenue - s.cost_of_goods", 2)} AS gross_profit,
       ${dialect.round(costToServe, 2)} AS cost_to_serve,
       ${a.includeAcquisition ? dialect.round(acquisitionCost, 2) : "CAST(0 AS DOUBLE PRECISION)"} AS acquisition_cost,
       ${dialect.round(`s.revenue - s.cost_of_goods - (${costToServe})${a.includeAcquisition ? ` - ${acquisitionCost}` : ""}`, 2)} AS profit,
       c.frequency::INTEGER AS frequency, coalesce(c.recency_days, 0)::INTEGER AS recency_days, coalesce(c.tenure_days, 0)::INTEGER AS tenure_days
FROM sums s JOIN customer_summary c USING (customer_id)
ORDER BY profit DESC, s.customer_id`;
}

/**
 * customerProfitSql's rows for every month, each with the same customer's profit, revenue and orders in the months up
 * to `previousTo` (YYYY-MM; previous_*, NULL for a customer with no purchase by then): the profit page's first view
 * and its figure a year earlier in one pass over the customers, so that a warehouse sends each customer once.
 */
export function customerProfitWithPreviousSql(dialect: Dialect, a: ProfitAssumptions, previousTo: string): string {
  return `WITH profit_now AS (
${customerProfitSql(dialect, a)}
), profit_before AS (
${customerProfitSql(dialect, a, {...noProfitFilter, to: previousTo})}
)
SELECT n.*, b.profit AS previous_profit, b.revenue AS previous_revenue, b.orders AS previous_orders
FROM profit_now n LEFT JOIN profit_before b ON b.customer_id = n.customer_id`;
}

/**
 * SQL giving gross profit by month (month, profit) over a span of complete months (the
 * last twelve: recentWindows(…).year, dataEdges.ts), oldest first: the overview's
 * sparkline. An incomplete last month is outside the span, so its few days never look like a collapse.
 */
export function monthlyGrossProfitSql(_dialect: Dialect, marginRate: number, months: MonthSpan): string {
  return `SELECT month, CAST(${grossProfitSum(marginRate)} AS DOUBLE PRECISION) AS profit FROM customer_months
WHERE month >= ${monthLiteral(months.from.slice(0, 7))} AND month < ${monthLiteral(months.to.slice(0, 7))}
GROUP BY month ORDER BY month`;
}

/**
 * SQL selecting customer_months from the canonical transactions (a relation, quoted):
 * per customer and month the orders (distinct order ids, or purchase days where a source
 * has none, among the purchase lines of net purchase days: an order on a day its returns
 * cancel in full is none, netPurchases.ts), returned lines, net revenue, the cost the source
 * gives, and the revenue it gives no cost for. One text for DuckDB and PostgreSQL (a
 * warehouse computes it where the data lives). `purchaseDays` names a table of these
 * transactions' net purchase days where one is already computed (retention_days), so
 * that the returns are not netted again.
 */
export function customerMonthsSql(
  dialect: Dialect,
  transactions = "canonical_transactions",
  purchaseDays: string | null = null
): string {
  const month = dialect.dateText("t.occurred_at", "month");
  // The lines once, by name: `transactions` may be a checked subquery with an alias of its own.
  return `WITH lines AS (SELECT * FROM ${transactions}), purchase_days AS (
${netPurchaseDaysFromSql("lines", purchaseDays)}
)
SELECT t.customer_id, ${month} AS month,
       count(DISTINCT coalesce(t.order_id, ${dialect.dateText("t.occurred_at", "day")})) FILTER (WHERE t.revenue >= 0 AND p.day IS NOT NULL)::INTEGER AS orders,
       count(*) FILTER (WHERE t.revenue < 0)::INTEGER AS returns,
       sum(t.revenue)::DECIMAL(18, 2) AS revenue,
       coalesce(sum(t.cost), 0)::DECIMAL(18, 2) AS known_cost,
       coalesce(sum(t.revenue) FILTER (WHERE t.cost IS NULL), 0)::DECIMAL(18, 2) AS revenue_without_cost
FROM lines t LEFT JOIN purchase_days p ON p.customer_id = t.customer_id AND p.day = t.occurred_at::DATE
GROUP BY t.customer_id, ${month}`;
}
