// The canonical tables (../shared/DESIGN.md, "Canonical tables"): one schema whatever
// the source. A source adapter stages text columns under these names; validation
// (validate.ts) parses them into these types or sets the row aside with a reason.
import type {DeclaredBond} from "../src/core/metrics/bonds.js";
import {identifier} from "../src/core/sql/sql.js";

export type TableName = "customers" | "transactions" | "feedback" | "prospects";

/** How a column's text is parsed, and what its SQL type is once loaded. */
export type FieldType = "id" | "text" | "timestamp" | "date" | "money" | "integer" | "score" | "flag";

export interface Field {
  name: string;
  type: FieldType;
  /** A row without a value here is rejected. */
  required?: boolean;
  /** An identifier of a person: pseudonymised in every output. */
  personal?: boolean;
}

/** Each field type's SQL type, spelled so that DuckDB and PostgreSQL both accept it. */
export const sqlTypes: Record<FieldType, string> = {
  id: "VARCHAR",
  text: "VARCHAR",
  timestamp: "TIMESTAMP",
  date: "DATE",
  money: "DECIMAL(18, 2)",
  integer: "INTEGER",
  score: "DOUBLE PRECISION",
  flag: "BOOLEAN"
};

export const schemas: Record<TableName, readonly Field[]> = {
  customers: [
    {name: "customer_id", type: "id", required: true, personal: true},
    {name: "first_seen", type: "date"},
    {name: "acquisition_channel", type: "text"},
    {name: "acquisition_cost", type: "money"},
    {name: "segment", type: "text"},
    {name: "service_contacts", type: "integer"}
  ],
  transactions: [
    {name: "customer_id", type: "id", required: true, personal: true},
    {name: "occurred_at", type: "timestamp", required: true},
    {name: "revenue", type: "money", required: true},
    {name: "cost", type: "money"},
    {name: "order_id", type: "id"},
    {name: "quantity", type: "integer"},
    {name: "product", type: "text"},
    {name: "category", type: "text"},
    {name: "channel", type: "text"}
  ],
  // One row per response and dimension; a response's overall satisfaction and 0–10
  // recommendation sit on its row with dimension 'overall'. order_id names the order a
  // response is about (on every row of the response) or, on a 'delivery' row, the order delivered.
  feedback: [
    {name: "response_id", type: "id"},
    {name: "order_id", type: "id"},
    {name: "customer_id", type: "id", required: true, personal: true},
    {name: "responded_at", type: "timestamp", required: true},
    {name: "dimension", type: "text"},
    {name: "expectation", type: "score"},
    {name: "perception", type: "score"},
    {name: "satisfaction", type: "score"},
    {name: "nps", type: "integer"}
  ],
  prospects: [
    {name: "prospect_id", type: "id", required: true, personal: true},
    {name: "first_contact_at", type: "timestamp", required: true},
    {name: "channel", type: "text"},
    {name: "converted_customer_id", type: "id", personal: true},
    {name: "referred_by", type: "id", personal: true}
  ]
};

/** A bond a source declares: a yes/no column of its customers or transactions (metrics/bonds.ts: its kinds). */
export interface BondDeclaration extends DeclaredBond {
  /** The source file's column. */
  column: string;
}

/** The stage column that carries a declared bond's flag (apart from the canonical names). */
export const bondStageColumn = (bond: BondDeclaration): string => `bond:${bond.column}`;

/**
 * The canonical bonds table: one row per customer and bond they hold, with the day from which
 * they hold it (a customers-table bond: first_seen, which may be unknown; a transactions-table
 * bond: the day of the first transaction that carries it). A customer without a row does not hold it.
 */
export const bondFields: readonly Field[] = [
  {name: "customer_id", type: "id", required: true, personal: true},
  {name: "bond", type: "text", required: true},
  {name: "kind", type: "text", required: true},
  {name: "held_since", type: "date"}
];

/** Tables in the order they are validated: customers first, so the others can check against them. */
export const tableOrder: readonly TableName[] = ["customers", "transactions", "feedback", "prospects"];

/**
 * The select list that gives a source's table the canonical columns and types: each column
 * the source has, read by `read` (by default as it is), cast to its type; an optional
 * column it lacks is NULL. Sources written before a column was added still open.
 */
export function canonicalColumns(
  table: TableName | "bonds",
  present: ReadonlySet<string>,
  read: (field: Field) => string = (field) => identifier(field.name)
): string {
  return (table === "bonds" ? bondFields : schemas[table])
    .map(
      (field) =>
        `${present.has(field.name) ? read(field) : "NULL"}::${sqlTypes[field.type]} AS ${identifier(field.name)}`
    )
    .join(", ");
}
