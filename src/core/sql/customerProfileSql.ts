// The customer profile's SQL (src/customer.md): one customer's state at every month end, and a
// search for customers by segment and state. Both build on the one definition of the states
// (customerStates.ts) and on the retention page's customer_states rows (retentionSql.ts), over
// the files the site already ships (retention_days, customer_summary, customer_clv). Ids and
// other values enter the SQL only through literal().
import type {BgNbdParams} from "../models/bgnbdLikelihood.js";
import {alreadyCustomerSql, newFromSql, type NewFrom} from "./dataEdges.js";
import {
  customerStates,
  customerStateSql,
  pAliveAtSql,
  stateReasonSql,
  type CustomerState,
  type StateColumns,
  type StateRules
} from "./customerStates.js";
import {dateLiteral, identifier, literal, periodStartSql} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/** A row of customerStateHistorySql: the customer's state at one month end. */
export interface StateHistoryRow {
  month_end: string;
  state: CustomerState;
  /** The model's P(active) at the month end (pAliveAtSql); null without a model. */
  p_alive: number | null;
  /** Why the customer is slipping away (stateReasonSql); empty in the other states. */
  reason: string;
}

/**
 * One customer's state (customerStates.ts) at every month end from the month of their first
 * purchase to `monthEnd`, on their purchase days up to each (retention_days): the columns are
 * those customerStatesSql (retentionSql.ts) gives the state at a month end, so the last row is
 * the state the retention page counts and the row before it the state at the month end before.
 * Whether the customer was already there when the data start is judged over every customer's
 * days (newFromSql), as there.
 */
export function customerStateHistorySql(
  dialect: Dialect,
  customerId: string,
  monthEnd: string,
  r: StateRules,
  model: BgNbdParams | null,
  newFrom?: NewFrom
): string {
  const c: StateColumns = {
    end: "p.month_end",
    periodStart: `CAST(${periodStartSql("month", "p.month_end")} AS DATE)`,
    first: "p.first_day",
    last: "p.last_day",
    purchases: "p.purchases",
    lastBefore: "p.previous_last",
    already: alreadyCustomerSql("p.first_day", "e.new_from")
  };
  const pAlive = model === null ? null : pAliveAtSql(model, c);
  return `WITH days AS (SELECT CAST(day AS DATE) AS day FROM retention_days WHERE customer_id = ${literal(customerId)}),
edges AS (SELECT ${newFromSql(newFrom, "retention_days", "day")} AS new_from),
bounds AS (SELECT CAST(date_trunc('month', min(day)) AS DATE) AS first_month, CAST(date_trunc('month', ${dateLiteral(monthEnd)}) AS DATE) AS last_month FROM days),
ends AS (
  SELECT CAST(m + INTERVAL '1 month' - INTERVAL '1 day' AS DATE) AS month_end
  FROM (SELECT ${dialect.dateSeries("first_month", "last_month", "INTERVAL '1 month'")} AS m FROM bounds WHERE first_month <= last_month) months
),
per AS (
  SELECT n.month_end, min(d.day) AS first_day, max(d.day) AS last_day, count(*) AS purchases,
         max(d.day) FILTER (WHERE d.day < CAST(${periodStartSql("month", "n.month_end")} AS DATE)) AS previous_last
  FROM ends n JOIN days d ON d.day <= n.month_end GROUP BY n.month_end
)
SELECT ${dialect.dateText("p.month_end", "day")} AS month_end, ${customerStateSql(c, r, pAlive)} AS state,
       ${pAlive === null ? "CAST(NULL AS DOUBLE PRECISION)" : dialect.round(pAlive, 3)} AS p_alive,
       ${stateReasonSql(dialect, c, r, pAlive)} AS reason
FROM per p, edges e ORDER BY p.month_end`;
}

/** What the profile's search asks for: a segment and a state, each null for any. */
export interface CustomerSearch {
  segment: string | null;
  state: CustomerState | null;
}

/** A row of customerSearchSql. */
export interface CustomerSearchRow {
  customer_id: string;
  segment: string | null;
  state: CustomerState;
  last_purchase: string;
  purchases: number;
  /** The customer's CLV (customer_clv); null without the model's values. */
  clv: number | null;
  /** How many customers match in all (the rows are the first `limit`). */
  matches: number;
}

/**
 * The customers in a segment (customer_summary) and a state at the month end (`states`:
 * customerStatesSql's query, the retention page's), most valuable first (CLV from
 * `valueTable`, customer_id and clv, where the model values customers; else the past year's
 * spend), then by id: the first `limit`, each with the number of matches.
 */
export function customerSearchSql(
  states: string,
  search: CustomerSearch,
  valueTable: string | null,
  limit = 50
): string {
  if (search.state !== null && !customerStates.includes(search.state))
    throw new Error(`unknown state: ${String(search.state)}`);
  if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`not a number of rows: ${String(limit)}`);
  const where = [
    search.segment === null ? null : `c.segment = ${literal(search.segment)}`,
    search.state === null ? null : `s.state = ${literal(search.state)}`
  ].filter((condition) => condition !== null);
  const clv = valueTable === null ? "CAST(NULL AS DOUBLE PRECISION)" : "CAST(v.clv AS DOUBLE PRECISION)";
  return `SELECT s.customer_id, CAST(c.segment AS VARCHAR) AS segment, s.state, s.last_purchase, s.purchases, ${clv} AS clv,
       CAST(count(*) OVER () AS INTEGER) AS matches
FROM (${states}) s LEFT JOIN customer_summary c USING (customer_id)${valueTable === null ? "" : ` LEFT JOIN ${identifier(valueTable)} v USING (customer_id)`}
${where.length ? `WHERE ${where.join(" AND ")}` : ""}
ORDER BY ${valueTable === null ? "s.value_at_risk" : "v.clv"} DESC NULLS LAST, s.customer_id
LIMIT ${limit}`;
}

/** One customer's rows of a table that has a customer_id column (a file the site ships), ordered by the columns named. */
export function customerRowsSql(table: string, customerId: string, order: readonly string[] = []): string {
  return `SELECT * FROM ${identifier(table)} WHERE customer_id = ${literal(customerId)}${order.length ? ` ORDER BY ${order.map(identifier).join(", ")}` : ""}`;
}
