// A PostgreSQL warehouse as a source, against a real server (test/postgres.ts; skipped with
// one line where PostgreSQL is absent): the same fixtures loaded as files and into the
// warehouse give the same derived rows and the same fit; the session is read-only and
// bounded in time; table names are quoted; the password appears in no output.
import {spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import JSZip from "jszip";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {fitClv} from "../loaders/clv.js";
import {withSession} from "../loaders/source/source.js";
import type {SqlSession} from "../loaders/sqlSession.js";
import {calibrationAggregatesSql, calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import {atSourceNote} from "../src/components/explore.js";
import {readSettings} from "../loaders/settings.js";
import {siteArchive} from "../loaders/site/archive.js";
import {UnusableSourceError} from "../loaders/site/usable.js";
import type {ExploreTable} from "../loaders/site/explore.js";
import {csvParse} from "d3";
import {clvFitWithoutTime} from "./clvOutput.js";
import {expectedPseudonym, runIngest, testKey, type Ingested} from "./ingestHelpers.js";
import {temporaryDirectory} from "./tempDir.js";
import {postgresMissing, startPostgres, type Role, type TestServer} from "./postgres.js";
import {testSettings} from "./settings.js";

if (postgresMissing) console.warn(postgresMissing);

const root = join(import.meta.dirname, "..");
const hostile = `x"; DROP TABLE transactions; --`;
const window = ["--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30"];

/** npm run clv, as a user runs it, with no PG* variables but those given. */
function clv(args: string[], env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PG")));
  const result = spawnSync(join(root, "node_modules", ".bin", "tsx"), ["loaders/cli/clv.ts", ...args], {
    cwd: root,
    encoding: "utf-8",
    env: {...inherited, ...env}
  });
  return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

const aggregates = (session: SqlSession) =>
  session.rows(
    calibrationAggregatesSql(
      session.dialect,
      "1997-09-30",
      "1998-06-30",
      purchaseDaysSql(session.table("transactions"))
    ),
    {what: "the test", table: "transactions"}
  );
const perCustomer = (session: SqlSession) =>
  session.rows(
    `SELECT * FROM (${calibrationSummarySql(session.dialect, "1997-09-30", "1998-06-30", purchaseDaysSql(session.table("transactions")))}) s ORDER BY customer_id`,
    {
      what: "the test",
      table: "transactions"
    }
  );

describe.skipIf(postgresMissing !== null)("a PostgreSQL warehouse as a source", () => {
  let server: TestServer;
  let cdnow: Ingested;
  let demo: Ingested;
  /** npm run clv's fit from the CDNOW sample's folder, 1997-09-30 to 1998-06-30 (its last day). */
  let folderFit: unknown;
  const transactionRows = (ingested: Ingested) =>
    readFileSync(join(ingested.dir, "transactions.csv"), "utf-8").trimEnd().split("\n").length - 1;
  const expectNoPassword = (output: string, role: Role) => {
    expect(output).not.toContain(role.password);
    expect(output).not.toContain(encodeURIComponent(role.password));
  };

  beforeAll(async () => {
    cdnow = await runIngest("cdnow", [join(root, "data", "cdnow_sample.txt")], {asOf: "2000-01-01"});
    demo = await runIngest("generic", [join(root, "data", "demo", "mapping.json")], {asOf: "2025-06-30"});
    server = await startPostgres();
    server.load(cdnow.dir);
    // The same rows again under a hostile name, and the demo business under names of its own.
    server.load(cdnow.dir, {transactions: hostile, customers: "hostile_customers"});
    server.load(demo.dir, {
      transactions: "demo_sales",
      customers: "demo_customers",
      feedback: "demo_feedback",
      prospects: "demo_prospects"
    });
    const folder = clv([cdnow.dir, ...window]);
    if (folder.status !== 0) throw new Error(folder.stderr);
    folderFit = clvFitWithoutTime(folder.stdout);
  });
  afterAll(() => server?.stop());

  it("holds the same rows as the folder", () => {
    expect(Number(server.psql("SELECT count(*) FROM transactions"))).toBe(transactionRows(cdnow));
    expect(Number(server.psql("SELECT count(*) FROM demo_sales"))).toBe(transactionRows(demo));
  });

  it("gives the same distinct (x, t_x, T) and (x, spend) with their counts as DuckDB over the folder, for a SELECT-only role", async () => {
    const fromFolder = await withSession(testSettings(cdnow.dir), aggregates);
    const fromWarehouse = await withSession(testSettings(server.url(server.reader)), aggregates);
    expect(fromWarehouse.length).toBeGreaterThan(500);
    expect(fromWarehouse).toEqual(fromFolder);
    // 2,357 customers in the CDNOW sample, each in one (x, t_x, T); 946 repeat buyers (Fader, Hardie & Lee 2005).
    const customers = (kind: string) =>
      fromWarehouse.filter((r) => r.kind === kind).reduce((total, r) => total + Number(r.n), 0);
    expect([customers("bgnbd"), customers("spend")]).toEqual([2357, 946]);
  });

  it("gives every customer the same calibration summary (x, t_x, T, spend, holdout, first_week) as DuckDB over the folder", async () => {
    const fromFolder = await withSession(testSettings(cdnow.dir), perCustomer);
    const fromWarehouse = await withSession(testSettings(server.url(server.reader)), perCustomer);
    expect(fromWarehouse).toHaveLength(2357);
    expect(fromWarehouse).toEqual(fromFolder);
    // first_week: whole weeks after the data's first purchase. Fader & Hardie's summary of the sample has T from 27.00 to
    // 38.86 weeks before 1997-09-30: first purchases from 1997-01-01 to 1997-03-25, 0 to 83 days in, weeks 0 to 11.
    expect(new Set(fromWarehouse.map((row) => row.first_week))).toEqual(
      new Set(Array.from({length: 12}, (_, week) => week))
    );
  });

  it("npm run clv --customers writes the folder's rows from the warehouse, each id pseudonymised on arrival", () => {
    const out = temporaryDirectory("warehouse-clv-");
    const env = {CUSTOMER_EQUITY_PSEUDONYM_KEY: testKey};
    const [folder = [], warehouse = []] = [cdnow.dir, server.url(server.reader)].map((source, i) => {
      const run = clv([source, ...window, "--customers", join(out, `${i}.csv`)], env);
      expect(run.status, run.stderr).toBe(0);
      return csvParse(readFileSync(join(out, `${i}.csv`), "utf-8"));
    });
    expect(folder).toHaveLength(2357);
    // The warehouse holds the folder's ids, which arrive as raw ids and are pseudonymised again.
    const expected = folder
      .map((row) => ({...row, customer_id: expectedPseudonym(row.customer_id!)}))
      .sort((a, b) => (a.customer_id < b.customer_id ? -1 : 1));
    expect(warehouse.map((row) => ({...row}))).toEqual(expected);
    expectNoPassword(readFileSync(join(out, "1.csv"), "utf-8"), server.reader);
  });

  it("npm run clv prints the same fit from the warehouse URL as from the folder, with no password in its output", () => {
    const warehouse = clv([server.url(server.reader), ...window]);
    expect(warehouse.status, warehouse.stderr).toBe(0);
    const fit = clvFitWithoutTime(warehouse.stdout);
    expect(fit).toEqual(folderFit);
    expect(fit.bgnbd.params.r).toBeCloseTo(0.243, 3); // Fader, Hardie & Lee (2005): r = 0.243
    expect(warehouse.stderr).toMatch(
      /connected to PostgreSQL at host 127\.0\.0\.1, port \d+, database shop \(user reader\): read-only, statement timeout 10min/
    );
    expectNoPassword(warehouse.stdout + warehouse.stderr, server.reader);
  });

  it("takes the user and password from PG* variables, and the holdout end from the data's last day, as for a folder", () => {
    const warehouse = clv([`postgresql://127.0.0.1:${server.port}/shop`, "--calibration-end", "1997-09-30"], {
      PGUSER: server.reader.user,
      PGPASSWORD: server.reader.password
    });
    expect(warehouse.status, warehouse.stderr).toBe(0);
    // The sample's last purchase is on 1998-06-30, so this is the folder's fit to that day.
    expect(clvFitWithoutTime(warehouse.stdout)).toEqual(folderFit);
    expectNoPassword(warehouse.stdout + warehouse.stderr, server.reader);
  });

  it("fits the demo business from tables with names of their own, as from its folder", async () => {
    // Stopped clocks: the fits' times are all that differs.
    const fit = (session: SqlSession) => fitClv(session, "2024-06-30", "2025-06-30", undefined, {clock: () => 0});
    const fromFolder = await withSession(testSettings(demo.dir), fit);
    // Its customers too: the transactions are checked against the customers table (here the CDNOW sample's would know none of them).
    const fromWarehouse = await withSession(
      readSettings(process.env, {
        source: server.url(server.reader),
        tables: {transactions: "demo_sales", customers: "demo_customers"}
      }),
      fit
    );
    expect(fromWarehouse).toEqual(fromFolder);
    expect(fromWarehouse.customers).toBeGreaterThan(1000);
  });

  it("reads views named like the canonical tables in a schema of their own, put on the search path by the URL (the README's recipe)", async () => {
    // A warehouse's own shape: other table and column names; the views map it (as the README shows),
    // with the quantity that tells a return (a negative line without one is rejected) and the
    // product a return nets against (src/core/sql/netPurchases.ts), as the folder has them.
    server.psql(`CREATE TABLE sales_orders AS SELECT customer_id AS client_no, occurred_at AS ordered_at, revenue AS total, order_id AS order_no, quantity AS qty, product AS sku FROM demo_sales;
      CREATE SCHEMA customer_equity;
      CREATE VIEW customer_equity.transactions AS SELECT client_no AS customer_id, ordered_at AS occurred_at, total AS revenue, order_no AS order_id, qty AS quantity, sku AS product FROM sales_orders;
      GRANT USAGE ON SCHEMA customer_equity TO ${server.reader.user};
      GRANT SELECT ON customer_equity.transactions TO ${server.reader.user}`);
    // Stopped clocks: the fits' times are all that differs.
    const fit = (session: SqlSession) => fitClv(session, "2024-06-30", "2025-06-30", undefined, {clock: () => 0});
    const viaViews = await withSession(
      testSettings(`${server.url(server.reader)}?options=-c%20search_path%3Dcustomer_equity`),
      fit
    );
    expect(viaViews).toEqual(await withSession(testSettings(demo.dir), fit));
    // The reader may read the view, not the table behind it: a view runs with its owner's rights.
    const count = (session: SqlSession) =>
      session.rows("SELECT count(*) FROM sales_orders", {what: "a count", table: "transactions"});
    await expect(withSession(testSettings(server.url(server.reader)), count)).rejects.toThrow(
      /permission denied for table sales_orders \(the role needs SELECT/
    );
  });

  it("builds the site from transactions alone, the customers derived in the warehouse, and the explore page says which is which", async () => {
    // The schema of the test before: a view of the demo's transactions, nothing else.
    const zip = await JSZip.loadAsync(
      await siteArchive(testSettings(`${server.url(server.reader)}?options=-c%20search_path%3Dcustomer_equity`))
    );
    const json = async (name: string) => JSON.parse(await zip.file(name)!.async("string"));
    const source = await json("source.json");
    expect(source.tables).toEqual(["customers", "transactions"]);
    expect(source.derived).toEqual(["customers"]);
    const {tables} = (await json("explore.json")) as {tables: ExploreTable[]};
    expect(atSourceNote(tables)).toMatch(
      /^The transactions table stays in the warehouse .*: query it there\. The warehouse has no customers table: the site derives it there from the transactions\./
    );
  }, 180_000);

  it("refuses a warehouse whose transactions are empty in one sentence naming it, without the password", async () => {
    server.psql(`CREATE SCHEMA empty_shop;
      CREATE VIEW empty_shop.transactions AS SELECT * FROM demo_sales WHERE false;
      GRANT USAGE ON SCHEMA empty_shop TO ${server.reader.user};
      GRANT SELECT ON empty_shop.transactions TO ${server.reader.user}`);
    const url = `${server.url(server.reader)}?options=-c%20search_path%3Dempty_shop`;
    const error = await siteArchive(testSettings(url)).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(UnusableSourceError);
    expect((error as Error).message).toMatch(
      /^The source postgres(ql)?:\/\/reader:\*\*\*@127\.0\.0\.1:\d+\/shop\?options=\S+ cannot make a site: its transactions table has no rows; point CUSTOMER_EQUITY_SOURCE at /
    );
    expectNoPassword((error as Error).message, server.reader);
  }, 180_000);

  it("quotes a hostile table name: the table of that name is read, and transactions survives", () => {
    const mapped = clv([server.url(server.owner), ...window, "--table", `transactions=${hostile}`]);
    expect(mapped.status, mapped.stderr).toBe(0);
    expect(clvFitWithoutTime(mapped.stdout)).toEqual(folderFit);
    const missing = clv([server.url(server.owner), ...window, "--table", `transactions=${hostile.replace("x", "y")}`]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(
      `clv: no table "y""; DROP TABLE transactions; --" on the connection's search path`
    );
    expectNoPassword(missing.stdout + missing.stderr, server.owner);
    expect(Number(server.psql("SELECT count(*) FROM transactions"))).toBe(transactionRows(cdnow));
  });

  it("runs every session read-only: even the tables' owner cannot write or drop", async () => {
    const attempt = (sql: string) =>
      withSession(testSettings(server.url(server.owner)), (session) =>
        session.rows(sql, {what: "a write attempt", table: "transactions"})
      );
    await expect(attempt("DELETE FROM transactions")).rejects.toThrow(
      /a write attempt on table "transactions" failed: cannot execute DELETE in a read-only transaction \(the session is read-only/
    );
    await expect(attempt("DROP TABLE transactions")).rejects.toThrow(
      /cannot execute DROP TABLE in a read-only transaction/
    );
    await expect(
      attempt("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; DELETE FROM transactions")
    ).rejects.toThrow(/read-only/);
    expect(Number(server.psql("SELECT count(*) FROM transactions"))).toBe(transactionRows(cdnow));
  });

  it("streams numeric columns (SqlSession.columns) over several blocks, NULL as NaN and BIGINT as a number, and refuses text", async () => {
    // 70,000 rows: more than one 65,536-row block. Row i: i, i / 4 (or NULL for every tenth), i as BIGINT times 1e6.
    const columns = await withSession(testSettings(server.url(server.reader)), (session) =>
      session.columns<"i" | "quarter" | "big">(
        `SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i / 4.0::DOUBLE PRECISION END AS quarter, i::BIGINT * 1000000 AS big FROM generate_series(1, 70000) i ORDER BY i`,
        {what: "the test", table: "transactions"}
      )
    );
    expect(columns.i.length).toBe(70_000);
    expect([columns.i[0], columns.i[65_535], columns.i[65_536], columns.i[69_999]]).toEqual([
      1, 65_536, 65_537, 70_000
    ]);
    expect([columns.quarter[0], columns.quarter[9], columns.quarter[65_536]]).toEqual([0.25, NaN, 65_537 / 4]);
    expect(columns.big[69_999]).toBe(70_000_000_000);
    await expect(
      withSession(testSettings(server.url(server.reader)), (session) =>
        session.columns("SELECT 'x' AS label", {what: "a text column", table: "transactions"})
      )
    ).rejects.toThrow(/a text column on table "transactions" failed: column label: "x" is not a number/);
  });

  it("stops a statement at the statement timeout, naming the query and the setting", async () => {
    await expect(
      withSession(testSettings(server.url(server.reader), {CUSTOMER_EQUITY_STATEMENT_TIMEOUT: "200ms"}), (session) =>
        session.rows("SELECT pg_sleep(2)", {what: "a slow query", table: "transactions"})
      )
    ).rejects.toThrow(
      /a slow query on table "transactions" failed: canceling statement due to statement timeout \(the statement timeout of 200ms ran out: raise CUSTOMER_EQUITY_STATEMENT_TIMEOUT\)/
    );
    expect(() => testSettings(server.url(server.reader), {CUSTOMER_EQUITY_STATEMENT_TIMEOUT: "10 minutes"})).toThrow(
      /statement timeout "10 minutes"/
    );
  });

  it("passes TLS settings through to the driver (this server has no TLS, so sslmode=verify-full is refused)", async () => {
    const run = clv([`${server.url(server.reader)}?sslmode=verify-full`, ...window]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^clv: cannot connect to PostgreSQL at host 127\.0\.0\.1, port \d+, database shop \(user reader\): The server does not support SSL connections; check the TLS settings/
    );
    expectNoPassword(run.stdout + run.stderr, server.reader);
  });

  it("says in one line where a refused connection went and what to check, without the password", () => {
    const closed = server.port === 65535 ? server.port - 1 : server.port + 1;
    const refused = clv([server.url(server.reader).replace(`:${server.port}/`, `:${closed}/`), ...window]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      `clv: cannot connect to PostgreSQL at host 127.0.0.1, port ${closed}, database shop (user reader): connect ECONNREFUSED 127.0.0.1:${closed}; check that the server runs and listens there (host and port: the URL, or PGHOST and PGPORT)\n`
    );
    const wrongPassword = clv([server.url({...server.reader, password: `${server.reader.password}-wrong`}), ...window]);
    expect(wrongPassword.status).toBe(1);
    expect(wrongPassword.stderr).toMatch(
      /^clv: cannot connect to .*: password authentication failed for user "reader"; check the user and password .*\n$/
    );
    expectNoPassword(wrongPassword.stdout + wrongPassword.stderr, server.reader);
  });
});
