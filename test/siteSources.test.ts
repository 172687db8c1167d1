// The site built from other sources than the demo: the CDNOW sample from a folder, and the
// same sample in a PostgreSQL warehouse. Each is built and every page toured in chromium; a
// file of its own, so that it runs beside the demo's tour (test/site.test.ts) on the other core.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {pages} from "../src/core/pages.js";
import {serve} from "../scripts/serve.js";
import {settingVariables} from "../loaders/settings.js";
import {launchChromium, openPage} from "./browser.js";
import {runIngest} from "./ingestHelpers.js";
import {postgresMissing, startPostgres, type TestServer} from "./postgres.js";
import {satisfactionWithoutFeedbackTest} from "./pages/satisfaction.js";
import {buildSite, listFiles, outputDir, projectDir} from "./site.js";

// A test that works a page's controls waits for DuckDB-WASM's answers, slower while the other test file's browser
// runs beside it on two cores (test/pages/context.ts: requery).
vi.setConfig({testTimeout: 120_000});
const pagePaths = pages.map((page) => page.path);

/** Opens every configured page of a served site: no console error, no request to another host; screenshots named prefix-page.png. */
function tourEveryPage(site: () => {browser: Browser; url: string}, prefix: string) {
  for (const path of pagePaths) {
    it(`renders ${path} with no console error and no request to another host`, async () => {
      const {page, problems} = await openPage(site().browser, site().url, path);
      // The explore page loads its tables into DuckDB after it renders: show it with its answer.
      if (path === "/explore") await page.locator(".explore-status").waitFor({timeout: 60_000});
      await page.screenshot({
        path: join(outputDir, `${prefix}-${path === "/" ? "index" : path.slice(1)}.png`),
        fullPage: true
      });
      expect(problems).toEqual([]);
      await page.close();
    });
  }
}

describe("the site on another source (CUSTOMER_EQUITY_SOURCE: the CDNOW sample)", () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const source = await runIngest("cdnow", [join(projectDir, "data", "cdnow_sample.txt")]);
    buildSite("dist-cdnow", {CUSTOMER_EQUITY_SOURCE: source.dir});
    [browser, site] = await Promise.all([launchChromium(), serve(join(projectDir, "dist-cdnow"))]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  tourEveryPage(() => ({browser, url: site.url}), "cdnow");

  satisfactionWithoutFeedbackTest((path) => openPage(browser, site.url, path));

  it("shows no valuable-but-unhappy alert on the overview or the reports index: CDNOW has no feedback and no segments", async () => {
    for (const path of ["/", "/reports"]) {
      const {page, problems} = await openPage(browser, site.url, path);
      await page.locator("h1").first().waitFor();
      expect(await page.locator("#unhappy").count(), path).toBeLessThanOrEqual(1);
      expect((await page.locator("#unhappy").allTextContents()).join(""), path).toBe("");
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it("draws the explore page's profit by channel as one bar labelled (none): CDNOW has no channels", async () => {
    const sql = "SELECT acquisition_channel, sum(profit) AS profit FROM customer_summary GROUP BY acquisition_channel";
    const {page, problems} = await openPage(browser, site.url, `/explore?sql=${encodeURIComponent(sql)}`);
    const bars = page.locator(".explore-panel svg g[aria-label='bar'] rect");
    // DuckDB-WASM loads the tables first.
    await page.locator(".explore-status").waitFor({timeout: 60_000});
    await page.screenshot({path: join(outputDir, "explore-cdnow-channels.png"), fullPage: true});
    expect(await bars.count()).toBe(1);
    expect(await page.locator(".explore-panel svg g[aria-label='y-axis tick label'] text").allTextContents()).toEqual([
      "(none)"
    ]);
    expect(Number(await bars.first().getAttribute("width"))).toBeGreaterThan(100);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("describes the CDNOW data, reconciles all 6,919 rows, and says that profit assumes a margin", async () => {
    const overview = await openPage(browser, site.url, "/");
    await expect
      .poll(async () => (await overview.page.locator("#observablehq-main").textContent())?.replace(/\s+/g, " "))
      .toContain(
        "CDNOW purchase log (Fader & Hardie), 2,357 customers and 6,919 transaction lines from 1997-01-01 to 1998-06-30."
      );
    const quality = await openPage(browser, site.url, "/quality");
    await expect.poll(() => quality.page.locator(".headline").textContent()).toBe("All 6,919 input rows were loaded.");
    const profit = await openPage(browser, site.url, "/profit");
    await expect
      .poll(() => profit.page.locator(".note").textContent())
      .toContain("This source has no costs: cost of goods is assumed at 70 % of revenue (margin 30 %");
    // No acquisition costs: the cohorts' value chart has no orange bar, and its note says what would add one.
    const equity = await openPage(browser, site.url, "/equity");
    const cohortNote = equity.page.locator(".card", {hasText: "And each cohort?"}).locator(".how-to-read");
    await expect
      .poll(() => cohortNote.textContent())
      .toContain("This source has no acquisition costs to set against it");
    expect(await cohortNote.textContent()).not.toContain("longer than the orange one");
    const legend = equity.page.locator(".card", {hasText: "And each cohort?"}).locator("[class*='-swatches']");
    expect(await legend.textContent()).toContain("future margin (CLV)");
    expect(await legend.textContent()).not.toContain("acquisition cost");
    expect([...overview.problems, ...quality.problems, ...profit.problems, ...equity.problems]).toEqual([]);
  });
});

// The same CDNOW sample in a PostgreSQL warehouse, read by a SELECT-only role whose password
// is random: one build from the URL, every page toured, the password nowhere in what the
// build wrote or printed. Skipped with one line where PostgreSQL is absent.
if (postgresMissing) console.warn(postgresMissing);

describe.skipIf(postgresMissing !== null)(
  "the site on a warehouse (CUSTOMER_EQUITY_SOURCE: a postgres:// URL holding the CDNOW sample)",
  () => {
    let server: TestServer;
    let browser: Browser;
    let site: Awaited<ReturnType<typeof serve>>;
    let log = "";
    const distWarehouse = join(projectDir, "dist-warehouse");
    beforeAll(async () => {
      const source = await runIngest("cdnow", [join(projectDir, "data", "cdnow_sample.txt")]);
      server = await startPostgres();
      server.load(source.dir);
      // Fewer customers than the sample's 2,357 may ship: the pages show a sample per customer and exact figures.
      log = buildSite("dist-warehouse", {
        CUSTOMER_EQUITY_SOURCE: server.url(server.reader),
        [settingVariables.browserRows]: "1000"
      });
      [browser, site] = await Promise.all([launchChromium(), serve(distWarehouse)]);
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      site?.server.close();
      server?.stop();
    });

    tourEveryPage(() => ({browser, url: site.url}), "warehouse");

    it("computed the figures in the warehouse: the sample's 2,357 customers and 6,919 lines, all loaded (customers as a table of their own)", async () => {
      expect(log).toMatch(
        /source: connected to PostgreSQL at host 127\.0\.0\.1, port \d+, database shop \(user reader\): read-only/
      );
      const overview = await openPage(browser, site.url, "/");
      await expect
        .poll(async () => (await overview.page.locator("#observablehq-main").textContent())?.replace(/\s+/g, " "))
        .toContain("shop (PostgreSQL), 2,357 customers and 6,919 transaction lines from 1997-01-01 to 1998-06-30.");
      const quality = await openPage(browser, site.url, "/quality");
      // The warehouse holds the customers table ingest derived from the log: 6,919 + 2,357 rows.
      await expect
        .poll(() => quality.page.locator(".headline").textContent())
        .toBe("All 9,276 input rows were loaded.");
      expect([...overview.problems, ...quality.problems]).toEqual([]);
    });

    it("shows per customer a seeded sample where the browser gets at most 1,000, labelled, and every figure over all customers, as the folder build does", async () => {
      const folder = await serve(join(projectDir, "dist-cdnow"));
      try {
        for (const [path, figures, notes] of [
          ["/profit", ".headline, .grid .big", 2],
          ["/equity", ".headline, #equity-cards .big", 1]
        ] as const) {
          const built = await openPage(browser, folder.url, path);
          const sampled = await openPage(browser, site.url, path);
          const text = (opened: typeof built) => opened.page.locator(figures).allTextContents();
          await expect.poll(async () => (await text(built)).join(" ")).toMatch(/customers .*\$[\d,]+/);
          await expect.poll(() => text(sampled)).toEqual(await text(built));
          const customerNotes = sampled.page.locator(".sample-note", {
            hasText: "The figures and charts above count every customer."
          });
          await expect.poll(() => customerNotes.count()).toBe(notes);
          expect(await customerNotes.first().textContent()).toMatch(
            /a seeded sample of [\d,]+ of the 2,357 customers \(\d+\.\d %\), as the browser gets at most 1,000 rows a table/
          );
          expect(await built.page.locator(".sample-note", {hasText: "every customer"}).count(), path).toBe(0);
          expect([...built.problems, ...sampled.problems]).toEqual([]);
        }
      } finally {
        folder.server.close();
      }
    });

    it("says how a warehouse whose customers have no channel or segment gets segment reports: a column in its customers table or view", async () => {
      const {page, problems} = await openPage(browser, site.url, "/reports");
      await expect
        .poll(() => page.locator(".note").textContent())
        .toContain(
          "Add one to the warehouse's customers table, or to a view of it named customers (see the README), to get a report per value."
        );
      expect(problems).toEqual([]);
      await page.close();
    });

    it("never writes or prints the password: not in any file of dist-warehouse, not in the build log", () => {
      const secrets = [server.reader.password, encodeURIComponent(server.reader.password)].map((text) =>
        Buffer.from(text)
      );
      const files = listFiles(distWarehouse);
      expect(files.length).toBeGreaterThan(50);
      for (const file of files) {
        const bytes = readFileSync(join(distWarehouse, file));
        for (const secret of secrets) expect(bytes.includes(secret), file).toBe(false);
      }
      for (const secret of secrets) expect(log).not.toContain(secret.toString());
    });
  }
);
