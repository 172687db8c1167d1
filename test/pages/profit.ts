// Page tests on the demo data, registered inside site.test.ts's "every page in chromium"
// (one build serves them all). Expected figures come from the demo's raw files or its
// truth.json, never from the site's own loaders.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoTruth, downloadCsv, type PageTestContext, requery} from "./context.js";

export function profitPageTests({open}: PageTestContext): void {
  it("profit: the headline equals an independent query of the demo's raw files, and the channel filter re-queries it", async () => {
    // Profit per customer straight from the raw files, less the planted bad lines: revenue −
    // cost − $5 per returned line − $8 per service contact (the page's defaults).
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const expected = (channel: string | null) =>
      withDuckDB(async (connection) => {
        const [row] = await queryRows<{share: number; losers: number; n: number}>(
          connection,
          `WITH
          tx AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
          customers AS (SELECT * FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true)),
          per AS (SELECT customer_id, sum(revenue::DOUBLE) - sum(cost::DOUBLE) - 5 * count(*) FILTER (WHERE revenue::DOUBLE < 0) - 8 * any_value(service_contacts::INTEGER) AS profit
                  FROM tx JOIN customers USING (customer_id)
                  WHERE line NOT IN (${bad.join(", ")}) ${channel ? `AND acquisition_channel = '${channel}'` : ""}
                  GROUP BY customer_id),
          ranked AS (SELECT profit, row_number() OVER (ORDER BY profit DESC) AS rank, count(*) OVER () AS n FROM per)
          SELECT (sum(profit) FILTER (WHERE rank <= round(0.2 * n)) / sum(profit))::DOUBLE AS share, count(*) FILTER (WHERE profit < 0)::INTEGER AS losers, count(*)::INTEGER AS n FROM ranked`
        );
        return `The top 20 % of customers make ${Math.round(row!.share * 100)} % of the profit; ${row!.losers.toLocaleString("en-US")} customers (${Math.round((row!.losers / row!.n) * 100)} %) lose money`;
      });
    const {page, problems} = await open("/profit");
    await expect.poll(() => page.locator(".headline").textContent()).toContain(await expected(null));
    await page.getByLabel("Channel").selectOption("search");
    await expect.poll(() => page.locator(".headline").textContent(), requery).toContain(await expected("search"));
    await page.screenshot({path: join(outputDir, "profit-search.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("profit: the loyalty axis is the CLV model's expected purchases per customer (the equity page's figures), and P(active) can replace it", async () => {
    const csvOf = (page: Page, card: string) =>
      downloadCsv(page, page.locator(".card", {has: page.locator("h2", {hasText: card})}).getByText("Download CSV"));
    const equity = await open("/equity");
    const model = new Map(
      (await csvOf(equity.page, "Every customer's value")).map((d) => [d.customer_id, Number(d.purchases_next_year)])
    );
    await equity.page.close();

    const {page, problems} = await open("/profit");
    expect(await page.getByLabel("Model: expected purchases next year").isChecked()).toBe(true);
    const customers = await csvOf(page, "Every customer, most profitable first");
    // Every customer the model knows carries its figure; the others never bought (no model figure, no score).
    for (const d of customers) {
      if (model.has(d.customer_id!)) expect(Number(d.loyalty)).toBeCloseTo(model.get(d.customer_id!)!, 9);
      else expect([d.orders, Number.isNaN(Number(d.loyalty))]).toEqual(["0", true]);
    }
    expect(customers.filter((d) => model.has(d.customer_id!)).length).toBe(model.size);
    const typesCard = page.locator(".card", {hasText: "Customers by profit and expected loyalty"});
    await expect
      .poll(() => typesCard.locator("figure, svg").last().textContent())
      .toContain("Expected purchases next year");
    await page.getByLabel("Model: P(active)").check();
    await expect.poll(() => typesCard.locator("figure, svg").last().textContent()).toContain("P(active)");
    expect(problems).toEqual([]);
    await page.close();
  });
}
