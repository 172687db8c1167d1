// The site built offline on UCI Online Retail (../shared/datasets; skipped where absent): a
// real log with cancellations, a first month of customers who were already there and a last
// month of nine days. Every page tours clean, in pounds, with no number a manager can't read.
import {existsSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {beforeAll, describe, expect, it} from "vitest";
import {pages} from "../src/core/pages.js";
import {openPage, servedSite} from "./browser.js";
import {runIngest} from "./ingestHelpers.js";
import {buildSite, outputDir, projectDir} from "./site.js";

const datasets = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));
const present = existsSync(join(datasets, "online_retail.csv.gz"));
if (!present) console.warn(`skipping the Online Retail site tour: ${datasets}online_retail.csv.gz is absent`);

describe.runIf(present)("the site on UCI Online Retail", () => {
  beforeAll(async () => {
    const source = await runIngest("online-retail", [join(datasets, "online_retail.csv.gz")], {asOf: "2012-01-01"});
    buildSite("dist-retail", {CUSTOMER_EQUITY_SOURCE: source.dir});
  }, 300_000);
  const site = servedSite(join(projectDir, "dist-retail"));

  it("says on the equity page, in plain words, that this data cannot tell how many customers stop buying", async () => {
    // Online Retail's year of data leaves BG/NBD's dropout poorly determined (a and b's standard errors exceed them).
    const {page, problems} = await openPage(site().browser, site().url, "/equity", {timeout: 30_000});
    const warning = await page.locator("#fit-health").innerText();
    expect(warning).toContain("This data cannot tell how many customers stop buying");
    expect(warning).not.toMatch(/standard error|poorly determined/);
    expect(await page.locator(".headline").first().innerText()).toContain(
      "This data cannot tell how many customers stop buying, so this page does not say what keeping more of them would add."
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const {path} of pages) {
    it(`shows ${path} in pounds, with no console error and no unreadable number`, async () => {
      const {page, problems} = await openPage(site().browser, site().url, path, {timeout: 30_000});
      const text = (await page.locator("#observablehq-main").innerText()).replace(/\s+/g, " ");
      await page.screenshot({
        path: join(outputDir, `retail-${path === "/" ? "index" : path.slice(1)}.png`),
        fullPage: true
      });
      expect(text).not.toMatch(/[$€]\s?\d/);
      expect(text).not.toMatch(/\bNaN\b|\bundefined\b|Infinity|\bnull\b/);
      if (["/", "/profit", "/equity"].includes(path)) expect(text).toMatch(/£\d/);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
