// A source with many purchase days per customer (the shape of a warehouse with 100 times more
// transactions than customers): the site's data ships the per-customer tables the browser
// queries as a seeded sample of whole customers, says so, and keeps every first view exact.
import {csvParse} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {siteArchive} from "../loaders/site/archive.js";
import {browserRowLimit} from "../loaders/site/tables.js";
import type {BrowserSample} from "../src/core/format/browserSample.js";
import {runIngest, writeTransactionsSource} from "./ingestHelpers.js";
import {testSettings} from "./settings.js";
import {archiveMembers} from "./site.js";

/** Customer k (1…n) buys on every `1 + k % 3`-th day from 2023-01-01, `days` purchase days, $10 + k % 7 each. */
function writeDenseSource(n: number, days: number): string {
  const purchases: [string, string, string][] = [];
  for (let k = 1; k <= n; k++) {
    for (let d = 0; d < days; d++)
      purchases.push([
        `k${k}`,
        new Date(Date.UTC(2023, 0, 1 + d * (1 + (k % 3)))).toISOString().slice(0, 10),
        `${10 + (k % 7)}.00`
      ]);
  }
  return writeTransactionsSource("Dense shop", purchases);
}

describe("a source with many purchase days per customer", () => {
  const customers = 300;
  const days = 80; // 24,000 purchase days: over the 20,600 the browser may get for 300 customers
  let files: Map<string, string>;
  beforeAll(async () => {
    const source = await runIngest("generic", [writeDenseSource(customers, days)], {asOf: "2025-06-30"});
    files = await archiveMembers(await siteArchive(testSettings(source.dir)));
  }, 120_000);

  it("ships a seeded sample of whole customers' purchase days, within the limit, and says how much", () => {
    const samples = JSON.parse(files.get("browser_sample.json")!) as Record<string, BrowserSample>;
    const limit = browserRowLimit(2, customers, testSettings(null).browserRows);
    expect(samples.retention_days).toMatchObject({rows: customers * days, customers, limit});
    const shipped = csvParse(files.get("retention_days.csv.gz")!);
    expect(shipped.length).toBe(samples.retention_days!.shippedRows);
    expect(shipped.length).toBeLessThanOrEqual(limit);
    expect(shipped.length).toBeGreaterThan(limit - days); // filled up to the last whole customer that fits
    const perCustomer = new Map<string, number>();
    for (const row of shipped) perCustomer.set(row.customer_id!, (perCustomer.get(row.customer_id!) ?? 0) + 1);
    expect(new Set(perCustomer.values())).toEqual(new Set([days]));
    expect(perCustomer.size).toBe(samples.retention_days!.shippedCustomers);
    // Monthly sums: 300 customers over 8 to 20 months each stay under their limit and ship whole.
    expect(samples.customer_months!.shippedRows).toBe(samples.customer_months!.rows);
  });

  it("still counts every customer in the first views", () => {
    const profit = csvParse(files.get("customer_profit.csv.gz")!);
    expect(profit).toHaveLength(customers);
    const revenue = profit.reduce((total, row) => total + Number(row.revenue), 0);
    // Σ over k of days × (10 + k % 7): 300 customers, k % 7 cycling.
    let expected = 0;
    for (let k = 1; k <= customers; k++) expected += days * (10 + (k % 7));
    expect(revenue).toBeCloseTo(expected, 2);
    const kpis = JSON.parse(files.get("kpis.json")!);
    expect(kpis.equity.customers).toBe(customers);
  });
});
