// Validation: a stage table (text columns under canonical names, with _file and _line)
// becomes typed rows of a canonical table, or rejects with file, line, column, value and
// reason. A source line is loaded whole or rejected whole, with the first rule it breaks,
// so that for every file: input lines = loaded lines + rejected lines.
import type {DuckDBConnection} from "@duckdb/node-api";
import {
  bondFields,
  bondStageColumn,
  schemas,
  sqlTypes,
  type BondDeclaration,
  type Field,
  type TableName
} from "./canonical.js";
import {queryRows} from "./duckdb.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {defaultScale, missingRule, tableRules, type Rule, type RowTerms} from "./rules.js";

/** How a source writes dates and numbers. */
export interface TextFormat {
  /** strptime formats (https://duckdb.org/docs/sql/functions/dateformat), tried in order; default ISO 8601. */
  dateFormat?: string | readonly string[];
  decimalSeparator?: "." | ",";
  thousandsSeparator?: "" | "," | "." | " ";
  /** Score range for expectation, perception and satisfaction (feedback); default [1, 7]. */
  scale?: readonly [number, number];
}

export interface StageInput {
  /** Stage table: _file, _line, canonical columns as text; optionally _reject_reason,
   * _reject_column and _reject_value (the adapter's own verdict, checked first),
   * _duplicate_key with _duplicate_row (a hash of the whole source row, and the row; see stageDelimitedFile)
   * and _is_return (transactions). */
  stage: string;
  table: TableName;
  format?: TextFormat;
  /** Where the stage comes from a mapping file: its table, and canonical column → the file's column. */
  mapping?: {table: string; columns: Record<string, string>};
  /** Bonds declared on this table (customers or transactions), each a yes/no column staged as bondStageColumn. */
  bonds?: readonly BondDeclaration[];
}

/**
 * A file stops the load when it loads none of its rows, or fewer than half of them when it has
 * at least 20: a few bad lines in a small file are a few bad lines, but a larger file that loses
 * most of its rows is being misread (a date or number format, a delimiter), and its figures would be wrong.
 */
export const tooFewLoaded = {share: 0.5, minimumRows: 20} as const;

export function loadsTooFew(input: number, loaded: number): boolean {
  return input > 0 && (loaded === 0 || (input >= tooFewLoaded.minimumRows && loaded < input * tooFewLoaded.share));
}

export interface ValidationContext {
  /** Dates after this day are rejected as future dates (YYYY-MM-DD). */
  asOf: string;
  /** Whether the source has a customers table to check customer ids against. */
  checkCustomers: boolean;
}

/** A rule whose reason and column are SQL expressions (the adapter's verdict names them per row). */
interface SqlRule {
  when: string;
  reason: string;
  column: string;
}

const asSql = (rule: Rule): SqlRule => ({when: rule.when, reason: literal(rule.reason), column: literal(rule.column)});

/** The SQL that parses one text column into its canonical type (NULL when it cannot). */
export function parseExpression(field: Field, text: string, format: TextFormat = {}): string {
  const value = `nullif(trim(${text}), '')`;
  switch (field.type) {
    case "id":
    case "text":
      return value;
    case "timestamp":
    case "date": {
      const formats = format.dateFormat === undefined ? [] : [format.dateFormat].flat();
      const parsed =
        formats.length === 0
          ? `try_cast(${value} AS TIMESTAMP)`
          : `try_strptime(${value}, [${formats.map(literal).join(", ")}])`;
      return `${parsed}::${sqlTypes[field.type]}`;
    }
    case "money":
    case "score":
    case "integer":
      return parseNumber(value, sqlTypes[field.type], format);
    case "flag":
      return `CASE WHEN lower(${value}) IN (${yes.map(literal).join(", ")}) THEN true WHEN lower(${value}) IN (${no.map(literal).join(", ")}) THEN false END`;
  }
}

/**
 * SQL parsing a number written with the source's separators. With a thousands separator
 * or a decimal comma the text must have exactly that shape (1.234,50 or 1234,5), so that
 * 12.5 in a decimal-comma file is rejected rather than read as 125.
 */
export function parseNumber(text: string, type: string, format: TextFormat = {}): string {
  const {decimalSeparator = ".", thousandsSeparator = ""} = format;
  if (decimalSeparator === "." && thousandsSeparator === "") return `try_cast(${text} AS ${type})`;
  const escape = (c: string) => c.replace(/[.\\]/g, "\\$&");
  const t = escape(thousandsSeparator);
  const d = escape(decimalSeparator);
  const shape = `^[+-]?(${thousandsSeparator ? `\\d{1,3}(${t}\\d{3})+|` : ""}\\d+)(${d}\\d+)?$`;
  let number = text;
  if (thousandsSeparator) number = `replace(${number}, ${literal(thousandsSeparator)}, '')`;
  if (decimalSeparator === ",") number = `replace(${number}, ',', '.')`;
  return `CASE WHEN regexp_full_match(${text}, ${literal(shape)}) THEN try_cast(${number} AS ${type}) END`;
}

/** How a yes/no column may write yes and no (any case); an empty value is no. */
export const [yes, no] = [
  ["1", "true", "yes", "y", "t"],
  ["0", "false", "no", "n", "f"]
];

const problemOf: Record<Field["type"], string> = {
  id: "",
  text: "",
  timestamp: "unparseable date",
  date: "unparseable date",
  money: "non-numeric amount",
  integer: "non-numeric value",
  score: "non-numeric score",
  flag: "not a yes/no value"
};

/** Rules every table shares: the adapter's verdict, required values, values that do not parse. */
function commonRules(fields: readonly Field[]): SqlRule[] {
  const rules: SqlRule[] = [{when: "_reject_reason IS NOT NULL", reason: "_reject_reason", column: "_reject_column"}];
  for (const field of fields) {
    const text = `nullif(trim(${identifier(field.name)}), '')`;
    if (field.required) rules.push(asSql(missingRule(field, `${text} IS NULL`)));
    if (problemOf[field.type])
      rules.push({
        when: `${text} IS NOT NULL AND ${parsed(field.name)} IS NULL`,
        reason: literal(problemOf[field.type]),
        column: literal(field.name)
      });
  }
  return rules;
}

const parsed = (name: string) => identifier(`p_${name}`);

/** How a stage's parsed rows read for the shared rules (rules.ts). */
function stageTerms(present: ReadonlySet<string>, format: TextFormat, context: ValidationContext): RowTerms {
  return {
    value: parsed,
    future: (column) => `${parsed(column)} >= DATE ${literal(context.asOf)} + INTERVAL 1 DAY`,
    unknown: context.checkCustomers
      ? (column) =>
          `${parsed(column)} IS NOT NULL AND ${parsed(column)} NOT IN (SELECT customer_id FROM canonical_customers)`
      : null,
    isReturn: `(coalesce(_is_return, false)${present.has("quantity") ? ` OR ${parsed("quantity")} < 0` : ""})`,
    // A customer id seen before; a line equal to an earlier one (see _duplicate below).
    repeat: "_duplicate > 1",
    scales: [{rows: "true", range: format.scale ?? defaultScale}]
  };
}

/** Creates the empty canonical tables and the rejects table. */
export async function createCanonicalTables(connection: DuckDBConnection): Promise<void> {
  for (const [table, fields] of Object.entries(schemas)) {
    // _file and _line say where each row came from; they are not written out.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${identifier(`canonical_${table}`)} (_file VARCHAR, _line BIGINT, ${fields.map((f) => `${identifier(f.name)} ${sqlTypes[f.type]}`).join(", ")})`
    );
  }
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE canonical_bonds (${bondFields.map((f) => `${identifier(f.name)} ${sqlTypes[f.type]}`).join(", ")})`
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE rejects (table_name VARCHAR, file VARCHAR, line BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)`
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE input_files (table_name VARCHAR, file VARCHAR, input_rows BIGINT, loaded_rows BIGINT)`
  );
}

/**
 * Validates one stage into canonical_<table> and rejects, and records the file's counts
 * in input_files. Rows in <stage>_malformed (if that table exists) count as rejected.
 * Returns, for each file that loads too few of its rows (loadsTooFew), a line saying why.
 */
export async function validateStage(
  connection: DuckDBConnection,
  input: StageInput,
  context: ValidationContext
): Promise<string[]> {
  const {stage, table, format = {}, bonds = []} = input;
  const stageColumns = new Set(
    (await queryRows<{name: string}>(connection, `SELECT name FROM pragma_table_info(${literal(stage)})`)).map(
      (c) => c.name
    )
  );
  const canonicalFields = schemas[table].filter((f) => stageColumns.has(f.name));
  const present = new Set(canonicalFields.map((f) => f.name));
  const bondFlags = bonds.map((bond): Field => ({name: bondStageColumn(bond), type: "flag"}));
  const fields = [...canonicalFields, ...bondFlags];
  const optional = (name: string, type: string) => `${stageColumns.has(name) ? identifier(name) : "NULL"}::${type}`;

  // A duplicate is a later line equal to an earlier one in every source column (or, where
  // the adapter gives no _duplicate_key, in every canonical column); a customer id seen
  // before is a duplicate customer. Lines are first grouped by a hash of that key, and
  // only lines that share a hash (few) are told apart by the key itself and numbered.
  const raw = fields.map((f) => identifier(f.name)).join(", ");
  const idField = fields.find((f) => f.name === "customer_id");
  const customerId = idField ? parseExpression(idField, identifier("customer_id")) : null;
  const [duplicateHash, duplicateRow] =
    table === "customers" && customerId
      ? [`hash(${customerId})`, customerId]
      : stageColumns.has("_duplicate_key") && stageColumns.has("_duplicate_row")
        ? ["_duplicate_key", "_duplicate_row"]
        : [`hash(${raw})`, `list_value(${raw})`];
  // A row is its file and line, and its dimension where a line of a wide survey gives a row per dimension.
  const identity = ["_file", "_line", ...(stageColumns.has("dimension") ? ["dimension"] : [])];
  await connection.run(`CREATE OR REPLACE TEMP TABLE repeated AS
    SELECT ${identity.join(", ")}, row_number() OVER (PARTITION BY ${duplicateRow} ORDER BY _file, _line) AS _duplicate
    FROM ${identifier(stage)}
    WHERE ${duplicateHash} IN (SELECT ${duplicateHash} FROM ${identifier(stage)} GROUP BY ALL HAVING count(*) > 1)`);
  const rules = [
    ...commonRules(fields),
    ...tableRules(table, present, stageTerms(present, format, context)).map(asSql)
  ];
  // The first rule a row breaks is found once; its reason and column are looked up from its number.
  const ofRule = (pick: (rule: SqlRule) => string) =>
    `CASE _rule ${rules.map((rule, i) => `WHEN ${i} THEN ${pick(rule)}`).join(" ")} END`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE checked AS
    WITH parsed AS (
      SELECT _file, _line, ${optional("_reject_reason", "VARCHAR")} AS _reject_reason, ${optional("_reject_column", "VARCHAR")} AS _reject_column,
             ${optional("_reject_value", "VARCHAR")} AS _reject_value, ${optional("_is_return", "BOOLEAN")} AS _is_return,
             ${fields.map((f) => `${identifier(f.name)}, ${parseExpression(f, identifier(f.name), format)} AS ${parsed(f.name)}`).join(",\n             ")}
      FROM ${identifier(stage)}
    ), flagged AS (
      SELECT parsed.*, coalesce(repeated._duplicate, 1) AS _duplicate
      FROM parsed LEFT JOIN repeated ON ${identity.map((c) => `repeated.${c} IS NOT DISTINCT FROM parsed.${c}`).join(" AND ")}
    ), ruled AS (
      SELECT *, CASE ${rules.map((rule, i) => `WHEN ${rule.when} THEN ${i}`).join(" ")} END AS _rule FROM flagged
    )
    SELECT *, ${ofRule((rule) => rule.reason)} AS _reason, ${ofRule((rule) => rule.column)} AS _column FROM ruled`);
  // Lines with any broken rule: few, so the loaded rows are an anti-join with them.
  await connection.run(
    "CREATE OR REPLACE TEMP TABLE rejected_lines AS SELECT DISTINCT _file, _line FROM checked WHERE _rule IS NOT NULL"
  );
  await connection.run(`INSERT INTO rejects
    SELECT ${literal(table)}, _file, _line, _column,
           CASE WHEN _rule = 0 THEN _reject_value ELSE CASE _column ${fields.map((f) => `WHEN ${literal(f.name)} THEN ${identifier(f.name)}`).join(" ")} END END, _reason
    FROM checked WHERE _rule IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY _file, _line ORDER BY _rule) = 1`);
  await connection.run(`INSERT INTO ${identifier(`canonical_${table}`)} (_file, _line, ${canonicalFields.map((f) => identifier(f.name)).join(", ")})
    SELECT _file, _line, ${canonicalFields.map((f) => parsed(f.name)).join(", ")} FROM checked ANTI JOIN rejected_lines USING (_file, _line)`);
  for (const bond of bonds) {
    // A customers-table bond is held from when the customer was first seen; a transactions-table
    // bond from the first loaded transaction that carries it.
    const since =
      table === "transactions"
        ? `min(${parsed("occurred_at")})::DATE`
        : present.has("first_seen")
          ? `any_value(${parsed("first_seen")})`
          : "NULL";
    await connection.run(`INSERT INTO canonical_bonds
      SELECT ${parsed("customer_id")}, ${literal(bond.name)}, ${literal(bond.kind)}, ${since}
      FROM checked ANTI JOIN rejected_lines USING (_file, _line)
      WHERE ${parsed(bondStageColumn(bond))} GROUP BY 1`);
  }
  const malformedTable = `${stage}_malformed`;
  const malformed =
    (await queryRows(connection, `SELECT 1 FROM duckdb_tables() WHERE table_name = ${literal(malformedTable)}`))
      .length > 0;
  if (malformed) {
    await connection.run(
      `INSERT INTO rejects SELECT ${literal(table)}, _file, _line, NULL, value, reason FROM ${identifier(malformedTable)}`
    );
  }
  // A file counts its well-formed lines and its malformed ones; a file of nothing but
  // malformed lines is still listed.
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_counts AS
    WITH read AS (SELECT _file, count(DISTINCT _line) AS n FROM checked GROUP BY _file),
         rejected AS (SELECT _file, count(*) AS n FROM rejected_lines GROUP BY _file),
         bad AS (${malformed ? `SELECT _file, count(*) AS n FROM ${identifier(malformedTable)} GROUP BY _file` : "SELECT NULL::VARCHAR AS _file, 0 AS n WHERE false"})
    SELECT _file AS file, coalesce(read.n, 0) + coalesce(bad.n, 0) AS input_rows, coalesce(read.n, 0) - coalesce(rejected.n, 0) AS loaded_rows
    FROM read LEFT JOIN rejected USING (_file) FULL JOIN bad USING (_file)`);
  await connection.run(`INSERT INTO input_files SELECT ${literal(table)}, * FROM stage_counts`);
  const problems: string[] = [];
  for (const {file, input_rows, loaded_rows} of await queryRows<{
    file: string;
    input_rows: string;
    loaded_rows: string;
  }>(connection, "SELECT * FROM stage_counts ORDER BY file")) {
    const [n, loaded] = [Number(input_rows), Number(loaded_rows)];
    if (!loadsTooFew(n, loaded)) continue;
    const causes = await diagnose(connection, input, fields, file, n, malformed ? malformedTable : null);
    const share = loaded > 0 ? ", fewer than half" : "";
    problems.push(`${file}: ${loaded} of ${n} ${table} rows loaded${share}${causes.map((c) => `; ${c}`).join("")}`);
  }
  await connection.run("DROP TABLE checked; DROP TABLE repeated; DROP TABLE rejected_lines; DROP TABLE stage_counts");
  return problems;
}

/** Date formats a file may write, tried when its dates do not parse (with the times each may carry). */
const dateShapes = [
  "%d/%m/%Y",
  "%m/%d/%Y",
  "%d.%m.%Y",
  "%d-%m-%Y",
  "%m-%d-%Y",
  "%Y%m%d",
  "%Y/%m/%d",
  "%d/%m/%y",
  "%m/%d/%y"
];
const dateFormats = dateShapes.flatMap((shape) => [shape, `${shape} %H:%M`, `${shape} %H:%M:%S`]);
/** Number formats tried when numbers do not parse, simplest first. */
const numberFormats: TextFormat[] = [
  {decimalSeparator: ","},
  {decimalSeparator: ",", thousandsSeparator: "."},
  {decimalSeparator: ",", thousandsSeparator: " "},
  {decimalSeparator: "."},
  {decimalSeparator: ".", thousandsSeparator: ","},
  {decimalSeparator: ".", thousandsSeparator: " "}
];

/**
 * Why a file loads too few rows: the columns whose values do not parse (each counted over
 * all the file's lines, whatever rule rejected them first), with an example and, where a
 * date or number format reads them, the mapping setting that does; malformed lines; and the
 * other reasons rows were rejected. The largest causes first, at most three.
 */
async function diagnose(
  connection: DuckDBConnection,
  input: StageInput,
  fields: readonly Field[],
  file: string,
  rows: number,
  malformedTable: string | null
): Promise<string[]> {
  const {format = {}, mapping, table} = input;
  const where = `_file = ${literal(file)}`;
  const causes: {n: number; text: string}[] = [];
  const named = (column: string) =>
    mapping?.columns[column] ? `${column} (column ${JSON.stringify(mapping.columns[column])})` : column;
  const setting = ({json, tail = ""}: Advice) =>
    `set ${json} in the mapping's ${JSON.stringify(mapping?.table)} table${tail}`;
  const parseable = fields.filter((f) => problemOf[f.type]);
  const text = (f: Field) => `nullif(trim(${identifier(f.name)}), '')`;
  const failed = (f: Field) => `${text(f)} IS NOT NULL AND ${parsed(f.name)} IS NULL`;
  if (parseable.length) {
    const [row = {}] = await queryRows<Record<string, string | null>>(
      connection,
      `SELECT ${parseable
        .map(
          (f, i) =>
            `count(DISTINCT _line) FILTER (WHERE ${failed(f)}) AS n${i}, arg_min(${text(f)}, _line) FILTER (WHERE ${failed(f)}) AS e${i}`
        )
        .join(", ")} FROM checked WHERE ${where}`
    );
    for (const [i, field] of parseable.entries()) {
      const n = Number(row[`n${i}`] ?? 0);
      const example = row[`e${i}`];
      if (n === 0 || example == null) continue;
      let advice = "";
      if (mapping) {
        const found =
          field.type === "date" || field.type === "timestamp"
            ? await dateAdvice(connection, text(field), where, example, n)
            : await numberAdvice(connection, text(field), sqlTypes[field.type], format, where);
        if (found) advice = `; ${setting(found)}`;
      }
      causes.push({n, text: `${named(field.name)}: ${n} of ${rows} unparseable, e.g. ${example}${advice}`});
    }
  }
  if (malformedTable) {
    for (const {reason, n, line} of await queryRows<{reason: string; n: string; line: string}>(
      connection,
      `SELECT reason, count(*) AS n, min(_line) AS line FROM ${identifier(malformedTable)} WHERE ${where} GROUP BY reason`
    )) {
      const advice = mapping ? `; check the mapping's "delimiter" and the file's quotes` : "";
      const what = reason.replace(/^malformed row/, "malformed");
      causes.push({n: Number(n), text: `${n} of ${rows} rows ${what}, e.g. line ${line}${advice}`});
    }
  }
  // Other reasons (a missing value, an unknown customer, …), as validation gave them.
  const parseReasons = [...new Set(Object.values(problemOf).filter(Boolean))];
  for (const {reason, column, n, value} of await queryRows<{
    reason: string;
    column: string | null;
    n: string;
    value: string | null;
  }>(
    connection,
    `SELECT reason, any_value(column_name) AS "column", count(*) AS n, arg_min(value, line) AS value
     FROM rejects WHERE table_name = ${literal(table)} AND file = ${literal(file)} AND column_name IS NOT NULL
       AND reason NOT IN (${parseReasons.map(literal).join(", ")}) GROUP BY reason`
  )) {
    const example = value && !fields.find((f) => f.name === column)?.personal ? `, e.g. ${value}` : "";
    causes.push({n: Number(n), text: `${column ? `${named(column)}: ` : ""}${n} of ${rows} ${reason}${example}`});
  }
  return causes
    .sort((a, b) => b.n - a.n)
    .slice(0, 3)
    .map((c) => c.text);
}

/** A mapping setting that reads a column (JSON), and what follows "in the mapping's … table". */
interface Advice {
  json: string;
  tail?: string;
}

/**
 * The dateFormat setting that parses most of a column's values, when one parses more than
 * the format in use; both orders when day and month cannot be told apart (no day above 12).
 */
async function dateAdvice(
  connection: DuckDBConnection,
  text: string,
  where: string,
  example: string,
  failures: number
): Promise<Advice | null> {
  const [counts = {}] = await queryRows<Record<string, string>>(
    connection,
    `SELECT count(${text}) AS present, ${dateFormats.map((f, i) => `count(try_strptime(${text}, ${literal(f)})) AS f${i}`).join(", ")}
     FROM checked WHERE ${where}`
  );
  const parsedBy = dateFormats.map((_, i) => Number(counts[`f${i}`] ?? 0));
  const best = Math.max(...parsedBy);
  if (best <= Number(counts.present ?? 0) - failures) return null;
  const winners = dateFormats.filter((_, i) => parsedBy[i] === best);
  const [first] = winners;
  const swapped = first?.replace(/%([dm])([^%]?)%([dm])/, (_, a: string, s: string, b: string) => `%${b}${s}%${a}`);
  const json = (f: string) => `"dateFormat": ${JSON.stringify(f)}`;
  if (first && swapped && swapped !== first && winners.includes(swapped)) {
    const [a, b] = first.startsWith("%d") ? [first, swapped] : [swapped, first];
    return {json: json(a), tail: ` if ${example} is day then month, or ${JSON.stringify(b)} if month then day`};
  }
  return first ? {json: json(first)} : null;
}

/** The separators that parse most of a number column's values, when they parse more than those in use. */
async function numberAdvice(
  connection: DuckDBConnection,
  text: string,
  type: string,
  format: TextFormat,
  where: string
): Promise<Advice | null> {
  const candidates = [format, ...numberFormats];
  const [counts = {}] = await queryRows<Record<string, string>>(
    connection,
    `SELECT ${candidates.map((f, i) => `count(${parseNumber(text, type, f)}) AS f${i}`).join(", ")} FROM checked WHERE ${where}`
  );
  const parsedBy = candidates.map((_, i) => Number(counts[`f${i}`] ?? 0));
  const best = Math.max(...parsedBy);
  const index = parsedBy.indexOf(best);
  if (index <= 0 || best <= (parsedBy[0] ?? 0)) return null;
  const {decimalSeparator = ".", thousandsSeparator = ""} = candidates[index] ?? {};
  const json = [
    `"decimalSeparator": ${JSON.stringify(decimalSeparator)}`,
    ...(thousandsSeparator || format.thousandsSeparator
      ? [`"thousandsSeparator": ${JSON.stringify(thousandsSeparator)}`]
      : [])
  ].join(", ");
  return {json};
}
