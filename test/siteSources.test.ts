// The site built from other sources than the demo: the CDNOW sample from a folder, every page
// toured in chromium (test/tour.ts), and the same sample in a PostgreSQL warehouse, the pages
// its tests open toured; a file of its own, so that it runs beside the demo's tours on the
// other core.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {pages} from "../src/core/pages.js";
import {serve} from "../scripts/serve.js";
import {withheldNote} from "../src/components/explore.js";
import {settingVariables} from "../loaders/settings.js";
import {openPage, servedSite} from "./browser.js";
import {runIngest} from "./ingestHelpers.js";
import {postgresMissing, startPostgres, type TestServer} from "./postgres.js";
import {satisfactionWithoutFeedbackTest} from "./pages/satisfaction.js";
import {buildSite, builtData, listFiles, outputDir, projectDir} from "./site.js";
import {siteTour} from "./tour.js";

// A test that works a page's controls waits for DuckDB-WASM's answers, slower while the other test file's browser
// runs beside it on two cores (test/pages/context.ts: requery).
vi.setConfig({testTimeout: 120_000});
const pagePaths = pages.map((page) => page.path);

describe("the site on another source (CUSTOMER_EQUITY_SOURCE: the CDNOW sample)", () => {
  beforeAll(async () => {
    const source = await runIngest("cdnow", [join(projectDir, "data", "cdnow_sample.txt")]);
    // Raw tables of more than 50 kB gzipped stay out: the sample's transactions (about 70 kB), not its customers.
    buildSite("dist-cdnow", {CUSTOMER_EQUITY_SOURCE: source.dir, [settingVariables.exploreMegabytes]: "0.05"});
  }, 180_000);
  const site = servedSite(join(projectDir, "dist-cdnow"));

  const {open, renderTests} = siteTour(site, {paths: pagePaths, prefix: "cdnow"});

  satisfactionWithoutFeedbackTest(open);

  it("shows no valuable-but-unhappy alert on the overview or the reports index: CDNOW has no feedback and no segments", async () => {
    for (const path of ["/", "/reports"]) {
      const {page, problems} = await open(path);
      await page.locator("h1").first().waitFor();
      expect(await page.locator("#unhappy").count(), path).toBeLessThanOrEqual(1);
      expect((await page.locator("#unhappy").allTextContents()).join(""), path).toBe("");
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it("lists on the retention page what bonds to collect, by kind, and the mapping file's keys for them: CDNOW declares none", async () => {
    const {page, problems} = await open("/retention");
    const card = page.locator("#bonds-to-collect");
    await expect
      .poll(() => card.locator("li").allTextContents())
      .toEqual([
        expect.stringMatching(/^Financial: loyalty-scheme membership/),
        expect.stringMatching(/^Social: an account manager/),
        expect.stringMatching(/^Structural: integrations/)
      ]);
    expect(await card.textContent()).toContain("tables.customers.bonds");
    expect(await page.locator("#bond-table, #bond-curves").count()).toBe(0);
    // Nobody holds a bond: the customer page's file of holders is its header alone.
    expect(builtData(join(projectDir, "dist-cdnow"), "retention_bond_holders.csv.gz").trim()).toBe(
      "customer_id,bond,kind"
    );
    await card.screenshot({path: join(outputDir, "cdnow-retention-bonds.png")});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("draws the explore page's profit by channel as one bar labelled (none): CDNOW has no channels", async () => {
    const sql = "SELECT acquisition_channel, sum(profit) AS profit FROM customer_summary GROUP BY acquisition_channel";
    const {page, problems} = await open(`/explore?sql=${encodeURIComponent(sql)}`);
    const bars = page.locator(".explore-panel svg g[aria-label='bar'] rect");
    // DuckDB-WASM loads the tables first.
    await page.locator(".explore-status").waitFor({timeout: 60_000});
    await page.screenshot({path: join(outputDir, "explore-cdnow-channels.png"), fullPage: true});
    expect(await bars.count()).toBe(1);
    expect(await page.locator(".explore-panel svg g[aria-label='y-axis tick label'] text").allTextContents()).toEqual([
      "(none)"
    ]);
    expect(Number(await bars.first().getAttribute("width"))).toBeGreaterThan(100);
    // The transactions are over the build's size limit: the page says so, with the setting that would ship them.
    const explore = JSON.parse(builtData(join(projectDir, "dist-cdnow"), "explore.json"));
    expect(await page.locator(".note", {hasText: "Not in this site"}).textContent()).toBe(
      withheldNote(explore.tables, 50_000)
    );
    expect(
      explore.tables.filter((t: {withheldBytes?: number}) => t.withheldBytes).map((t: {name: string}) => t.name)
    ).toEqual(["transactions"]);
    expect(await page.locator(".explore-schema summary").allTextContents()).not.toContainEqual(
      expect.stringContaining("transactions")
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it("describes the CDNOW data, reconciles all 6,919 rows, and says that profit assumes a margin", async () => {
    const overview = await open("/");
    await expect
      .poll(async () => (await overview.page.locator("#observablehq-main").textContent())?.replace(/\s+/g, " "))
      .toContain(
        "CDNOW purchase log (Fader & Hardie), 2,357 customers and 6,919 transaction lines from 1997-01-01 to 1998-06-30."
      );
    const quality = await open("/quality");
    await expect.poll(() => quality.page.locator(".headline").textContent()).toBe("All 6,919 input rows were loaded.");
    const profit = await open("/profit");
    await expect
      .poll(() => profit.page.locator(".note").textContent())
      .toContain("This source has no costs: cost of goods is assumed at 70 % of revenue (margin 30 %");
    // No acquisition costs: the cohorts' value chart has no orange bar, and its note says what would add one.
    const equity = await open("/equity");
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

  renderTests();
});

// The same CDNOW sample in a PostgreSQL warehouse, read by a SELECT-only role whose password
// is random: one build from the URL, its pages toured, the password nowhere in what the
// build wrote or printed. Skipped with one line where PostgreSQL is absent.
if (postgresMissing) console.warn(postgresMissing);

describe.skipIf(postgresMissing !== null)(
  "the site on a warehouse (CUSTOMER_EQUITY_SOURCE: a postgres:// URL holding the CDNOW sample)",
  () => {
    let server: TestServer;
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
    }, 240_000);
    afterAll(() => server?.stop());
    const site = servedSite(distWarehouse);

    // The pages the tests below open, and two of per-customer lists; the others draw the same files as the folder build's.
    const {open, renderTests} = siteTour(site, {
      paths: ["/", "/quality", "/profit", "/equity", "/reports", "/retention", "/lifecycle"],
      prefix: "warehouse"
    });

    it("computed the figures in the warehouse: the sample's 2,357 customers and 6,919 lines, all loaded (customers as a table of their own)", async () => {
      expect(log).toMatch(
        /source: connected to PostgreSQL at host 127\.0\.0\.1, port \d+, database shop \(user reader\): read-only/
      );
      const overview = await open("/");
      await expect
        .poll(async () => (await overview.page.locator("#observablehq-main").textContent())?.replace(/\s+/g, " "))
        .toContain("shop (PostgreSQL), 2,357 customers and 6,919 transaction lines from 1997-01-01 to 1998-06-30.");
      const quality = await open("/quality");
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
          const built = await openPage(site().browser, folder.url, path);
          const sampled = await open(path);
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
      const {page, problems} = await open("/reports");
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

    renderTests();
  }
);
