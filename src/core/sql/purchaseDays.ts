// A customer's purchase days: the one definition of a purchase that the retention page, the
// satisfaction page's later behaviour and the customer-equity models share.
import {netPurchaseDaysSql, returnMatchesSql} from "./netPurchases.js";

/**
 * SQL selecting retention_days from the canonical transactions (a relation, quoted): per
 * customer and purchase day (a day with at least one line of non-negative revenue, as
 * customer_summary counts them) its net revenue, once returns have netted against the
 * purchases they cancel (netPurchases.ts): a day cancelled in full is no purchase, a partial
 * return lowers its revenue. A return is not a visit, and revenue here is what customers
 * spent in the period and kept. The retention page reads them as retention_days and the
 * customer-equity models count the same days (clvSql.ts); one text for DuckDB and PostgreSQL.
 * `matches` names the transactions' return matches where they are computed already (netPurchaseDaysSql).
 */
export function purchaseDaysSql(transactions = "canonical_transactions", matches: string | null = null): string {
  return netPurchaseDaysSql(transactions, matches);
}

/**
 * The tables a customer's purchase days are read from, in order, each read by the next: every return's match
 * (return_matches), then the net purchase days (retention_days), which the customer summary and the pages read.
 */
export const purchaseDayTables = [
  {name: "return_matches", sql: () => returnMatchesSql()},
  {name: "retention_days", sql: () => purchaseDaysSql(undefined, "return_matches")}
] as const;
