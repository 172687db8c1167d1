// The explore page's tables (loaders/site/explore.ts) on the demo business: the canonical
// tables as ingest wrote them, a seeded sample above the row limit, none above the size
// limit, and example queries that run on them as the browser loads them.
import {readFileSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";
import {csvParse} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {demoAsOf, demoMapping} from "../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {readSettings, settingVariables} from "../loaders/settings.js";
import type {ExploreTable} from "../loaders/site/explore.js";
import {exploreFiles as explorePage, exploreTableFile} from "../loaders/site/explore.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {exploreExamples} from "../src/components/explore.js";
import {identifier, literal} from "../src/core/sql/sql.js";
import {localDerivations} from "../loaders/source/derived.js";
import {runIngest, type Ingested} from "./ingestHelpers.js";
import {temporaryDirectory} from "./tempDir.js";

/**
 * Runs the explore loader with `limit` rows and `maxBytes` on a source folder; returns the folder it wrote, each
 * table's file gunzipped, and its bytes.
 */
async function exploreFiles(
  source: Ingested,
  limit: number,
  maxBytes = 5e6
): Promise<{
  dir: string;
  maxBytes: number;
  tables: ExploreTable[];
  text: (table: string) => string;
  bytes: (table: string) => Buffer;
}> {
  const dir = temporaryDirectory("explore-test-");
  await withDuckDB(async (connection) => {
    const info = await openSourceFolder(connection, source.dir);
    await explorePage({
      connection,
      source: info,
      derived: localDerivations(connection),
      writeCsv: (select, name) =>
        connection
          .run(`COPY (${select}) TO ${literal(join(dir, name))} (FORMAT csv, HEADER true)`)
          .then(() => statSync(join(dir, name)).size),
      writeFile: (name, text) => writeFileSync(join(dir, name), text),
      appendFile: () => undefined,
      browserRows: limit,
      exploreBytes: maxBytes
    });
  });
  const explore = JSON.parse(readFileSync(join(dir, "explore.json"), "utf-8")) as {
    maxBytes: number;
    tables: ExploreTable[];
  };
  return {
    dir,
    ...explore,
    text: (table) => gunzipSync(readFileSync(join(dir, `explore_${table}.csv.gz`))).toString("utf-8"),
    bytes: (table) => readFileSync(join(dir, `explore_${table}.csv.gz`))
  };
}

let demo: Ingested;
let whole: Awaited<ReturnType<typeof exploreFiles>>;
beforeAll(async () => {
  demo = await runIngest("generic", [demoMapping], {asOf: demoAsOf});
  whole = await exploreFiles(demo, 1_000_000);
});

describe("the explore page's tables below the row limit", () => {
  it("hold the rows of the canonical files as ingest wrote them, with their counts in explore.json", async () => {
    const {tables, text} = whole;
    // The same header and the same rows; the page's file is in a total order of its own
    // (every column), so that it does not depend on the order the rows were loaded in.
    const sortedRows = (csv: string) => {
      const [header, ...rows] = csv.trim().split("\n");
      return [header, ...rows.sort()];
    };
    for (const table of ["transactions", "customers", "feedback"]) {
      expect(sortedRows(text(table)), table).toEqual(sortedRows(demo.text(`${table}.csv`)));
    }
    expect(tables).toEqual(
      ["customers", "transactions", "feedback", "prospects"].map((name) => ({
        name,
        present: true,
        rows: demo.rows(`${name}.csv`).length,
        shipped: demo.rows(`${name}.csv`).length
      }))
    );
  });

  it("leave out prospect ids (people who never became customers) and keep the rest of prospects", async () => {
    const shipped = csvParse(whole.text("prospects"));
    expect(shipped.columns).toEqual(["first_contact_at", "channel", "converted_customer_id", "referred_by"]);
    const line = (row: object) => JSON.stringify(Object.values(row));
    expect([...shipped].map(line).sort()).toEqual(
      demo
        .rows("prospects.csv")
        .map(({prospect_id: _, ...rest}) => line(rest))
        .sort()
    );
  });
});

describe("the explore page's tables above the row limit", () => {
  it("ship `limit` of the table's rows, each one of its rows, the same ones every time, and say so", async () => {
    const [first, second] = [await exploreFiles(demo, 500), await exploreFiles(demo, 500)];
    const sample = csvParse(first.text("transactions"));
    // Every line of the file (two order lines may print alike: rows counts them both).
    const rows = demo.text("transactions.csv").trim().split("\n").slice(1);
    const all = new Set(rows);
    expect(sample).toHaveLength(500);
    const lines = first.text("transactions").trim().split("\n").slice(1);
    expect(lines.every((line) => all.has(line))).toBe(true);
    expect(new Set(lines).size).toBe(500);
    expect(second.bytes("transactions").equals(first.bytes("transactions"))).toBe(true);
    expect(first.tables.find((t) => t.name === "transactions")).toEqual({
      name: "transactions",
      present: true,
      rows: rows.length,
      shipped: 500
    });
    // Not the file's first rows: a sample spread over the customers (ingest orders by pseudonym).
    expect(new Set(sample.map((r) => r.customer_id)).size).toBeGreaterThan(400);
  });
});

describe("the explore page's tables above the size limit", () => {
  it(`take the limit from ${settingVariables.exploreMegabytes} in megabytes, 5 unless set, and name the variable when it is not a size`, () => {
    const bytes = (value?: string) => readSettings({[settingVariables.exploreMegabytes]: value}).exploreBytes;
    expect(bytes()).toBe(5e6);
    expect(bytes("")).toBe(5e6);
    expect(bytes("0")).toBe(0);
    expect(bytes("12.5")).toBe(12.5e6);
    for (const bad of ["-1", "many", "Infinity"])
      expect(() => bytes(bad)).toThrow(
        `${settingVariables.exploreMegabytes}=${bad}: expected a number of megabytes, 0 or more`
      );
  });

  it("ship no rows but their header, and explore.json gives the file's size and the limit", async () => {
    // The limit between the demo's feedback and transactions files: only the larger ships empty.
    const [feedback, transactions] = [whole.bytes("feedback").length, whole.bytes("transactions").length];
    expect(feedback).toBeLessThan(transactions);
    const maxBytes = Math.round((feedback + transactions) / 2);
    const light = await exploreFiles(demo, 1_000_000, maxBytes);
    expect(light.maxBytes).toBe(maxBytes);
    expect(light.tables.find((t) => t.name === "transactions")).toEqual({
      name: "transactions",
      present: true,
      rows: demo.rows("transactions.csv").length,
      shipped: 0,
      withheldBytes: transactions
    });
    expect(light.text("transactions").trim()).toBe(whole.text("transactions").split("\n")[0]);
    expect(light.bytes("feedback").equals(whole.bytes("feedback"))).toBe(true);
  });

  it("estimate a large table's size from its first rows, write only its header where the estimate is over twice the limit, and write it whole near the limit", async () => {
    const transactions = whole.bytes("transactions").length;
    const rows = demo.rows("transactions.csv").length;
    const sampleRows = 2000;
    expect(rows).toBeGreaterThan(4 * sampleRows);
    await withDuckDB(async (connection) => {
      await openSourceFolder(connection, demo.dir);
      const dir = temporaryDirectory("explore-estimate-");
      const writeCsv = (select: string, name: string) =>
        connection
          .run(`COPY (${select}) TO ${literal(join(dir, name))} (FORMAT csv, HEADER true)`)
          .then(() => statSync(join(dir, name)).size);
      const file = () => gunzipSync(readFileSync(join(dir, "explore_transactions.csv.gz"))).toString("utf-8");
      // Far above the limit: estimated within a fifth of the real file's size, and only the header written.
      const far = await exploreTableFile(writeCsv, "transactions", rows, {
        limit: 1_000_000,
        maxBytes: transactions / 4,
        sampleRows
      });
      expect(far.estimated).toBe(true);
      expect(Math.abs(far.bytes / transactions - 1)).toBeLessThan(0.2);
      expect(file().trim()).toBe(whole.text("transactions").split("\n")[0]);
      // Near it: the whole file, and its exact size.
      const near = await exploreTableFile(writeCsv, "transactions", rows, {
        limit: 1_000_000,
        maxBytes: transactions * 0.9,
        sampleRows
      });
      expect(near).toEqual({bytes: transactions});
      expect(file()).toBe(whole.text("transactions"));
      // A sampled table (more rows than the limit): estimated from the sample's first rows, within a fifth of its file.
      const sampled = await exploreTableFile(writeCsv, "transactions", rows, {
        limit: 10_000,
        maxBytes: 1e9,
        sampleRows
      });
      expect(sampled.estimated).toBeUndefined();
      const sampledFar = await exploreTableFile(writeCsv, "transactions", rows, {
        limit: 10_000,
        maxBytes: sampled.bytes / 4,
        sampleRows
      });
      expect(sampledFar.estimated).toBe(true);
      expect(Math.abs(sampledFar.bytes / sampled.bytes - 1)).toBeLessThan(0.2);
    });
  });
});

describe("the explore page's example queries", () => {
  it("each return rows on the demo's tables, loaded from the gzipped CSV files", async () => {
    const {dir} = whole;
    await withDuckDB(async (connection) => {
      for (const table of ["transactions", "customers", "feedback", "prospects"]) {
        await connection.run(
          `CREATE TABLE ${identifier(table)} AS SELECT * FROM read_csv_auto(${literal(join(dir, `explore_${table}.csv.gz`))})`
        );
      }
      await connection.run(
        `CREATE TABLE customer_summary AS SELECT * FROM read_csv_auto(${literal(join(demo.dir, "customer_summary.csv"))})`
      );
      // customer_clv comes from the equity page's loader; its columns, with one row, suffice for the query to run.
      await connection.run(
        "CREATE TABLE customer_clv AS SELECT 'c1' AS customer_id, 'web' AS acquisition_channel, '2024-01' AS cohort, 10.0 AS acquisition_cost, 2 AS x, 0.5 AS p_alive, 20.0 AS expected_spend, 30.0 AS clv"
      );
      for (const example of exploreExamples) {
        expect((await queryRows(connection, example.sql)).length, example.label).toBeGreaterThan(0);
        // The table it names is the one it reads: a source without that table does not offer it.
        expect(example.sql, example.label).toContain(`FROM ${example.table}\n`);
      }
    });
  });
});
