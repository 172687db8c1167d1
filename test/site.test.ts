// The built site: offline build, nothing from another host, same bytes twice, and a tour
// of every page in a real browser (screenshots land in test/output/).
import {readFileSync} from "node:fs";
import {networkInterfaces} from "node:os";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {demoDir} from "../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import config from "../observablehq.config.js";
import {serve} from "../scripts/serve.js";
import {launchChromium, openPage} from "./browser.js";
import {runIngest} from "./ingestHelpers.js";
import {buildSite, listFiles, outputDir, projectDir} from "./site.js";

const dist = join(projectDir, "dist");
const pagePaths = ["/", ...config.pages.map((page) => page.path)];
const demoTruth = JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {
  rows: Record<string, number>;
  bad_rows: {file: string; line: number}[];
};
let buildLog = "";

beforeAll(() => {
  buildLog = buildSite("dist");
});

describe.runIf(process.env.CUSTOMER_EQUITY_OFFLINE === "1")("the test run's network namespace", () => {
  it("has loopback and nothing else, so the build and the browser below ran offline", () => {
    expect(Object.keys(networkInterfaces())).toEqual(["lo"]);
  });
});

describe("the build", () => {
  it("fetched nothing: its log mentions no fetch, CDN, DuckDB extension site or registry", () => {
    expect(buildLog).toMatch(/render \/index → /);
    expect(buildLog).not.toMatch(/(?<![\w-])fetch|https?:\/\/|jsdelivr|\bcdn\b|extensions\.duckdb\.org|registry\.npmjs/i);
  });

  it("writes HTML and CSS that reference no other host", () => {
    // Library bundles and wasm hold URLs that are never requested, so only HTML and CSS are read.
    const files = listFiles(dist).filter((file) => /\.(html|css)$/.test(file));
    expect(files).toContain("index.html");
    for (const file of files) {
      const text = readFileSync(join(dist, file), "utf-8").replaceAll("http://www.w3.org/", "");
      expect(text.match(/(?:https?:)?\/\/[\w-]+(?:\.[\w-]+)+/gi) ?? [], file).toEqual([]);
    }
  });

  it("publishes no name, e-mail or raw customer id of the demo's input", () => {
    const customers = readFileSync(join(demoDir, "customers.csv"), "utf-8").trim().split("\n").slice(1).map((line) => line.split(","));
    const ids = new Set(customers.map(([id]) => id!));
    const emails = new Set(customers.map((fields) => fields[2]!));
    const names = new Set(customers.map((fields) => fields[1]!));
    expect(ids.size).toBe(6000);
    for (const file of listFiles(dist).filter((file) => !file.endsWith(".wasm"))) {
      const text = readFileSync(join(dist, file), "utf-8");
      // Demo ids look like C000123; e-mails and names are looked for by their own shape.
      for (const match of text.matchAll(/C\d{6}/g)) expect(ids.has(match[0]), `${match[0]} in ${file}`).toBe(false);
      for (const match of text.matchAll(/[\w.+-]+@example\.com/g)) expect(emails.has(match[0]), `${match[0]} in ${file}`).toBe(false);
      for (const match of text.matchAll(/\b[A-Z][a-z]+ [A-Z][a-z]+\b/g)) expect(names.has(match[0]), `${match[0]} in ${file}`).toBe(false);
    }
  });

  it("gives the same dist/, byte for byte, when built again", () => {
    buildSite("dist-rebuild");
    const rebuilt = join(projectDir, "dist-rebuild");
    const files = listFiles(dist);
    expect(listFiles(rebuilt)).toEqual(files);
    for (const file of files) {
      expect(readFileSync(join(rebuilt, file)).equals(readFileSync(join(dist, file))), file).toBe(true);
    }
  }, 180_000);
});

describe("every page in chromium", () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), serve(dist)]);
  });
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  const open = (path: string) => openPage(browser, site.url, path);

  for (const path of pagePaths) {
    it(`renders ${path} within 10 s, with no console error and no request to another host`, async () => {
      const {page, problems} = await open(path);
      for (const card of await page.locator(".card").all()) {
        expect(await card.locator("svg, table, canvas, .big").count(), `a card on ${path} is empty`).toBeGreaterThan(0);
      }
      await page.screenshot({path: join(outputDir, `${path === "/" ? "index" : path.slice(1).replaceAll("/", "-")}.png`), fullPage: true});
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("index: shows the demo business's repeat-revenue share, and the period control re-queries the chart", async () => {
    // The share computed straight from the demo's raw transactions (less the bad lines its
    // truth.json lists), not through ingest: revenue on days after a customer's first purchase day.
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const share = await withDuckDB(async (connection) => {
      const [row] = await queryRows<{share: number}>(connection, `WITH lines AS (
          SELECT row_number() OVER () + 1 AS line, * FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
        good AS (SELECT customer_id, ordered_at::TIMESTAMP::DATE AS day, revenue::DOUBLE AS revenue FROM lines WHERE line NOT IN (${bad.join(", ")}))
        SELECT (sum(revenue) FILTER (WHERE day > first_day) / sum(revenue))::DOUBLE AS share
        FROM good JOIN (SELECT customer_id, min(day) AS first_day FROM good GROUP BY ALL) USING (customer_id)`);
      return row!.share;
    });

    const {page, problems} = await open("/");
    await expect.poll(() => page.locator(".headline").textContent()).toBe(`Repeat purchases brought ${Math.round(share * 100)} % of the revenue.`);
    const bars = () => page.locator("#sales svg g[aria-label='rect'] rect").count();
    // January 2023 to June 2025: 30 months, 10 quarters, each with a first and a repeat bar.
    expect(await bars()).toBe(2 * 30);
    await page.getByLabel("week").check();
    await expect.poll(() => page.locator("#sales h2").textContent(), {timeout: 10_000}).toBe("Revenue by week");
    await expect.poll(bars, {timeout: 10_000}).toBeGreaterThan(2 * 30);
    await page.getByLabel("quarter").check();
    await expect.poll(bars, {timeout: 10_000}).toBe(2 * 10);
    await page.screenshot({path: join(outputDir, "index-quarter.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("profit: the headline equals an independent query of the demo's raw files, and the channel filter re-queries it", async () => {
    // Profit per customer straight from the raw files, less the planted bad lines: revenue −
    // cost − $5 per returned line − $8 per service contact (the page's defaults).
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const expected = (channel: string | null) =>
      withDuckDB(async (connection) => {
        const [row] = await queryRows<{share: number; losers: number; n: number}>(connection, `WITH
          tx AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
          customers AS (SELECT * FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true)),
          per AS (SELECT customer_id, sum(revenue::DOUBLE) - sum(cost::DOUBLE) - 5 * count(*) FILTER (WHERE revenue::DOUBLE < 0) - 8 * any_value(service_contacts::INTEGER) AS profit
                  FROM tx JOIN customers USING (customer_id)
                  WHERE line NOT IN (${bad.join(", ")}) ${channel ? `AND acquisition_channel = '${channel}'` : ""}
                  GROUP BY customer_id),
          ranked AS (SELECT profit, row_number() OVER (ORDER BY profit DESC) AS rank, count(*) OVER () AS n FROM per)
          SELECT (sum(profit) FILTER (WHERE rank <= round(0.2 * n)) / sum(profit))::DOUBLE AS share, count(*) FILTER (WHERE profit < 0)::INTEGER AS losers, count(*)::INTEGER AS n FROM ranked`);
        return `The top 20 % of customers make ${Math.round(row!.share * 100)} % of the profit; ${row!.losers.toLocaleString("en-US")} customers (${Math.round((row!.losers / row!.n) * 100)} %) lose money`;
      });
    const {page, problems} = await open("/profit");
    await expect.poll(() => page.locator(".headline").textContent()).toContain(await expected(null));
    await page.getByLabel("Channel").selectOption("search");
    await expect.poll(() => page.locator(".headline").textContent(), {timeout: 10_000}).toContain(await expected("search"));
    await page.screenshot({path: join(outputDir, "profit-search.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("quality: shows the demo's reconciliation, with exactly the bad rows its generator planted", async () => {
    const input = Object.entries(demoTruth.rows).filter(([file]) => file !== "truth_customers.csv").reduce((total, [, rows]) => total + rows, 0);
    const rejected = demoTruth.bad_rows.length;
    const {page, problems} = await open("/quality");
    const n = (x: number) => x.toLocaleString("en-US");
    await expect.poll(() => page.locator(".headline").textContent()).toBe(`Of ${n(input)} input rows, ${n(input - rejected)} were loaded and ${n(rejected)} set aside with a reason.`);
    expect(await page.locator(".card .big").allTextContents()).toEqual([n(input), n(input - rejected), n(rejected)]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

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

  for (const path of pagePaths) {
    it(`renders ${path} with no console error and no request to another host`, async () => {
      const {page, problems} = await openPage(browser, site.url, path);
      await page.screenshot({path: join(outputDir, `cdnow-${path === "/" ? "index" : path.slice(1)}.png`), fullPage: true});
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("describes the CDNOW data, reconciles all 6,919 rows, and says that profit assumes a margin", async () => {
    const overview = await openPage(browser, site.url, "/");
    await expect.poll(async () => (await overview.page.locator("#observablehq-main").textContent())?.replace(/\s+/g, " ")).toContain("CDNOW purchase log (Fader & Hardie), 2,357 customers and 6,919 transaction lines from 1997-01-01 to 1998-06-30.");
    const quality = await openPage(browser, site.url, "/quality");
    await expect.poll(() => quality.page.locator(".headline").textContent()).toBe("All 6,919 input rows were loaded.");
    const profit = await openPage(browser, site.url, "/profit");
    await expect.poll(() => profit.page.locator(".note").textContent()).toContain("This source has no costs: cost of goods is assumed at 70 % of revenue (margin 30 %");
    expect([...overview.problems, ...quality.problems, ...profit.problems]).toEqual([]);
  });
});
