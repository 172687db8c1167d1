// The customer-equity model's BG/NBD parameters, kept in the loaders' DuckDB for the pages that
// judge P(active) by them (the customer states, src/core/sql/customerStates.ts): written by the
// equity page's loader where the model can tell who is still a customer, read by the retention
// and lifecycle pages' loaders after it.
import type {DuckDBConnection} from "@duckdb/node-api";
import type {BgNbdParams} from "../../src/core/models/bgnbdLikelihood.js";
import {queryRows} from "../duckdb.js";

/** Keeps the parameters, or (params null: the model cannot tell dropout) drops any kept before. */
export async function writeCustomerModel(connection: DuckDBConnection, params: BgNbdParams | null): Promise<void> {
  await connection.run("DROP TABLE IF EXISTS customer_model");
  if (params === null) return;
  const {r, alpha, a, b} = params;
  await connection.run(
    `CREATE TEMP TABLE customer_model AS SELECT ${r}::DOUBLE AS r, ${alpha}::DOUBLE AS alpha, ${a}::DOUBLE AS a, ${b}::DOUBLE AS b`
  );
}

/** The kept parameters, or null where the model cannot tell who is still a customer. */
export async function readCustomerModel(connection: DuckDBConnection): Promise<BgNbdParams | null> {
  const [kept] = await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_model'");
  if (!kept) return null;
  const [params] = await queryRows<BgNbdParams>(connection, "SELECT r, alpha, a, b FROM customer_model");
  return params ?? null;
}
