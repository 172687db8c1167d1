// Where the site's derived tables are computed: next to the data. A folder's canonical
// tables sit in the loaders' DuckDB, so its queries run there; a warehouse keeps its rows,
// so each query runs in the warehouse and only its result comes back into the loaders'
// DuckDB (loaders/source/postgres/site.ts). The page loaders say what to compute once, as a query
// builder taking the engine's dialect, and read the results from the local DuckDB alike.
import type {DuckDBConnection} from "@duckdb/node-api";
import {identifier} from "../../src/core/sql/sql.js";
import {duckdb, type Dialect} from "../../src/core/sql/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {TableName} from "../canonical.js";
import {duckdbSession, type SqlSession} from "../sqlSession.js";
import {sliceRowsSql} from "./slices.js";

/** A query written once for every engine. */
export type QueryBuilder = (dialect: Dialect) => string;

export interface DeriveOptions {
  /** What the rows are, for progress lines and errors. */
  what: string;
  /** A total order of the result's columns, so that the rows come in the same order from either source. */
  order: string;
  /** Columns that identify a person: pseudonymised when the rows come from a warehouse. */
  personal?: readonly string[];
  /**
   * Each row is one customer's (customer_id) and depends on that customer's data alone, so a
   * segment report takes the whole source's rows of its customers instead of asking again.
   */
  perCustomer?: true;
  /** The canonical table the rows grow with, for the warehouse's count of rows brought (transactions unless said). */
  from?: TableName;
}

export interface DefineOptions {
  /**
   * Each row is one customer's (customer_id) and depends on that customer's data alone (and on constants of the
   * whole source), so a segment report cuts the whole source's rows to its customers instead of computing them
   * again: a folder's in its DuckDB, a warehouse's where the whole source's are kept.
   */
  perCustomer?: true;
}

export interface Derivations {
  /** The dialect of the engine next to the data. */
  dialect: Dialect;
  /**
   * Whether the queries run in a database apart (a warehouse), where a pass over many rows costs more than reading a
   * table kept from an earlier one; a folder's run in the loaders' DuckDB, which is quicker to compute them again.
   */
  remote: boolean;
  /** Makes `name` a table that later queries next to the data can read (derive, define and session). */
  define(name: string, build: QueryBuilder, options?: DefineOptions): Promise<void>;
  /** Whether `name` was defined. */
  has(name: string): boolean;
  /** Computes a query next to the data and creates its rows as table `name` in the loaders' DuckDB; returns how many rows came. */
  derive(name: string, build: QueryBuilder, options: DeriveOptions): Promise<number>;
  /** A session for queries that bring back only a few rows (the customer-equity fits), over the defined tables. */
  session: SqlSession;
}

/** Creates a table in the loaders' DuckDB from rows already there, in a total order (so that its files come out the same each time). */
export async function createOrderedTable(
  connection: DuckDBConnection,
  table: {name: string; order: string},
  select: string
): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${identifier(table.name)} AS SELECT * FROM (${select}) ORDER BY ${table.order}`
  );
}

/**
 * Splits `from`, whose rows carry beside their columns an earlier reading of some of them (`prefix` + column, NULL for a
 * customer who had none: a query that sends each customer once), into two tables in `order`: `now`, its rows without
 * the earlier reading; `earlier`, the customers whose reading of `present` is there, with customer_id, the earlier
 * reading under the columns' own names, and then the columns `kept`.
 */
export async function splitEarlierReading(
  connection: DuckDBConnection,
  from: string,
  order: string,
  {now, earlier}: {now: string; earlier: string},
  reading: {prefix: string; columns: readonly string[]; present: string; kept?: readonly string[]}
): Promise<void> {
  const prefixed = (column: string) => identifier(`${reading.prefix}${column}`);
  await createOrderedTable(
    connection,
    {name: now, order},
    `SELECT * EXCLUDE (${reading.columns.map(prefixed).join(", ")}) FROM ${identifier(from)}`
  );
  const columns = [
    ...reading.columns.map((column) => `${prefixed(column)} AS ${identifier(column)}`),
    ...(reading.kept ?? []).map(identifier)
  ];
  await createOrderedTable(
    connection,
    {name: earlier, order},
    `SELECT customer_id, ${columns.join(", ")} FROM ${identifier(from)} WHERE ${prefixed(reading.present)} IS NOT NULL`
  );
}

/** A folder's derivations: every table in the loaders' DuckDB, where its canonical tables are. */
export function localDerivations(connection: DuckDBConnection): Derivations {
  const defined = new Set<string>();
  return {
    dialect: duckdb,
    remote: false,
    async define(name, build) {
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(name)} AS ${build(duckdb)}`);
      defined.add(name);
    },
    has: (name) => defined.has(name),
    async derive(name, build, {order}) {
      await createOrderedTable(connection, {name, order}, build(duckdb));
      const [count] = await queryRows<{n: number}>(
        connection,
        `SELECT count(*)::INTEGER AS n FROM ${identifier(name)}`
      );
      return count?.n ?? 0;
    },
    session: duckdbSession(connection)
  };
}

/** The whole source's per-customer tables in the loaders' DuckDB (schema whole), which a segment report cuts. */
export interface PerCustomerTables {
  /** Derived tables (DeriveOptions.perCustomer), by name. */
  derived: ReadonlyMap<string, DeriveOptions>;
  /** Defined tables (DefineOptions.perCustomer): a folder's, which are local; a warehouse cuts its own where it keeps them. */
  defined: ReadonlySet<string>;
}

/**
 * Derivations that note the per-customer tables they create (DeriveOptions.perCustomer) and define
 * (DefineOptions.perCustomer), for segment reports to cut.
 */
export function notingPerCustomer(derived: Derivations): {derived: Derivations; perCustomer: PerCustomerTables} {
  const perCustomer = {derived: new Map<string, DeriveOptions>(), defined: new Set<string>()};
  const derive: Derivations["derive"] = async (name, build, options) => {
    const rows = await derived.derive(name, build, options);
    if (options.perCustomer) perCustomer.derived.set(name, options);
    return rows;
  };
  const define: Derivations["define"] = async (name, build, options) => {
    await derived.define(name, build, options);
    if (options?.perCustomer) perCustomer.defined.add(name);
  };
  return {perCustomer, derived: {...derived, derive, define}};
}

/**
 * A segment report's derivations: a per-customer table the whole source has (in schema whole) is cut to the slice's
 * customers (table slice_customers) in `connection`; every other query is asked of `derived`, next to the data.
 */
export function cuttingPerCustomer(
  connection: DuckDBConnection,
  derived: Derivations,
  whole: PerCustomerTables
): Derivations {
  const cutDefined = new Set<string>();
  const cut = (name: string, order?: string) =>
    connection.run(
      `CREATE OR REPLACE TEMP TABLE ${identifier(name)} AS ${sliceRowsSql(`whole.${identifier(name)}`)}${order ? ` ORDER BY ${order}` : ""}`
    );
  const define: Derivations["define"] = async (name, build, options) => {
    if (!(options?.perCustomer && whole.defined.has(name))) return derived.define(name, build, options);
    await cut(name);
    cutDefined.add(name);
  };
  const derive: Derivations["derive"] = async (name, build, options) => {
    if (!whole.derived.has(name)) return derived.derive(name, build, options);
    await cut(name, options.order);
    const [count] = await queryRows<{n: number}>(connection, `SELECT count(*)::INTEGER AS n FROM ${identifier(name)}`);
    return count?.n ?? 0;
  };
  return {...derived, define, derive, has: (name) => cutDefined.has(name) || derived.has(name)};
}
