// The site built from a PostgreSQL warehouse (test/postgres.ts; skipped with one line where
// PostgreSQL is absent) against the site built from the equivalent folder: every archive
// member the same, the raw transactions never brought back, the password nowhere.
//
// The warehouse holds the demo's canonical tables as ingest wrote them, so its ids are
// already pseudonyms p; the site pseudonymises whatever ids a warehouse holds, giving
// pseudonym(p). The equivalent folder is therefore the ingested one with every personal id
// replaced by pseudonym(p) (computed here, independently of loaders/pseudonym.ts).
import {copyFileSync, existsSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {csvFormat, csvParse} from "d3";
import JSZip from "jszip";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {schemas, tableOrder} from "../loaders/canonical.js";
import {withSession} from "../loaders/source/source.js";
import {siteArchive} from "../loaders/site/archive.js";
import type {SqlSession} from "../loaders/sqlSession.js";
import {settingVariables} from "../loaders/settings.js";
import {
  checkedRowsSql,
  withChecked,
  type CustomerSlice,
  type WarehouseTables
} from "../loaders/source/postgres/checks.js";
import {withWarehouse, type WarehouseSession} from "../loaders/source/postgres/connection.js";
import {keepCheckedTables} from "../loaders/source/postgres/site.js";
import {literal} from "../src/core/sql/sql.js";
import {expectedPseudonym, runIngest, type Ingested} from "./ingestHelpers.js";
import {postgresMissing, startPostgres, type TestServer} from "./postgres.js";
import {testSettings} from "./settings.js";
import {temporaryDirectory} from "./tempDir.js";

if (postgresMissing) console.warn(postgresMissing);

const root = join(import.meta.dirname, "..");
const key = "warehouse-site-key";

/** A copy of an ingested folder with every personal id p replaced by pseudonym(p), rows in ingest's order (by that id, then as they were). */
function repseudonymised(ingested: Ingested): string {
  const dir = temporaryDirectory("warehouse-site-folder-");
  const rewrite = (file: string, personal: string[], sortBy: string) => {
    const rows = ingested.rows(file).map((row, i) => ({
      row: {
        ...row,
        ...Object.fromEntries(personal.filter((c) => row[c]).map((c) => [c, expectedPseudonym(row[c]!, key)]))
      },
      i
    }));
    rows.sort((a, b) => (a.row[sortBy]! < b.row[sortBy]! ? -1 : a.row[sortBy]! > b.row[sortBy]! ? 1 : a.i - b.i));
    const columns = ingested.text(file).split("\n")[0]!.split(",");
    writeFileSync(
      join(dir, file),
      `${csvFormat(
        rows.map((r) => r.row),
        columns
      )}\n`
    );
  };
  for (const table of tableOrder) {
    const personal = schemas[table].filter((f) => f.personal).map((f) => f.name);
    rewrite(`${table}.csv`, personal, personal[0]!);
  }
  rewrite("customer_summary.csv", ["customer_id"], "customer_id");
  // Who holds which bond, where the source declares bonds (the warehouse holds it as table bonds).
  if (existsSync(join(ingested.dir, "bonds.csv"))) rewrite("bonds.csv", ["customer_id"], "customer_id");
  for (const file of ["source.json", "quality.json", "rejects.csv"])
    copyFileSync(join(ingested.dir, file), join(dir, file));
  return dir;
}

/** The archive's members as text; a gzipped one as base64, so that equal texts are equal bytes. */
async function members(archive: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(archive);
  const files = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort())
    files.set(name, await zip.file(name)!.async(name.endsWith(".gz") ? "base64" : "string"));
  return files;
}

describe.skipIf(postgresMissing !== null)("the site from a PostgreSQL warehouse", () => {
  let server: TestServer;
  let demo: Ingested;
  let fromFolder: Map<string, string>;
  let fromWarehouse: Map<string, string>;
  const progress: string[] = [];

  beforeAll(async () => {
    vi.stubEnv(settingVariables.pseudonymKey, key);
    demo = await runIngest("generic", [join(root, "data", "demo", "mapping.json")], {asOf: "2025-06-30"});
    server = await startPostgres();
    server.load(demo.dir);
    fromFolder = await members(await siteArchive(testSettings(repseudonymised(demo))));
    fromWarehouse = await members(
      await siteArchive(testSettings(server.url(server.reader)), (line) => progress.push(line))
    );
  }, 240_000);
  afterAll(() => {
    server?.stop();
    vi.unstubAllEnvs();
  });

  it("gives every page's file the same bytes as the equivalent folder", () => {
    // The source's description and its data-quality report say where the data came from.
    const own = new Set(["source.json", "quality.json", "rejects_sample.csv"]);
    // Not shipped from a warehouse: the explore page's raw transactions and customers.
    const notYet = (name: string) =>
      ["explore.json", "explore_transactions.csv.gz", "explore_customers.csv.gz"].includes(name);
    expect([...fromWarehouse.keys()].filter((name) => !notYet(name))).toEqual(
      [...fromFolder.keys()].filter((name) => !notYet(name))
    );
    // Its header only.
    const shipped = gunzipSync(Buffer.from(fromWarehouse.get("explore_transactions.csv.gz")!, "base64"));
    expect(shipped.toString("utf-8").trim().split("\n")).toHaveLength(1);
    // ...and the explore page says that they stay in the warehouse.
    const explore = JSON.parse(fromWarehouse.get("explore.json")!) as {tables: {name: string; atSource?: boolean}[]};
    expect(explore.tables.filter((t) => t.atSource).map((t) => t.name)).toEqual(["customers", "transactions"]);
    // Segment reports too, each computed in the warehouse over its slice's customers.
    expect(JSON.parse(fromWarehouse.get("reports.json")!).slices.map((s: {kind: string}) => s.kind)).toEqual([
      "channel",
      "channel",
      "channel",
      "channel",
      "segment",
      "segment",
      "segment"
    ]);
    const differing = [...fromFolder]
      .filter(([name, text]) => !own.has(name) && !notYet(name) && fromWarehouse.get(name) !== text)
      .map(([name]) => name);
    if (process.env.WAREHOUSE_SITE_DUMP)
      for (const [label, files] of [
        ["folder", fromFolder],
        ["warehouse", fromWarehouse]
      ] as const)
        for (const name of differing)
          writeFileSync(join(process.env.WAREHOUSE_SITE_DUMP, `${label}-${name}`), files.get(name)!);
    expect(differing).toEqual([]);
    expect(fromFolder.size).toBeGreaterThan(30);
  });

  it("reads who holds which bond from the warehouse's bonds table: the same bonds, holders and retention with and without each as the folder", () => {
    const bonds = (files: Map<string, string>) => JSON.parse(files.get("source.json")!).bonds;
    expect(bonds(fromWarehouse)).toEqual([
      {name: "Loyalty member", kind: "financial"},
      {name: "Account manager", kind: "social"},
      {name: "App account", kind: "structural"}
    ]);
    expect(bonds(fromWarehouse)).toEqual(bonds(fromFolder));
    expect(fromWarehouse.get("retention_bond_curves.csv")).toBe(fromFolder.get("retention_bond_curves.csv"));
    // Holders, shares and a year on; the CLV and P(active) columns rest on the model's fit, which the next test compares.
    const counts = (files: Map<string, string>) =>
      csvParse(files.get("retention_bonds.csv")!).map((r) => Object.values(r).slice(0, 11));
    expect(counts(fromWarehouse)).toEqual(counts(fromFolder));
    expect(counts(fromWarehouse)).toHaveLength(6);
  });

  it("describes the same data: dates, customers, transactions, costs, tables", () => {
    const folder = JSON.parse(fromFolder.get("source.json")!);
    const warehouse = JSON.parse(fromWarehouse.get("source.json")!);
    expect(warehouse).toEqual({...folder, kind: "postgres", name: "shop (PostgreSQL)"});
  });

  it("reconciles the warehouse's rows: input = loaded + rejected per table, the checks that ran named", () => {
    const quality = JSON.parse(fromWarehouse.get("quality.json")!);
    // The warehouse holds the rows ingest loaded (a survey response is a row per dimension): nothing more to reject.
    for (const table of tableOrder) {
      const rows = demo.rows(`${table}.csv`).length;
      expect(quality.tables[table], table).toEqual({
        input_rows: rows,
        loaded_rows: rows,
        rejected_rows: 0,
        rejected_by_reason: {}
      });
    }
    expect(quality.source.checks).toMatch(
      /^checked in the warehouse by ingest's rules: missing values, .*; dates after the server's current date count as future dates$/
    );
    expect(csvParse(fromWarehouse.get("rejects_sample.csv")!)).toHaveLength(0);
  });

  it("checks each table once where the role may create temporary tables, reading the same rows from them as from the raw rows checked again, for the whole source and a slice", async () => {
    expect(progress).toContain(
      "temporary tables: every table is checked once, and each query reads the checked rows kept"
    );
    const settings = testSettings(server.url(server.reader));
    /** Each canonical table's rows, in a fingerprint: how many, and a hash of them all in order. */
    const fingerprints = (session: WarehouseSession, tables: WarehouseTables, slice: CustomerSlice | null) =>
      Promise.all(
        ["customers", "transactions", "bonds", "feedback", "prospects"].map((table) =>
          session.rows(
            withChecked(
              tables,
              `SELECT ${literal(table)} AS "table", count(*) AS n, md5(string_agg(c::text, '|' ORDER BY c::text)) AS rows FROM canonical_${table} c`,
              [],
              slice
            ),
            {what: `the ${table}`, table: "transactions"}
          )
        )
      );
    await withWarehouse(server.url(server.reader), settings.warehouse, async (session) => {
      const tables = await session.tables();
      const kept = await keepCheckedTables(session, tables, () => {});
      expect([...(kept.kept ?? [])]).toEqual([
        "checked_customers",
        "checked_transactions",
        "canonical_bonds",
        "checked_feedback",
        "checked_prospects"
      ]);
      for (const slice of [null, {column: "segment", value: "home"}]) {
        const [checkedAgain, read] = [
          await fingerprints(session, tables, slice),
          await fingerprints(session, kept, slice)
        ];
        expect(read).toEqual(checkedAgain);
        expect(read.every(([row]) => Number(row!.n) > 0)).toBe(true);
      }
    });
    // A role that may not create temporary tables keeps none, and the queries check the raw rows again.
    server.psql(`CREATE ROLE plain LOGIN PASSWORD 'plain-password';
      REVOKE TEMP ON DATABASE ${server.database} FROM PUBLIC;
      GRANT CONNECT ON DATABASE ${server.database} TO plain;
      GRANT USAGE ON SCHEMA public TO plain;
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO plain`);
    const lines: string[] = [];
    await withWarehouse(server.url({user: "plain", password: "plain-password"}), settings.warehouse, async (session) =>
      expect(
        (await keepCheckedTables(session, await session.tables(), (line) => lines.push(line))).kept
      ).toBeUndefined()
    );
    expect(lines).toEqual([
      "temporary tables: this role may not create them here, so every query checks the raw rows again"
    ]);
  });

  it("brings back fewer rows than 10 × customers + 50,000, in a line per query, and never the password", () => {
    const customers = JSON.parse(fromWarehouse.get("source.json")!).customers as number;
    const total = progress.find((line) => /rows derived from transactions/.test(line))!;
    expect(Number(/^([\d,]+) rows derived/.exec(total)![1]!.replaceAll(",", ""))).toBeLessThan(10 * customers + 50_000);
    // The whole source's queries, one line each (the segment reports' follow, their slice named).
    expect(
      progress
        .filter(
          (line) => / rows in [\d.]+ s$/.test(line) && !/\)$/.test(line.replace(/: [\d,]+ rows in [\d.]+ s$/, ""))
        )
        .map((line) => line.replace(/: [\d,]+ rows in [\d.]+ s$/, ""))
    ).toEqual([
      "a sample of rejected rows",
      "the customer summary",
      "the feedback",
      "the prospects",
      "the source's transactions and buyers",
      "daily first and repeat sales",
      "the size of the purchase days per customer",
      "the purchase days per customer the browser gets",
      "the size of the monthly sums per customer",
      "the monthly sums per customer the browser gets",
      "profit per customer, and in the data to Jun 2024",
      "gross profit by month",
      "each customer's purchases for the models, and before the cut-off for their check",
      "the gross margin",
      "repeat purchases by week and customers by first day",
      "the recent months' customers",
      "the gaps between purchase days",
      "growth accounting by week",
      "growth accounting by month",
      "growth accounting by quarter",
      "the leaky bucket over the last complete months",
      "the leaky bucket over Jul 2023 – Jun 2024",
      "each customer's state at the month end",
      "retention by cohort and month",
      "retention by year and month",
      "retention by channel and month",
      "retention by cohort and quarter",
      "retention by year and quarter",
      "retention by channel and quarter",
      "active and lapsed customers by week",
      "active and lapsed customers by month",
      "active and lapsed customers by quarter",
      "who holds which bond",
      "retention by bond",
      "the loyalty ladder",
      "the loyalty ladder's climbs by cohort and channel",
      "the lifecycle's customers per stage, flows, time in each stage and customers newly in decline each month",
      "satisfaction cells",
      "satisfaction importance",
      "satisfaction responses",
      "satisfaction deliveries",
      "satisfaction late scores",
      "satisfaction referrals",
      "the returns netted against purchases, by rule"
    ]);
    // A segment report asks only for what its figures need: no per-customer rows (those are cut from the whole's).
    const sliceLines = progress.filter((line) =>
      /\((email|referral|search|social|café|home|office)\): [\d,]+ rows in/.test(line)
    );
    expect(sliceLines.length).toBeGreaterThan(0);
    expect(
      sliceLines.filter((line) =>
        /^(profit per customer|each customer's purchases|each customer's state|satisfaction (cells|responses))/.test(
          line
        )
      )
    ).toEqual([]);
    for (const text of [...progress, ...fromWarehouse.values()]) {
      expect(text).not.toContain(server.reader.password);
      expect(text).not.toContain(encodeURIComponent(server.reader.password));
    }
  });
});

// Transactions breaking each rule once, and lines that break none: a return (negative revenue
// and quantity), and two equal lines without an order id (two purchases). Customers: a, b.
// An unknown customer's repeated line is a repeated line (ingest tries that rule first).
const planted = `SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue, cost::DECIMAL(18, 2) AS cost, order_id,
       quantity::INTEGER AS quantity, NULL::VARCHAR AS product, NULL::VARCHAR AS category, NULL::VARCHAR AS channel FROM (VALUES
  ('a', '2024-01-01 10:00:00', '10', NULL, 'o1', '1'),
  ('a', '2024-01-01 10:00:00', '10', NULL, 'o1', '1'),
  ('a', '2024-01-02 10:00:00', '5', NULL, NULL, '1'),
  ('a', '2024-01-02 10:00:00', '5', NULL, NULL, '1'),
  ('b', '2024-01-03 10:00:00', '-4', NULL, 'o2', '-1'),
  ('b', '2024-01-03 10:00:00', '-4', NULL, 'o3', '1'),
  ('b', '2024-01-04 10:00:00', '4', '-1', 'o4', '1'),
  (NULL, '2024-01-05 10:00:00', '3', NULL, 'o5', '1'),
  ('b', NULL, '3', NULL, 'o6', '1'),
  ('b', '2024-01-06 10:00:00', NULL, NULL, 'o7', '1'),
  ('z', '2024-01-07 10:00:00', '3', NULL, 'o8', '1'),
  ('z', '2024-01-07 10:00:00', '3', NULL, 'o8', '1'),
  ('a', '2025-01-01 10:00:00', '3', NULL, 'o9', '1')
) AS t(customer_id, occurred_at, revenue, cost, order_id, quantity)`;
const checked = (session: SqlSession) =>
  session.rows<{reason: string | null; column_name: string | null; value: string | null; n: number}>(
    `WITH planted AS (${planted}), known AS (SELECT * FROM (VALUES ('a'), ('b')) AS k(customer_id))
     SELECT reason, column_name, value, count(*)::INTEGER AS n FROM (${checkedRowsSql("transactions", "planted", {known: "known", asOf: "2024-12-31"})}) c
     GROUP BY reason, column_name, value ORDER BY reason NULLS FIRST, column_name, value`,
    {what: "the test", table: "transactions"}
  );

describe.skipIf(postgresMissing !== null)("checkedRowsSql(table, input, {known, asOf})", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  it("rejects each planted row for the first rule it breaks, the same in PostgreSQL and DuckDB", async () => {
    const expected = [
      // loaded: the first o1 line, both equal lines without an order id, the return
      {reason: null, column_name: null, value: null, n: 4},
      {reason: "duplicate order line", column_name: "order_id", value: "o1", n: 1},
      {reason: "duplicate order line", column_name: "order_id", value: "o8", n: 1},
      {reason: "future date", column_name: "occurred_at", value: "2025-01-01 10:00:00", n: 1},
      {reason: "missing customer id", column_name: "customer_id", value: null, n: 1},
      {reason: "missing occurred at", column_name: "occurred_at", value: null, n: 1},
      {reason: "missing revenue", column_name: "revenue", value: null, n: 1},
      {reason: "negative amount (not a return)", column_name: "cost", value: "-1.00", n: 1},
      {reason: "negative amount (not a return)", column_name: "revenue", value: "-4.00", n: 1},
      {reason: "unknown customer", column_name: "customer_id", value: "z", n: 1}
    ];
    expect(await withSession(testSettings(server.url(server.reader)), checked)).toEqual(expected);
    // Any folder opens a DuckDB session; the query reads only its own rows.
    expect(
      await withSession(
        testSettings((await runIngest("cdnow", [join(root, "data", "cdnow_sample.txt")], {asOf: "2000-01-01"})).dir),
        checked
      )
    ).toEqual(expected);
  });
});
