// The per-customer tables the browser gets (loaders/site/tables.ts): whole when small, else
// whole customers in a seeded order while their rows fit; the same customers on both engines.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readSettings, settingVariables} from "../loaders/settings.js";
import {browserRowLimit, browserSampleSql} from "../loaders/site/tables.js";
import {customerSampleNote, sampleNote} from "../src/core/format/browserSample.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";

if (postgresMissing) console.warn(postgresMissing);

describe("how many rows of a per-customer table the browser gets", () => {
  it("allows perCustomer rows a customer plus 20,000, at most a million", () => {
    const cap = readSettings({}).browserRows;
    expect(browserRowLimit(2, 6000, cap)).toBe(32_000);
    expect(browserRowLimit(1.5, 3, cap)).toBe(20_005); // 4.5 rounded up
    expect(browserRowLimit(2, 1_000_000, cap)).toBe(1_000_000);
  });

  it(`takes a publisher's cap from ${settingVariables.browserRows}, a whole number of rows, and names the variable when it is not`, () => {
    const rows = (value?: string) => readSettings({[settingVariables.browserRows]: value}).browserRows;
    expect(rows()).toBe(1_000_000);
    expect(rows("")).toBe(1_000_000);
    expect(rows("5000")).toBe(5_000);
    expect(browserRowLimit(2, 6000, rows("5000"))).toBe(5_000);
    for (const bad of ["0", "1.5", "many"])
      expect(() => rows(bad)).toThrow(
        `${settingVariables.browserRows}=${bad}: expected a whole number of rows, at least 1`
      );
  });

  it("says nothing when the table shipped whole, and what was sampled otherwise", () => {
    expect(
      sampleNote({rows: 10, customers: 4, shippedRows: 10, shippedCustomers: 4, limit: 20}, "purchase days")
    ).toBeNull();
    const note = sampleNote(
      {rows: 3_000_000, customers: 100_000, shippedRows: 999_990, shippedCustomers: 33_333, limit: 1_000_000},
      "purchase days"
    );
    expect(note).toContain("33,333 of the 100,000 customers (33.3 %; 999,990 of 3,000,000 purchase days)");
    expect(note).toContain("at most 1,000,000");
  });

  it("labels per-customer rows as a sample only when some customers did not ship", () => {
    expect(customerSampleNote({rows: 4, customers: 4, shippedRows: 4, shippedCustomers: 4, limit: 20})).toBeNull();
    const note = customerSampleNote({
      rows: 2_500_000,
      customers: 2_500_000,
      shippedRows: 400_000,
      shippedCustomers: 400_000,
      limit: 1_000_000
    });
    expect(note).toContain(
      "one of a seeded sample of 400,000 of the 2,500,000 customers (16.0 %), as the browser gets at most 1,000,000 rows a table"
    );
    expect(note).toContain("The figures and charts above count every customer.");
  });
});

describe.skipIf(postgresMissing !== null)("a seeded sample of whole customers, on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  // Customer c<k> has k purchase days: 1 + 2 + … + 8 = 36 rows.
  const days = Array.from({length: 8}, (_, k) =>
    Array.from({length: k + 1}, (_, d) => `('c${k + 1}', DATE '2024-01-01' + ${d}, ${k + d}.50)`)
  ).flat();
  beforeAll(async () => {
    engines = await bothEngines(
      `CREATE TABLE retention_days (customer_id VARCHAR, day DATE, revenue DECIMAL(18, 2)); INSERT INTO retention_days VALUES ${days.join(", ")}`
    );
  }, 60_000);
  afterAll(() => engines?.stop());

  const sample = (limit: number) =>
    engines.run(() => `SELECT * FROM (${browserSampleSql("retention_days", limit)}) s ORDER BY customer_id, day`);

  it("ships every row when they fit", async () => {
    const {duckdb, postgres} = await sample(36);
    expect(duckdb).toEqual(postgres);
    expect(postgres).toHaveLength(36);
  });

  it("ships whole customers, no more rows than the limit, the same ones on both engines", async () => {
    for (const limit of [5, 12, 20, 35]) {
      const {duckdb, postgres} = await sample(limit);
      expect(duckdb).toEqual(postgres);
      expect(postgres.length).toBeLessThanOrEqual(limit);
      const perCustomer = new Map<string, number>();
      for (const row of postgres) perCustomer.set(row.customer_id!, (perCustomer.get(row.customer_id!) ?? 0) + 1);
      for (const [customer, n] of perCustomer) expect(n).toBe(Number(customer.slice(1)));
    }
  });
});
