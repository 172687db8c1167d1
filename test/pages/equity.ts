// Customer-equity page tests on the demo data (registered in site.test.ts).
import {join} from "node:path";
import {expect, it} from "vitest";
import {outputDir} from "../site.js";
import type {PageTestContext} from "./context.js";

const dollars = (text: string | null) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

export function equityPageTests({open}: PageTestContext): void {
  it("equity: the browser's what-if agrees with the loader's per-customer CLV, and moving the retention slider changes equity", async () => {
    const {page, problems} = await open("/equity");
    const cards = page.locator("#equity-cards .big");
    await expect.poll(() => cards.count()).toBe(4);
    // Current customers' value, recomputed in the browser from the (x, t_x, T) groups, against
    // the sum of the loader's per-customer CLV (the table's CSV).
    const current = dollars(await cards.nth(0).textContent());
    const download = await Promise.all([page.waitForEvent("download"), page.locator("a[download=\"customer-lifetime-value.csv\"]").click()]);
    const csv = await (await download[0].createReadStream()).toArray();
    const rows = Buffer.concat(csv).toString("utf-8").trim().split("\n");
    const clvColumn = rows[0]!.split(",").indexOf("clv");
    const total = rows.slice(1).reduce((sum, line) => sum + Number(line.split(",")[clvColumn]), 0);
    expect(Math.abs(current - total) / total).toBeLessThan(0.001);

    const equityBefore = dollars(await cards.nth(2).textContent());
    await page.getByLabel("Fewer customers lost (share)").fill("0.2");
    await page.getByLabel("Fewer customers lost (share)").dispatchEvent("input");
    await expect.poll(async () => dollars(await cards.nth(3).textContent()), {timeout: 10_000}).toBeGreaterThan(equityBefore * 1.1);
    await expect.poll(async () => page.locator(".headline").textContent()).toContain("losing 20 % fewer of them");
    await page.screenshot({path: join(outputDir, "equity-what-if.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });
}
