// Page tests on the demo data, registered inside site.test.ts's "every page in chromium"
// (one build serves them all). Expected figures come from the demo's raw files or its
// truth.json, never from the site's own loaders.
import {expect, it} from "vitest";
import {demoTruth, type PageTestContext} from "./context.js";

export function qualityPageTests({open}: PageTestContext): void {
  it("quality: shows the demo's reconciliation, with exactly the bad rows its generator planted", async () => {
    const input = Object.entries(demoTruth.rows)
      .filter(([file]) => file !== "truth_customers.csv")
      .reduce((total, [, rows]) => total + rows, 0);
    const rejected = demoTruth.bad_rows.length;
    const {page, problems} = await open("/quality");
    const n = (x: number) => x.toLocaleString("en-US");
    await expect
      .poll(() => page.locator(".headline").textContent())
      .toBe(
        `Of ${n(input)} input rows, ${n(input - rejected)} were loaded and ${n(rejected)} set aside with a reason.`
      );
    expect(await page.locator(".card .big").allTextContents()).toEqual([n(input), n(input - rejected), n(rejected)]);
    expect(problems).toEqual([]);
    await page.close();
  });
}
