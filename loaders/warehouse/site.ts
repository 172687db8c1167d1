// The site from a PostgreSQL warehouse: every query the pages need computed there by the
// same query text a folder's DuckDB runs (loaders/site/derived.ts), over the transactions
// that pass the checks (checks.ts) and the tables defined so far (customer_summary,
// purchase days, monthly sums, the model's P(active)); each result streamed back (COPY …
// TO STDOUT into a file) into the loaders' DuckDB, ids pseudonymised on arrival. Raw
// transactions never leave the warehouse; survey answers and prospects come as they are.
import type {DuckDBConnection} from "@duckdb/node-api";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {FileQuality} from "../../src/components/quality.js";
import {identifier, literal} from "../../src/components/sql.js";
import {postgres} from "../../src/components/sqlDialect.js";
import {canonicalColumns, schemas, tableOrder, type TableName} from "../canonical.js";
import {qualityOf, rejectValueSql, type SourceInfo} from "../ingest.js";
import {pseudonymKey, pseudonymSql} from "../pseudonym.js";
import {rejectSampleSize} from "../site/quality.js";
import type {Derivations} from "../site/derived.js";
import {sliceKinds, warehouseReportSlices, type SliceSource} from "../site/reports.js";
import {createSiteTable} from "../site/tables.js";
import {defaultMarginRate} from "../sources/source.js";
import {customerSummarySql} from "../summary.js";
import {checkedTransactionsSql, warehouseChecks} from "./checks.js";
import type {QueryPurpose} from "../sqlSession.js";
import {WarehouseError, withWarehouse, type WarehouseSession} from "./postgres.js";

/** The customers whose column (in the customers table) has a value: a segment report's slice. */
interface CustomerSlice {
  column: string;
  value: string;
}

/** What a warehouse does not say of itself: the site's title, currency and margin where costs are missing. */
export const warehouseSettingVariables = {name: "CUSTOMER_EQUITY_NAME", currency: "CUSTOMER_EQUITY_CURRENCY", marginRate: "CUSTOMER_EQUITY_MARGIN_RATE"} as const;

function marginRate(): number {
  const text = process.env[warehouseSettingVariables.marginRate];
  const rate = text === undefined || text === "" ? defaultMarginRate : Number(text);
  if (!(rate >= 0 && rate <= 1)) throw new WarehouseError(`${warehouseSettingVariables.marginRate}=${text}: expected a number between 0 and 1`);
  return rate;
}

/** The columns a warehouse table has (none when it is absent from the search path). */
async function columnsOf(session: WarehouseSession, table: TableName): Promise<Set<string>> {
  const rows = await session.rows<{name: string}>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass(${literal(session.table(table))}) AND attnum > 0 AND NOT attisdropped`,
    {what: "the table's columns", table}
  );
  return new Set(rows.map((row) => row.name));
}

/**
 * Opens a warehouse for the site and runs `work` while it is open: creates in DuckDB
 * customer_summary, canonical_feedback and canonical_prospects (where the warehouse has
 * them) and rejects (a sample per reason); writes source.json, quality.json and
 * customer_summary.csv to `files`; gives `work` derivations that compute every query in the
 * warehouse, over the canonical tables, customer_summary and whatever `work` defines, and
 * bring back only its result. Prints a line per query: what it brought, how many rows, how
 * long it took, and at the end the rows brought in all. `work` also gets the customers
 * table's slices, each with derivations that see only its customers.
 */
export async function withWarehouseSite<T>(
  connection: DuckDBConnection,
  url: string,
  files: string,
  progress: (line: string) => void,
  work: (source: SourceInfo, derived: Derivations, slices: SliceSource) => Promise<T>
): Promise<T> {
  const key = pseudonymKey();
  const margin = marginRate();
  const imports = mkdtempSync(join(tmpdir(), "customer-equity-warehouse-"));
  try {
    return await withWarehouse(url, {progress}, async (session) => {
      const present = new Map<TableName, Set<string>>();
      for (const table of tableOrder) {
        const columns = await columnsOf(session, table);
        if (columns.size > 0) present.set(table, columns);
      }
      if (!present.has("transactions")) throw new WarehouseError(`no table ${session.table("transactions")} on the connection's search path: the site needs the canonical transactions (see the README)`);
      // Ids as the pages compare them: text, trimmed, blank as missing (as ingest reads them).
      const canonical = (table: TableName) =>
        `SELECT ${canonicalColumns(table, present.get(table)!, (f) => (f.type === "id" ? `nullif(trim(${identifier(f.name)}::VARCHAR), '')` : identifier(f.name)))} FROM ${session.table(table)}`;
      const customers = present.has("customers");
      const transactionColumns = schemas.transactions.map((f) => identifier(f.name)).join(", ");
      /**
       * A query with the canonical tables under their folder names (the transactions checked;
       * with a slice, only its customers' rows) and the tables defined so far before it.
       */
      const withCanonical = (select: string, defined: readonly string[] = [], slice: CustomerSlice | null = null) => {
        const inSlice = (column: string) => (slice ? ` WHERE ${column} IN (SELECT customer_id FROM slice_customers)` : "");
        // A slice's transactions are cut before the checks (which compare a customer's rows only), so its queries read only its rows.
        return `WITH ${customers ? `input_customers AS (${canonical("customers")}),` : ""}
${slice ? `slice_customers AS (SELECT customer_id FROM input_customers WHERE ${identifier(slice.column)} = ${literal(slice.value)}),` : ""}
input_transactions AS (SELECT * FROM (${canonical("transactions")}) t${inSlice("customer_id")}),
checked_transactions AS (${checkedTransactionsSql("input_transactions", customers ? "input_customers" : null)}),
canonical_transactions AS (SELECT ${transactionColumns} FROM checked_transactions WHERE reason IS NULL),
canonical_customers AS (${customers ? `SELECT * FROM input_customers${inSlice("customer_id")}` : `SELECT customer_id, min(occurred_at)::DATE AS first_seen, NULL::VARCHAR AS acquisition_channel, NULL::DECIMAL(18, 2) AS acquisition_cost, NULL::VARCHAR AS segment, NULL::INTEGER AS service_contacts FROM canonical_transactions GROUP BY customer_id`})${(["feedback", "prospects"] as const)
          .filter((t) => present.has(t))
          .map((t) => `,\ncanonical_${t} AS (SELECT * FROM (${canonical(t)}) r${inSlice(t === "prospects" ? "converted_customer_id" : "customer_id")})`)
          .join("")}${defined.map((d) => `,\n${d}`).join("")}
SELECT * FROM (${select}) q`;
      };
      let returned = 0;
      let others = 0;
      /** Runs a query (wrapped in its canonical tables) in the warehouse and creates its rows as a table of `target`, the replacements applied on arrival. */
      const bring = async (target: DuckDBConnection, name: string, purpose: string, table: TableName, query: string, order: string, replacements: string[]) => {
        const started = performance.now();
        const path = join(imports, `${name}.csv`);
        const {columns, rows} = await session.copyToCsv(query, {what: purpose, table}, path);
        const read =
          rows === 0
            ? `SELECT ${columns.map((c) => `NULL::${c.type} AS ${identifier(c.name)}`).join(", ")} LIMIT 0`
            : `SELECT * FROM read_csv(${literal(path)}, columns = {${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(", ")}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false)`;
        await createSiteTable(target, {name, order}, replacements.length ? `SELECT * REPLACE (${replacements.join(", ")}) FROM (${read})` : read);
        rmSync(path);
        // Rows derived from transactions (the budget's); survey answers, prospects and what is computed from them count apart.
        if (table === "transactions") returned += rows;
        else others += rows;
        progress(`${purpose}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return rows;
      };
      const pseudonymised = (columns: readonly string[]) => columns.map((c) => `${pseudonymSql(key, identifier(c))} AS ${identifier(c)}`);

      // One pass of the checks for their counts and the loaded rows' range (each query runs the checks anew).
      const reasons = await session.rows<{reason: string | null; n: string; start: string | null; end: string | null; has_cost: boolean}>(
        withCanonical(`SELECT reason, count(*) AS n, min(occurred_at)::DATE::VARCHAR AS start, max(occurred_at)::DATE::VARCHAR AS "end", count(cost) > 0 AS has_cost FROM checked_transactions GROUP BY reason`),
        {what: "the checks' counts and the data's date range", table: "transactions"}
      );
      const loadedRows = reasons.find((r) => r.reason === null);
      const range = {start: loadedRows?.start ?? null, end: loadedRows?.end ?? null, has_cost: loadedRows?.has_cost ?? false, transactions: loadedRows?.n ?? "0"};
      await bring(
        connection,
        "rejects",
        "a sample of rejected transactions",
        "transactions",
        withCanonical(`SELECT 'transactions' AS table_name, ${literal(session.table("transactions"))} AS file, NULL::VARCHAR AS line, column_name, value, reason
         FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY ${transactionColumns}) AS k FROM checked_transactions WHERE reason IS NOT NULL) r WHERE k <= ${rejectSampleSize}`),
        "table_name, file, reason, value",
        [`${rejectValueSql(key)} AS value`]
      );
      const end = range.end ?? "1970-01-01";
      const summarySql = customerSummarySql(postgres, end, margin);
      const summary = await bring(connection, "customer_summary", "the customer summary", "transactions", withCanonical(summarySql), "customer_id", pseudonymised(["customer_id"]));
      await connection.run(`COPY customer_summary TO ${literal(join(files, "customer_summary.csv"))} (FORMAT csv, HEADER true)`);
      const loaded: Partial<Record<TableName, number>> = {};
      for (const table of ["feedback", "prospects"] as const) {
        if (!present.has(table)) continue;
        const personal = schemas[table].filter((f) => f.personal).map((f) => f.name);
        loaded[table] = await bring(connection, `canonical_${table}`, `the ${table}`, table, withCanonical(`SELECT * FROM canonical_${table}`), "ALL", pseudonymised(personal));
      }
      if (customers) {
        const [count] = await session.rows<{n: string}>(`SELECT count(*) AS n FROM ${session.table("customers")}`, {what: "the customers' count", table: "customers"});
        loaded.customers = Number(count?.n ?? 0);
      }

      const byReason = Object.fromEntries(reasons.filter((r) => r.reason !== null).map((r) => [r.reason!, Number(r.n)]));
      const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
      const fileQuality = tableOrder.flatMap((table): FileQuality[] => {
        if (table === "transactions") {
          const n = Number(range.transactions);
          return [{table, file: session.table(table), input_rows: n + rejected, loaded_rows: n, rejected_rows: rejected, rejected_by_reason: byReason}];
        }
        const n = loaded[table];
        return n === undefined ? [] : [{table, file: session.table(table), input_rows: n, loaded_rows: n, rejected_rows: 0, rejected_by_reason: {}}];
      });
      const source: SourceInfo = {
        kind: "postgres",
        name: process.env[warehouseSettingVariables.name] || `${session.database} (PostgreSQL)`,
        currency: process.env[warehouseSettingVariables.currency] || "USD",
        margin_rate: margin,
        cost_assumed: !range.has_cost,
        tables: tableOrder.filter((table) => table === "customers" || present.has(table)),
        observation_start: range.start,
        observation_end: range.end,
        customers: summary,
        transactions: Number(range.transactions)
      };
      const quality = qualityOf({kind: source.kind, name: source.name, as_of: end, checks: warehouseChecks}, fileQuality);
      writeFileSync(join(files, "quality.json"), `${JSON.stringify(quality, null, 2)}\n`);
      writeFileSync(join(files, "source.json"), `${JSON.stringify(source, null, 2)}\n`);
      /** Derivations over every customer or a slice's, their results created in `target`; customer_summary is defined from the start. */
      const derivationsFor = (target: DuckDBConnection, slice: CustomerSlice | null): Derivations => {
        const defined = [`customer_summary AS (${summarySql})`];
        const names = new Set<string>(["customer_summary"]);
        const wrap = (select: string) => withCanonical(select, defined, slice);
        const counted = (purpose: QueryPurpose, rows: number, started: number) => {
          returned += rows;
          progress(`${slice ? `${purpose.what} (${slice.value})` : purpose.what}: ${rows.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        };
        return {
          dialect: postgres,
          async define(name, build) {
            defined.push(`${identifier(name)} AS (${build(postgres)})`);
            names.add(name);
          },
          has: (name) => names.has(name),
          derive: (name, build, {what, order, personal = [], from = "transactions"}) => bring(target, name, slice ? `${what} (${slice.value})` : what, from, wrap(build(postgres)), order, pseudonymised(personal)),
          session: {
            dialect: postgres,
            table: (name) => session.table(name),
            // A fit's aggregates count with the rest of what comes back.
            async rows<T>(sql: string, purpose: QueryPurpose) {
              const started = performance.now();
              const rows = await session.rows<T>(wrap(sql), purpose);
              counted(purpose, rows.length, started);
              return rows;
            },
            async columns<K extends string>(sql: string, purpose: QueryPurpose) {
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
      const result = await work(source, derived, slices);
      progress(`${returned.toLocaleString("en-US")} rows derived from transactions for ${summary.toLocaleString("en-US")} customers, and ${others.toLocaleString("en-US")} rows of feedback and prospects or computed from them`);
      return result;
    });
  } finally {
    rmSync(imports, {recursive: true, force: true});
  }
}
