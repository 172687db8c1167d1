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

export function lifecyclePageTests({open}: PageTestContext): void {
  it("lifecycle: the stages at the last month end add up to the customers seen; identification equals an independent count, also after changing its rule", async () => {
    const {page, problems} = await open("/lifecycle");
    const number = async (selector: string) =>
      Number((await page.locator(selector).textContent())!.replaceAll(",", ""));
    const window = Number(await page.getByLabel("Decline: silent for at least (days)").inputValue());
    const expected = await seenAndNew(90, window);
    const stageNumbers = async () =>
      Promise.all(
        ["identification", "development", "stability", "decline"].map((stage) => number(`#stage-${stage} .big`))
      );
    await expect.poll(() => page.locator("#lifecycle-headline").textContent()).toContain(`On ${lastMonthEnd}`);
    expect((await page.locator("#lifecycle-headline").textContent())!).toContain(
      `of the ${expected.seen.toLocaleString("en-US")} customers seen so far`
    );
    const counts = await stageNumbers();
    expect(counts.reduce((s, n) => s + n, 0)).toBe(expected.seen);
    expect(counts[0]).toBe(expected.identification);
    expect(counts.every((n) => n > 0)).toBe(true);
    // Every customer silent for the inactivity window is in decline (the model may add more), and so
    // is every customer the generator dropped out at least that long before the end.
    const {silent, dropped} = await silentAndDropped(window);
    expect(dropped).toBeGreaterThan(0);
    expect(silent).toBeGreaterThanOrEqual(dropped);
    expect(counts[3]).toBeGreaterThanOrEqual(silent);
    // The flow matrix and the list of customers who just moved into decline are there.
    expect(await page.locator("#flows svg").count()).toBeGreaterThan(0);
    expect(await page.locator("#declined table").count()).toBe(1);
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
