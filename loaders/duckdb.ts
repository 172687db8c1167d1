// Native DuckDB for the loaders: one in-memory database per job, with a memory budget.
import {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

/**
 * DuckDB's settings where it holds raw rows (a source folder's tables), with its memory
 * budget: past it, DuckDB spills to a temporary folder instead of growing. DuckDB fills
 * whatever budget it has, and a query may take some more: the site's data from the demo's 1M
 * transaction lines peaked at 1.35 GB of RSS with 768 MB, 1.01 GB with 512 MB and 0.84 GB with
 * 384 MB, Node's share included, in about the same time (bench/ingest.ts, docs/benchmarks.md).
 * $CUSTOMER_EQUITY_DUCKDB_MEMORY (e.g. "4GB", Settings.duckdbMemory) changes it.
 */
export const rawRowsSettings = (memory: string | null = null) => ({memory_limit: memory ?? "384MB"});

/**
 * Ingest's settings: a budget of its own, since it holds every file's text beside its typed rows. With
 * 512 MB an ingest of the demo's 1M lines and every table peaks at 942 MB of RSS, Node's share
 * included, and takes 5 % longer than with 768 MB (1,085 MB) (bench/ingest.ts, docs/benchmarks.md).
 */
export const ingestSettings = (memory: string | null = null) => rawRowsSettings(memory ?? "512MB");

/**
 * DuckDB's settings where it holds only what a warehouse sent back (per-customer tables, no
 * raw rows): with 768 MB, DuckDB alone came to about 1 GB of RSS at a million customers;
 * with 256 MB and its allocator handing freed memory back early (its default keeps up to
 * 128 MB), to under half a GB (the site's tables of a million customers, built and read
 * in 6.5 s against 6.0 s: DuckDB spills to its temporary folder instead).
 * $CUSTOMER_EQUITY_DUCKDB_MEMORY sets this budget too.
 */
export const warehouseResultsSettings = (memory: string | null) => ({
  memory_limit: memory ?? "256MB",
  allocator_flush_threshold: "16MB",
  allocator_background_threads: "true"
});

/**
 * Runs work with a fresh in-memory database (DuckDB settings: rawRowsSettings() unless
 * given), closing it afterwards. The instance is for work that wants more connections
 * (each has its own temporary tables).
 */
export async function withDuckDB<T>(
  work: (connection: DuckDBConnection, instance: DuckDBInstance) => Promise<T>,
  settings: Record<string, string> = rawRowsSettings()
): Promise<T> {
  const spill = mkdtempSync(join(tmpdir(), "customer-equity-duckdb-"));
  const instance = await DuckDBInstance.create(":memory:", {...settings, temp_directory: spill});
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

/**
 * A query's columns as Float64Arrays (NULL as NaN), read a chunk at a time: a million rows
 * take 8 MB a column, where row objects take tens of times that. Every column must be numeric.
 */
export async function queryColumns<K extends string>(
  connection: DuckDBConnection,
  sql: string
): Promise<Record<K, Float64Array>> {
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const chunks: Float64Array[][] = names.map(() => []);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    names.forEach((name, c) => {
      const vector = chunk.getColumnVector(c);
      const values = new Float64Array(chunk.rowCount);
      for (let i = 0; i < values.length; i++) {
        const value = vector.getItem(i);
        if (value !== null && typeof value !== "number")
          throw new Error(
            `queryColumns: column ${name} is ${vector.type.toString()}, not a number (cast it to DOUBLE)`
          );
        values[i] = value ?? NaN;
      }
      chunks[c]!.push(values);
    });
  }
  return Object.fromEntries(names.map((name, c) => [name, concatenate(chunks[c]!)])) as Record<K, Float64Array>;
}

/** Float64Arrays one after another, as one. */
export function concatenate(parts: readonly Float64Array[]): Float64Array {
  const whole = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/**
 * Appends rows to a temporary table through DuckDB's appender, far quicker than INSERTs of
 * literals (133,000 rows in 0.1 s against 3 s). Each value goes to its column as a VARCHAR (a
 * string), a DOUBLE (a number) or NULL.
 */
export async function appendRows(
  connection: DuckDBConnection,
  table: string,
  rows: Iterable<readonly (string | number | null)[]>
): Promise<void> {
  const appender = await connection.createAppender(table, "main", "temp");
  try {
    for (const row of rows) {
      for (const value of row)
        if (value === null) appender.appendNull();
        else if (typeof value === "number") appender.appendDouble(value);
        else appender.appendVarchar(value);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
