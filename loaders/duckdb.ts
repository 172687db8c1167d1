// Native DuckDB for the loaders: one in-memory database per job, with a memory budget.
import {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

/**
 * DuckDB's memory budget: past it, DuckDB spills to a temporary folder instead of growing.
 * 768 MB keeps a 1M-transaction ingest under 1.5 GB of RSS with Node's own share
 * (bench/ingest.ts); $CUSTOMER_EQUITY_DUCKDB_MEMORY (e.g. "4GB") changes it.
 */
export const memoryLimit = process.env.CUSTOMER_EQUITY_DUCKDB_MEMORY ?? "768MB";

/**
 * Runs work with a fresh in-memory database, closing it afterwards. The instance is for
 * work that wants more connections (each has its own temporary tables).
 */
export async function withDuckDB<T>(work: (connection: DuckDBConnection, instance: DuckDBInstance) => Promise<T>): Promise<T> {
  const spill = mkdtempSync(join(tmpdir(), "customer-equity-duckdb-"));
  const instance = await DuckDBInstance.create(":memory:", {memory_limit: memoryLimit, temp_directory: spill});
  const connection = await instance.connect();
  try {
    return await work(connection, instance);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(spill, {recursive: true, force: true});
  }
}

/** The rows of a query as plain objects (BIGINT and DECIMAL become numbers or strings as JSON would). */
export async function queryRows<T = Record<string, unknown>>(connection: DuckDBConnection, sql: string): Promise<T[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
}
