// Printed reports of the built demo site, registered inside site.test.ts's "every page in
// chromium" (one build serves them all): a PDF per page and the combined one, their page
// counts, the source and date range on every page, the figures each page shows, and no
// input widget on paper. Expected header text comes from the demo's mapping and truth.
import {execFileSync} from "node:child_process";
import {existsSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import type {Browser} from "playwright-core";
import {expect, it} from "vitest";
import {demoDir} from "../loaders/demo/paths.js";
import config from "../observablehq.config.js";
import {combinedName, pdfName, pdfPages, printReports, reportPaths, type ReportRow} from "../scripts/report.js";
import {outputDir, projectDir} from "./site.js";

/** Text as compared: pdftotext breaks lines (and drops a hyphen at a break), so no whitespace or hyphens; ligatures expanded. */
const squash = (text: string) => text.normalize("NFKC").replace(/[\s-]+/g, "");
const pdfText = (file: string) => execFileSync("pdftotext", [file, "-"], {encoding: "utf-8"});

export function reportTests(site: () => {browser: Browser; url: string}): void {
  const outDir = join(outputDir, "reports");
  let rows: ReportRow[] = [];
  // What each page showed as it was printed (read in chromium, print media on).
  const shown = new Map<string, {figures: string[]; widgets: number}>();

  it("report: prints every page to its own PDF and all of them to one, whose pages are the sum of the parts", async () => {
    const paths = await reportPaths(config);
    expect(paths.slice(0, 2)).toEqual(["/", "/profit"]);
    rows = await printReports({
      browser: site().browser,
      siteUrl: site().url,
      dist: join(projectDir, "dist"),
      paths,
      outDir,
      beforePrint: async (path, page) => {
        shown.set(path, {
          figures: await page.locator(".headline, .card .big").allTextContents(),
          widgets: await page
            .locator("input[type=range], input[type=radio], input[type=checkbox], a.csv-download, button")
            .evaluateAll((nodes) => nodes.filter((node) => node.getClientRects().length > 0).length)
        });
      }
    });
    expect(rows.map((row) => row.file)).toEqual([
      ...paths.map((path) => join(outDir, pdfName(path))),
      join(outDir, combinedName)
    ]);
    for (const row of rows) {
      expect(existsSync(row.file), row.file).toBe(true);
      expect(row.pages, row.file).toBeGreaterThanOrEqual(1);
    }
    const parts = rows.slice(0, -1);
    expect(pdfPages(join(outDir, combinedName))).toBe(parts.reduce((total, row) => total + row.pages, 0));
  }, 180_000);

  it("report: every printed page is headed by the source's name and date range and numbered in its footer", () => {
    const {name} = JSON.parse(readFileSync(join(demoDir, "mapping.json"), "utf-8")) as {name: string};
    // The demo simulates January 2023 to June 2025 (see the overview's test).
    const header = `${name} · 2023-01-01 to 2025-06-30`;
    for (const row of rows.slice(0, -1)) {
      const text = pdfText(row.file);
      expect(text.split(header).length - 1, row.file).toBe(row.pages);
      expect(text, row.file).toContain(`page ${row.pages} of ${row.pages}`);
    }
  });

  it("report: each PDF holds the headline and the big figures its page shows, and the inputs as label and value, with no widget printed", () => {
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(0, -1)) {
      const {figures, widgets} = shown.get(row.path)!;
      expect(widgets, `widgets printed on ${row.path}`).toBe(0);
      expect(figures.length, row.path).toBeGreaterThan(0);
      const text = squash(pdfText(row.file));
      for (const figure of figures) expect(text, `${row.path}: ${figure}`).toContain(squash(figure));
      expect(text).not.toContain("DownloadCSV");
    }
    // The profit page's defaults: the top 20 %, acquisition cost not charged.
    const profit = squash(pdfText(join(outDir, "profit.pdf")));
    expect(profit).toContain(squash("Top customers (%): 20"));
    expect(profit).toContain(squash("Charge acquisition cost: no"));
  });

  it("report: page 1 of the profit PDF renders to a PNG (test/output/report-profit.png, A4 at 60 dpi)", () => {
    const png = join(outputDir, "report-profit");
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "60",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      join(outDir, "profit.pdf"),
      png
    ]);
    const bytes = readFileSync(`${png}.png`);
    // PNG header: width and height at bytes 16 and 20. A4 at 60 dpi: 210 mm → 496 pixels
    // (pdftoppm rounds up), its sides in the ratio 1 : √2.
    const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    expect(width).toBeGreaterThanOrEqual(496);
    expect(width).toBeLessThanOrEqual(497);
    expect(width / height).toBeCloseTo(Math.SQRT1_2, 2);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(10_000);
  });
}
