// The lifecycle page's tests on the demo data, registered in site.test.ts. Expected figures
// come from an independent query of the demo's raw files (less the bad lines in truth.json).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoLinesSql, type PageTestContext} from "./context.js";

/** The demo's observation ends on the last day of a month, so that day is the last month end. */
const lastMonthEnd = (JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {observation: {end: string}})
  .observation.end;

/**
 * Customers who bought by the last month end, and those in identification: the first
 * purchase fewer than `days` days before it, or a single purchase day fewer than `window`
 * days before it (bought once, not lapsed).
 */
async function seenAndNew(days: number, window: number): Promise<{seen: number; identification: number}> {
  return withDuckDB(async (connection) => {
    const [row] = await queryRows<{seen: number; identification: number}>(
      connection,
      `WITH
      ${demoLinesSql()},
      firsts AS (SELECT customer_id, min(ordered_at::TIMESTAMP::DATE) AS first, count(DISTINCT ordered_at::TIMESTAMP::DATE) AS days
                 FROM kept GROUP BY customer_id)
      SELECT count(*) FILTER (WHERE first <= DATE '${lastMonthEnd}')::INTEGER AS seen,
             count(*) FILTER (WHERE first <= DATE '${lastMonthEnd}' AND (DATE '${lastMonthEnd}' - first < ${days} OR (days = 1 AND DATE '${lastMonthEnd}' - first < ${window})))::INTEGER AS identification
      FROM firsts`
    );
    return row!;
  });
}

/** Known dropouts (truth_customers.csv) whose last purchase lies at least `days` days before the last month end, and all customers silent that long (raw files). */
async function silentAndDropped(days: number): Promise<{silent: number; dropped: number}> {
  return withDuckDB(async (connection) => {
    const [row] = await queryRows<{silent: number; dropped: number}>(
      connection,
      `WITH
      ${demoLinesSql()},
      lasts AS (SELECT customer_id, max(ordered_at::TIMESTAMP::DATE) AS last FROM kept WHERE ordered_at::TIMESTAMP::DATE <= DATE '${lastMonthEnd}' GROUP BY customer_id),
      truth AS (SELECT * FROM read_csv('${join(demoDir, "truth_customers.csv")}', all_varchar = true, header = true))
      SELECT (SELECT count(*) FROM lasts WHERE DATE '${lastMonthEnd}' - last >= ${days})::INTEGER AS silent,
             (SELECT count(*) FROM truth WHERE dropped_out_at <> '' AND DATE '${lastMonthEnd}' - dropped_out_at::DATE >= ${days})::INTEGER AS dropped`
    );
    return row!;
  });
}

/** The last day of the month before a month end (YYYY-MM-DD). */
const monthEndBefore = (monthEnd: string) => {
  const d = new Date(`${monthEnd.slice(0, 8)}01T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
};

/**
 * Customers who entered decline in the month to `monthEnd` by silence alone (not its last
 * month end, where the model may add more): at the month end a customer for at least 90 days
 * and silent for at least `window` days but fewer than `lost`, and not so at the month end before
 * (having bought by then).
 */
async function enteredDecline(monthEnd: string, window: number, lost: number): Promise<number> {
  const before = monthEndBefore(monthEnd);
  const declining = (at: string) =>
    `(DATE '${at}' - min(day) FILTER (WHERE day <= DATE '${at}') >= 90
      AND DATE '${at}' - max(day) FILTER (WHERE day <= DATE '${at}') BETWEEN ${window} AND ${lost - 1})`;
  return withDuckDB(async (connection) => {
    const [row] = await queryRows<{n: number}>(
      connection,
      `WITH
      ${demoLinesSql()},
      days AS (SELECT customer_id, ordered_at::TIMESTAMP::DATE AS day FROM kept),
      judged AS (
        SELECT customer_id, ${declining(monthEnd)} AS now_declining, coalesce(${declining(before)}, false) AS was_declining
        FROM days GROUP BY customer_id HAVING min(day) <= DATE '${before}'
      )
      SELECT count(*) FILTER (WHERE now_declining AND NOT was_declining)::INTEGER AS n FROM judged`
    );
    return row!.n;
  });
}

export function lifecyclePageTests({open}: PageTestContext): void {
  it("lifecycle: the stages at the last month end add up to the customers seen; identification, lost and the inflow into decline of a chosen month (headline and list) equal independent counts", async () => {
    const {page, problems} = await open("/lifecycle");
    const number = async (selector: string) =>
      Number((await page.locator(selector).textContent())!.replaceAll(",", ""));
    const window = Number(await page.getByLabel("Decline: silent for at least (days)").inputValue());
    const expected = await seenAndNew(90, window);
    const stageNumbers = async () =>
      Promise.all(
        ["identification", "development", "stability", "reactivated", "decline", "lost"].map((stage) =>
          number(`#stage-${stage} .big`)
        )
      );
    await expect.poll(() => page.locator("#lifecycle-headline").textContent()).toContain(`On ${lastMonthEnd}`);
    expect((await page.locator("#lifecycle-headline").textContent())!).toContain(
      `of the ${expected.seen.toLocaleString("en-US")} customers seen so far`
    );
    const counts = await stageNumbers();
    expect(counts.reduce((s, n) => s + n, 0)).toBe(expected.seen);
    expect(counts[0]).toBe(expected.identification);
    expect(counts.every((n) => n > 0)).toBe(true);
    // Every customer silent for the inactivity window is in decline or lost (the model may add more
    // to decline), and so is every customer the generator dropped out at least that long before the end;
    // lost are those silent at least the lost rule's days.
    const lostDays = Number(await page.getByLabel("Lost: silent for at least (days)").inputValue());
    expect(lostDays).toBe(2 * window);
    const {silent, dropped} = await silentAndDropped(window);
    expect(dropped).toBeGreaterThan(0);
    expect(silent).toBeGreaterThanOrEqual(dropped);
    expect(counts[4]! + counts[5]!).toBeGreaterThanOrEqual(silent);
    expect(counts[5]).toBe((await silentAndDropped(lostDays)).silent);
    expect(counts[4]).toBeGreaterThan(0);
    // The flow matrix and the list of customers who just moved into decline are there.
    expect(await page.locator("#flows svg").count()).toBeGreaterThan(0);
    expect(await page.locator("#declined table").count()).toBe(1);
    // The headline's monthly inflow into decline and the list follow the month chosen: six months
    // before the last, by silence alone, as an independent count.
    const month = monthEndBefore(monthEndBefore(monthEndBefore(monthEndBefore(monthEndBefore(lastMonthEnd)))));
    const earlier = monthEndBefore(month);
    const inflow = await enteredDecline(earlier, window, lostDays);
    expect(inflow).toBeGreaterThan(0);
    await page.getByLabel("Month ending").selectOption(earlier);
    await expect
      .poll(() => page.locator("#declined h2").textContent())
      .toBe(`${inflow.toLocaleString("en-US")} customers moved into decline in the month to ${earlier}`);
    expect(await page.locator("#lifecycle-headline").textContent()).toContain(
      `In the month to ${earlier}, ${inflow.toLocaleString("en-US")} customers slipped into decline.`
    );
    // The table lists that month's customers: its first row's last purchase lies between the two rules' silences before it.
    const [, lastPurchase] = (await page.locator("#declined table tbody tr").first().textContent())!.match(
      /\d{4}-\d{2}-\d{2}/g
    )!;
    const silentDays = (Date.parse(earlier) - Date.parse(lastPurchase!)) / 86_400_000;
    expect(silentDays).toBeGreaterThanOrEqual(window);
    expect(silentDays).toBeLessThan(lostDays);
    await page.getByLabel("Month ending").selectOption(lastMonthEnd);
    // A shorter identification period: DuckDB-WASM re-stages everyone with the same SQL.
    const shorter = await seenAndNew(30, window);
    await page.getByLabel("Identification: first purchase within (days)").fill("30");
    await page.getByLabel("Identification: first purchase within (days)").press("Enter");
    await expect.poll(() => number("#stage-identification .big"), {timeout: 15_000}).toBe(shorter.identification);
    expect((await stageNumbers()).reduce((s, n) => s + n, 0)).toBe(expected.seen);
    await page.screenshot({path: join(outputDir, "lifecycle-identification-30-days.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });
}
