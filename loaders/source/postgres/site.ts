// The site from a PostgreSQL warehouse: every query the pages need computed there by the
// same query text a folder's DuckDB runs (loaders/source/derived.ts), over the rows of every
// table that pass the checks (checks.ts) and the tables defined so far (customer_summary,
// purchase days, monthly sums, the model's P(active)); each result streamed back (COPY …
// TO STDOUT into a file) into the loaders' DuckDB, ids pseudonymised on arrival. Raw
// transactions never leave the warehouse; the survey answers and prospects that pass come whole.
import type {DuckDBConnection} from "@duckdb/node-api";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {bondKinds, type BondKind} from "../../../src/core/metrics/bonds.js";
import type {FileQuality} from "../../../src/core/metrics/quality.js";
import {identifier, literal} from "../../../src/core/sql/sql.js";
import {purchaseDayTables} from "../../../src/core/sql/purchaseDays.js";
import {postgres} from "../../../src/core/sql/sqlDialect.js";
import {schemas, tableOrder, type TableName} from "../../canonical.js";
import {qualityOf, rejectValueSql, type SourceInfo} from "../../ingest.js";
import {pseudonymKey, pseudonymSql} from "../../pseudonym.js";
import {rejectSampleSize} from "../../rules.js";
import {createOrderedTable, type DefineOptions, type Derivations} from "../derived.js";
import {sliceKinds, sliceRowsSql, slicesOf, type ReportSlice, type SliceSource} from "../slices.js";
import type {SiteSource} from "../source.js";
import type {Settings} from "../../settings.js";
import {customerSummarySql} from "../../summary.js";
import {
  keptName,
  rejectionsFound,
  warehouseChecks,
  withChecked,
  type CustomerSlice,
  type WarehouseTables
} from "./checks.js";
import type {QueryPurpose} from "../../sqlSession.js";
import type {WarehouseSession} from "./connection.js";

/**
 * Opens a warehouse's session for the site and runs `work`: creates in DuckDB
 * customer_summary, canonical_feedback and canonical_prospects (where the warehouse has
 * them) and rejects (a sample per table and reason); writes source.json, quality.json and
 * customer_summary.csv to `files`; gives `work` derivations that compute every query in the
 * warehouse, over the canonical tables, customer_summary and whatever `work` defines, and
 * bring back only its result. Prints a line per query: what it brought, how many rows, how
 * long it took, and at the end the rows brought in all. `work` also gets the customers
 * table's slices, each with derivations that see only its customers.
 */
export async function withWarehouseSite<T>(
  session: WarehouseSession,
  connection: DuckDBConnection,
  files: string,
  progress: (line: string) => void,
  settings: Settings,
  work: (site: SiteSource) => Promise<T>
): Promise<T> {
  const key = pseudonymKey(settings.pseudonymKey);
  const {marginRate: margin, name, currency} = settings.warehouse;
  const imports = mkdtempSync(join(tmpdir(), "customer-equity-warehouse-"));
  try {
    let tables = await keepCheckedTables(session, await session.tables(), progress);
    const {present} = tables;
    const customers = present.has("customers");
    const withCanonical = (select: string, defined: readonly string[] = [], slice: CustomerSlice | null = null) =>
      withChecked(tables, select, defined, slice);
    let returned = 0;
    let others = 0;
    /** Runs a query (wrapped in its canonical tables) in the warehouse and creates its rows as a table of `target`, the replacements applied on arrival. */
    const bring = async (
      target: DuckDBConnection,
      name: string,
      purpose: string,
      table: TableName,
      query: string,
      order: string,
      replacements: string[]
    ) => {
      const started = performance.now();
      const path = join(imports, `${name}.csv`);
      const {columns, rows} = await session.copyToCsv(query, {what: purpose, table}, path);
      const read =
        rows === 0
          ? `SELECT ${columns.map((c) => `NULL::${c.type} AS ${identifier(c.name)}`).join(", ")} LIMIT 0`
          : `SELECT * FROM read_csv(${literal(path)}, columns = {${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(", ")}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false)`;
      await createOrderedTable(
        target,
        {name, order},
        replacements.length ? `SELECT * REPLACE (${replacements.join(", ")}) FROM (${read})` : read
      );
      rmSync(path);
      // Rows derived from transactions (the budget's); survey answers, prospects and what is computed from them count apart.
      if (table === "transactions") returned += rows;
      else others += rows;
      progress(
        `${purpose}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`
      );
      return rows;
    };
    const pseudonymised = (columns: readonly string[]) =>
      columns.map((c) => `${pseudonymSql(key, identifier(c))} AS ${identifier(c)}`);

    // One pass of all the checks for every table's counts and the loaded transactions' range.
    const checkedTables = tableOrder.filter((table) => present.has(table));
    const counts = await session.rows<{
      table_name: TableName;
      reason: string | null;
      n: string;
      start: string | null;
      end: string | null;
      has_cost: boolean | null;
    }>(
      withCanonical(
        checkedTables
          .map((table) =>
            table === "transactions"
              ? `SELECT 'transactions' AS table_name, reason, count(*) AS n, min(occurred_at)::DATE::VARCHAR AS start, max(occurred_at)::DATE::VARCHAR AS "end", count(cost) > 0 AS has_cost FROM checked_transactions GROUP BY reason`
              : `SELECT ${literal(table)} AS table_name, reason, count(*) AS n, NULL::VARCHAR AS start, NULL::VARCHAR AS "end", NULL::BOOLEAN AS has_cost FROM checked_${table} GROUP BY reason`
          )
          .join("\nUNION ALL ")
      ),
      {what: "the checks' counts and the data's date range", table: "transactions"}
    );
    // From here on, each query tries only the rules that rejected a row: the same verdicts, cheaper.
    tables = rejectionsFound(tables, counts);
    const loadedRows = counts.find((r) => r.table_name === "transactions" && r.reason === null);
    const range = {
      start: loadedRows?.start ?? null,
      end: loadedRows?.end ?? null,
      has_cost: loadedRows?.has_cost ?? false,
      transactions: loadedRows?.n ?? "0"
    };
    await bring(
      connection,
      "rejects",
      "a sample of rejected rows",
      "transactions",
      withCanonical(
        checkedTables
          .map(
            (
              table
            ) => `SELECT ${literal(table)} AS table_name, ${literal(session.table(table))} AS file, NULL::VARCHAR AS line, column_name, value, reason
         FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY ${schemas[table].map((f) => identifier(f.name)).join(", ")}) AS k FROM checked_${table} WHERE reason IS NOT NULL) r WHERE k <= ${rejectSampleSize}`
          )
          .join("\nUNION ALL ")
      ),
      "table_name, file, reason, value",
      [`${rejectValueSql(key)} AS value`]
    );
    const end = range.end ?? "1970-01-01";
    /** The tables every query may read from the start, in order: the purchase days, then the customer summary, which reads them. */
    const sourceTables = [
      ...purchaseDayTables.map(({name, sql}) => ({name, sql: sql()})),
      {
        name: "customer_summary",
        sql: customerSummarySql(postgres, end, margin, undefined, undefined, "retention_days")
      }
    ];
    /** The whole source's tables kept so far: a slice's per-customer table is cut from these. */
    const keptWhole = new Set<string>();
    /**
     * A table that later queries read, of the whole source or of a slice (numbered, for its table's name): kept once
     * as a temporary table where the checked rows are kept, else its definition, which each query computes again. A
     * slice's per-customer table (DefineOptions.perCustomer) is the whole source's rows of its customers, where
     * those are kept, instead of a pass over its checked rows.
     */
    const keptOrDefined = async (
      name: string,
      sql: string,
      defined: readonly string[],
      slice: {slice: CustomerSlice; number: number} | null = null,
      {perCustomer}: DefineOptions = {}
    ) => {
      const kept = slice ? `${name}_${slice.number}` : name;
      const cut = slice !== null && perCustomer === true && keptWhole.has(name);
      const query = cut
        ? withCanonical(sliceRowsSql(keptName(name)), [], slice.slice)
        : withCanonical(sql, defined, slice?.slice ?? null);
      const label = slice ? `${name} (${slice.slice.value}${cut ? ", cut from the whole source's" : ""})` : name;
      if (
        !tables.kept ||
        !(await keepTable(session, kept, query, {what: name, table: "transactions"}, label, progress))
      )
        return `${identifier(name)} AS (${sql})`;
      if (!slice) keptWhole.add(name);
      return `${identifier(name)} AS NOT MATERIALIZED (SELECT * FROM ${keptName(kept)})`;
    };
    /** The definitions of sourceTables, of the whole source or a slice; each row of theirs is one customer's. */
    const sourceDefinitions = async (slice: {slice: CustomerSlice; number: number} | null) => {
      const defined: string[] = [];
      for (const {name, sql} of sourceTables)
        defined.push(await keptOrDefined(name, sql, defined, slice, {perCustomer: true}));
      return defined;
    };
    const wholeDefinitions = await sourceDefinitions(null);
    const summary = await bring(
      connection,
      "customer_summary",
      "the customer summary",
      "transactions",
      withCanonical("SELECT * FROM customer_summary", wholeDefinitions),
      "customer_id",
      pseudonymised(["customer_id"])
    );
    await connection.run(
      `COPY customer_summary TO ${literal(join(files, "customer_summary.csv"))} (FORMAT csv, HEADER true)`
    );
    for (const table of ["feedback", "prospects"] as const) {
      if (!present.has(table)) continue;
      const personal = schemas[table].filter((f) => f.personal).map((f) => f.name);
      await bring(
        connection,
        `canonical_${table}`,
        `the ${table}`,
        table,
        withCanonical(`SELECT * FROM canonical_${table}`),
        "ALL",
        pseudonymised(personal)
      );
    }

    // The bonds the warehouse records (its bonds table), by kind and then name: a warehouse declares no order.
    const bonds = tables.bonds
      ? (
          await session.rows<{bond: string; kind: BondKind}>(
            withCanonical("SELECT bond, min(kind) AS kind FROM canonical_bonds GROUP BY bond"),
            {what: "the bonds held", table: "customers"}
          )
        )
          .map(({bond, kind}) => ({name: bond, kind}))
          .sort((a, b) => bondKinds.indexOf(a.kind) - bondKinds.indexOf(b.kind) || (a.name < b.name ? -1 : 1))
      : [];
    // Each table's input = its rows loaded + its rows rejected, by reason.
    const fileQuality = checkedTables.map((table): FileQuality => {
      const rows = counts.filter((r) => r.table_name === table);
      const byReason = Object.fromEntries(rows.filter((r) => r.reason !== null).map((r) => [r.reason!, Number(r.n)]));
      const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
      const loaded = Number(rows.find((r) => r.reason === null)?.n ?? 0);
      return {
        table,
        file: session.table(table),
        input_rows: loaded + rejected,
        loaded_rows: loaded,
        rejected_rows: rejected,
        rejected_by_reason: byReason
      };
    });
    const source: SourceInfo = {
      kind: "postgres",
      name: name ?? `${session.database} (PostgreSQL)`,
      currency,
      margin_rate: margin,
      cost_assumed: !range.has_cost,
      tables: tableOrder.filter((table) => table === "customers" || present.has(table)),
      ...(customers ? {} : {derived: ["customers" as const]}),
      observation_start: range.start,
      observation_end: range.end,
      // A warehouse with its own customers table knows them (loaders/ingest.ts, SourceInfo.new_customers_from).
      ...(customers && {new_customers_from: range.start}),
      customers: summary,
      transactions: Number(range.transactions),
      ...(bonds.length > 0 && {bonds})
    };
    const quality = qualityOf(
      {kind: source.kind, name: source.name, as_of: end, checks: warehouseChecks(tables)},
      fileQuality
    );
    writeFileSync(join(files, "quality.json"), `${JSON.stringify(quality, null, 2)}\n`);
    writeFileSync(join(files, "source.json"), `${JSON.stringify(source, null, 2)}\n`);
    let slicesSeen = 0;
    /** Derivations over every customer or a slice's, their results created in `target`; sourceTables are defined from the start. */
    const derivationsFor = (target: DuckDBConnection, slice: CustomerSlice | null): Derivations => {
      const numbered = slice ? {slice, number: ++slicesSeen} : null;
      const defined: string[] = [];
      // The source's tables come first; a slice's are cut (or defined) when the slice is first asked for something.
      let sourceDefined: Promise<void> | undefined;
      const ready = () =>
        (sourceDefined ??= (async () => {
          defined.push(...(numbered ? await sourceDefinitions(numbered) : wholeDefinitions));
        })());
      const names = new Set<string>(sourceTables.map((t) => t.name));
      const wrap = (select: string) => withCanonical(select, defined, slice);
      const counted = (purpose: QueryPurpose, rows: number, started: number) => {
        returned += rows;
        progress(
          `${slice ? `${purpose.what} (${slice.value})` : purpose.what}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`
        );
      };
      return {
        dialect: postgres,
        remote: true,
        async define(name, build, options) {
          await ready();
          defined.push(await keptOrDefined(name, build(postgres), defined, numbered, options));
          names.add(name);
        },
        has: (name) => names.has(name),
        async derive(name, build, {what, order, personal = [], from = "transactions"}) {
          await ready();
          return bring(
            target,
            name,
            slice ? `${what} (${slice.value})` : what,
            from,
            wrap(build(postgres)),
            order,
            pseudonymised(personal)
          );
        },
        session: {
          dialect: postgres,
          table: (name) => session.table(name),
          // The query is wrapped in the checked tables, under the folder's names.
          checked: async (name) => identifier(`canonical_${name}`),
          // A fit's aggregates count with the rest of what comes back.
          async rows<T>(sql: string, purpose: QueryPurpose) {
            await ready();
            const started = performance.now();
            const rows = await session.rows<T>(wrap(sql), purpose);
            counted(purpose, rows.length, started);
            return rows;
          },
          async columns<K extends string>(sql: string, purpose: QueryPurpose) {
            await ready();
            const started = performance.now();
            const columns = await session.columns<K>(wrap(sql), purpose);
            counted(purpose, Object.values<Float64Array>(columns)[0]?.length ?? 0, started);
            return columns;
          }
        }
      };
    };
    const derived = derivationsFor(connection, null);
    const slices: SliceSource = {
      slices: customers ? await warehouseReportSlices(session) : [],
      derivations: (target, slice) => derivationsFor(target, {column: sliceKinds[slice.kind], value: slice.name})
    };
    const result = await work({info: source, derived, slices});
    progress(
      `${returned.toLocaleString("en-US")} rows derived from transactions for ${summary.toLocaleString("en-US")} customers, and ${others.toLocaleString("en-US")} rows of feedback and prospects or computed from them`
    );
    return result;
  } finally {
    rmSync(imports, {recursive: true, force: true});
  }
}

/** Keeps a query's rows as the session's table keptName(name) (WarehouseSession.keep), saying so with the time it took. */
async function keepTable(
  session: WarehouseSession,
  name: string,
  sql: string,
  purpose: QueryPurpose,
  label: string,
  progress: (line: string) => void
): Promise<boolean> {
  const started = performance.now();
  if (!(await session.keep(keptName(name), sql, purpose))) return false;
  progress(`${label} kept in a temporary table in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * Checks every table once and keeps its rows with their verdicts (and the customers and bonds read from them) as
 * temporary tables of the session, which every later query reads (WarehouseTables.kept) instead of checking the raw
 * rows again. Where the role may not create temporary tables nothing is kept, and each query checks the raw rows
 * again; the build's log says which applies.
 */
export async function keepCheckedTables(
  session: WarehouseSession,
  tables: WarehouseTables,
  progress: (line: string) => void
): Promise<WarehouseTables> {
  const {present} = tables;
  const customers = present.has("customers");
  const keeps: {name: string; table: TableName}[] = [
    ...(customers ? [{name: "checked_customers", table: "customers" as const}] : []),
    {name: "checked_transactions", table: "transactions"},
    // Without a customers table, the customers are read from the transactions, and so are the bonds' holders.
    ...(customers ? [] : [{name: "canonical_customers", table: "transactions" as const}]),
    ...(tables.bonds ? [{name: "canonical_bonds", table: "customers" as const}] : []),
    ...(present.has("feedback") ? [{name: "checked_feedback", table: "feedback" as const}] : []),
    ...(present.has("prospects") ? [{name: "checked_prospects", table: "prospects" as const}] : [])
  ];
  const kept = new Set<string>();
  for (const {name, table} of keeps) {
    const sql = withChecked({...tables, kept}, `SELECT * FROM ${name}`);
    if (!(await keepTable(session, name, sql, {what: `the checked ${table}`, table}, name, progress))) {
      progress("temporary tables: this role may not create them here, so every query checks the raw rows again");
      return tables;
    }
    kept.add(name);
  }
  progress("temporary tables: every table is checked once, and each query reads the checked rows kept");
  return {...tables, kept};
}

/** Every acquisition channel and segment of a warehouse's customers that pass the checks (as text, as the site reads them). */
export function warehouseReportSlices(session: WarehouseSession): Promise<ReportSlice[]> {
  return slicesOf(async (column) => {
    const table = session.table("customers");
    const [present] = await session.rows<{n: string}>(
      `SELECT count(*) AS n FROM pg_attribute WHERE attrelid = to_regclass(${literal(table)}) AND attname = ${literal(column)} AND NOT attisdropped`,
      {what: "the customers table's columns", table: "customers"}
    );
    if (!Number(present?.n)) return null;
    const rows = await session.rows<{name: string}>(
      `SELECT DISTINCT ${identifier(column)}::VARCHAR AS name FROM ${await session.checked("customers")} WHERE ${identifier(column)} IS NOT NULL`,
      {what: `the customers' ${column} values`, table: "customers"}
    );
    return rows.map((row) => row.name);
  });
}
