// Segment reports on the demo, registered inside site.test.ts's "every page in chromium".
// The channels, segments and the search channel's figures come from the demo's raw files.
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoLinesSql, type PageTestContext} from "./context.js";

/** Distinct values of a column of the demo's customers.csv, sorted. */
const demoValues = (column: "acquisition_channel" | "segment") =>
  withDuckDB(async (connection) =>
    (
      await queryRows<{v: string}>(
        connection,
        `SELECT DISTINCT ${column} AS v FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true) WHERE v IS NOT NULL ORDER BY v`
      )
    ).map((r) => r.v)
  );

export function reportsPageTests({open}: PageTestContext): void {
  it("reports: the index lists every channel and segment of the demo, and each report renders its cards", async () => {
    const expected = {
      "Acquisition channels": await demoValues("acquisition_channel"),
      Segments: await demoValues("segment")
    };
    expect(expected["Acquisition channels"].length).toBeGreaterThan(1);
    const {page, problems} = await open("/reports");
    const links: {kind: string; name: string; href: string}[] = [];
    for (const [title, names] of Object.entries(expected)) {
      const card = page.locator(".card", {has: page.locator("h2", {hasText: title})});
      const rows = card.locator("tbody tr td:first-child a");
      expect((await rows.allTextContents()).sort()).toEqual(names);
      for (const link of await rows.all())
        links.push({
          kind: title === "Segments" ? "Segment" : "Acquisition channel",
          name: (await link.textContent())!,
          href: (await link.getAttribute("href"))!
        });
    }
    expect(problems).toEqual([]);
    await page.close();

    for (const {kind, name, href} of links) {
      const path = new URL(href, "http://site/reports.html").pathname;
      const report = await open(path);
      await expect.poll(() => report.page.locator("h1").textContent()).toBe(`${kind}: ${name}`);
      // Every page's card but data quality (the retention page has two: the leaky bucket and who is at risk), each with its figure.
      expect(await report.page.locator("a.card.kpi .big").count()).toBe(6);
      expect(await report.page.locator("a.card.kpi p.whole").count()).toBe(6);
      if (path.endsWith("/channel/search"))
        await report.page.screenshot({path: join(outputDir, "report-channel-search.png"), fullPage: true});
      expect(report.problems, path).toEqual([]);
      await report.page.close();
    }
  });

  it("reports: the search channel's customers and revenue equal an independent query of the demo's raw files", async () => {
    // Customers of the search channel with a purchase they did not return in full, and their revenue, straight from the raw files less the planted bad lines.
    const [search] = await withDuckDB((connection) =>
      queryRows<{customers: number; revenue: number; all_revenue: number}>(
        connection,
        `WITH
        ${demoLinesSql()},
        customers AS (SELECT * FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true)),
        good AS (SELECT customer_id, revenue::DOUBLE AS revenue, acquisition_channel, customer_id IN (SELECT customer_id FROM kept) AS bought
                 FROM valid JOIN customers USING (customer_id))
        SELECT count(DISTINCT customer_id) FILTER (WHERE acquisition_channel = 'search' AND bought)::INTEGER AS customers,
               sum(revenue) FILTER (WHERE acquisition_channel = 'search')::DOUBLE AS revenue, sum(revenue)::DOUBLE AS all_revenue FROM good`
      )
    );
    const money = (value: number) =>
      new Intl.NumberFormat("en-US", {style: "currency", currency: "USD", maximumFractionDigits: 0}).format(value);
    const index = await open("/reports");
    const row = index.page.locator("tbody tr", {has: index.page.locator("a", {hasText: /^search$/})});
    const cells = await row.locator("td").allTextContents();
    expect([cells[1], cells[3]]).toEqual([search!.customers.toLocaleString("en-US"), money(search!.revenue)]);
    const report = await open("/report/channel/search");
    await expect
      .poll(() => report.page.locator(".headline").textContent())
      .toContain(`${search!.customers.toLocaleString("en-US")} customers`);
    await expect
      .poll(() => report.page.locator(".headline").textContent())
      .toContain(`bring ${Math.round((search!.revenue / search!.all_revenue) * 100)} % of the revenue`);
    expect([...index.problems, ...report.problems]).toEqual([]);
    await index.page.close();
    await report.page.close();
  });
}
