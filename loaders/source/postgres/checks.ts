// Validation of a warehouse's tables, in SQL where they live: the row rules of ingest
// (loaders/rules.ts) over typed columns, each row rejected for the first rule it breaks,
// with the same reasons and columns. A read-only session keeps no table, so every query
// the site or the fit sends starts from the checked tables (withChecked): the pages read
// only the rows that pass, and only counts per reason and a bounded sample come back.
import {identifier, literal} from "../../../src/core/sql/sql.js";
import {canonicalColumns, schemas, type TableName} from "../../canonical.js";
import {bondKinds} from "../../../src/core/metrics/bonds.js";
import {customerReferences, defaultScale, deliveryScale, missingRule, tableRules, type Rule} from "../../rules.js";
import {settingVariables} from "../../settings.js";

/** A warehouse's canonical tables: the columns of each table it has, where each lives, and the as-of day (null: the server's current date). */
export interface WarehouseTables {
  present: ReadonlyMap<TableName, ReadonlySet<string>>;
  relation(table: TableName): string;
  asOf: string | null;
  /** The survey scores' range (expectation, perception, satisfaction). */
  scale: readonly [number, number];
  /** The columns of the bonds table (bondFields: who holds which bond, as ingest writes bonds.csv), where there is one. */
  bonds?: ReadonlySet<string>;
  /**
   * The reasons each table's rows were rejected for, once counted (rejectionsFound). Later
   * queries try only those rules: a rule that rejected nothing decides no row's verdict
   * (each row is rejected for the first rule it breaks), so leaving it out changes no row,
   * and a clean table is read as it is, without the window and joins its checks cost.
   */
  found?: ReadonlyMap<TableName, ReadonlySet<string>>;
  /**
   * The checked tables kept as temporary tables of the session (keptName), by the name of the
   * table they hold (checked_<table>, canonical_customers, canonical_bonds): each query reads
   * them there instead of checking the raw rows again (keepCheckedTables).
   */
  kept?: ReadonlySet<string>;
}

/** The temporary table that holds a kept table of the session. */
export const keptName = (name: string) => identifier(`kept_${name}`);

/** The tables with the reasons their rows were rejected for, from the checks' counts (a row per table and reason, null: loaded). */
export function rejectionsFound(
  tables: WarehouseTables,
  counts: readonly {table_name: TableName; reason: string | null}[]
): WarehouseTables {
  const found = new Map<TableName, Set<string>>([...tables.present.keys()].map((table) => [table, new Set<string>()]));
  for (const {table_name, reason} of counts) if (reason !== null) found.get(table_name)?.add(reason);
  return {...tables, found};
}

/** The customers whose column (in the customers table) has a value: a segment report's slice. */
export interface CustomerSlice {
  column: string;
  value: string;
}

/** What the data-quality page says of a warehouse: which checks ran in it, and what counts as future. */
export function warehouseChecks({asOf, scale: [low, high]}: Pick<WarehouseTables, "asOf" | "scale">): string {
  const future = asOf === null ? "the server's current date" : `${asOf} (${settingVariables.asOf})`;
  return `checked in the warehouse by ingest's rules: missing values, negative amounts, survey scores outside ${low}–${high}, no score, repeated customer ids (the earliest first seen stands) and order lines, unknown customers (where there is a customers table); dates after ${future} count as future dates`;
}

/**
 * SQL selecting every row of `input` (a relation with the canonical columns of `table`, ids
 * as trimmed text) with the reason it is rejected (NULL when loaded), the column at fault
 * and that column's value as text. `known` is a relation of the loaded customers, one row
 * per customer_id, or null without a customers table; they are joined, never looked up
 * row by row. A line of negative revenue (or cost) is a return when its quantity is
 * negative, as ingest reads it. A repeated order line is a later row equal in every column
 * with an order id (without one, equal lines may be two purchases); of rows with one
 * customer id, the first by first_seen (then the other columns) stands, the rest repeat it.
 */
export function checkedRowsSql(
  table: TableName,
  input: string,
  {
    known,
    asOf,
    scale = defaultScale,
    found
  }: {known: string | null; asOf: string | null; scale?: readonly [number, number]; found?: ReadonlySet<string>}
): string {
  const names = schemas[table].map((f) => f.name);
  const columns = names.map(identifier).join(", ");
  const unknownFlag = (column: string) => identifier(`_unknown_${column}`);
  const unknown = (column: string) => `${identifier(column)} IS NOT NULL AND ${unknownFlag(column)}`;
  // Which rows are copies of an earlier one: of one customer id, all but the first by first_seen (then the other
  // columns); of equal transactions, all but one.
  const copies: Partial<Record<TableName, string>> = {
    customers: `PARTITION BY customer_id ORDER BY ${names
      .slice(1)
      .map((c) => `${identifier(c)} NULLS LAST`)
      .join(", ")}`,
    transactions: `PARTITION BY ${columns}`
  };
  const repeat = "_copy > 1";
  const allRules: Rule[] = [
    ...schemas[table].filter((f) => f.required).map((f) => missingRule(f, `${identifier(f.name)} IS NULL`)),
    ...tableRules(table, new Set(names), {
      value: identifier,
      future: (column) =>
        `CAST(${identifier(column)} AS DATE) > ${asOf === null ? "CURRENT_DATE" : `DATE ${literal(asOf)}`}`,
      unknown: known === null ? null : unknown,
      isReturn: "coalesce(quantity < 0, false)",
      repeat: copies[table] ? repeat : null,
      // A delivery's row holds days early, as ingest writes it (loaders/formats/generic.ts).
      scales: [
        {rows: "dimension = 'delivery'", range: deliveryScale},
        {rows: "dimension IS DISTINCT FROM 'delivery'", range: scale}
      ]
    })
  ];
  // Once the counts are known, only the rules that rejected a row (WarehouseTables.found),
  // and only the window and joins those rules read.
  const rules = found ? allRules.filter((rule) => found.has(rule.reason)) : allRules;
  if (rules.length === 0)
    return `SELECT ${columns}, CAST(NULL AS VARCHAR) AS reason, CAST(NULL AS VARCHAR) AS column_name, CAST(NULL AS VARCHAR) AS value FROM ${input}`;
  const tried = (when: string) => rules.some((rule) => rule.when === when);
  const copy = rules.some((rule) => rule.when.includes(repeat)) ? copies[table] : undefined;
  const references = known === null ? [] : customerReferences[table].filter((column) => tried(unknown(column)));
  const caseOf = (pick: (rule: Rule) => string) =>
    `CASE ${rules.map((rule) => `WHEN ${rule.when} THEN ${pick(rule)}`).join(" ")} END`;
  // Known customers by a join, not NOT EXISTS inside the CASE: PostgreSQL runs that as a
  // subquery per row, scanning the customers each time once their ids outgrow work_mem.
  const joined =
    references.length === 0
      ? input
      : `(SELECT i.*, ${references.map((c, n) => `k${n}.customer_id IS NULL AS ${unknownFlag(c)}`).join(", ")} FROM ${input} i ${references.map((c, n) => `LEFT JOIN ${known} k${n} ON k${n}.customer_id = i.${identifier(c)}`).join(" ")}) j`;
  return `SELECT ${columns}, ${caseOf((rule) => literal(rule.reason))} AS reason, ${caseOf((rule) => literal(rule.column))} AS column_name,
       ${caseOf((rule) => `CAST(${identifier(rule.column)} AS VARCHAR)`)} AS value
FROM (SELECT *${copy ? `, row_number() OVER (${copy}) AS _copy` : ""} FROM ${joined}) t`;
}

/**
 * A query with the canonical tables under their folder names, each the checked rows that
 * pass (with a slice, only its customers' rows), checked_<table> beside them with every
 * row's verdict, and the tables defined so far before it. Tables are checked in ingest's
 * order: customers first, so that the others' customer ids are checked against the
 * customers loaded (a customer whose later row repeats the id stays known).
 */
export function withChecked(
  tables: WarehouseTables,
  select: string,
  defined: readonly string[] = [],
  slice: CustomerSlice | null = null
): string {
  const {present, asOf, scale, found, kept = new Set<string>()} = tables;
  const customers = present.has("customers");
  const known = customers ? "known_customers" : null;
  const inSlice = (column: string) => (slice ? ` WHERE ${column} IN (SELECT customer_id FROM slice_customers)` : "");
  // Ids as the pages compare them: text, trimmed, blank as missing (as ingest reads them).
  const read = (table: TableName) =>
    `SELECT ${canonicalColumns(table, present.get(table)!, (f) => (f.type === "id" ? `nullif(trim(${identifier(f.name)}::VARCHAR), '')` : identifier(f.name)))} FROM ${tables.relation(table)}`;
  // PostgreSQL has no statistics on a computed column and guesses 0.5% of it NULL: asked for
  // `reason IS NULL` it expects almost no row to pass and joins the tables in nested loops
  // (minutes where a hash join takes a second). The same test written as IS NOT NULL of a
  // value present only when there is no reason makes it expect almost every row, as is so.
  const loaded = (table: TableName) =>
    `SELECT ${schemas[table].map((f) => identifier(f.name)).join(", ")} FROM checked_${table} WHERE (CASE WHEN reason IS NULL THEN 1 END) IS NOT NULL`;
  // A kept table is read where it is (inlined, never copied), with a slice only its customers' rows; a table read
  // from a kept one is inlined too, where a table computed from raw rows is computed once per query.
  const keptRows = (name: string, sliceColumn: string | null) =>
    `${name} AS NOT MATERIALIZED (SELECT * FROM ${keptName(name)}${sliceColumn ? inSlice(sliceColumn) : ""})`;
  const fromKept = (name: string, definition: string) => `${name} AS NOT MATERIALIZED (${definition})`;
  // A slice's rows are cut before the checks (which compare a customer's rows only), so its queries read only its rows.
  const checked = (table: TableName, sliceColumn: string) =>
    kept.has(`checked_${table}`)
      ? [keptRows(`checked_${table}`, sliceColumn), fromKept(`canonical_${table}`, loaded(table))]
      : [
          `input_${table} AS (SELECT * FROM (${read(table)}) r${inSlice(sliceColumn)})`,
          `checked_${table} AS (${checkedRowsSql(table, `input_${table}`, {known, asOf, scale, found: found?.get(table)})})`,
          `canonical_${table} AS (${loaded(table)})`
        ];
  const ctes = [
    ...(customers
      ? [
          ...(kept.has("checked_customers")
            ? [keptRows("checked_customers", null), fromKept("known_customers", loaded("customers"))]
            : [
                `input_customers AS (${read("customers")})`,
                `checked_customers AS (${checkedRowsSql("customers", "input_customers", {known: null, asOf, scale, found: found?.get("customers")})})`,
                `known_customers AS (${loaded("customers")})`
              ]),
          ...(slice
            ? [
                `slice_customers AS (SELECT customer_id FROM known_customers WHERE ${identifier(slice.column)} = ${literal(slice.value)})`
              ]
            : [])
        ]
      : []),
    ...checked("transactions", "customer_id"),
    kept.has("canonical_customers")
      ? keptRows("canonical_customers", "customer_id")
      : `canonical_customers AS (${
          customers
            ? `SELECT * FROM known_customers${inSlice("customer_id")}`
            : "SELECT customer_id, min(occurred_at)::DATE AS first_seen, NULL::VARCHAR AS acquisition_channel, NULL::DECIMAL(18, 2) AS acquisition_cost, NULL::VARCHAR AS segment, NULL::INTEGER AS service_contacts FROM canonical_transactions GROUP BY customer_id"
        })`,
    // Who holds which bond: the loaded (and, with a slice, its) customers' rows of a known kind, each customer and bond once.
    ...(tables.bonds
      ? [
          kept.has("canonical_bonds")
            ? keptRows("canonical_bonds", "customer_id")
            : `canonical_bonds AS (SELECT customer_id, bond, min(kind) AS kind, min(held_since) AS held_since
  FROM (SELECT ${canonicalColumns("bonds", tables.bonds, (f) => (f.type === "id" ? `nullif(trim(${identifier(f.name)}::VARCHAR), '')` : identifier(f.name)))} FROM ${identifier("bonds")}) b
  WHERE customer_id IN (SELECT customer_id FROM canonical_customers) AND bond IS NOT NULL AND kind IN (${bondKinds.map(literal).join(", ")})
  GROUP BY customer_id, bond)`
        ]
      : []),
    ...(present.has("feedback") ? checked("feedback", "customer_id") : []),
    ...(present.has("prospects") ? checked("prospects", "converted_customer_id") : []),
    ...defined
  ];
  return `WITH ${ctes.join(",\n")}
SELECT * FROM (${select}) q`;
}

/** A canonical table's rows that pass the checks, as a relation a query can read. */
export function checkedRelation(tables: WarehouseTables, table: TableName): string {
  return `(${withChecked(tables, `SELECT * FROM canonical_${table}`)}) AS ${identifier(table)}`;
}
