// A PostgreSQL warehouse as a source: one client per command, connected from a postgres://
// URL (missing parts from the standard PG* variables, TLS settings such as sslmode passed
// through to the driver), read-only and with a statement timeout. Errors name the server
// (host, port, database, user) or the query's purpose and table, never the password.
import {createWriteStream} from "node:fs";
import {pipeline} from "node:stream/promises";
import pg from "pg";
import {to as copyTo} from "pg-copy-streams";
import {tableOrder, type TableName} from "../../canonical.js";
import {identifier, literal} from "../../../src/core/sql/sql.js";
import {postgres} from "../../../src/core/sql/sqlDialect.js";
import {concatenate} from "../../duckdb.js";
import {queryFailed, type QueryPurpose, type SqlSession} from "../../sqlSession.js";
import {settingVariables, type WarehouseSettings} from "../../settings.js";
import {checkedRelation, type WarehouseTables} from "./checks.js";
import {redact, secretsOf} from "./redact.js";

/** A result column and its DuckDB type. */
export interface ResultColumn {
  name: string;
  type: string;
}

export interface WarehouseSession extends SqlSession {
  /** The database's name, for the site's title. */
  database: string;
  /**
   * Streams a query's rows into a CSV file (PostgreSQL's COPY … TO STDOUT: no header,
   * NULL unquoted and empty, '' quoted), never holding them in memory; returns the
   * result's columns with their DuckDB types and how many rows came.
   */
  copyToCsv(sql: string, purpose: QueryPurpose, path: string): Promise<{columns: ResultColumn[]; rows: number}>;
  /** The canonical tables on the search path (transactions required) and the checks' as-of day; asked once. */
  tables(): Promise<WarehouseTables>;
  /**
   * Keeps a query's rows as temporary table `name` (a quoted identifier; the session's own, gone when it ends), with its statistics for
   * the planner, in a transaction of its own that may write; every other transaction stays read-only. False, and
   * nothing kept, where the role may not create temporary tables or the server takes no writes (a standby).
   */
  keep(name: string, sql: string, purpose: QueryPurpose): Promise<boolean>;
}

/** A connection that could not be made, or a setting that is wrong: one line, no password. */
export class WarehouseError extends Error {}

// Dates and timestamps stay text, as DuckDB gives them (a JavaScript Date would shift them
// into the local time zone); BIGINT and NUMERIC are text already.
const textTypes = new Set<number>([pg.types.builtins.DATE, pg.types.builtins.TIMESTAMP, pg.types.builtins.TIMESTAMPTZ]);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    textTypes.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"]
};

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as {code?: string}).code;
  // Connecting to a name with several addresses fails with an AggregateError and no message.
  return (
    oneLine(error.message) || (error instanceof AggregateError ? errorText(error.errors[0]) : "") || code || error.name
  );
}

/** What to check after a failed connection, by its cause. */
function connectHint(error: unknown): string {
  const code = (error as {code?: string} | undefined)?.code;
  const message = error instanceof Error ? error.message : "";
  if (code === "ECONNREFUSED")
    return "check that the server runs and listens there (host and port: the URL, or PGHOST and PGPORT)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "check the host name";
  if (code === "28P01" || code === "28000")
    return "check the user and password (the URL, PGUSER and PGPASSWORD, or ~/.pgpass) and the server's pg_hba.conf";
  if (code === "3D000") return "check the database name";
  if (/ssl|tls|certificate/i.test(message))
    return "check the TLS settings (sslmode and sslrootcert in the URL, or PGSSLMODE)";
  if (code === "ETIMEDOUT" || /timeout/i.test(message)) return "check the host, the port and any firewall between";
  return "check the URL and the PG* variables";
}

/** What to check after a failed query, by its SQLSTATE. */
function queryHint(error: unknown, timeout: string): string {
  switch ((error as {code?: string} | undefined)?.code) {
    case "42P01":
      return " (check the table's name and the connection's search_path)";
    case "42703":
      return " (the table needs the canonical columns: see the README)";
    case "57014":
      return ` (the statement timeout of ${timeout} ran out: raise ${settingVariables.statementTimeout})`;
    case "25006":
      return " (the session is read-only: nothing is ever written to the warehouse)";
    case "42501":
      return " (the role needs SELECT on the table)";
    default:
      return "";
  }
}

/** Runs work with a read-only session on the warehouse at url, closing it afterwards; progress lines never hold the password. */
export async function withWarehouse<T>(
  url: string,
  settings: WarehouseSettings,
  work: (session: WarehouseSession) => Promise<T>,
  progress: (message: string) => void = () => {}
): Promise<T> {
  const timeout = settings.statementTimeout;
  let client: pg.Client | undefined;
  // The password may also come from ~/.pgpass, which the driver reads while connecting.
  const secrets = () => [
    ...secretsOf(url),
    ...(typeof client?.password === "string" && client.password ? [client.password] : [])
  ];
  try {
    try {
      client = new pg.Client({
        connectionString: url,
        types,
        application_name: "customer-equity",
        connectionTimeoutMillis: 15_000
      });
    } catch (error) {
      throw new WarehouseError(`cannot read the connection URL ${url}: ${errorText(error)}`);
    }
    // A connection dropped between queries surfaces in the next query; this keeps it from crashing the process.
    client.on("error", () => {});
    const where = `PostgreSQL at host ${client.host}, port ${client.port}, database ${client.database} (user ${client.user})`;
    try {
      await client.connect();
      // Dates come back as ISO text whatever the server's defaults.
      await client.query(
        `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = ${literal(timeout)}; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'`
      );
      // No JIT: compiling a larger statement's expressions took 1–2 s, more than it saved (the site from 2M lines: 64 s
      // of server time without, 68–78 s with). A server without the setting (one that speaks PostgreSQL's protocol
      // but is not PostgreSQL 11 or later) goes on as it is.
      await client.query("SET jit = off").catch((error: unknown) => {
        if ((error as {code?: string}).code !== "42704") throw error; // undefined_object: no such setting
      });
    } catch (error) {
      throw new WarehouseError(`cannot connect to ${where}: ${errorText(error)}; ${connectHint(error)}`);
    }
    progress(`connected to ${where}: read-only, statement timeout ${timeout}`);
    return await work(warehouseSession(client, settings));
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(redact(String(error), secrets()));
    error.message = redact(error.message, secrets());
    if (error.stack) error.stack = redact(error.stack, secrets());
    throw error;
  } finally {
    await client?.end().catch(() => {});
  }
}

/**
 * The DuckDB type that holds a PostgreSQL result column exactly. NUMERIC needs its
 * precision and scale (a query casts an unconstrained sum); other types are refused by name.
 */
function duckdbType(field: pg.FieldDef): string {
  const {builtins} = pg.types;
  switch (field.dataTypeID) {
    case builtins.BOOL:
      return "BOOLEAN";
    case builtins.INT2:
      return "SMALLINT";
    case builtins.INT4:
      return "INTEGER";
    case builtins.INT8:
      return "BIGINT";
    case builtins.FLOAT4:
      return "FLOAT";
    case builtins.FLOAT8:
      return "DOUBLE";
    case builtins.DATE:
      return "DATE";
    case builtins.TIMESTAMP:
      return "TIMESTAMP";
    case builtins.TEXT:
    case builtins.VARCHAR:
    case builtins.BPCHAR:
      return "VARCHAR";
    case builtins.NUMERIC: {
      // typmod = (precision << 16 | scale) + 4; -1 when unconstrained.
      const typmod = field.dataTypeModifier - 4;
      if (typmod >= 0 && typmod >> 16 <= 38) return `DECIMAL(${typmod >> 16}, ${typmod & 0xffff})`;
      break;
    }
  }
  throw new Error(
    `column ${field.name}: PostgreSQL type ${field.dataTypeID}${field.dataTypeID === builtins.NUMERIC ? " (NUMERIC without precision)" : ""} has no exact DuckDB type here; cast it in the query`
  );
}

/** The columns of each canonical table the session's search path has (a table without columns is absent). */
async function warehouseTables(
  session: WarehouseSession,
  {asOf, surveyScale: scale}: WarehouseSettings
): Promise<WarehouseTables> {
  const present = new Map<TableName, Set<string>>();
  for (const table of tableOrder) {
    const rows = await session.rows<{name: string}>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass(${literal(session.table(table))}) AND attnum > 0 AND NOT attisdropped`,
      {what: "the table's columns", table}
    );
    if (rows.length > 0) present.set(table, new Set(rows.map((row) => row.name)));
  }
  // Bonds: a table of who holds which bond, as ingest writes bonds.csv (or a view giving it), where there is one.
  const bonds = await session.rows<{name: string}>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass('bonds') AND attnum > 0 AND NOT attisdropped`,
    {what: "the bonds table's columns", table: "customers"}
  );
  if (!present.has("transactions"))
    throw new WarehouseError(
      `no table ${session.table("transactions")} on the connection's search path: the site and the fit need the canonical transactions (see the README)`
    );
  return {
    present,
    relation: session.table,
    asOf,
    scale,
    ...(bonds.length > 0 && {bonds: new Set(bonds.map((row) => row.name))})
  };
}

/** Rows a block of a streamed column holds. */
const blockRows = 65_536;

/** A numeric result value (BIGINT and NUMERIC come as text) as a number, NULL as NaN; anything else is refused. */
function numberOf(value: unknown, column: string): number {
  if (value === null) return NaN;
  const number =
    typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (Number.isNaN(number)) throw new Error(`column ${column}: ${JSON.stringify(value)} is not a number`);
  return number;
}

function warehouseSession(client: pg.Client, settings: WarehouseSettings): WarehouseSession {
  const table = (name: TableName) => identifier(settings.tables[name] ?? name);
  const failed = (purpose: QueryPurpose, error: unknown) =>
    queryFailed(
      postgres,
      purpose,
      table(purpose.table),
      `${errorText(error)}${queryHint(error, settings.statementTimeout)}`
    );
  let canonical: Promise<WarehouseTables> | undefined;
  const session: WarehouseSession = {
    dialect: postgres,
    database: client.database ?? "",
    table,
    tables: () => (canonical ??= warehouseTables(session, settings)),
    checked: async (name) => checkedRelation(await session.tables(), name),
    async rows<T>(sql: string, purpose: QueryPurpose) {
      try {
        return (await client.query(sql)).rows as T[];
      } catch (error) {
        throw failed(purpose, error);
      }
    },
    async columns<K extends string>(sql: string, purpose: QueryPurpose) {
      try {
        // Streamed (COPY … TO STDOUT as CSV: numbers are never quoted, NULL is empty) into
        // blocks of doubles, so that a million rows never sit in memory as row objects.
        const {fields} = await client.query(`SELECT * FROM (${sql}) q LIMIT 0`);
        const blocks: Float64Array[][] = fields.map(() => []);
        let block = fields.map(() => new Float64Array(blockRows));
        let row = 0;
        let partial = "";
        for await (const chunk of client.query(
          copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv)`)
        ) as AsyncIterable<Buffer>) {
          const lines = (partial + chunk.toString("utf-8")).split("\n");
          partial = lines.pop()!;
          for (const line of lines) {
            line
              .split(",")
              .forEach((text, c) => (block[c]![row] = numberOf(text === "" ? null : text, fields[c]!.name)));
            if (++row < blockRows) continue;
            block.forEach((values, c) => blocks[c]!.push(values));
            block = fields.map(() => new Float64Array(blockRows));
            row = 0;
          }
        }
        return Object.fromEntries(
          fields.map((field, c) => [field.name, concatenate([...blocks[c]!, block[c]!.subarray(0, row)])])
        ) as Record<K, Float64Array>;
      } catch (error) {
        throw failed(purpose, error);
      }
    },
    async keep(name, sql, purpose) {
      try {
        await client.query(
          `BEGIN READ WRITE; DROP TABLE IF EXISTS pg_temp.${name}; CREATE TEMP TABLE ${name} AS ${sql}; ANALYZE ${name}; COMMIT`
        );
        return true;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        // insufficient_privilege (no TEMP on the database), read_only_sql_transaction (a standby)
        const code = (error as {code?: string}).code;
        if (code === "42501" || code === "25006") return false;
        throw failed(purpose, error);
      }
    },
    async copyToCsv(sql, purpose, path) {
      try {
        // LIMIT 0 plans the query without running it: the columns' types, before the rows.
        const {fields} = await client.query(`SELECT * FROM (${sql}) q LIMIT 0`);
        const columns = fields.map((field) => ({name: field.name, type: duckdbType(field)}));
        const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv)`));
        await pipeline(stream, createWriteStream(path));
        return {columns, rows: stream.rowCount};
      } catch (error) {
        throw failed(purpose, error);
      }
    }
  };
  return session;
}
