// The template page (src/template.md, README "Add a page in minutes") on the demo data:
// it builds, renders, and its SQL cell's figures equal an independent query of the raw files.
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {demoTruth, tableCells, type PageTestContext} from "./context.js";

export function templatePageTests({open}: PageTestContext): void {
  it("template: one row per channel, whose customers and share who bought again equal the raw files'", async () => {
    // Customers per channel, and the share with purchases on two or more days (a day whose
    // every line came back is none), from the demo's files less the planted bad transaction lines.
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const expected = await withDuckDB((connection) =>
      queryRows<{channel: string; customers: number; repeat_share: number}>(
        connection,
        `WITH
        tx AS (SELECT row_number() OVER () + 1 AS line, "line" AS order_line, * EXCLUDE ("line") FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
        valid AS (SELECT * FROM tx WHERE line NOT IN (${bad.join(", ")})),
        -- a sale line counts unless it came back (the return of order O… is order R…, same line number)
        kept AS (SELECT * FROM valid s WHERE revenue::DOUBLE > 0
                 AND NOT EXISTS (SELECT 1 FROM valid r WHERE r.order_id = 'R' || s.order_id AND r.order_line = s.order_line)),
        days AS (SELECT customer_id, count(DISTINCT ordered_at::TIMESTAMP::DATE) AS days FROM kept GROUP BY customer_id)
        SELECT acquisition_channel AS channel, count(*)::INTEGER AS customers, avg(CASE WHEN coalesce(days, 0) > 1 THEN 1 ELSE 0 END)::DOUBLE AS repeat_share
        FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true) LEFT JOIN days USING (customer_id)
        GROUP BY ALL ORDER BY channel`
      )
    );
    const {page, problems} = await open("/template");
    const table = page.locator(".card", {hasText: "By channel"}).locator("table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(expected.length);
    const shown = await tableCells(table.locator("tbody tr"));
    // Columns: Inputs.table's (empty) first column, channel, customers, bought again, profit per customer.
    const byChannel = new Map(shown.map((cells) => [cells[1], cells.slice(1)]));
    for (const {channel, customers, repeat_share} of expected) {
      const cells = byChannel.get(channel);
      expect(cells, channel).toBeDefined();
      expect(Number(cells![1]!.replace(/,/g, ""))).toBe(customers);
      expect(cells![2]).toBe(`${(repeat_share * 100).toFixed(1)} %`);
    }
    expect(
      await page.locator(".card", {hasText: "Share of customers who bought again"}).locator("svg").count()
    ).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });
}
