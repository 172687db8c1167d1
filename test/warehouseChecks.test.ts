// The warehouse's checks (loaders/source/postgres/checks.ts) against hand-made rows: each rule of
// customers, feedback and prospects hit once, the same verdicts in PostgreSQL and DuckDB;
// and a source with bad rows in every table, ingested from files and loaded into
// PostgreSQL, reconciled the same both ways (test/postgres.ts; skipped where it is absent).
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {schemas, sqlTypes, type TableName} from "../loaders/canonical.js";
import {queryRows} from "../loaders/duckdb.js";
import {withSession, withSource} from "../loaders/source/source.js";
import {settingVariables, surveyScale} from "../loaders/settings.js";
import {checkedRowsSql} from "../loaders/source/postgres/checks.js";

import type {Quality} from "../src/core/metrics/quality.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {expectedPseudonym, runIngest} from "./ingestHelpers.js";
import {bothEngines, type BothEngines} from "./bothEngines.js";
import {postgresMissing, startPostgres, type TestServer} from "./postgres.js";
import {testSettings} from "./settings.js";
import {temporaryDirectory} from "./tempDir.js";

if (postgresMissing) console.warn(postgresMissing);

describe("surveyScale(value)", () => {
  it("reads low-high, 1–7 when unset, and names the variable when it cannot", () => {
    expect(surveyScale(undefined)).toEqual([1, 7]);
    expect(surveyScale("1-5")).toEqual([1, 5]);
    expect(surveyScale(" 0 - 10 ")).toEqual([0, 10]);
    expect(surveyScale("-3-3")).toEqual([-3, 3]);
    for (const bad of ["5-1", "3-3", "1..5", "five"])
      expect(() => surveyScale(bad), bad).toThrow(
        /^CUSTOMER_EQUITY_SURVEY_SCALE=.*: expected the lowest and highest score as low-high/
      );
  });
});

type Cell = string | null;

/** Statements creating a canonical table of hand-made rows (text cast by the engine to the columns' types). */
function planted(name: string, table: TableName, rows: Cell[][]): string {
  const values = rows
    .map((row) => `(${row.map((cell) => (cell === null ? "NULL" : literal(cell))).join(", ")})`)
    .join(", ");
  return `CREATE TABLE ${name} (${schemas[table].map((f) => `${identifier(f.name)} ${sqlTypes[f.type]}`).join(", ")}); INSERT INTO ${name} VALUES ${values}`;
}

/** A row's verdict as both engines' CSV gives it: NULL as "", numbers as JavaScript prints them. */
const loaded = (id: string) => ({id, reason: "", column_name: "", value: ""});

// customer_id, first_seen, acquisition_channel, acquisition_cost, segment, service_contacts
const customers: Cell[][] = [
  ["b", "2024-02-01", "later", "5", "home", "0"],
  ["b", "2024-01-02", "earlier", "5", "office", "1"],
  ["c", "2024-01-03", null, "-1", null, null],
  ["d", "2025-01-01", null, "1", null, null],
  ["e", "2024-12-31", null, "0", null, null],
  ["g", null, "undated", "2", null, null],
  ["g", "2024-05-01", "dated", "3", null, null],
  [null, "2024-01-04", null, "1", null, null]
];
// response_id, order_id, customer_id, responded_at, dimension, expectation, perception, satisfaction, nps
const at = "2024-03-10 12:00:00";
const feedback: Cell[][] = [
  ["r1", "o1", "a", at, "tangibles", "5", "6", null, null],
  ["r2", null, "a", at, "overall", null, null, "6", "9"],
  ["r3", null, "a", at, "tangibles", "7.5", "6", null, null],
  ["r4", null, "a", at, "reliability", "5", "0.5", null, null],
  ["r5", null, "a", at, "overall", null, null, "6", "11"],
  ["r6", null, "a", at, "overall", null, null, null, null],
  ["r7", null, "a", "2025-01-01 00:00:00", "overall", null, null, "5", "8"],
  ["r8", null, "z", at, "overall", null, null, "5", "8"],
  ["r9", null, null, at, "overall", null, null, "5", "8"],
  ["s1", null, "a", null, "overall", null, null, "5", "8"],
  // deliveries: expectation 0 and the days early, as ingest writes them
  ["t1", "o1", "a", at, "delivery", "0", "-3", null, null],
  ["t2", "o2", "a", at, "delivery", "0", "-40000.5", null, null]
];
// prospect_id, first_contact_at, channel, converted_customer_id, referred_by
const day = "2024-01-01 00:00:00";
const prospects: Cell[][] = [
  ["p1", day, "email", "a", null],
  ["p2", day, "email", null, "b"],
  ["p3", "2025-02-01 00:00:00", "email", null, null],
  ["p4", day, "email", "z", null],
  ["p5", day, "email", null, "y"],
  ["p6", day, "email", "z", "y"],
  ["p7", null, "email", null, null],
  [null, day, "email", null, null]
];
const undated: Cell[][] = [
  ["p1", "2999-01-01 00:00:00", null, "z", null],
  ["p2", "2000-01-01 00:00:00", null, "z", null]
];

describe.skipIf(postgresMissing !== null)("checkedRowsSql for customers, feedback and prospects", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(
      [
        planted("planted_customers", "customers", customers),
        planted("planted_feedback", "feedback", feedback),
        planted("planted_prospects", "prospects", prospects),
        planted("planted_undated", "prospects", undated),
        "CREATE TABLE known_a (customer_id VARCHAR); INSERT INTO known_a VALUES ('a')",
        "CREATE TABLE known_ab (customer_id VARCHAR); INSERT INTO known_ab VALUES ('a'), ('b')"
      ].join("; ")
    );
  });
  afterAll(() => engines?.stop());

  /** Each planted row's verdict (by the row's first column, then its second), the same on both engines. */
  const verdicts = (
    table: TableName,
    input: string,
    known: string | null,
    asOf: string | null,
    found?: ReadonlySet<string>,
    scale?: readonly [number, number]
  ) => {
    const [first, second] = schemas[table].map((f) => identifier(f.name));
    return engines.agreed(
      () =>
        `SELECT ${first} AS id, reason, column_name, value FROM (${checkedRowsSql(table, input, {known, asOf, found, scale})}) c ORDER BY ${first} NULLS FIRST, ${second} NULLS FIRST`
    );
  };

  it("customers: a missing id, a negative acquisition cost, a future first seen, and repeated ids (the earliest first seen stands, wherever it is)", async () => {
    expect(await verdicts("customers", "planted_customers", null, "2024-12-31")).toEqual([
      {id: "", reason: "missing customer id", column_name: "customer_id", value: ""},
      loaded("b"),
      {id: "b", reason: "duplicate customer", column_name: "customer_id", value: "b"},
      {id: "c", reason: "negative amount", column_name: "acquisition_cost", value: "-1"},
      {id: "d", reason: "future date", column_name: "first_seen", value: "2025-01-01"},
      // the as-of day itself is not in the future
      loaded("e"),
      {id: "g", reason: "duplicate customer", column_name: "customer_id", value: "g"},
      loaded("g")
    ]);
  });

  it("feedback: scores out of range (survey 1–7, deliveries' days, nps 0–10), no score, a future date, an unknown or missing customer", async () => {
    expect(await verdicts("feedback", "planted_feedback", "known_a", "2024-12-31")).toEqual([
      loaded("r1"),
      loaded("r2"),
      {id: "r3", reason: "score out of range (1–7)", column_name: "expectation", value: "7.5"},
      {id: "r4", reason: "score out of range (1–7)", column_name: "perception", value: "0.5"},
      {id: "r5", reason: "score out of range (0–10)", column_name: "nps", value: "11"},
      {id: "r6", reason: "no score", column_name: "customer_id", value: "a"},
      {id: "r7", reason: "future date", column_name: "responded_at", value: "2025-01-01 00:00:00"},
      {id: "r8", reason: "unknown customer", column_name: "customer_id", value: "z"},
      {id: "r9", reason: "missing customer id", column_name: "customer_id", value: ""},
      {id: "s1", reason: "missing responded at", column_name: "responded_at", value: ""},
      loaded("t1"),
      {id: "t2", reason: "score out of range (-36500–36500)", column_name: "perception", value: "-40000.5"}
    ]);
  });

  it("feedback on the warehouse's own survey scale (CUSTOMER_EQUITY_SURVEY_SCALE): on 1–10, 7.5 passes and 0.5 is still out", async () => {
    const onTen = await verdicts("feedback", "planted_feedback", "known_a", "2024-12-31", undefined, [1, 10]);
    expect(onTen.filter((row) => row.id === "r3" || row.id === "r4")).toEqual([
      loaded("r3"),
      {id: "r4", reason: "score out of range (1–10)", column_name: "perception", value: "0.5"}
    ]);
  });

  it("prospects: a missing id or date, a future first contact, an unknown converted or referring customer", async () => {
    expect(await verdicts("prospects", "planted_prospects", "known_ab", "2024-12-31")).toEqual([
      {id: "", reason: "missing prospect id", column_name: "prospect_id", value: ""},
      loaded("p1"),
      loaded("p2"),
      {id: "p3", reason: "future date", column_name: "first_contact_at", value: "2025-02-01 00:00:00"},
      {id: "p4", reason: "unknown customer", column_name: "converted_customer_id", value: "z"},
      {id: "p5", reason: "unknown customer", column_name: "referred_by", value: "y"},
      {id: "p6", reason: "unknown customer", column_name: "converted_customer_id", value: "z"},
      {id: "p7", reason: "missing first contact at", column_name: "first_contact_at", value: ""}
    ]);
    // Without an as-of day, future is after the engine's current date; without customers, no id is unknown.
    expect(await verdicts("prospects", "planted_undated", null, null)).toEqual([
      {id: "p1", reason: "future date", column_name: "first_contact_at", value: "2999-01-01 00:00:00"},
      loaded("p2")
    ]);
  });

  it("once the rejections are counted, tries only the rules that rejected a row: every verdict the same, a clean table read as it is", async () => {
    for (const [table, input, known] of [
      ["customers", "planted_customers", null],
      ["feedback", "planted_feedback", "known_a"],
      ["prospects", "planted_prospects", "known_ab"]
    ] as const) {
      const all = await verdicts(table, input, known, "2024-12-31");
      const found = new Set(all.map((row) => String(row.reason)).filter((reason) => reason !== ""));
      expect(found.size, table).toBeGreaterThan(1);
      expect(await verdicts(table, input, known, "2024-12-31", found), table).toEqual(all);
    }
    // Customers rejected only as duplicates: the window stays, the other rules go.
    const duplicates = checkedRowsSql("customers", "planted_customers", {
      known: null,
      asOf: null,
      found: new Set(["duplicate customer"])
    });
    expect(duplicates).toContain("CASE WHEN _copy > 1 THEN 'duplicate customer' END AS reason");
    expect(duplicates).toContain("row_number() OVER (PARTITION BY customer_id");
    // Nothing rejected: no rule, no window, no join with the known customers.
    const clean = checkedRowsSql("prospects", "planted_undated", {known: "known_ab", asOf: null, found: new Set()});
    expect(clean).not.toMatch(/CASE|row_number|JOIN/);
    expect(
      await engines.agreed(
        () => `SELECT prospect_id AS id, reason, column_name, value FROM (${clean}) c ORDER BY prospect_id`
      )
    ).toEqual([loaded("p1"), loaded("p2")]);
  });
});

// A source with bad rows in every table, in canonical columns, so that PostgreSQL loads the
// same files that ingest reads (through a mapping of every column to itself).
const files: Record<TableName, string> = {
  customers: `customer_id,first_seen,acquisition_channel,acquisition_cost,segment,service_contacts
a,2024-01-01,email,10.00,home,0
b,2024-01-02,search,5.00,office,1
b,2024-02-01,social,5.00,home,0
c,2024-01-03,email,-1.00,home,0
d,2025-03-01,email,1.00,home,0
,2024-01-04,email,1.00,home,0
e,2024-01-05,,,,
`,
  transactions: `customer_id,occurred_at,revenue,cost,order_id,quantity,product,category,channel
a,2024-03-01 10:00:00,10.00,4.00,o1,1,p1,beans,web
a,2024-03-01 10:00:00,10.00,4.00,o1,1,p1,beans,web
b,2024-03-02 10:00:00,20.00,8.00,o2,1,p1,beans,web
c,2024-03-03 10:00:00,5.00,2.00,o3,1,p1,beans,web
a,2025-02-01 10:00:00,5.00,2.00,o4,1,p1,beans,web
e,2024-03-04 10:00:00,-5.00,,o5,1,p1,beans,web
e,2024-03-05 10:00:00,-5.00,-2.00,o6,-1,p1,beans,web
z,2024-03-06 10:00:00,5.00,2.00,o7,1,p1,beans,web
d,2024-03-07 10:00:00,5.00,2.00,o8,1,p1,beans,web
a,2024-03-08 10:00:00,,,o9,1,p1,beans,web
`,
  feedback: `response_id,order_id,customer_id,responded_at,dimension,expectation,perception,satisfaction,nps
r1,o1,a,2024-03-10 00:00:00,tangibles,5,6,,
r1,o1,a,2024-03-10 00:00:00,overall,,,6,9
r2,o2,b,2024-03-11 00:00:00,tangibles,8,6,,
r2,o2,b,2024-03-11 00:00:00,overall,,,5,11
r3,,a,2024-03-12 00:00:00,overall,,,,
r4,,a,2025-01-15 00:00:00,overall,,,5,8
r5,,z,2024-03-13 00:00:00,overall,,,5,8
r6,,,2024-03-13 00:00:00,overall,,,5,8
`,
  prospects: `prospect_id,first_contact_at,channel,converted_customer_id,referred_by
p1,2024-01-01 00:00:00,email,a,
p2,2024-01-02 00:00:00,email,,b
p3,2025-02-01 00:00:00,email,,
p4,2024-01-03 00:00:00,email,z,
p5,2024-01-04 00:00:00,email,,c
,2024-01-05 00:00:00,email,,
p7,,email,,
`
};

describe.skipIf(postgresMissing !== null)(
  "a source with bad rows in every table, from files and from PostgreSQL",
  () => {
    const asOf = "2024-12-31";
    const key = "warehouse-checks-key";
    let server: TestServer;
    let folderDir: string;
    let siteDir: string;
    let folder: Quality;
    let warehouse: Quality;
    let rejects: {table_name: string; column_name: string | null; value: string | null; reason: string}[];

    beforeAll(async () => {
      vi.stubEnv(settingVariables.pseudonymKey, key);
      vi.stubEnv(settingVariables.asOf, asOf);
      const dir = temporaryDirectory("warehouse-checks-");
      const tables = Object.fromEntries(
        Object.entries(files).map(([table, text]) => {
          writeFileSync(join(dir, `${table}.csv`), text);
          return [
            table,
            {
              file: `${table}.csv`,
              columns: Object.fromEntries(
                text
                  .split("\n")[0]!
                  .split(",")
                  .map((c) => [c, c])
              )
            }
          ];
        })
      );
      writeFileSync(join(dir, "mapping.json"), JSON.stringify({name: "bad rows", currency: "USD", tables}));
      const ingested = await runIngest("generic", [join(dir, "mapping.json")], {asOf, key});
      folderDir = ingested.dir;
      folder = ingested.quality;
      server = await startPostgres();
      server.load(dir);
      const out = join(dir, "site");
      siteDir = out;
      mkdirSync(out);
      [warehouse, rejects] = await withSource(testSettings(server.url(server.reader)), ({connection, withSite}) =>
        withSite(out, async () => {
          const quality = JSON.parse(readFileSync(join(out, "quality.json"), "utf-8")) as Quality;
          return [
            quality,
            await queryRows<(typeof rejects)[number]>(
              connection,
              "SELECT table_name, column_name, value, reason FROM rejects"
            )
          ] as const;
        })
      );
    }, 120_000);
    afterAll(() => {
      server?.stop();
      vi.unstubAllEnvs();
    });

    it("rejects the planted rows of each table for the reasons written here, from files", () => {
      expect(folder.tables).toEqual({
        customers: {
          input_rows: 7,
          loaded_rows: 3,
          rejected_rows: 4,
          rejected_by_reason: {
            "duplicate customer": 1,
            "future date": 1,
            "missing customer id": 1,
            "negative amount": 1
          }
        },
        // c (negative cost) and d (future first seen) are not loaded, so their purchases name unknown customers; b's repeated row leaves b known
        transactions: {
          input_rows: 10,
          loaded_rows: 3,
          rejected_rows: 7,
          rejected_by_reason: {
            "duplicate order line": 1,
            "future date": 1,
            "missing revenue": 1,
            "negative amount (not a return)": 1,
            "unknown customer": 3
          }
        },
        feedback: {
          input_rows: 8,
          loaded_rows: 2,
          rejected_rows: 6,
          rejected_by_reason: {
            "future date": 1,
            "missing customer id": 1,
            "no score": 1,
            "score out of range (0–10)": 1,
            "score out of range (1–7)": 1,
            "unknown customer": 1
          }
        },
        prospects: {
          input_rows: 7,
          loaded_rows: 2,
          rejected_rows: 5,
          rejected_by_reason: {
            "future date": 1,
            "missing first contact at": 1,
            "missing prospect id": 1,
            "unknown customer": 2
          }
        }
      });
    });

    it("reconciles the same counts per table and reason from PostgreSQL, input = loaded + rejected in each", () => {
      expect(warehouse.tables).toEqual(folder.tables);
      for (const [table, t] of Object.entries(warehouse.tables))
        expect(t.input_rows, table).toBe(t.loaded_rows + t.rejected_rows);
      expect(warehouse.source.checks).toMatch(
        /; dates after 2024-12-31 \(CUSTOMER_EQUITY_AS_OF\) count as future dates$/
      );
    });

    it("brings back each rejected row (key column, value, reason), personal values pseudonymised", () => {
      const p = (id: string) => expectedPseudonym(id, key);
      // In no particular order: compared as sorted lists of their JSON.
      const sorted = (rows: object[]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(sorted(rejects.filter((r) => r.table_name !== "transactions"))).toEqual(
        sorted([
          {table_name: "customers", column_name: "acquisition_cost", value: "-1.00", reason: "negative amount"},
          {table_name: "customers", column_name: "customer_id", value: null, reason: "missing customer id"},
          {table_name: "customers", column_name: "customer_id", value: p("b"), reason: "duplicate customer"},
          {table_name: "customers", column_name: "first_seen", value: "2025-03-01", reason: "future date"},
          {table_name: "feedback", column_name: "customer_id", value: null, reason: "missing customer id"},
          {table_name: "feedback", column_name: "customer_id", value: p("a"), reason: "no score"},
          {table_name: "feedback", column_name: "customer_id", value: p("z"), reason: "unknown customer"},
          {table_name: "feedback", column_name: "expectation", value: "8", reason: "score out of range (1–7)"},
          {table_name: "feedback", column_name: "nps", value: "11", reason: "score out of range (0–10)"},
          {table_name: "feedback", column_name: "responded_at", value: "2025-01-15 00:00:00", reason: "future date"},
          {table_name: "prospects", column_name: "converted_customer_id", value: p("z"), reason: "unknown customer"},
          {
            table_name: "prospects",
            column_name: "first_contact_at",
            value: "2025-02-01 00:00:00",
            reason: "future date"
          },
          {table_name: "prospects", column_name: "first_contact_at", value: null, reason: "missing first contact at"},
          {table_name: "prospects", column_name: "prospect_id", value: null, reason: "missing prospect id"},
          {table_name: "prospects", column_name: "referred_by", value: p("c"), reason: "unknown customer"}
        ])
      );
      expect(rejects.filter((r) => r.table_name === "transactions")).toHaveLength(7);
    });

    it("computes the pages' tables over the rows that pass, trying only the rules that rejected one: the customer summary is the folder's", () => {
      const summary = (path: string) => csvParse(readFileSync(path, "utf-8"));
      const fromWarehouse = summary(join(siteDir, "customer_summary.csv"));
      // a, b and e: the customers loaded.
      expect(fromWarehouse.map((row) => row.customer_id).sort()).toEqual(
        ["a", "b", "e"].map((id) => expectedPseudonym(id, key)).sort()
      );
      expect(fromWarehouse).toEqual(summary(join(folderDir, "customer_summary.csv")));
    });

    it("gives npm run clv's queries the checked transactions: the same rows as the folder's", async () => {
      const totals = (source: string) =>
        withSession(testSettings(source), async (session) =>
          session.rows<{n: string; revenue: string}>(
            `SELECT count(*) AS n, sum(revenue) AS revenue FROM ${await session.checked("transactions")}`,
            {what: "the test", table: "transactions"}
          )
        );
      // a o1, b o2 and e's return: 10 + 20 − 5
      expect(await totals(server.url(server.reader))).toEqual([{n: "3", revenue: "25.00"}]);
      expect(await totals(folderDir)).toEqual(await totals(server.url(server.reader)));
    });
  }
);
