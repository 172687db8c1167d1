// The built site: offline build, nothing from another host, same bytes twice, and a tour
// of every page in a real browser (screenshots land in test/output/).
import {readFileSync} from "node:fs";
import {networkInterfaces} from "node:os";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import type {Browser, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import config from "../observablehq.config.js";
import {serve} from "../scripts/serve.js";
import {launchChromium} from "./browser.js";
import {buildSite, listFiles, outputDir, projectDir} from "./site.js";

const dist = join(projectDir, "dist");
const pagePaths = ["/", ...config.pages.map((page) => page.path)];
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

  /** Opens a page and records what must not happen: console errors, failed or outside requests. */
  async function open(path: string): Promise<{page: Page; problems: string[]}> {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`));
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(site.url) && !/^(data|blob):/.test(url)) problems.push(`request to another host: ${url}`);
    });
    await page.goto(new URL(path.slice(1), site.url).href);
    return {page, problems};
  }

  /** Waits until no cell is loading; Framework shows <observablehq-loading> until a cell settles. */
  async function rendered(page: Page): Promise<void> {
    await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0 && document.querySelector("#observablehq-main") !== null, null, {timeout: 10_000});
  }

  for (const path of pagePaths) {
    it(`renders ${path} within 10 s, with no console error and no request to another host`, async () => {
      const {page, problems} = await open(path);
      await rendered(page);
      for (const card of await page.locator(".card").all()) {
        expect(await card.locator("svg, table, canvas, .big").count(), `a card on ${path} is empty`).toBeGreaterThan(0);
      }
      await page.screenshot({path: join(outputDir, `${path === "/" ? "index" : path.slice(1).replaceAll("/", "-")}.png`), fullPage: true});
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it("index: shows the repeat-revenue share of the CDNOW sample, and the period control re-queries the chart", async () => {
    // The share computed here straight from the raw file, not through the loader's SQL.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const [[share]] = (await connection.runAndReadAll(`WITH p AS (
        SELECT split_part(trim(column0), ' ', 1) AS customer, strptime(regexp_extract(column0, '(\\d{8})', 1), '%Y%m%d') AS day,
               CAST(regexp_extract(trim(column0), '(\\S+)$', 1) AS DOUBLE) AS dollars
        FROM read_csv('${join(projectDir, "data", "cdnow_sample.txt")}', columns = {'column0': 'VARCHAR'}, delim = '\\x01', header = false))
      SELECT sum(dollars) FILTER (WHERE day > first_day) / sum(dollars)
      FROM p JOIN (SELECT customer, min(day) AS first_day FROM p GROUP BY customer) USING (customer)`)).getRows() as [[number]];
    connection.closeSync();
    instance.closeSync();

    const {page, problems} = await open("/");
    await rendered(page);
    await expect.poll(() => page.locator(".headline").textContent()).toContain(`brought ${Math.round(share * 100)} % of the revenue`);
    const bars = () => page.locator(".card svg g[aria-label='rect'] rect").count();
    const months = await bars();
    expect(months).toBe(2 * 18); // January 1997 to June 1998, first and repeat
    await page.getByLabel("week").check();
    await expect.poll(() => page.locator(".card h2").textContent(), {timeout: 10_000}).toBe("Revenue by week");
    await expect.poll(bars, {timeout: 10_000}).toBeGreaterThan(months);
    await page.getByLabel("quarter").check();
    await expect.poll(bars, {timeout: 10_000}).toBe(2 * 6);
    await page.screenshot({path: join(outputDir, "index-quarter.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });
});
