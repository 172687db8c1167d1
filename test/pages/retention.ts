// The retention page's tests on the demo data, registered in site.test.ts. Expected figures
// come from an independent query of the demo's raw files (less the bad lines in truth.json).
import {join} from "node:path";
import {expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoLinesSql, type PageTestContext} from "./context.js";

/** New, won-back and lost customers over the demo's last 12 months, from sets of monthly buyers. */
async function lastYearFlows(): Promise<{new: number; back: number; lost: number}> {
  return withDuckDB(async (connection) => {
    const [row] = await queryRows<{new: number; back: number; lost: number}>(
      connection,
      `WITH
      ${demoLinesSql()},
      buyers AS (SELECT DISTINCT customer_id, date_trunc('month', ordered_at::TIMESTAMP)::DATE AS month FROM kept),
      months AS (SELECT DISTINCT month FROM buyers WHERE month >= DATE '2024-07-01'),
      per AS (
        SELECT m.month,
          (SELECT count(*) FROM buyers b WHERE b.month = m.month AND NOT EXISTS (SELECT 1 FROM buyers e WHERE e.customer_id = b.customer_id AND e.month < m.month)) AS new,
          (SELECT count(*) FROM buyers b WHERE b.month = m.month AND NOT EXISTS (SELECT 1 FROM buyers e WHERE e.customer_id = b.customer_id AND e.month = m.month - INTERVAL 1 MONTH)
                                            AND EXISTS (SELECT 1 FROM buyers e WHERE e.customer_id = b.customer_id AND e.month < m.month - INTERVAL 1 MONTH)) AS back,
          (SELECT count(*) FROM buyers b WHERE b.month = m.month - INTERVAL 1 MONTH AND NOT EXISTS (SELECT 1 FROM buyers e WHERE e.customer_id = b.customer_id AND e.month = m.month)) AS lost
        FROM months m)
      SELECT sum(new)::INTEGER AS new, sum(back)::INTEGER AS back, sum(lost)::INTEGER AS lost FROM per`
    );
    return row!;
  });
}

export function retentionPageTests({open}: PageTestContext): void {
  it("retention: the headline equals an independent count from the raw files; the period and the inactivity window re-query the figures", async () => {
    const flows = await lastYearFlows();
    const n = (x: number) => x.toLocaleString("en-US");
    const {page, problems} = await open("/retention");
    const headline = () => page.locator(".headline").textContent();
    await expect
      .poll(headline)
      .toContain(
        `In the last 12 complete months (Jul 2024 – Jun 2025) the business won ${n(flows.new)} new customers and won back ${n(flows.back)}, but lost ${n(flows.lost)}`
      );
    // The demo's customers table says when each was won (from the data's start): nobody was already a customer.
    await expect
      .poll(() => page.locator("#identity").textContent())
      .toBe("The identity holds in all 30 months, for customers and for revenue.");
    expect(await page.locator("#edges").count()).toBe(0);
    // Weeks: DuckDB-WASM recomputes the accounts, and they still balance.
    const monthly = await headline();
    await page.getByLabel("week").check();
    await expect.poll(headline, {timeout: 10_000}).toMatch(/^In the last 52 complete weeks/);
    expect(await headline()).not.toBe(monthly);
    await expect
      .poll(() => page.locator("#identity").textContent(), {timeout: 10_000})
      .toMatch(/^The identity holds in all 13\d weeks/);
    await page.getByLabel("quarter").check();
    await expect
      .poll(() => page.locator("#identity").textContent(), {timeout: 10_000})
      .toBe("The identity holds in all 10 quarters, for customers and for revenue.");
    // A shorter inactivity window: fewer customers count as active, more are flagged.
    const active = () => page.locator("#window-active .big").textContent();
    const warning = () => page.locator("#warning h2").textContent();
    const [activeBefore, warningBefore] = [await active(), await warning()];
    await page.getByLabel("Inactivity window (days)").fill("45");
    await page.getByLabel("Inactivity window (days)").press("Enter");
    await expect.poll(active, {timeout: 10_000}).not.toBe(activeBefore);
    await expect.poll(warning, {timeout: 10_000}).not.toBe(warningBefore);
    expect(Number((await active())!.replaceAll(",", ""))).toBeLessThan(Number(activeBefore!.replaceAll(",", "")));
    await page.screenshot({path: join(outputDir, "retention-quarter-45-days.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });
}
