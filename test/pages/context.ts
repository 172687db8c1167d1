// What a page's tests get: a way to open a page of the built demo site, and the demo's truth.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import {afterAll} from "vitest";
import type {Locator, Page} from "playwright-core";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {builtData, projectDir} from "../site.js";

export interface PageTestContext {
  /** Opens a page (path such as "/profit") once it has rendered; problems lists console errors and outside requests. */
  open: (path: string) => Promise<{page: Page; problems: string[]}>;
}

/**
 * One opening of a page at its defaults, shared by the tests of a block that only read it, and closed after them:
 * every opening costs chromium seconds of CPU (DuckDB-WASM, the page's queries), and the test run has two cores.
 */
export function pageAtDefaults(open: PageTestContext["open"], path: string): PageTestContext["open"] {
  let opened: ReturnType<PageTestContext["open"]> | undefined;
  afterAll(async () => {
    await (await opened)?.page.close();
  });
  return async () => (opened ??= open(path));
}

/**
 * How long a figure may take to answer a control: the page re-queries DuckDB-WASM while the other test file's browser
 * runs beside it on two cores. Generous, as these tests check figures, not speed (bench/site.ts measures that).
 */
export const requery = {timeout: 45_000};

/** data/demo/truth.json: the demo generator's ground truth. */
export const demoTruth = JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {
  rows: Record<string, number>;
  bad_rows: {file: string; line: number; column: string; reason: string}[];
  observation: {start: string; end: string};
};

/** The demo's last day observed: the last day of a month, so also its last complete month end. */
export const demoObservationEnd = demoTruth.observation.end;

/** A CSV file of the built demo site (<name>.csv, or <name>.csv.gz gunzipped: builtData), one object per row. */
export function builtCsv(name: string): Record<string, string>[] {
  return csvParse(builtData(join(projectDir, "dist"), `${name}.csv`));
}

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

/** The customer state rules a page test judges by (src/core/sql/customerStates.ts's, without the model's P(active)). */
export interface SilenceRules {
  inactivityDays: number;
  lostDays: number;
  k: number;
  minPurchases: number;
}

/**
 * Every demo customer's purchase days (the kept lines' days, sorted), from the raw files: what
 * the states below are judged on.
 */
export async function demoPurchaseDays(): Promise<Map<string, string[]>> {
  const rows = await withDuckDB((connection) =>
    queryRows<{customer_id: string; days: string[]}>(
      connection,
      `WITH ${demoLinesSql()}
       SELECT customer_id, list(DISTINCT strftime(ordered_at::TIMESTAMP::DATE, '%Y-%m-%d') ORDER BY strftime(ordered_at::TIMESTAMP::DATE, '%Y-%m-%d')) AS days
       FROM kept GROUP BY customer_id`
    )
  );
  return new Map(rows.map((r) => [r.customer_id, [...r.days]]));
}

/**
 * Every demo customer's purchase days once returns net against purchases, from the raw files and the rule the quality
 * page states (written here, not taken from netPurchases.ts): the demo's returns have an order id of their own, so
 * each takes back the nearest earlier purchase of the same product worth at least the return, failing that the
 * nearest purchase day on or before it worth at least the return; a day whose returns cancel it in full is no purchase.
 */
export async function demoNetPurchaseDays(): Promise<Map<string, string[]>> {
  const lines = await withDuckDB((connection) =>
    queryRows<{customer_id: string; ordered: string; sku: string; revenue: number}>(
      connection,
      `WITH ${demoLinesSql()}
       SELECT customer_id, ordered_at AS ordered, sku, revenue::DOUBLE AS revenue FROM valid ORDER BY customer_id, ordered`
    )
  );
  const byCustomer = new Map<string, typeof lines>();
  for (const line of lines) byCustomer.set(line.customer_id, [...(byCustomer.get(line.customer_id) ?? []), line]);
  const days = new Map<string, string[]>();
  for (const [customer, own] of byCustomer) {
    const gross = new Map<string, number>();
    for (const line of own)
      if (line.revenue >= 0)
        gross.set(line.ordered.slice(0, 10), (gross.get(line.ordered.slice(0, 10)) ?? 0) + line.revenue);
    const returned = new Map<string, number>();
    for (const r of own.filter((line) => line.revenue < 0)) {
      const sameProduct = own
        .filter((p) => p.revenue >= -r.revenue && p.sku === r.sku && p.ordered <= r.ordered)
        .at(-1);
      const day =
        sameProduct?.ordered.slice(0, 10) ??
        [...gross]
          .filter(([day, revenue]) => day <= r.ordered.slice(0, 10) && revenue >= -r.revenue)
          .sort()
          .at(-1)?.[0];
      if (day) returned.set(day, (returned.get(day) ?? 0) + r.revenue);
    }
    const kept = [...gross].filter(([day, revenue]) => !returned.has(day) || revenue + returned.get(day)! > 1e-9);
    days.set(customer, kept.map(([day]) => day).sort());
  }
  return days;
}

const daysBetween = (later: string, earlier: string) => (Date.parse(later) - Date.parse(earlier)) / 86_400_000;

/**
 * A customer's state at a month end, written here from the rule as the pages state it (new,
 * reactivated, lost, lapsed, at risk by their own rhythm, active), not from the project's SQL;
 * null before their first purchase. The demo's customers were all won within the data: none
 * was already a customer.
 */
export function stateAt(days: readonly string[], monthEnd: string, r: SilenceRules): string | null {
  const upTo = days.filter((d) => d <= monthEnd);
  if (!upTo.length) return null;
  const monthStart = `${monthEnd.slice(0, 8)}01`;
  const [first, last] = [upTo[0]!, upTo.at(-1)!];
  const before = days.filter((d) => d < monthStart).at(-1);
  const silent = daysBetween(monthEnd, last);
  if (first >= monthStart) return "new";
  if (last >= monthStart && before !== undefined && daysBetween(monthStart, before) > r.inactivityDays)
    return "reactivated";
  if (silent >= r.lostDays) return "lost";
  if (silent >= r.inactivityDays) return "lapsed";
  if (upTo.length >= r.minPurchases && silent > (r.k * daysBetween(last, first)) / (upTo.length - 1)) return "at risk";
  return "active";
}
