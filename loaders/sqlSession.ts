// A source opened for queries: the canonical tables wherever they live, and the SQL engine
// that runs every derived query next to them (native DuckDB over a folder, or a PostgreSQL
// warehouse). Queries ask the session for a table's relation and name their purpose, so
// that the same query text runs on both and a failure says what it was for.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {TableName} from "./canonical.js";
import {queryColumns, queryRows} from "./duckdb.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {duckdb, type Dialect} from "../src/core/sql/sqlDialect.js";

/** Why a query runs, and the canonical table it reads: what an error message names. */
export interface QueryPurpose {
  what: string;
  table: TableName;
}

export interface SqlSession {
  dialect: Dialect;
  /** The quoted relation that holds a canonical table in this source. */
  table(name: TableName): string;
  /** The relation of a canonical table's rows that pass the checks: a folder's were checked at ingest; a warehouse's are checked in the query. */
  checked(name: TableName): Promise<string>;
  /** The rows of a query (BIGINT, DECIMAL, DATE and TIMESTAMP as strings, as JSON would have them). */
  rows<T = Record<string, unknown>>(sql: string, purpose: QueryPurpose): Promise<T[]>;
  /** The numeric columns of a query as Float64Arrays (NULL as NaN): a million rows without a million objects. */
  columns<K extends string>(sql: string, purpose: QueryPurpose): Promise<Record<K, Float64Array>>;
}

/** A query that failed, named by its purpose and table. */
export class QueryError extends Error {}

export const queryFailed = (dialect: Dialect, purpose: QueryPurpose, relation: string, message: string) =>
  new QueryError(`${dialect.name} query for ${purpose.what} on table ${relation} failed: ${message}`);

/** A DuckDB connection holding canonical_<table> (see openSourceFolder) as a session. */
export function duckdbSession(connection: DuckDBConnection): SqlSession {
  const table = (name: TableName) => identifier(`canonical_${name}`);
  const named = async <R>(purpose: QueryPurpose, query: Promise<R>) => {
    try {
      return await query;
    } catch (error) {
      throw queryFailed(duckdb, purpose, table(purpose.table), error instanceof Error ? error.message : String(error));
    }
  };
  return {
    dialect: duckdb,
    table,
    checked: async (name) => table(name),
    rows: <T>(sql: string, purpose: QueryPurpose) => named(purpose, queryRows<T>(connection, sql)),
    columns: <K extends string>(sql: string, purpose: QueryPurpose) => named(purpose, queryColumns<K>(connection, sql))
  };
}

/**
 * One slice of customers as npm run clv fits it and the equity page refits it: those whose customers-table column has
 * the value (a segment report's slice, loaders/source/slices.ts), or a cohort, those whose first purchase day
 * (purchaseDaysSql's, customer_summary's first_purchase) falls in the year.
 */
export type CustomerSlice = {column: string; value: string} | {firstPurchaseYear: number};

/**
 * The session seen through one slice of customers: every canonical table that holds customers' rows keeps only the
 * slice's customers.
 */
export function sliceSession(session: SqlSession, slice: CustomerSlice): SqlSession {
  const customers = async () =>
    "column" in slice
      ? `SELECT customer_id FROM ${await session.checked("customers")} WHERE ${identifier(slice.column)} = ${literal(slice.value)}`
      : `SELECT customer_id FROM (${purchaseDaysSql(await session.checked("transactions"))}) AS cohort_days
         GROUP BY customer_id HAVING extract(year FROM min(day)) = ${slice.firstPurchaseYear}`;
  return {
    ...session,
    checked: async (name) => {
      const relation = await session.checked(name);
      if (name === "prospects") return relation;
      return `(SELECT * FROM ${relation} WHERE customer_id IN (${await customers()})) AS ${identifier(`slice_${name}`)}`;
    }
  };
}
