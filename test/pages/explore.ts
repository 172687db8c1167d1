// Page tests on the demo data, registered inside site.test.ts's "every page in chromium"
// (one build serves them all). Expected figures come from the demo's raw files or its
// truth.json, never from the site's own loaders.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {literal} from "../../src/core/sql/sql.js";
import {outputDir} from "../site.js";
import {demoTruth, tableCells, type PageTestContext} from "./context.js";

/** DuckDB-WASM loads every table before the first answer: more than a page's 10 s to render on a busy machine. */
const answerTimeout = 60_000;

const explorePath = (sql: string) => `/explore?sql=${encodeURIComponent(sql)}`;

/** The result's status line or error, once the query has run. */
async function answer(page: Page): Promise<string> {
  const outcome = page.locator(".explore-status, .explore-error");
  await outcome.first().waitFor({timeout: answerTimeout});
  return (await outcome.first().textContent()) ?? "";
}

/** Types a query into the editor and runs it with Ctrl+Enter, as a reader does. */
async function typeQuery(page: Page, sql: string): Promise<void> {
  await page.locator("textarea").fill(sql);
  await page.locator("textarea").press("Control+Enter");
}

export function explorePageTests({open}: PageTestContext): void {
  // One page for the tests that type their queries, opened by the first of them: DuckDB-WASM loads every table once,
  // not once per test. The last of them closes it.
  let typing: Promise<{page: Page; problems: string[]}> | undefined;
  const typingPage = () =>
    (typing ??= open(explorePath("SELECT 1 AS one")).then(async (opened) => {
      await answer(opened.page);
      return opened;
    }));

  it(
    "explore: runs the query in the address, shows the rows, a bar chart and the table sizes, each equal to an independent query of the demo's raw files",
    async () => {
      // Lines and revenue per category straight from the raw file, less the lines the generator planted as bad.
      const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
      const expected = await withDuckDB((connection) =>
        queryRows<{category: string; lines: number; revenue: number}>(
          connection,
          `WITH tx AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv(${literal(join(demoDir, "transactions.csv"))}, all_varchar = true, header = true))
        SELECT category, count(*)::INTEGER AS lines, sum(revenue::DOUBLE)::DOUBLE AS revenue FROM tx WHERE line NOT IN (${bad.join(", ")}) GROUP BY category ORDER BY category`
        )
      );
      const sql =
        "SELECT category, count(*) AS lines, sum(revenue) AS revenue\nFROM transactions\nGROUP BY category\nORDER BY category";
      const {page, problems} = await open(explorePath(sql));
      expect(await answer(page)).toMatch(new RegExp(`^${expected.length} rows \\(`));
      const cells = await tableCells(page.locator(".explore-panel table tbody tr"));
      const shown = cells.map((row) => ({
        category: row.at(-3),
        lines: Number(row.at(-2)?.replaceAll(",", "")),
        revenue: Number(row.at(-1)?.replaceAll(",", ""))
      }));
      expect(shown.map(({category, lines}) => ({category, lines}))).toEqual(
        expected.map(({category, lines}) => ({category, lines}))
      );
      shown.forEach((row, i) => expect(row.revenue).toBeCloseTo(expected[i]!.revenue, 0));
      // A category and numbers: bars, one per category, chosen without being asked.
      expect(await page.getByLabel("Chart").locator("option:checked").textContent()).toContain(
        "sum of a number by category"
      );
      expect(await page.locator(".explore-panel svg g[aria-label='bar'] rect").count()).toBe(expected.length);
      // The tables beside the editor: the demo's transactions, less the bad lines, all shipped.
      const loaded = demoTruth.rows["transactions.csv"]! - bad.length;
      await expect
        .poll(() => page.locator(".explore-schema summary").first().innerText())
        .toBe(`transactions ${loaded.toLocaleString("en-US")} rows`);
      expect(await page.locator(".note").count()).toBe(0);
      await page.screenshot({path: join(outputDir, "explore-categories.png"), fullPage: true});
      expect(problems).toEqual([]);
      await page.close();
    },
    2 * answerTimeout
  );

  it(
    "explore: a result longer than the table's 10,000 rows is charted whole: every row's revenue per category, and the chart says so",
    async () => {
      const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
      const loaded = demoTruth.rows["transactions.csv"]! - bad.length;
      // Revenue per category over every loaded line of the raw file, largest first.
      const expected = await withDuckDB((connection) =>
        queryRows<{category: string}>(
          connection,
          `WITH tx AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv(${literal(join(demoDir, "transactions.csv"))}, all_varchar = true, header = true))
        SELECT category FROM tx WHERE line NOT IN (${bad.join(", ")}) GROUP BY category ORDER BY sum(revenue::DOUBLE) DESC`
        )
      );
      expect(loaded).toBeGreaterThan(10_000);
      const {page, problems} = await typingPage();
      await typeQuery(page, "SELECT category, revenue FROM transactions");
      await expect
        .poll(() => page.locator(".explore-status").textContent(), {timeout: answerTimeout})
        .toMatch(new RegExp(`^10,000 rows shown of ${loaded.toLocaleString("en-US")}:`));
      const chart = page.locator(".explore-panel figure");
      await expect
        .poll(() => chart.locator("figcaption").textContent(), {timeout: answerTimeout})
        .toBe(`All ${loaded.toLocaleString("en-US")} rows`);
      expect(await chart.locator("g[aria-label='y-axis tick label'] text").allTextContents()).toEqual(
        expected.map((row) => row.category)
      );
      await page.screenshot({path: join(outputDir, "explore-whole-result.png"), fullPage: true});
      expect(problems).toEqual([]);
    },
    2 * answerTimeout
  );

  it(
    "explore: a query typed and run with Ctrl+Enter replaces the one in the address, and that address reproduces it",
    async () => {
      const {page, problems} = await typingPage();
      const sql = "SELECT count(*) AS customers FROM customers -- #1 & 100 %";
      await typeQuery(page, sql);
      await expect.poll(() => new URL(page.url()).searchParams.get("sql"), {timeout: answerTimeout}).toBe(sql);
      await expect
        .poll(() => page.locator(".explore-panel table tbody td").last().textContent(), {timeout: answerTimeout})
        .toBe(demoTruth.rows["customers.csv"]!.toLocaleString("en-US"));
      const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
      expect(await again.page.locator("textarea").inputValue()).toBe(sql);
      expect([...problems, ...again.problems]).toEqual([]);
      await again.page.close();
    },
    3 * answerTimeout
  );

  it(
    "explore: says what is wrong with a query in DuckDB's words, and the page goes on working",
    async () => {
      const {page, problems} = await typingPage();
      await typeQuery(page, "SELEC category FROM transactions");
      await expect
        .poll(() => page.locator(".explore-error").textContent(), {timeout: answerTimeout})
        .toContain('Parser Error: syntax error at or near "SELEC"');
      expect(await page.locator(".explore-panel svg").count()).toBe(0);
      // Run by the button this time; the page goes on answering.
      await page.locator("textarea").fill("SELECT nothing FROM transactions");
      await page.getByRole("button", {name: "Run"}).click();
      await expect
        .poll(() => page.locator(".explore-error").textContent(), {timeout: answerTimeout})
        .toContain('Binder Error: Referenced column "nothing" not found');
      await typeQuery(page, "SELECT 2 AS two");
      await expect
        .poll(() => page.locator(".explore-status").textContent(), {timeout: answerTimeout})
        .toMatch(/^1 row /);
      expect(problems).toEqual([]);
    },
    2 * answerTimeout
  );

  it(
    "explore: refuses every way out of the page (files and URLs, extensions, settings) in words, and nothing reaches another host",
    async () => {
      const refusals: Record<string, string> = {
        "SELECT * FROM read_csv('http://example.com/x.csv')":
          "Permission Error: Scanning read_csv files is disabled through configuration",
        "INSTALL httpfs": "Extensions cannot be installed or loaded here",
        "COPY (SELECT 1) TO 'out.csv'": "Permission Error: COPY TO is disabled by configuration",
        "ATTACH 'http://example.com/x.duckdb' AS x": "requires extension 'httpfs' to be loaded",
        "SET enable_external_access = true": "the configuration has been locked"
      };
      const {page, problems} = await typingPage();
      for (const [sql, message] of Object.entries(refusals)) {
        await typeQuery(page, sql);
        await expect
          .poll(() => page.locator(".explore-error").textContent(), {timeout: answerTimeout})
          .toContain(message);
      }
      expect(problems).toEqual([]);
    },
    2 * answerTimeout
  );

  it(
    "explore: shows text from the data as text, never as markup",
    async () => {
      const text = '<script>window.explorePwned = 1</script><b>bold</b><img src=x onerror="window.explorePwned = 2">';
      const {page, problems} = await typingPage();
      await typeQuery(page, `SELECT ${literal(text)} AS html, 1 AS n`);
      await expect
        .poll(() => page.locator(".explore-panel table tbody td").allTextContents(), {timeout: answerTimeout})
        .toContain(text);
      expect(await page.locator("#observablehq-main b, #observablehq-main img").count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as {explorePwned?: number}).explorePwned)).toBeUndefined();
      expect(problems).toEqual([]);
    },
    2 * answerTimeout
  );

  // Last on the typing page: the refused fetch is a console error there.
  it("explore: the page's Content-Security-Policy stops any connection to another host, from the page itself too", async () => {
    const {page} = await typingPage();
    const outcome = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => {
        document.addEventListener("securitypolicyviolation", (event) => resolve(event.effectiveDirective));
        setTimeout(() => resolve("no violation reported"), 5000);
      });
      const fetched = await fetch("http://example.com/x.csv").then(
        () => "fetched",
        () => "refused"
      );
      return {fetched, directive: await violation};
    });
    expect(outcome).toEqual({fetched: "refused", directive: "connect-src"});
    await page.close();
  });
}
