// The lifecycle page's tests on the demo data, registered in site.test.ts. Expected figures
// come from an independent query of the demo's raw files (less the bad lines in truth.json).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoLinesSql, demoPurchaseDays, stateAt, type PageTestContext, type SilenceRules, requery} from "./context.js";

/** The demo's observation ends on the last day of a month, so that day is the last month end. */
const lastMonthEnd = (JSON.parse(readFileSync(join(demoDir, "truth.json"), "utf-8")) as {observation: {end: string}})
  .observation.end;

/**
 * By each customer's state (stateAt, test/pages/context.ts) at a month end: those who had bought, those
 * in identification (new or active, and a customer fewer than `days` days or a one-time buyer), in
 * decline (at risk or lapsed) and lost, and those who entered decline there (in it now, not at the month
 * end before, having bought by then).
 */
function stagesAt(
  purchaseDays: Map<string, string[]>,
  monthEnd: string,
  days: number,
  rules: SilenceRules
): {seen: number; identification: number; decline: number; lost: number; entered: number} {
  const out = {seen: 0, identification: 0, decline: 0, lost: 0, entered: 0};
  const slipping = (state: string | null) => state === "at risk" || state === "lapsed";
  for (const all of purchaseDays.values()) {
    const state = stateAt(all, monthEnd, rules);
    if (state === null) continue;
    const upTo = all.filter((d) => d <= monthEnd);
    out.seen++;
    if (
      (state === "new" || state === "active") &&
      ((Date.parse(monthEnd) - Date.parse(upTo[0]!)) / 86_400_000 < days || upTo.length === 1)
    )
      out.identification++;
    if (slipping(state)) out.decline++;
    if (state === "lost") out.lost++;
    const before = stateAt(all, monthEndBefore(monthEnd), rules);
    if (slipping(state) && before !== null && !slipping(before)) out.entered++;
  }
  return out;
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

export function lifecyclePageTests({open}: PageTestContext): void {
  it("lifecycle: the stages at the last month end add up to the customers seen; identification, lost and the inflow into decline of a chosen month (headline and list) equal independent counts", async () => {
    const {page, problems} = await open("/lifecycle");
    const number = async (selector: string) =>
      Number((await page.locator(selector).textContent())!.replaceAll(",", ""));
    const window = Number(await page.getByLabel("Decline (lapsed): silent for at least (days)").inputValue());
    const lostDays = Number(await page.getByLabel("Lost: silent for at least (days)").inputValue());
    expect(lostDays).toBe(2 * window);
    const rules: SilenceRules = {inactivityDays: window, lostDays, k: 2, minPurchases: 3};
    const purchaseDays = await demoPurchaseDays();
    // Other rules than the loader's, asked of DuckDB-WASM with the same SQL: the model's P(active) rule off (its own
    // tests check it), so that silence alone decides, and a shorter identification period. The wait is for a figure
    // the new rules change (identification): whether the P(active) rule changes any figure depends on the data, so a
    // figure equal under both rules would not show that the re-query is done.
    const expected = stagesAt(purchaseDays, lastMonthEnd, 30, rules);
    expect(expected.identification).not.toBe(stagesAt(purchaseDays, lastMonthEnd, 90, rules).identification);
    await page.getByLabel("Decline (at risk): model's P(active) below").first().fill("0");
    await page.getByLabel("Decline (at risk): model's P(active) below").first().dispatchEvent("input");
    await page.getByLabel("Identification: first purchase within (days)").fill("30");
    await page.getByLabel("Identification: first purchase within (days)").press("Enter");
    const stageNumbers = async () =>
      Promise.all(
        ["identification", "development", "stability", "reactivated", "decline", "lost"].map((stage) =>
          number(`#stage-${stage} .big`)
        )
      );
    await expect.poll(() => number("#stage-identification .big"), requery).toBe(expected.identification);
    expect((await page.locator("#lifecycle-headline").textContent())!).toContain(
      `On ${lastMonthEnd}, of the ${expected.seen.toLocaleString("en-US")} customers seen so far`
    );
    const counts = await stageNumbers();
    expect(counts.reduce((s, n) => s + n, 0)).toBe(expected.seen);
    expect(counts.every((n) => n > 0)).toBe(true);
    // Decline is the customers at risk or lapsed, lost the lost: as the independent states count them. Every
    // customer silent for the inactivity window is in decline or lost, and so is every customer the generator
    // dropped out at least that long before the end.
    expect(counts[4]).toBe(expected.decline);
    expect(counts[5]).toBe(expected.lost);
    const {silent, dropped} = await silentAndDropped(window);
    expect(dropped).toBeGreaterThan(0);
    expect(silent).toBeGreaterThanOrEqual(dropped);
    expect(counts[4]! + counts[5]!).toBeGreaterThanOrEqual(silent);
    // The flow matrix and the list of customers who just moved into decline are there.
    expect(await page.locator("#flows svg").count()).toBeGreaterThan(0);
    expect(await page.locator("#declined table").count()).toBe(1);
    // The headline's monthly inflow into decline and the list follow the month chosen: six months
    // before the last, as an independent count.
    const month = monthEndBefore(monthEndBefore(monthEndBefore(monthEndBefore(monthEndBefore(lastMonthEnd)))));
    const earlier = monthEndBefore(month);
    const inflow = stagesAt(purchaseDays, earlier, 30, rules).entered;
    expect(inflow).toBeGreaterThan(0);
    await page.getByLabel("Month ending").selectOption(earlier);
    await expect
      .poll(() => page.locator("#declined h2").textContent(), requery)
      .toBe(`${inflow.toLocaleString("en-US")} customers moved into decline in the month to ${earlier}`);
    expect(await page.locator("#lifecycle-headline").textContent()).toContain(
      `In the month to ${earlier}, ${inflow.toLocaleString("en-US")} customers slipped into decline.`
    );
    // The table lists that month's customers: its first row's last purchase lies within the lost rule's silence before it.
    const [, lastPurchase] = (await page.locator("#declined table tbody tr").first().textContent())!.match(
      /\d{4}-\d{2}-\d{2}/g
    )!;
    const silentDays = (Date.parse(earlier) - Date.parse(lastPurchase!)) / 86_400_000;
    expect(silentDays).toBeLessThan(lostDays);
    await page.screenshot({path: join(outputDir, "lifecycle-identification-30-days.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });
}
