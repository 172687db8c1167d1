// Runs one query builder on both engines a source may live in, over the same small tables:
// native DuckDB (in memory) and a throwaway PostgreSQL (test/postgres.ts). Each result comes
// back as the CSV text each engine's COPY writes, parsed with d3 (booleans spelt true/false on both), so a test asserts that
// the two give the same rows, value for value, as the site's archive needs them to.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import {expect} from "vitest";
import type {DSVRowString} from "d3";
import {withDuckDB} from "../loaders/duckdb.js";
import {literal} from "../src/core/sql/sql.js";
import {duckdb, postgres, type Dialect} from "../src/core/sql/sqlDialect.js";
import {startPostgres, type TestServer} from "./postgres.js";
import {temporaryDirectory} from "./tempDir.js";

export {postgresMissing} from "./postgres.js";

export interface BothEngines {
  /** The rows of `build(dialect)` on each engine. */
  run(build: (dialect: Dialect) => string): Promise<{duckdb: DSVRowString[]; postgres: DSVRowString[]}>;
  /** The rows of `build(dialect)`, after asserting that both engines give the same. */
  agreed(build: (dialect: Dialect) => string): Promise<DSVRowString[]>;
  stop(): void;
}

const booleans: Record<string, string> = {t: "true", f: "false"};
/** Values as both engines' CSV would agree on them: booleans spelt out, numbers as JavaScript prints them (DuckDB writes 1.0 where PostgreSQL writes 1). */
const normalised = (rows: DSVRowString[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        v === undefined
          ? v
          : v in booleans
            ? booleans[v]
            : /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v)
              ? String(Number(v))
              : v
      ])
    )
  ) as DSVRowString[];

/**
 * Starts PostgreSQL and creates in both engines the tables of `setup`: statements both
 * accept (CREATE TABLE with portable types, INSERT … VALUES), separated by semicolons.
 */
export async function bothEngines(setup: string): Promise<BothEngines> {
  const server: TestServer = await startPostgres();
  try {
    server.psql(setup);
  } catch (error) {
    server.stop();
    throw error;
  }
  const engines: BothEngines = {
    async run(build) {
      const fromPostgres = csvParse(server.psql(`COPY (${build(postgres)}) TO STDOUT (FORMAT csv, HEADER true)`));
      const file = join(temporaryDirectory("both-engines-"), "result.csv");
      await withDuckDB(async (connection) => {
        for (const statement of setup.split(";").filter((s) => s.trim())) await connection.run(statement);
        await connection.run(`COPY (${build(duckdb)}) TO ${literal(file)} (FORMAT csv, HEADER true)`);
      });
      const fromDuckdb = csvParse(readFileSync(file, "utf-8"));
      return {duckdb: normalised(fromDuckdb), postgres: normalised(fromPostgres)};
    },
    async agreed(build) {
      const {duckdb, postgres} = await engines.run(build);
      expect(duckdb).toEqual(postgres);
      return postgres;
    },
    stop: () => server.stop()
  };
  return engines;
}
