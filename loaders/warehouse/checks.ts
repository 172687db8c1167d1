// Validation of a warehouse's transactions, in SQL where they live: the row-level rules of
// loaders/validate.ts that decide which rows the figures count, each row rejected for the
// first rule it breaks, with the same reasons. Only the counts per reason and a bounded
// sample of rejected rows come back; the pages' tables are computed over the rest.
import {identifier, literal} from "../../src/components/sql.js";
import {schemas} from "../canonical.js";

/** What the data-quality page says of a warehouse: which checks ran in it. */
export const warehouseChecks =
  "checked in the warehouse: transactions with a missing customer id, date or revenue, a negative amount that is not a return, an unknown customer (where there is a customers table) or a repeated order line; customers, feedback and prospects are taken as they are.";

interface Rule {
  when: string;
  reason: string;
  column: string;
}

/**
 * SQL selecting every row of `input` (the canonical transactions columns, ids trimmed) with
 * the reason it is rejected (NULL when loaded), the column at fault and that column's value
 * as text. A line of negative revenue (or cost) is a return only when its quantity is
 * negative, as ingest reads it; a repeated order line is a later row equal in every column
 * with an order id (without one, equal lines may be two purchases); `customers` (a relation,
 * or null without a customers table) lists the known customers.
 */
export function checkedTransactionsSql(input: string, customers: string | null): string {
  const isReturn = "coalesce(quantity < 0, false)";
  const rules: Rule[] = [
    {when: "customer_id IS NULL", reason: "missing customer id", column: "customer_id"},
    {when: "occurred_at IS NULL", reason: "missing occurred at", column: "occurred_at"},
    {when: "revenue IS NULL", reason: "missing revenue", column: "revenue"},
    {when: `revenue < 0 AND NOT ${isReturn}`, reason: "negative amount (not a return)", column: "revenue"},
    {when: `cost < 0 AND NOT ${isReturn}`, reason: "negative amount (not a return)", column: "cost"},
    ...(customers === null ? [] : [{when: "NOT _known", reason: "unknown customer", column: "customer_id"}]),
    {when: "order_id IS NOT NULL AND _copy > 1", reason: "duplicate order line", column: "order_id"}
  ];
  const caseOf = (pick: (rule: Rule) => string) => `CASE ${rules.map((rule) => `WHEN ${rule.when} THEN ${pick(rule)}`).join(" ")} END`;
  const columns = schemas.transactions.map((field) => identifier(field.name)).join(", ");
  // Known customers by a join, not NOT EXISTS inside the CASE: PostgreSQL runs that as a
  // subquery per row, scanning the customers each time once their ids outgrow work_mem.
  const known =
    customers === null
      ? input
      : `(SELECT i.*, k.customer_id IS NOT NULL AS _known FROM ${input} i LEFT JOIN (SELECT DISTINCT customer_id FROM ${customers}) k ON k.customer_id = i.customer_id) j`;
  return `SELECT ${columns}, ${caseOf((rule) => literal(rule.reason))} AS reason, ${caseOf((rule) => literal(rule.column))} AS column_name,
       ${caseOf((rule) => `${identifier(rule.column)}::VARCHAR`)} AS value
FROM (SELECT *, row_number() OVER (PARTITION BY ${columns}) AS _copy FROM ${known}) t`;
}
