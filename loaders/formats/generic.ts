// A business's own files, described by a mapping file (JSON): which file holds each table,
// which of its columns is which canonical column, and how it writes dates and numbers.
// Columns the mapping does not name (names, e-mails, addresses) are never read.
// The format is documented in README.md ("Your own data"); data/demo/mapping.json is an example.
import type {DuckDBConnection} from "@duckdb/node-api";
import {existsSync, readFileSync} from "node:fs";
import {dirname, resolve} from "node:path";
import {bondStageColumn, schemas, type BondDeclaration} from "../canonical.js";
import {bondKinds, type BondKind} from "../../src/core/metrics/bonds.js";
import {identifier, literal} from "../../src/core/sql/sql.js";
import {FatalInputError, stageDelimitedFile} from "../stage.js";
import {deliveryScale} from "../rules.js";
import {parseNumber, type StageInput, type TextFormat} from "../validate.js";
import {defaultMarginRate, type StagedSource} from "./staged.js";

export interface TableMapping extends TextFormat {
  file: string;
  /** canonical column → the file's column. transactions may map unit_price instead of revenue. */
  columns: Record<string, string>;
  delimiter?: string;
  /** feedback in wide form: dimension → its expectation and perception columns. */
  dimensions?: Record<string, {expectation: string; perception: string}>;
  /** customers or transactions: the file's yes/no column → the bond it records (docs/own-data.md, "Bonds"). */
  bonds?: Record<string, {name: string; kind: BondKind}>;
}

export interface Mapping {
  name?: string;
  currency?: string;
  marginRate?: number;
  tables: {
    customers?: TableMapping;
    transactions?: TableMapping;
    feedback?: TableMapping;
    /** Orders with a promised and an actual delivery date: feedback on the "delivery" dimension. */
    deliveries?: TableMapping;
    prospects?: TableMapping;
  };
}

const deliveryColumns = ["customer_id", "order_id", "promised_at", "delivered_at"];

export function readMapping(path: string): Mapping {
  if (!existsSync(path)) throw new FatalInputError(`${path}: file not found`);
  let mapping: Mapping;
  try {
    mapping = JSON.parse(readFileSync(path, "utf-8")) as Mapping;
  } catch (error) {
    throw new FatalInputError(
      `${path}: not a readable JSON mapping: ${error instanceof Error ? error.message : String(error)}`
    );
  }
  if (typeof mapping !== "object" || mapping === null || typeof mapping.tables !== "object")
    throw new FatalInputError(`${path}: a mapping needs "tables"`);
  if (
    mapping.marginRate !== undefined &&
    !(typeof mapping.marginRate === "number" && mapping.marginRate >= 0 && mapping.marginRate <= 1)
  ) {
    throw new FatalInputError(
      `${path}: "marginRate" ${JSON.stringify(mapping.marginRate)}: expected a number between 0 and 1`
    );
  }
  for (const [table, spec] of Object.entries(mapping.tables)) {
    const known =
      table === "deliveries"
        ? deliveryColumns
        : table in schemas
          ? [
              ...schemas[table as keyof typeof schemas].map((f) => f.name),
              ...(table === "transactions" ? ["unit_price"] : [])
            ]
          : undefined;
    if (!known)
      throw new FatalInputError(
        `${path}: unknown table "${table}"; tables are customers, transactions, feedback, deliveries, prospects`
      );
    if (!spec?.file || typeof spec.columns !== "object")
      throw new FatalInputError(`${path}: table "${table}" needs "file" and "columns"`);
    for (const column of Object.keys(spec.columns)) {
      if (!known.includes(column))
        throw new FatalInputError(
          `${path}: table "${table}" has no column "${column}"; its columns are ${known.join(", ")}`
        );
    }
  }
  const names = new Set<string>();
  for (const [table, spec] of Object.entries(mapping.tables)) {
    if (spec.bonds === undefined) continue;
    if (table !== "customers" && table !== "transactions")
      throw new FatalInputError(`${path}: table "${table}" cannot declare bonds; only customers and transactions can`);
    for (const [column, bond] of Object.entries(spec.bonds)) {
      const where = `${path}: table "${table}", bond column "${column}"`;
      if (typeof bond?.name !== "string" || bond.name.trim() === "")
        throw new FatalInputError(`${where} needs a "name" (e.g. "Loyalty member")`);
      if (!bondKinds.includes(bond.kind))
        throw new FatalInputError(
          `${where}: "kind" ${JSON.stringify(bond.kind)}: expected one of ${bondKinds.join(", ")}`
        );
      if (names.has(bond.name)) throw new FatalInputError(`${where}: the bond "${bond.name}" is declared twice`);
      names.add(bond.name);
    }
  }
  return mapping;
}

/** A table's declared bonds. */
function declaredBonds(spec: TableMapping): BondDeclaration[] {
  return Object.entries(spec.bonds ?? {}).map(([column, {name, kind}]) => ({column, name, kind}));
}

/** The select items that stage each declared bond's column under its stage name. */
function bondItems(spec: TableMapping): string[] {
  return declaredBonds(spec).map((bond) => `${identifier(bond.column)} AS ${identifier(bondStageColumn(bond))}`);
}

/**
 * The canonical columns of a mapping's table that must be in its file (those it maps of the
 * ones a row cannot be loaded without); the others it maps may be empty but must be there too.
 */
function requiredColumns(table: string, spec: TableMapping): string[] {
  const required =
    table === "deliveries"
      ? ["customer_id", "promised_at", "delivered_at"]
      : (schemas[table as keyof typeof schemas] ?? []).filter((f) => f.required).map((f) => f.name);
  const priced = table === "transactions" && spec.columns.unit_price && !spec.columns.revenue;
  return [...required, ...(priced ? ["unit_price", "quantity"] : [])].filter((column) => spec.columns[column]);
}

/** `SELECT _file, _line, <source column> AS <canonical>, …` over a staged file. */
function renamed(stage: string, columns: Record<string, string>, extra: string[] = []): string {
  const selected = Object.entries(columns).map(
    ([canonical, source]) => `${identifier(source)} AS ${identifier(canonical)}`
  );
  return `SELECT _file, _line, _duplicate_key, _duplicate_row, ${[...selected, ...extra].join(", ")} FROM ${identifier(stage)}`;
}

export async function stageGeneric(connection: DuckDBConnection, mappingPath: string): Promise<StagedSource> {
  const mapping = readMapping(mappingPath);
  const base = dirname(mappingPath);
  const inputs: StageInput[] = [];
  const {customers, transactions, feedback, deliveries, prospects} = mapping.tables;
  const read = async (name: string, spec: TableMapping) => {
    const table = name.replace(/^stage_/, "");
    const required = requiredColumns(table, spec).map((column) => spec.columns[column] as string);
    const sourceColumns = [
      ...new Set([
        ...Object.values(spec.columns),
        ...Object.values(spec.dimensions ?? {}).flatMap((d) => [d.expectation, d.perception]),
        ...Object.keys(spec.bonds ?? {})
      ])
    ];
    await stageDelimitedFile(
      connection,
      `${name}_file`,
      {
        path: resolve(base, spec.file),
        ...(spec.delimiter ? {delimiter: spec.delimiter} : {}),
        delimiterHint: (d) => `set "delimiter": ${JSON.stringify(d)} in the mapping`
      },
      required,
      sourceColumns.filter((column) => !required.includes(column))
    );
    await connection.run(
      `ALTER TABLE ${identifier(`${name}_file_malformed`)} RENAME TO ${identifier(`${name}_malformed`)}`
    );
  };

  if (customers) {
    await read("stage_customers", customers);
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW stage_customers AS ${renamed("stage_customers_file", customers.columns, bondItems(customers))}`
    );
    inputs.push({
      stage: "stage_customers",
      table: "customers",
      format: customers,
      mapping: {table: "customers", columns: customers.columns},
      bonds: declaredBonds(customers)
    });
  }
  if (transactions) {
    await read("stage_transactions", transactions);
    const {unit_price: unitPrice, ...columns} = transactions.columns;
    // Revenue from unit price × quantity when the file has no line total; a price or
    // quantity that does not parse is the adapter's reject.
    const derived: string[] = bondItems(transactions);
    if (unitPrice && !columns.revenue && columns.quantity) {
      const text = (column: string) => `nullif(trim(${identifier(column)}), '')`;
      const price = parseNumber(text(unitPrice), "DECIMAL(18, 4)", transactions);
      const quantity = parseNumber(text(columns.quantity), "INTEGER", transactions);
      const badPrice = `${text(unitPrice)} IS NOT NULL AND ${price} IS NULL`;
      const badQuantity = `${text(columns.quantity)} IS NOT NULL AND ${quantity} IS NULL`;
      derived.push(
        // written as the file writes numbers, since validation parses it as such
        `replace((${quantity} * ${price})::DECIMAL(18, 2)::VARCHAR, '.', ${literal(transactions.decimalSeparator ?? ".")}) AS revenue`,
        `CASE WHEN ${badPrice} THEN 'non-numeric amount' WHEN ${badQuantity} THEN 'non-numeric value' END AS _reject_reason`,
        `CASE WHEN ${badPrice} THEN 'unit_price' WHEN ${badQuantity} THEN 'quantity' END AS _reject_column`,
        `CASE WHEN ${badPrice} THEN ${identifier(unitPrice)} WHEN ${badQuantity} THEN ${identifier(columns.quantity)} END AS _reject_value`
      );
    }
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW stage_transactions AS ${renamed("stage_transactions_file", columns, derived)}`
    );
    inputs.push({
      stage: "stage_transactions",
      table: "transactions",
      format: transactions,
      mapping: {table: "transactions", columns: transactions.columns},
      bonds: declaredBonds(transactions)
    });
  }
  if (feedback) {
    await read("stage_feedback", feedback);
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW stage_feedback AS ${feedbackStage("stage_feedback_file", feedback)}`
    );
    inputs.push({
      stage: "stage_feedback",
      table: "feedback",
      format: feedback,
      mapping: {table: "feedback", columns: feedback.columns}
    });
  }
  if (deliveries) {
    await read("stage_deliveries", deliveries);
    const c = deliveries.columns;
    const formats = deliveries.dateFormat === undefined ? [] : [deliveries.dateFormat].flat();
    const day = (column: string | undefined) =>
      column === undefined
        ? "NULL::DATE"
        : formats.length
          ? `try_strptime(${identifier(column)}, [${formats.map(literal).join(", ")}])::DATE`
          : `try_cast(${identifier(column)} AS DATE)`;
    // Expectation 0 and perception = days early (negative when late), so gap = perception − expectation.
    // The order id also goes into order_id, where a survey response about the same order meets it.
    const orderId = c.order_id ? identifier(c.order_id) : "NULL";
    await connection.run(`CREATE OR REPLACE TEMP VIEW stage_deliveries AS
      SELECT _file, _line, 'delivery:' || coalesce(${orderId}, _file || ':' || _line) AS response_id, ${orderId} AS order_id,
             ${c.customer_id ? identifier(c.customer_id) : "NULL"} AS customer_id,
             ${c.delivered_at ? identifier(c.delivered_at) : "NULL"} AS responded_at,
             'delivery' AS dimension, '0' AS expectation,
             (${day(c.promised_at)} - ${day(c.delivered_at)})::VARCHAR AS perception,
             CASE WHEN ${day(c.promised_at)} IS NULL THEN 'unparseable date' END AS _reject_reason,
             CASE WHEN ${day(c.promised_at)} IS NULL THEN ${literal(c.promised_at ?? "promised_at")} END AS _reject_column,
             CASE WHEN ${day(c.promised_at)} IS NULL THEN ${c.promised_at ? identifier(c.promised_at) : "NULL"} END AS _reject_value
      FROM stage_deliveries_file`);
    inputs.push({
      stage: "stage_deliveries",
      table: "feedback",
      format: {...deliveries, dateFormat: deliveries.dateFormat ?? [], scale: deliveryScale},
      mapping: {table: "deliveries", columns: {}}
    });
  }
  if (prospects) {
    await read("stage_prospects", prospects);
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW stage_prospects AS ${renamed("stage_prospects_file", prospects.columns)}`
    );
    inputs.push({
      stage: "stage_prospects",
      table: "prospects",
      format: prospects,
      mapping: {table: "prospects", columns: prospects.columns}
    });
  }
  if (!transactions)
    throw new FatalInputError(`${mappingPath}: the mapping has no "transactions" table, which every page needs`);
  return {
    kind: "generic",
    name: mapping.name ?? "Your data",
    currency: mapping.currency ?? "USD",
    marginRate: mapping.marginRate ?? defaultMarginRate,
    inputs,
    hasCustomers: customers !== undefined
  };
}

/**
 * Survey responses as canonical feedback rows. In wide form (dimensions mapped) each
 * response gives one row per answered dimension and an 'overall' row for satisfaction
 * and recommendation; a response with no score at all is rejected as a whole.
 */
function feedbackStage(stage: string, spec: TableMapping): string {
  const {columns, dimensions} = spec;
  if (!dimensions) return renamed(stage, columns);
  const text = (column: string | undefined) =>
    column === undefined ? "NULL::VARCHAR" : `nullif(trim(${identifier(column)}), '')`;
  const responseId = columns.response_id ? identifier(columns.response_id) : "_file || ':' || _line";
  const scores = Object.values(dimensions);
  const allScores = [columns.satisfaction, columns.nps, ...scores.flatMap((d) => [d.expectation, d.perception])].map(
    text
  );
  // Each value trimmed once, and whether the response has no score at all, before it is split into rows.
  const answers = `SELECT _file, _line, ${responseId} AS response_id, ${text(columns.order_id)} AS order_id, ${text(columns.customer_id)} AS customer_id,
      ${text(columns.responded_at)} AS responded_at, ${text(columns.satisfaction)} AS satisfaction, ${text(columns.nps)} AS nps,
      ${scores.map((d, i) => `${text(d.expectation)} AS _e${i}, ${text(d.perception)} AS _p${i}`).join(", ")},
      coalesce(${allScores.join(", ")}) IS NULL AS _no_score
    FROM ${identifier(stage)}`;
  const common = "_file, _line, response_id, order_id, customer_id, responded_at";
  const verdict = `CASE WHEN _no_score THEN 'no score' END AS _reject_reason, CASE WHEN _no_score THEN 'scores' END AS _reject_column, NULL::VARCHAR AS _reject_value`;
  const rows = Object.keys(dimensions).map(
    (
      dimension,
      i
    ) => `SELECT ${common}, ${literal(dimension)} AS dimension, _e${i} AS expectation, _p${i} AS perception,
      NULL::VARCHAR AS satisfaction, NULL::VARCHAR AS nps, ${verdict}
      FROM answers WHERE coalesce(_e${i}, _p${i}) IS NOT NULL`
  );
  rows.push(`SELECT ${common}, 'overall', NULL, NULL, satisfaction, nps, ${verdict}
      FROM answers WHERE coalesce(satisfaction, nps) IS NOT NULL OR _no_score`);
  return `WITH answers AS (${answers})\n${rows.join("\nUNION ALL\n")}`;
}
