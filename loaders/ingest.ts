// Ingest: read a source, validate it, and write the canonical tables, the per-customer
// summary, the rejects and the reconciliation (quality.json) to a folder. All in native
// DuckDB; only counts come back to JavaScript.
//
// Files are CSV: DuckDB writes them streaming and byte-for-byte the same each run,
// DuckDB-WASM 1.29 reads them offline with no extension (it has no built-in Parquet
// reader), and analysts open them in any tool.
import type {DuckDBConnection} from "@duckdb/node-api";
import {mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import type {DeclaredBond} from "../src/core/metrics/bonds.js";
import type {FileQuality, Quality, TableQuality} from "../src/core/metrics/quality.js";
import {bondFields, schemas, tableOrder, type Field, type TableName} from "./canonical.js";
import {ingestSettings, queryRows, withDuckDB} from "./duckdb.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {pseudonymSql} from "./pseudonym.js";
import {duckdb} from "../src/core/sql/sqlDialect.js";
import {stageCdnow} from "./formats/cdnow.js";
import {stageGeneric} from "./formats/generic.js";
import {stageOnlineRetail} from "./formats/onlineRetail.js";
import type {StagedSource} from "./formats/staged.js";
import {FatalInputError} from "./stage.js";
import {customerSummarySql} from "./summary.js";
import {createCanonicalTables, validateStage} from "./validate.js";

export type {Quality};

/**
 * A source that loads too few of its rows (validate.ts, loadsTooFew): the rejects and the
 * reconciliation are written, but no source.json, so the folder is not taken for a source.
 */
export class TooFewRowsError extends FatalInputError {
  constructor(
    message: string,
    readonly quality: Quality
  ) {
    super(message);
  }
}

export const sourceKinds = ["generic", "cdnow", "online-retail"] as const;
export type SourceKind = (typeof sourceKinds)[number];

export interface IngestOptions {
  /** Dates after this day are rejected as future dates (YYYY-MM-DD); default today (UTC). */
  asOf?: string;
  /** Pseudonym key (pseudonymKey(settings.pseudonymKey) for a command). */
  key: string;
  /** DuckDB's memory budget (Settings.duckdbMemory); null: ingestSettings' default. */
  duckdbMemory?: string | null;
  /** Called with a line of progress for people watching a long run. */
  progress?: (message: string) => void;
}

export interface SourceInfo {
  kind: string;
  name: string;
  currency: string;
  margin_rate: number;
  cost_assumed: boolean;
  tables: TableName[];
  /** Tables the source does not have but the site derives from its transactions there (a warehouse without customers). */
  derived?: TableName[];
  observation_start: string | null;
  observation_end: string | null;
  /**
   * The day from which a customer's first purchase in the data is when they were won
   * (src/core/sql/dataEdges.ts): the data's start where the source knows its customers
   * were all won within it (CDNOW's cohort of first-time buyers, a source with its own
   * customers table), absent for the rule (customers of the data's first month were already customers).
   */
  new_customers_from?: string | null;
  customers: number;
  transactions: number;
  /** The bonds the source declares (bonds.csv says who holds them); absent where it declares none. */
  bonds?: DeclaredBond[];
}

function stageSource(connection: DuckDBConnection, kind: SourceKind, files: readonly string[]): Promise<StagedSource> {
  if (files.length === 0) throw new FatalInputError(`ingest ${kind}: no input file given`);
  switch (kind) {
    case "cdnow":
      return stageCdnow(connection, files);
    case "online-retail":
      return stageOnlineRetail(connection, files);
    case "generic":
      if (files.length !== 1)
        throw new FatalInputError(`ingest generic: give one mapping file (JSON), not ${files.length} files`);
      return stageGeneric(connection, files[0]!);
  }
}

/** Reads a source and writes its canonical tables to outDir; returns the reconciliation. */
export async function ingest(
  kind: SourceKind,
  files: readonly string[],
  outDir: string,
  options: IngestOptions
): Promise<{quality: Quality; source: SourceInfo}> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new FatalInputError(`--as-of ${asOf}: expected YYYY-MM-DD`);
  const {key} = options;
  const progress = options.progress ?? (() => {});
  return withDuckDB(async (connection) => {
    progress(`reading ${files.join(", ")}`);
    const staged = await stageSource(connection, kind, files);
    if (!(staged.marginRate >= 0 && staged.marginRate <= 1))
      throw new FatalInputError(`margin rate ${staged.marginRate}: expected a number between 0 and 1`);
    await createCanonicalTables(connection);
    const problems: string[] = [];
    for (const input of staged.inputs) {
      progress(`validating ${input.table} (${input.stage.replace(/^stage_/, "")})`);
      problems.push(...(await validateStage(connection, input, {asOf, checkCustomers: staged.hasCustomers})));
      // This stage is spent: free its memory before the next is checked.
      await dropStages(connection, input.stage);
    }
    await dropStages(connection, "stage_");
    if (problems.length > 0) {
      mkdirSync(outDir, {recursive: true});
      await writeRejects(connection, join(outDir, "rejects.csv"), key);
      const quality = await reconcile(connection, staged, asOf);
      writeFileSync(join(outDir, "quality.json"), `${JSON.stringify(quality, null, 2)}\n`);
      rmSync(join(outDir, "source.json"), {force: true});
      throw new TooFewRowsError(
        `${problems.join("\n")}\nno source written; the rows set aside are in ${join(outDir, "rejects.csv")}, each with its reason`,
        quality
      );
    }
    if (!staged.hasCustomers) {
      // Without a customers table, a customer is first seen at their first purchase.
      await connection.run(`INSERT INTO canonical_customers (customer_id, first_seen)
        SELECT customer_id, min(occurred_at)::DATE FROM canonical_transactions GROUP BY customer_id`);
    }
    const [range] = await queryRows<{start: string | null; end: string | null; has_cost: boolean}>(
      connection,
      `SELECT min(occurred_at)::DATE::VARCHAR AS start, max(occurred_at)::DATE::VARCHAR AS "end", count(cost) > 0 AS has_cost FROM canonical_transactions`
    );
    progress("summarising customers");
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE customer_summary AS ${customerSummarySql(duckdb, range?.end ?? asOf, staged.marginRate)}`
    );

    progress(`writing ${outDir}`);
    mkdirSync(outDir, {recursive: true});
    const tables = staged.inputs.map((input) => input.table).filter((table, i, all) => all.indexOf(table) === i);
    const written = tableOrder.filter((table) => table === "customers" || tables.includes(table));
    for (const table of written) await writeTable(connection, table, join(outDir, `${table}.csv`), key);
    await writeSummary(connection, join(outDir, "customer_summary.csv"), key);
    const bonds = staged.inputs.flatMap((input) => (input.bonds ?? []).map(({name, kind}) => ({name, kind})));
    if (bonds.length > 0) await writeBonds(connection, join(outDir, "bonds.csv"), key);
    await writeRejects(connection, join(outDir, "rejects.csv"), key);

    const quality = await reconcile(connection, staged, asOf);
    const counts = await queryRows<{customers: string; transactions: string}>(
      connection,
      "SELECT (SELECT count(*) FROM canonical_customers) AS customers, (SELECT count(*) FROM canonical_transactions) AS transactions"
    );
    const source: SourceInfo = {
      kind: staged.kind,
      name: staged.name,
      currency: staged.currency,
      margin_rate: staged.marginRate,
      cost_assumed: !range?.has_cost,
      tables: written,
      observation_start: range?.start ?? null,
      observation_end: range?.end ?? null,
      ...((staged.kind === "cdnow" || staged.hasCustomers) && {new_customers_from: range?.start ?? null}),
      customers: Number(counts[0]?.customers ?? 0),
      transactions: Number(counts[0]?.transactions ?? 0),
      ...(bonds.length > 0 && {bonds})
    };
    writeFileSync(join(outDir, "quality.json"), `${JSON.stringify(quality, null, 2)}\n`);
    writeFileSync(join(outDir, "source.json"), `${JSON.stringify(source, null, 2)}\n`);
    return {quality, source};
  }, ingestSettings(options.duckdbMemory));
}

/** Drops the stage tables and views whose names start with `prefix` (all of them: "stage_"). */
async function dropStages(connection: DuckDBConnection, prefix: string): Promise<void> {
  for (const {name, type} of await queryRows<{name: string; type: string}>(
    connection,
    `SELECT table_name AS name, 'TABLE' AS type FROM duckdb_tables() WHERE starts_with(table_name, ${literal(prefix)})
     UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE starts_with(view_name, ${literal(prefix)}) ORDER BY type DESC`
  )) {
    await connection.run(`DROP ${type} IF EXISTS ${identifier(name)} CASCADE`);
  }
}

/**
 * COPY a query to CSV in the given order. Orders start with the pseudonymous id, never the
 * source order, which often follows the raw ids and would let a reader rank pseudonyms back
 * to them; the rest makes the order total, so the bytes never depend on the run.
 */
async function copyCsv(connection: DuckDBConnection, select: string, orderBy: string, path: string): Promise<void> {
  await connection.run(`COPY (${select} ORDER BY ${orderBy}) TO ${literal(resolve(path))} (FORMAT csv, HEADER true)`);
}

/** How each canonical table's rows are ordered in its file (see copyCsv); 1 (feedback: 3) is the customer id. */
const outputOrder: Record<TableName, string> = {
  customers: "1",
  transactions: "1, occurred_at, _file, _line",
  feedback: "3, responded_at, _file, _line, dimension",
  prospects: "1, _file, _line"
};

/** A select list of fields, each field that identifies a person pseudonymised. */
function pseudonymisedColumns(fields: readonly Field[], key: string): string {
  return fields
    .map((f) => (f.personal ? `${pseudonymSql(key, identifier(f.name))} AS ${identifier(f.name)}` : identifier(f.name)))
    .join(", ");
}

function writeTable(connection: DuckDBConnection, table: TableName, path: string, key: string): Promise<void> {
  return copyCsv(
    connection,
    `SELECT ${pseudonymisedColumns(schemas[table], key)} FROM ${identifier(`canonical_${table}`)}`,
    outputOrder[table],
    path
  );
}

/** Who holds which bond, from when; only customers who were loaded. */
function writeBonds(connection: DuckDBConnection, path: string, key: string): Promise<void> {
  return copyCsv(
    connection,
    `SELECT ${pseudonymisedColumns(bondFields, key)} FROM canonical_bonds SEMI JOIN canonical_customers USING (customer_id)`,
    "1, bond",
    path
  );
}

function writeSummary(connection: DuckDBConnection, path: string, key: string): Promise<void> {
  return copyCsv(
    connection,
    `SELECT * REPLACE (${pseudonymSql(key, "customer_id")} AS customer_id) FROM customer_summary`,
    "1",
    path
  );
}

/** A rejected row's value, pseudonymised where its column identifies a person. */
export function rejectValueSql(key: string): string {
  const personal = [
    ...new Set(Object.values(schemas).flatMap((fields) => fields.filter((f) => f.personal).map((f) => f.name))),
    "CustomerID"
  ];
  return `CASE WHEN column_name IN (${personal.map(literal).join(", ")}) THEN ${pseudonymSql(key, "value")} ELSE value END`;
}

/** Rejects with their value; a value in a column that identifies a person is pseudonymised too. */
function writeRejects(connection: DuckDBConnection, path: string, key: string): Promise<void> {
  return copyCsv(
    connection,
    `SELECT table_name, file, line, column_name, ${rejectValueSql(key)} AS value, reason
     FROM rejects`,
    "table_name, file, line",
    path
  );
}

async function reconcile(connection: DuckDBConnection, staged: StagedSource, asOf: string): Promise<Quality> {
  const files = await queryRows<{table_name: string; file: string; input_rows: string; loaded_rows: string}>(
    connection,
    "SELECT table_name, file, sum(input_rows) AS input_rows, sum(loaded_rows) AS loaded_rows FROM input_files GROUP BY ALL ORDER BY ALL"
  );
  const reasons = await queryRows<{table_name: string; file: string; reason: string; n: string}>(
    connection,
    "SELECT table_name, file, reason, count(*) AS n FROM rejects GROUP BY ALL ORDER BY ALL"
  );
  const fileQuality = files.map(({table_name, file, input_rows, loaded_rows}): FileQuality => {
    const byReason = Object.fromEntries(
      reasons.filter((r) => r.table_name === table_name && r.file === file).map((r) => [r.reason, Number(r.n)])
    );
    return {
      table: table_name,
      file,
      input_rows: Number(input_rows),
      loaded_rows: Number(loaded_rows),
      rejected_rows: Object.values(byReason).reduce((a, b) => a + b, 0),
      rejected_by_reason: byReason
    };
  });
  const unlisted = reasons.find((r) => !files.some((f) => f.table_name === r.table_name && f.file === r.file));
  if (unlisted) throw new Error(`${unlisted.file}: rows rejected from a file that has no counts (a bug in ingest)`);
  return qualityOf({kind: staged.kind, name: staged.name, as_of: asOf}, fileQuality);
}

/** The reconciliation of a source's files (or warehouse tables): per-table sums, checked to add up. */
export function qualityOf(source: Quality["source"], fileQuality: FileQuality[]): Quality {
  const tables: Record<string, TableQuality> = {};
  for (const f of fileQuality) {
    const t = (tables[f.table] ??= {input_rows: 0, loaded_rows: 0, rejected_rows: 0, rejected_by_reason: {}});
    t.input_rows += f.input_rows;
    t.loaded_rows += f.loaded_rows;
    t.rejected_rows += f.rejected_rows;
    for (const [reason, n] of Object.entries(f.rejected_by_reason))
      t.rejected_by_reason[reason] = (t.rejected_by_reason[reason] ?? 0) + n;
  }
  for (const f of fileQuality) {
    // The invariant every number on the data-quality page rests on.
    if (f.input_rows !== f.loaded_rows + f.rejected_rows) {
      throw new Error(
        `${f.file}: ${f.input_rows} input rows ≠ ${f.loaded_rows} loaded + ${f.rejected_rows} rejected (a bug in ingest)`
      );
    }
  }
  return {source, tables, files: fileQuality};
}
