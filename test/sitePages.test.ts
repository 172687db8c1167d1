// The built demo site's other pages in a real browser, beside test/site.test.ts on the other
// core and from the same build (demoSite): equity, quality, template, the printed reports,
// segment reports, explore and the customer profile, then every page rendered with no console error and no
// request to another host (screenshots land in test/output/).
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {pages} from "../src/core/pages.js";
import {serve} from "../scripts/serve.js";
import {launchChromium, openPage} from "./browser.js";
import {customerPageTests} from "./pages/customer.js";
import {equityPageTests} from "./pages/equity.js";
import {explorePageTests} from "./pages/explore.js";
import {qualityPageTests} from "./pages/quality.js";
import {reportsPageTests} from "./pages/reports.js";
import {templatePageTests} from "./pages/template.js";
import {reportTests} from "./report.js";
import {demoSite, outputDir, projectDir} from "./site.js";

// A test that works a page's controls waits for DuckDB-WASM's answers, slower while the other test file's browser
// runs beside it on two cores (test/pages/context.ts: requery).
vi.setConfig({testTimeout: 120_000});
const pagePaths = pages.map((page) => page.path);

describe("every page in chromium", () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    demoSite();
    [browser, site] = await Promise.all([launchChromium(), serve(join(projectDir, "dist"))]);
  });
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  const open = (path: string) => openPage(browser, site.url, path);

  equityPageTests({open});
  qualityPageTests({open});
  templatePageTests({open});
  reportTests(() => ({browser, url: site.url}));
  reportsPageTests({open});
  explorePageTests({open});
  customerPageTests({open});

  for (const path of pagePaths) {
    it(`renders ${path} with no console error and no request to another host`, async () => {
      const {page, problems} = await open(path);
      for (const card of await page.locator(".card").all()) {
        expect(await card.locator("svg, table, canvas, .big").count(), `a card on ${path} is empty`).toBeGreaterThan(0);
        // Every table can be downloaded; every chart (not a KPI card's sparkline) says how to read it.
        const title = await card
          .locator("h2")
          .first()
          .textContent()
          .catch(() => "?");
        if (await card.locator("table").count())
          expect(await card.locator(".csv-download").count(), `table without CSV on ${path}: ${title}`).toBeGreaterThan(
            0
          );
        if (
          (await card.locator("svg[class^='plot']").count()) &&
          !(await card.evaluate((e) => e.classList.contains("kpi")))
        ) {
          expect(
            await card.locator(".how-to-read").count(),
            `chart without a "how to read this" note on ${path}: ${title}`
          ).toBeGreaterThan(0);
        }
      }
      await page.screenshot({
        path: join(outputDir, `${path === "/" ? "index" : path.slice(1).replaceAll("/", "-")}.png`),
        fullPage: true
      });
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
