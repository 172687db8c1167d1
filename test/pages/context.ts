// What a page's tests get: a way to open a page of the built demo site, and the demo's truth.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import type {Locator, Page} from "playwright-core";
import {demoDir} from "../../loaders/demo/paths.js";

export interface PageTestContext {
  /** Opens a page (path such as "/profit") once it has rendered; problems lists console errors and outside requests. */
  open: (path: string) => Promise<{page: Page; problems: string[]}>;
}

/** data/demo/truth.json: the demo generator's ground truth. */
export const demoTruth = JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {
  rows: Record<string, number>;
  bad_rows: {file: string; line: number; column: string; reason: string}[];
};

/** Clicks a CSV download link and parses the file it gives, one object per row. */
export async function downloadCsv(page: Page, link: Locator): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return [...csvParse(Buffer.concat(await (await download.createReadStream()).toArray()).toString("utf-8"))];
}

/** The text of every cell of a table's body, row by row. */
export function tableCells(rows: Locator): Promise<string[][]> {
  return rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent ?? ""))
  );
}

/**
 * The start of a WITH over the demo's raw transactions: tx (every line, `line` its line in the
 * file, `order_line` the order's line number), valid (less the planted bad lines) and kept (the
 * valid purchase lines that did not come back: the generator returns a line of order O… as
 * order R…, same line number). A customer's purchases, once returns net against what they
 * take back, are the days of their kept lines.
 */
export function demoLinesSql(): string {
  const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
  return `tx AS (SELECT row_number() OVER () + 1 AS line, "line" AS order_line, * EXCLUDE ("line") FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
  valid AS (SELECT * FROM tx WHERE line NOT IN (${bad.join(", ")})),
  kept AS (SELECT * FROM valid s WHERE revenue::DOUBLE >= 0
           AND NOT EXISTS (SELECT 1 FROM valid r WHERE r.order_id = 'R' || s.order_id AND r.order_line = s.order_line))`;
}
