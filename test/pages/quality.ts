// Page tests on the demo data, registered inside site.test.ts's "every page in chromium"
// (one build serves them all). Expected figures come from the demo's raw files or its
// truth.json, never from the site's own loaders.
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {demoTruth, tableCells, type PageTestContext} from "./context.js";

export function qualityPageTests({open}: PageTestContext): void {
  it("quality: shows the demo's reconciliation, with exactly the bad rows its generator planted", async () => {
    const input = Object.entries(demoTruth.rows)
      .filter(([file]) => file !== "truth_customers.csv")
      .reduce((total, [, rows]) => total + rows, 0);
    const rejected = demoTruth.bad_rows.length;
    const {page, problems} = await open("/quality");
    const n = (x: number) => x.toLocaleString("en-US");
    await expect
      .poll(() => page.locator(".headline").textContent())
      .toBe(
        `Of ${n(input)} input rows, ${n(input - rejected)} were loaded and ${n(rejected)} set aside with a reason.`
      );
    expect(await page.locator(".card .big").allTextContents()).toEqual([n(input), n(input - rejected), n(rejected)]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("quality: says how many return lines netted against what they take back, by rule, as the raw file counts them", async () => {
    // The demo's returns (order R…, the lines of order O… they take back, same line number),
    // less the planted bad lines: each whose sale line loaded matches that earlier purchase of the product.
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const [expected] = await withDuckDB((connection) =>
      queryRows<{returns: number; of_loaded_sale: number}>(
        connection,
        `WITH
        tx AS (SELECT row_number() OVER () + 1 AS line, "line" AS order_line, * EXCLUDE ("line") FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
        valid AS (SELECT * FROM tx WHERE line NOT IN (${bad.join(", ")}))
        SELECT count(*)::INTEGER AS returns,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM valid s WHERE 'R' || s.order_id = r.order_id AND s.order_line = r.order_line))::INTEGER AS of_loaded_sale
        FROM valid r WHERE r.order_id LIKE 'R%'`
      )
    );
    expect(expected!.returns).toBeGreaterThan(1000); // 1,261 in the demo as generated
    const {page, problems} = await open("/quality");
    const table = page.locator(".card", {hasText: "Returns and cancellations netted"}).locator("table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(4);
    // Columns: Inputs.table's (empty) first column, matched to, return lines, value.
    const rows = new Map(
      (await tableCells(table.locator("tbody tr"))).map((cells) => [cells[1], Number(cells[2]!.replace(/,/g, ""))])
    );
    expect([...rows.values()].reduce((a, b) => a + b, 0)).toBe(expected!.returns);
    expect(rows.get("earlier purchase of the same product")).toBeGreaterThanOrEqual(expected!.of_loaded_sale);
    expect(rows.get("same order")).toBe(0); // the demo's returns name an order of their own
    expect(problems).toEqual([]);
    await page.close();
  });
}
