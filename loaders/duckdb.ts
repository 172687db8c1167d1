// Native DuckDB for the loaders: one in-memory database per job, and the two ways a
// value may enter SQL text (a quoted literal or a quoted identifier).
import {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";

/** Runs work with a fresh in-memory database, closing it afterwards. */
export async function withDuckDB<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal: 'it''s'. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL identifier: "Customer ""ID""". */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The rows of a query as plain objects (BIGINT and DECIMAL become numbers or strings as JSON would). */
export async function queryRows<T = Record<string, unknown>>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
}
