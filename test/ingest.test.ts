import {readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {csvFormat} from "d3";
import {describe, expect, it} from "vitest";
import {dailySalesSql} from "../loaders/dailySales.js";
import {demoAsOf, demoDir, demoMapping} from "../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {expectedPseudonym, fixture, runIngest} from "./ingestHelpers.js";

describe("ingest cdnow", () => {
  // Customer 00001 buys twice on 1997-01-01 and once on 1997-01-15; customer 00002 on
  // 1997-01-15 and 1997-02-01 (test/fixtures/cdnow/sample.txt). The data end on 1997-02-01.
  it("loads every line and summarises each customer (frequency, recency, T, spend, assumed cost)", async () => {
    const out = await runIngest("cdnow", [fixture("cdnow/sample.txt")]);
    expect(out.quality.tables.transactions).toEqual({
      input_rows: 5,
      loaded_rows: 5,
      rejected_rows: 0,
      rejected_by_reason: {}
    });
    expect(out.source).toMatchObject({
      kind: "cdnow",
      currency: "USD",
      margin_rate: 0.3,
      cost_assumed: true,
      customers: 2,
      transactions: 5,
      observation_start: "1997-01-01",
      observation_end: "1997-02-01",
      // CDNOW's customers are a cohort of first-time buyers: every one is new from the data's start.
      new_customers_from: "1997-01-01"
    });
    const summary = Object.fromEntries(out.rows("customer_summary.csv").map((r) => [r.customer_id, r]));
    expect(summary[expectedPseudonym("00001")]).toMatchObject({
      first_purchase: "1997-01-01",
      last_purchase: "1997-01-15",
      purchase_days: "2",
      frequency: "1",
      recency_days: "14",
      tenure_days: "31",
      monetary_value: "5.00",
      revenue: "35.00",
      cost: "24.50",
      profit: "10.50"
    });
    expect(summary[expectedPseudonym("00002")]).toMatchObject({
      first_purchase: "1997-01-15",
      last_purchase: "1997-02-01",
      purchase_days: "2",
      frequency: "1",
      recency_days: "17",
      tenure_days: "17",
      monetary_value: "7.50",
      revenue: "37.50",
      cost: "26.25",
      profit: "11.25"
    });
  });

  it("reads the master format (header, four fields) to the same tables", async () => {
    const sample = await runIngest("cdnow", [fixture("cdnow/sample.txt")]);
    const master = await runIngest("cdnow", [fixture("cdnow/master.txt")]);
    for (const file of ["transactions.csv", "customers.csv", "customer_summary.csv"])
      expect(master.text(file)).toBe(sample.text(file));
  });

  it("gives daily first and repeat sales from the canonical tables", async () => {
    const out = await runIngest("cdnow", [fixture("cdnow/sample.txt")]);
    const rows = await withDuckDB(async (connection) => {
      await openSourceFolder(connection, out.dir);
      await connection.run(`CREATE TEMP TABLE daily_sales AS ${dailySalesSql()} ORDER BY "date"`);
      return queryRows(
        connection,
        `SELECT strftime("date", '%Y-%m-%d') AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales`
      );
    });
    expect(rows).toEqual([
      {date: "1997-01-01", first_orders: 2, first_revenue: 30, repeat_orders: 0, repeat_revenue: 0},
      {date: "1997-01-15", first_orders: 1, first_revenue: 30, repeat_orders: 1, repeat_revenue: 5},
      {date: "1997-02-01", first_orders: 0, first_revenue: 0, repeat_orders: 1, repeat_revenue: 7.5}
    ]);
  });
});

describe("ingest online-retail", () => {
  // test/fixtures/online-retail/mini.csv, line by line (the header is line 1).
  it("loads sales and cancellations, and sets aside each other line with its reason", async () => {
    const out = await runIngest("online-retail", [fixture("online-retail/mini.csv")]);
    expect(out.quality.files).toEqual([
      {
        table: "transactions",
        file: "mini.csv",
        input_rows: 10,
        loaded_rows: 4,
        rejected_rows: 6,
        rejected_by_reason: {
          "duplicate order line": 1,
          "missing customer id": 1,
          "non-numeric value": 1,
          "not a product (postage, fee, discount or adjustment)": 1,
          "unparseable date": 1,
          "zero price": 1
        }
      }
    ]);
    expect(out.rows("rejects.csv").map((r) => [r.line, r.column_name, r.value, r.reason])).toEqual([
      ["4", "order_id", "536365", "duplicate order line"],
      ["5", "StockCode", "POST", "not a product (postage, fee, discount or adjustment)"],
      ["7", "CustomerID", "", "missing customer id"],
      ["8", "UnitPrice", "0.0", "zero price"],
      ["10", "Quantity", "abc", "non-numeric value"],
      ["11", "occurred_at", "2010-13-04 09:41:00", "unparseable date"]
    ]);
    const lines = out.rows("transactions.csv").map((r) => [r.order_id, r.revenue, r.quantity, r.product]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ["536365", "15.30", "6", "WHITE HANGING HEART T-LIGHT HOLDER"],
        ["536365", "20.34", "6", "WHITE METAL LANTERN"],
        ["536367", "12.60", "6", "POPPY'S PLAYHOUSE, BEDROOM"],
        ["C536379", "-8.50", "-2", "JAM MAKING SET WITH JARS"]
      ])
    );
    expect(lines).toHaveLength(4);
    // 17850.0 is customer 17850; a cancellation is that customer's return.
    const summary = Object.fromEntries(out.rows("customer_summary.csv").map((r) => [r.customer_id, r]));
    expect(summary[expectedPseudonym("17850")]).toMatchObject({
      purchase_days: "1",
      revenue: "35.64",
      returns: "0",
      tenure_days: "2"
    });
    expect(summary[expectedPseudonym("13047")]).toMatchObject({
      purchase_days: "1",
      revenue: "4.10",
      returns: "1",
      returned_revenue: "8.50",
      cost: "2.87",
      profit: "1.23"
    });
  });
});

describe("ingest generic (a mapping file)", () => {
  it("maps columns, parses decimal commas and day-first dates, and reconciles every file", async () => {
    const out = await runIngest("generic", [fixture("generic/mapping.json")]);
    const counts = Object.fromEntries(
      out.quality.files.map((f) => [f.file, [f.input_rows, f.loaded_rows, f.rejected_rows]])
    );
    expect(counts).toEqual({
      "customers.csv": [2, 2, 0],
      "transactions.csv": [3, 3, 0],
      "survey.csv": [2, 1, 1],
      "deliveries.csv": [2, 2, 0],
      "prospects.csv": [3, 3, 0]
    });
    expect(out.rows("rejects.csv").map((r) => [r.file, r.line, r.reason])).toEqual([["survey.csv", "3", "no score"]]);
    expect(out.source).toMatchObject({
      name: "Test roaster",
      currency: "EUR",
      margin_rate: 0.4,
      cost_assumed: false,
      tables: ["customers", "transactions", "feedback", "prospects"]
    });
    const o1 = out.rows("transactions.csv").find((r) => r.order_id === "O1");
    expect(o1).toMatchObject({
      occurred_at: "2024-01-05 10:00:00",
      revenue: "1234.50",
      cost: "800.00",
      quantity: "1",
      product: "GRINDER",
      category: "equipment"
    });
  });

  it("turns a wide survey into a row per dimension plus an overall row, and deliveries into days early", async () => {
    const out = await runIngest("generic", [fixture("generic/mapping.json")]);
    const a1 = expectedPseudonym("CUST-A1");
    const b2 = expectedPseudonym("CUST-B2");
    const feedback = out
      .rows("feedback.csv")
      .map((r) => [
        r.response_id,
        r.order_id,
        r.customer_id,
        r.dimension,
        r.expectation,
        r.perception,
        r.satisfaction,
        r.nps
      ]);
    // The survey has no order column, so its rows have no order id; a delivery's row carries its order's.
    expect(feedback.sort()).toEqual(
      [
        ["R1", "", a1, "empathy", "5.0", "6.0", "", ""],
        ["R1", "", a1, "overall", "", "", "5.0", "9"],
        ["R1", "", a1, "reliability", "6.0", "5.0", "", ""],
        ["delivery:O1", "O1", a1, "delivery", "0.0", "-2.0", "", ""],
        ["delivery:O3", "O3", b2, "delivery", "0.0", "2.0", "", ""]
      ].sort()
    );
  });

  it("keeps names, e-mails and raw ids out of every output, and pseudonymises every id column", async () => {
    const out = await runIngest("generic", [fixture("generic/mapping.json")]);
    const text = out.allText();
    for (const secret of ["Ann Lee", "ann.lee@example.com", "Bob Ray", "bob.ray@example.com", "CUST-A1", "CUST-B2"])
      expect(text).not.toContain(secret);
    const prospects = out.rows("prospects.csv");
    expect(prospects.find((p) => p.channel === "referral")).toMatchObject({
      prospect_id: expectedPseudonym("P2"),
      converted_customer_id: expectedPseudonym("CUST-B2"),
      referred_by: expectedPseudonym("CUST-A1")
    });
  });
});

describe("ingest output", () => {
  it("is byte-identical on a second run with the same key, and pseudonyms change with the key", async () => {
    const first = await runIngest("generic", [fixture("generic/mapping.json")]);
    const second = await runIngest("generic", [fixture("generic/mapping.json")]);
    const files = readdirSync(first.dir).sort();
    expect(readdirSync(second.dir).sort()).toEqual(files);
    for (const file of files)
      expect(readFileSync(join(second.dir, file)).equals(readFileSync(join(first.dir, file))), file).toBe(true);
    const otherKey = await runIngest("generic", [fixture("generic/mapping.json")], {key: "another-key"});
    expect(
      otherKey
        .rows("customers.csv")
        .map((c) => c.customer_id)
        .sort()
    ).toEqual([expectedPseudonym("CUST-A1", "another-key"), expectedPseudonym("CUST-B2", "another-key")].sort());
  });
});

describe("ingest demo (data/demo, the site's default data)", () => {
  it("sets aside exactly the bad rows the generator planted (truth.json), each for the matching reason", async () => {
    const truth = JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {
      bad_rows: {file: string; line: number; reason: string}[];
      rows: Record<string, number>;
    };
    const out = await runIngest("generic", [demoMapping], {asOf: demoAsOf});
    // The generator's words for each problem → ingest's reasons.
    const reasonFor = (generator: string) =>
      [
        [/unparseable date/, "unparseable date"],
        [/non-numeric amount/, "non-numeric amount"],
        [/negative amount/, "negative amount (not a return)"],
        [/exact duplicate/, "duplicate order line"],
        [/not in customers/, "unknown customer"],
        [/outside the 1–7 scale/, "score out of range (1–7)"]
      ].find(([pattern]) => (pattern as RegExp).test(generator))?.[1];
    const expected = truth.bad_rows.map((row) => [row.file, String(row.line), reasonFor(row.reason)]).sort();
    expect(
      out
        .rows("rejects.csv")
        .map((r) => [r.file, r.line, r.reason])
        .sort()
    ).toEqual(expected);
    for (const f of out.quality.files) expect(f.input_rows, f.file).toBe(truth.rows[f.file]);
  });
});

describe("openSourceFolder(connection, dir)", () => {
  it("opens a folder written before an optional column existed, with that column empty", async () => {
    const out = await runIngest("generic", [fixture("generic/mapping.json")]);
    // feedback.csv as an older ingest wrote it: without order_id.
    const rows = out.rows("feedback.csv");
    writeFileSync(join(out.dir, "feedback.csv"), csvFormat(rows.map(({order_id: _, ...rest}) => rest)));
    const opened = await withDuckDB(async (connection) => {
      await openSourceFolder(connection, out.dir);
      return queryRows<{n: number; with_order: number; overall: number}>(
        connection,
        "SELECT count(*)::INTEGER AS n, count(order_id)::INTEGER AS with_order, count(satisfaction)::INTEGER AS overall FROM canonical_feedback"
      );
    });
    expect(opened).toEqual([{n: rows.length, with_order: 0, overall: 1}]);
  });
});
