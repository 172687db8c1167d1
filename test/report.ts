// Printed reports of the built demo site, registered inside site.test.ts's "every page in
// chromium" (one build serves them all): a PDF per page and the combined one, their page
// counts, the source and date range on every page, the figures each page shows, no input
// widget on paper, no page mostly empty, every table whole or cut with a note, and a Print
// button on every page. Expected header text comes from the demo's mapping and truth; a
// table's length from its own CSV download.
import {execFileSync} from "node:child_process";
import {existsSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import type {Browser} from "playwright-core";
import {expect, it} from "vitest";
import {demoDir} from "../loaders/demo/paths.js";
import config from "../observablehq.config.js";
import {pdfPageFills} from "../scripts/pageFill.js";
import {
  combinedName,
  minimumFill,
  pageMargins,
  pdfName,
  pdfPages,
  printReports,
  reportPaths,
  type ReportRow
} from "../scripts/report.js";
import {openPage} from "./browser.js";
import {outputDir, projectDir} from "./site.js";

/** Text as compared: pdftotext breaks lines (and drops a hyphen at a break), so no whitespace or hyphens; ligatures expanded. */
const squash = (text: string) => text.normalize("NFKC").replace(/[\s-]+/g, "");
const pdfText = (file: string) => execFileSync("pdftotext", [file, "-"], {encoding: "utf-8"});

export function reportTests(site: () => {browser: Browser; url: string}): void {
  const outDir = join(outputDir, "reports");
  let rows: ReportRow[] = [];
  // What each page showed as it was printed (read in chromium, print media on).
  const shown = new Map<string, {figures: string[]; widgets: number; tables: PrintedTable[]; prints: number}>();

  it("report: prints every page to its own PDF (one segment report of each kind) and all of them to one, whose pages are the sum of the parts", async () => {
    const all = await reportPaths(config);
    expect(all.slice(0, 2)).toEqual(["/", "/profit"]);
    // The segment reports are one page's template over another slice's files (src/report/[kind]/[name].md): the
    // first of each kind prints for all (test/pages/reports.ts renders every one).
    const paths = all.filter((path, i) => {
      const kind = /^\/report\/(\w+)\//.exec(path)?.[1];
      return !kind || all.findIndex((other) => other.startsWith(`/report/${kind}/`)) === i;
    });
    expect(paths.filter((path) => path.startsWith("/report/"))).toEqual([
      "/report/channel/email",
      "/report/segment/cafe"
    ]);
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
            .evaluateAll((nodes) => nodes.filter((node) => node.getClientRects().length > 0).length),
          tables: await page.locator("#observablehq-main table").evaluateAll(readTables),
          prints: await page.evaluate(countPrints).then(() => page.evaluate(pressPrint))
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

  it("report: no printed page is less than a third full (scripts/pageFill.ts: the extent from its first printed row to its last)", () => {
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(0, -1)) {
      const fills = pdfPageFills(row.file, pageMargins);
      expect(fills, row.file).toHaveLength(row.pages);
      fills.forEach((fill, i) =>
        expect(fill, `${row.file} page ${i + 1} of ${row.pages}`).toBeGreaterThanOrEqual(minimumFill)
      );
    }
  });

  it("report: every table prints whole (as many rows as its CSV download, no row or column cut off by a scroll box), or its first rows with a note saying how many of all", () => {
    let cut = 0;
    for (const row of rows.slice(0, -1)) {
      const text = squash(pdfText(row.file));
      for (const table of shown.get(row.path)!.tables) {
        const where = `${row.path}: ${table.title}`;
        expect(table.csv, `${where}: no CSV download`).not.toBeNull();
        expect(table.clipped, `${where}: rows or columns cut off by the scroll box`).toBe(false);
        const total = csvParse(table.csv!).length;
        if (table.printed === total) continue;
        const note = /\b(?:first|top) ([\d,]+) of ([\d,]+)\b/.exec(table.text);
        expect(note, `${where}: ${table.printed} of ${total} rows printed, and no note says so`).not.toBeNull();
        expect([Number(note![1]!.replaceAll(",", "")), Number(note![2]!.replaceAll(",", ""))], where).toEqual([
          table.printed,
          total
        ]);
        expect(table.text, where).toMatch(/CSV download/);
        expect(text, where).toContain(squash(note![0]!));
        cut++;
      }
    }
    // The demo's long lists (every customer on the profit and equity pages, the early-warning
    // list twice, the newly declined) are cut; the rest print whole.
    expect(cut).toBeGreaterThanOrEqual(4);
  });

  it("report: every printed page and segment report has a Print button that calls window.print(), shown on screen", async () => {
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(0, -1)) expect(shown.get(row.path)!.prints, row.path).toBe(1);
    // On screen (the printed pages were opened with print media, where it is hidden), clicked as a reader would.
    const {page, problems} = await openPage(site().browser, site().url, "/report/channel/email");
    await page.evaluate(countPrints);
    await page.getByRole("button", {name: "Print"}).click();
    expect(await page.evaluate(() => (window as unknown as {prints: number}).prints)).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
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

/** A table as printed: its card's title and printed text, the rows on paper, whether its box cuts rows or columns off, its CSV download. */
interface PrintedTable {
  title: string;
  text: string;
  printed: number;
  clipped: boolean;
  csv: string | null;
}

/** Runs in the page: replaces window.print with a counter, window.prints. */
function countPrints(): void {
  const counted = window as unknown as {prints: number};
  counted.prints = 0;
  window.print = () => void counted.prints++;
}

/** Runs in the page, after countPrints: presses every Print button it has, shown or not, and returns window.prints. */
function pressPrint(): number {
  for (const button of document.querySelectorAll<HTMLButtonElement>("button.print-button")) button.click();
  return (window as unknown as {prints: number}).prints;
}

/** Each table as the page prints it (runs in the page): its CSV is the first download after it in its card. */
function readTables(tables: Element[]): Promise<PrintedTable[]> {
  return Promise.all(
    tables.map(async (table) => {
      const card = table.closest<HTMLElement>(".card") ?? table.parentElement!;
      const link = [...card.querySelectorAll<HTMLAnchorElement>("a.csv-download")].find(
        (a) => table.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING
      );
      const box = table.closest("form") ?? table;
      return {
        title: card.querySelector("h2")?.textContent ?? "(no title)",
        text: card.innerText,
        printed: [...(table as HTMLTableElement).tBodies]
          .flatMap((body) => [...body.rows])
          .filter((row) => row.getClientRects().length > 0).length,
        clipped: box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1,
        // Focused first: the link writes its file then (components/csvDownload.ts).
        csv: link ? (link.dispatchEvent(new FocusEvent("focus")), await (await fetch(link.href)).text()) : null
      };
    })
  );
}
