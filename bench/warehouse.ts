// Warehouse benchmark (issue 12): a PostgreSQL 15 started as the tests start it
// (test/postgres.ts) with shared_buffers=1GB and pg_stat_statements, 1M and 10M transactions
// (10 lines per customer, 100k and 1M customers, and a customers table) generated in
// PostgreSQL itself from a seeded hash, then for each size `npm run clv` and the site's data
// loader (src/data/source.zip.ts, what `npm run build` runs) from the URL: wall time, peak RSS
// of Node (GNU time), the server's own time for the queries sent and the rows they returned
// (pg_stat_statements). Prints a table and writes bench/results/warehouse.json.
// Usage: npm run bench:warehouse  (BENCH_SIZES=1000000 for the small size only, BENCH_STEPS=clv,tables,site
// for some steps, BENCH_STEP_TIMEOUT=900 seconds a step at most; the whole site's data is built up to
// BENCH_SITE_MAX transactions, 1M by default, the warehouse's part at every size)
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {readSettings, settingVariables} from "../loaders/settings.js";
import {defineSiteTables, shipBrowserTables} from "../loaders/site/tables.js";
import {withSource} from "../loaders/source/source.js";
import type {PrintedClvFit} from "../src/core/models/clvSummaryFit.js";
import {postgresMissing, startPostgres, type TestServer} from "../test/postgres.js";

const projectDir = join(import.meta.dirname, "..");
const sizes = (process.env.BENCH_SIZES ?? "1000000,10000000").split(",").map(Number);
/** Which steps run (clv, tables, site), all by default. */
const steps = new Set((process.env.BENCH_STEPS ?? "clv,tables,site").split(","));
/** The whole site's data (every page's loader in Node after the warehouse's queries) up to this size: it takes minutes per 100k customers. */
const siteMax = Number(process.env.BENCH_SITE_MAX ?? 1_000_000);
/** Lines per customer: 10 as in the issue's bench; BENCH_LINES_PER_CUSTOMER=100 is its acceptance check's shape (100 times more transactions than customers). */
const linesPerCustomer = Number(process.env.BENCH_LINES_PER_CUSTOMER ?? 10);
const seed = 20250101;
const calibrationEnd = "2024-06-30";
const holdoutEnd = "2025-06-30";
// `tsx bench/warehouse.ts tables`: the site's warehouse work alone (its queries, streamed into
// DuckDB), from $CUSTOMER_EQUITY_SOURCE; the benchmark measures it as a child process.
if (process.argv[2] === "tables") {
  const files = mkdtempSync(join(tmpdir(), "bench-warehouse-files-"));
  const settings = readSettings();
  try {
    await withSource(
      settings,
      ({connection, withSite}) =>
        withSite(files, async ({info, derived}) => {
          await defineSiteTables(derived);
          await shipBrowserTables(derived, connection, info.customers ?? 0, settings.browserRows);
        }),
      (line) => console.error(`source: ${line}`)
    );
  } finally {
    rmSync(files, {recursive: true, force: true});
  }
  process.exit(0);
}
if (postgresMissing) {
  console.log(`bench/warehouse: ${postgresMissing}`);
  process.exit(0);
}

/** A deterministic, seeded integer in [0, 2^31) for a row number and a purpose k (PostgreSQL's own hash of a bigint). */
const hash = (row: string, k: number) =>
  `(hashint8((${row})::BIGINT * 64 + ${k} + ${seed}::BIGINT * 1000000000) & 2147483647)`;

/**
 * Fills customers and transactions with `customers` customers of linesPerCustomer (L) lines
 * each, bought the way the BG/NBD model tells it (so that the fit converges as on real data):
 * a first day in 2022–2023, 1 to L visits (the L lines spread over them, an order per visit;
 * fewer visits = an earlier drop-out), exponential gaps of a customer's own mean (3 to 120
 * days × 10 / L, so that L visits span about as long as 10 do at L = 10) between them,
 * revenue 1.00–100.99 at a 40 % margin.
 */
function generate(server: TestServer, customers: number): void {
  server.psql("DROP TABLE IF EXISTS transactions, customers");
  const customerTable = server.create("customers");
  const transactionTable = server.create("transactions");
  server.psql(`INSERT INTO ${customerTable}
    SELECT 'c' || i, DATE '2022-01-01' + ${hash("i", 1)} % 730,
           (ARRAY['search', 'social', 'referral', 'email'])[1 + ${hash("i", 2)} % 4], (${hash("i", 3)} % 5000) / 100.0,
           (ARRAY['retail', 'business'])[1 + ${hash("i", 4)} % 2], ${hash("i", 5)} % 5
    FROM generate_series(1, ${customers}) i`);
  // Visit v's day: the first day plus the sum of v exponential gaps (uniform u → −mean·ln u).
  server.psql(`INSERT INTO ${transactionTable}
    SELECT 'c' || i, first + floor(gaps.days) * INTERVAL '1 day' + (${hash("i::BIGINT * 1024 + v", 6)} % 86400) * INTERVAL '1 second',
           revenue, round(revenue * 0.6, 2), 'o' || i || '-' || v, 1 + ${hash("i::BIGINT * 1024 + j", 7)} % 3,
           'p' || ${hash("i::BIGINT * 1024 + j", 8)} % 500, (ARRAY['beans', 'tools', 'gifts', 'courses'])[1 + ${hash("i::BIGINT * 1024 + j", 9)} % 4],
           (ARRAY['web', 'store'])[1 + ${hash("i", 10)} % 2]
    FROM generate_series(1, ${customers}) i
    CROSS JOIN LATERAL (SELECT DATE '2022-01-01' + ${hash("i", 1)} % 730 AS first, 1 + ${hash("i", 11)} % ${linesPerCustomer} AS visits, (3 + ${hash("i", 12)} % 118) * 10.0 / ${linesPerCustomer} AS mean_gap) c
    CROSS JOIN LATERAL (SELECT j, j * visits / ${linesPerCustomer} AS v, 1 + (${hash("i::BIGINT * 1024 + j", 13)} % 10000) / 100.0 AS revenue FROM generate_series(0, ${linesPerCustomer - 1}) j) l
    CROSS JOIN LATERAL (SELECT coalesce(sum(-mean_gap * ln((1 + ${hash("i::BIGINT * 1024 + g", 14)}) / 2147483648.0)), 0) AS days FROM generate_series(1, v) g) gaps`);
  server.psql("VACUUM ANALYZE customers");
  server.psql("VACUUM ANALYZE transactions");
}

interface Measured {
  seconds: number;
  rssMB: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Steps that run longer are stopped (GNU timeout kills the whole process group) and recorded as such. */
const stepTimeout = Number(process.env.BENCH_STEP_TIMEOUT ?? 900);

/** Runs a command under GNU time: wall seconds and the largest process's peak RSS (ru_maxrss of the children). */
function measure(command: string[], env: Record<string, string>): Measured {
  const dir = mkdtempSync(join(tmpdir(), "bench-warehouse-"));
  try {
    const timing = join(dir, "time");
    const result = spawnSync(
      "/usr/bin/time",
      ["-o", timing, "-f", "%e %M", "timeout", "-s", "KILL", String(stepTimeout), ...command],
      {
        cwd: projectDir,
        env: {...process.env, ...env},
        encoding: "utf-8",
        maxBuffer: 1 << 30,
        stdio: ["ignore", "pipe", "pipe"]
      }
    );
    const timedOut = result.status === 137;
    if (result.status !== 0 && !timedOut)
      throw new Error(`${command.join(" ")} failed (${result.status}):\n${result.stderr.slice(-4000)}`);
    const [seconds, kilobytes] = readFileSync(timing, "utf-8").trim().split("\n").at(-1)!.split(" ").map(Number);
    return {
      seconds: seconds!,
      rssMB: Math.round(kilobytes! / 1024),
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut
    };
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The reader's statements since the last reset: server time (execution, s), rows returned, calls. */
function serverWork(server: TestServer): {seconds: number; rows: number; calls: number} {
  const [ms, rows, calls] = server
    .psql(
      // The rows a CREATE TABLE … AS keeps in the session are not sent: rows returned counts the others' only.
      `SELECT coalesce(sum(total_exec_time), 0), coalesce(sum(rows) FILTER (WHERE query !~* '^\\s*(CREATE|ANALYZE|DROP|BEGIN|COMMIT)'), 0), coalesce(sum(calls), 0) FROM pg_stat_statements WHERE userid = 'reader'::regrole`
    )
    .trim()
    .split("|")
    .map(Number);
  return {seconds: ms! / 1000, rows: rows!, calls: calls!};
}

/**
 * The floor a build's server time is measured against (issue #24): one per-customer GROUP BY over the same table,
 * with count(DISTINCT day), its server time as pg_stat_statements records it; the faster of two runs.
 */
function floorSeconds(server: TestServer): number {
  const runs = [0, 1].map(() => {
    server.psql("SELECT pg_stat_statements_reset()");
    // Every aggregate is read outside, so that the planner drops none of them.
    server.psql(`SELECT /* bench floor */ count(*), sum(n), sum(days), sum(revenue), max(first), max(last) FROM (
        SELECT customer_id, count(*) AS n, count(DISTINCT occurred_at::DATE) AS days, sum(revenue) AS revenue,
               min(occurred_at) AS first, max(occurred_at) AS last
        FROM transactions GROUP BY customer_id) q`);
    return Number(
      server.psql("SELECT sum(total_exec_time) FROM pg_stat_statements WHERE query LIKE '%bench floor%'").trim()
    );
  });
  return Math.min(...runs) / 1000;
}

interface Result {
  transactions: number;
  customers: number;
  lines_per_customer: number;
  step: string;
  /** Stopped after BENCH_STEP_TIMEOUT seconds: the wall time is a lower bound. */
  timed_out: boolean;
  wall_s: number;
  /** Unknown (null) for a stopped step: the killed processes' usage never reaches GNU time. */
  node_peak_rss_mb: number | null;
  server_s: number;
  /** One per-customer GROUP BY over the same table (floorSeconds), and the server's time over it. */
  floor_s: number;
  server_over_floor: number;
  wall_over_server: number;
  statements: number;
  rows_returned: number;
  rows_budget: number;
  generate_s: number;
  log: string[];
  /** npm run clv's BG/NBD estimates and the optimiser's convergence: the fit's time depends on them. */
  bgnbd?: unknown;
}

const server = await startPostgres({shared_buffers: "1GB", shared_preload_libraries: "pg_stat_statements"});
const results: Result[] = [];
try {
  server.psql("CREATE EXTENSION pg_stat_statements");
  const url = server.url(server.reader);
  const env = {CUSTOMER_EQUITY_PSEUDONYM_KEY: "bench", CUSTOMER_EQUITY_STATEMENT_TIMEOUT: "1h"};
  for (const transactions of sizes) {
    const customers = transactions / linesPerCustomer;
    let start = performance.now();
    generate(server, customers);
    const generateSeconds = (performance.now() - start) / 1000;
    console.error(
      `warehouse: ${transactions.toLocaleString("en-US")} transactions generated in ${generateSeconds.toFixed(1)} s`
    );
    const floor = floorSeconds(server);
    console.error(`warehouse: one per-customer GROUP BY: ${floor.toFixed(2)} s of server time`);
    const budget = 10 * customers + 50_000;
    const run = (step: string, command: string[]) => {
      server.psql("SELECT pg_stat_statements_reset()");
      const measured = measure(command, {...env, [settingVariables.source]: url});
      const work = serverWork(server);
      if (measured.stderr.includes(server.reader.password)) throw new Error(`${step}: the password reached the log`);
      const row: Result = {
        transactions,
        customers,
        lines_per_customer: linesPerCustomer,
        step,
        timed_out: measured.timedOut,
        wall_s: measured.seconds,
        node_peak_rss_mb: measured.timedOut ? null : measured.rssMB,
        server_s: Math.round(work.seconds * 100) / 100,
        floor_s: Math.round(floor * 100) / 100,
        server_over_floor: Math.round((work.seconds / floor) * 10) / 10,
        wall_over_server: Math.round((measured.seconds / work.seconds) * 100) / 100,
        statements: work.calls,
        rows_returned: work.rows,
        rows_budget: budget,
        generate_s: Math.round(generateSeconds * 10) / 10,
        log: measured.stderr.split("\n").filter((line) => /^(clv|source): /.test(line))
      };
      if (step === "npm run clv" && !measured.timedOut) {
        const {bgnbd} = JSON.parse(measured.stdout) as PrintedClvFit;
        row.bgnbd = {params: bgnbd.params, converged: bgnbd.converged, iterations: bgnbd.iterations};
      }
      console.error(
        `warehouse: ${step}: ${row.wall_s} s, ${row.node_peak_rss_mb} MB, server ${row.server_s} s, ${row.rows_returned} rows`
      );
      results.push(row);
    };
    if (steps.has("clv"))
      run("npm run clv", [
        "node_modules/.bin/tsx",
        "loaders/cli/clv.ts",
        url,
        "--calibration-end",
        calibrationEnd,
        "--holdout-end",
        holdoutEnd
      ]);
    if (steps.has("tables"))
      run("site's warehouse queries into DuckDB", ["node_modules/.bin/tsx", "bench/warehouse.ts", "tables"]);
    if (steps.has("site") && transactions <= siteMax)
      run("whole site data (src/data/source.zip.ts)", ["node_modules/.bin/tsx", "src/data/source.zip.ts"]);
  }
} finally {
  server.stop();
}
console.table(results.map(({log: _log, generate_s: _generate, bgnbd: _bgnbd, ...row}) => row));
const ok = (row: Result) => ({
  rows: row.rows_returned < row.rows_budget,
  rss: row.transactions < 10_000_000 || (row.node_peak_rss_mb !== null && row.node_peak_rss_mb < 1024),
  time: !row.timed_out && row.wall_over_server <= 1.5,
  // The whole site's statements: at most 10 times one per-customer GROUP BY (issue #24).
  ...(row.step.startsWith("whole site") && {server: !row.timed_out && row.server_over_floor <= 10})
});
for (const row of results)
  console.log(
    `${row.transactions.toLocaleString("en-US")} ${row.step}: ${Object.entries(ok(row))
      .map(([target, met]) => `${target} ${met ? "ok" : "MISSED"}`)
      .join(", ")}`
  );
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
const resultsFile = join(projectDir, "bench", "results", "warehouse.json");
// Sizes and steps run separately (BENCH_SIZES, BENCH_STEPS) keep each other's results.
const earlier = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, "utf-8")) as {results: Result[]}).results
      .filter(
        (row) =>
          !results.some(
            (r) =>
              r.transactions === row.transactions &&
              (r.lines_per_customer ?? 10) === (row.lines_per_customer ?? 10) &&
              r.step === row.step
          )
      )
      .map((row) => (row.timed_out ? {...row, node_peak_rss_mb: null} : row))
  : [];
results.unshift(...earlier);
results.sort((a, b) => a.transactions - b.transactions || (a.lines_per_customer ?? 10) - (b.lines_per_customer ?? 10));
writeFileSync(
  resultsFile,
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", postgres: "15, shared_buffers=1GB", calibrationEnd, holdoutEnd, targets: "rows_returned < 10 × customers + 50,000; Node peak RSS < 1 GB at 10M; wall ≤ 1.5 × server time; the whole site's server time ≤ 10 × one per-customer GROUP BY", results: results.map((row) => ({...row, ok: ok(row)}))}, null, 2)}\n`
);
