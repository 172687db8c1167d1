// A throwaway PostgreSQL server for the warehouse tests: Debian's PostgreSQL 15 started on a
// free port of 127.0.0.1 with its data and unix socket in a temporary folder, one database,
// a SELECT-only role and a role that owns the tables (both with passwords), and canonical
// tables loaded from a source folder that `ingest` wrote. initdb and the server refuse to
// run as root, so as root they run as the `postgres` user. Stopped and removed afterwards.
import {execFileSync, spawnSync} from "node:child_process";
import {randomBytes} from "node:crypto";
import {chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {bondFields, schemas, sqlTypes, tableOrder, type TableName} from "../loaders/canonical.js";
import {identifier, literal} from "../src/core/sql/sql.js";

export const postgresBin = process.env.CUSTOMER_EQUITY_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";
/** Why the warehouse tests cannot run here, or null when they can. */
export const postgresMissing = existsSync(join(postgresBin, "postgres"))
  ? null
  : `skipping the PostgreSQL warehouse tests: no PostgreSQL server in ${postgresBin} (set CUSTOMER_EQUITY_POSTGRES_BIN)`;

export interface Role {
  user: string;
  password: string;
}

export interface TestServer {
  port: number;
  database: string;
  /** May only read: CONNECT, USAGE on schema public, SELECT on the tables, TEMP. */
  reader: Role;
  /** Owns the tables: could write and drop them but for the session's read-only mode. */
  owner: Role;
  /** A postgres:// URL for a role on 127.0.0.1 (the password URL-encoded). */
  url(role: Role, database?: string): string;
  /** Runs SQL as the superuser over the unix socket; returns psql's unaligned output. */
  psql(sql: string): string;
  /** Creates an empty canonical table (named `name`, by default like it), owned by owner, readable by reader; returns its quoted name. */
  create(table: TableName, name?: string): string;
  /** Creates each canonical table found in a source folder (as `names` say) and COPYs its rows in. */
  load(dir: string, names?: Partial<Record<TableName, string>>): void;
  stop(): void;
}

const asRoot = process.getuid?.() === 0;
/** A command as the postgres user when we are root, as ourselves otherwise. */
const command = (program: string, args: string[]): [string, string[]] =>
  asRoot ? ["runuser", ["-u", "postgres", "--", program, ...args]] : [program, args];

function run(program: string, args: string[], stdin?: number): string {
  const [file, argv] = command(program, args);
  const result = spawnSync(file, argv, {encoding: "utf-8", stdio: [stdin ?? "ignore", "pipe", "pipe"]});
  if (result.status !== 0)
    throw new Error(
      `${program} ${args.join(" ")} failed (${result.status ?? result.signal}): ${result.stderr || result.error?.message}`
    );
  return result.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))
      );
    });
  });
}

const password = () => `pw-${randomBytes(6).toString("hex")}@:/%`;

/** Server settings (postgres -c name=value) beyond the harness's own, e.g. {shared_buffers: "1GB"} for a benchmark. */
export type ServerSettings = Record<string, string>;

export async function startPostgres(settings: ServerSettings = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "customer-equity-pg-"));
  const data = join(dir, "data");
  const bin = (name: string) => join(postgresBin, name);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], {encoding: "utf-8"}));
    const gid = Number(execFileSync("id", ["-g", "postgres"], {encoding: "utf-8"}));
    chownSync(dir, uid, gid);
  }
  let started = false;
  const stop = () => {
    if (started) spawnSync(...command(bin("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]), {stdio: "ignore"});
    started = false;
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    const port = await freePort();
    // Passwords over TCP, trust on the socket in our own folder (the superuser's way in).
    run(bin("initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync"
    ]);
    run(bin("pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-o",
      [
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`)
      ].join(" "),
      "start"
    ]);
    started = true;
    const database = "shop";
    const psql = (sql: string, db = database, stdin?: number) =>
      run(
        bin("psql"),
        [
          "-X",
          "-q",
          "-A",
          "-t",
          "-v",
          "ON_ERROR_STOP=1",
          "-h",
          dir,
          "-p",
          String(port),
          "-U",
          "postgres",
          "-d",
          db,
          "-c",
          sql
        ],
        stdin
      );
    const reader = {user: "reader", password: password()};
    const owner = {user: "owner", password: password()};
    psql(`CREATE DATABASE ${database}`, "postgres");
    psql(`CREATE ROLE ${reader.user} LOGIN PASSWORD ${literal(reader.password)};
          CREATE ROLE ${owner.user} LOGIN PASSWORD ${literal(owner.password)};
          REVOKE ALL ON SCHEMA public FROM PUBLIC;
          GRANT USAGE ON SCHEMA public TO ${reader.user}, ${owner.user};
          GRANT CREATE ON SCHEMA public TO ${owner.user};
          GRANT CONNECT, TEMP ON DATABASE ${database} TO ${reader.user}, ${owner.user}`);
    function create(table: TableName | "bonds", as: string = table): string {
      const name = identifier(as);
      psql(`CREATE TABLE ${name} (${(table === "bonds" ? bondFields : schemas[table]).map((f) => `${identifier(f.name)} ${sqlTypes[f.type]}`).join(", ")});
            ALTER TABLE ${name} OWNER TO ${owner.user};
            GRANT SELECT ON ${name} TO ${reader.user}`);
      return name;
    }
    return {
      port,
      database,
      reader,
      owner,
      url: (role, db = database) =>
        `postgres://${role.user}:${encodeURIComponent(role.password)}@127.0.0.1:${port}/${db}`,
      psql: (sql) => psql(sql),
      create,
      load(source, names = {}) {
        // The canonical tables, and who holds which bond where the folder has bonds.csv.
        for (const table of [...tableOrder, "bonds" as const]) {
          const file = join(source, `${table}.csv`);
          if (!existsSync(file)) continue;
          const name = create(table, table === "bonds" ? table : names[table]);
          const columns = readFileSync(file, "utf-8").slice(0, 4096).split("\n")[0]!.split(",").map(identifier);
          const fd = openSync(file, "r");
          try {
            psql(`COPY ${name} (${columns.join(", ")}) FROM STDIN (FORMAT csv, HEADER true)`, database, fd);
          } finally {
            closeSync(fd);
          }
          psql(`ANALYZE ${name}`);
        }
      },
      stop
    };
  } catch (error) {
    stop();
    throw error;
  }
}
