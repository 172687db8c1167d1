// Customer-equity page tests on the demo data (registered in site.test.ts).
import {join} from "node:path";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {
  demoLinesSql,
  demoObservationEnd,
  demoNetPurchaseDays,
  downloadCsv,
  tableCells,
  type PageTestContext,
  requery
} from "./context.js";

const dollars = (text: string | null) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

export function equityPageTests({open}: PageTestContext): void {
  it("equity: the browser's what-if agrees with the loader's per-customer CLV, and moving the retention slider changes equity", async () => {
    const {page, problems} = await open("/equity");
    const cards = page.locator("#equity-cards .big");
    await expect.poll(() => cards.count()).toBe(4);
    // Today's customers' value, recomputed in the browser from the (x, t_x, T) groups, against
    // the sum of the loader's per-customer CLV (the table's CSV).
    const current = dollars(await cards.nth(0).textContent());
    const rows = await downloadCsv(page, page.locator('a[download="customer-lifetime-value.csv"]'));
    const total = rows.reduce((sum, row) => sum + Number(row.clv), 0);
    expect(Math.abs(current - total) / total).toBeLessThan(0.001);
    // The overview's card shows the same figure to the dollar: one valuation (customerValuation) and one margin for both.
    const overview = await open("/");
    const card = overview.page.locator(".card", {hasText: "Value of today's customers"}).locator(".big");
    expect(dollars(await card.textContent())).toBe(current);
    await overview.page.close();

    const equityBefore = dollars(await cards.nth(2).textContent());
    // Typed as a percentage: 20 for 20 %.
    await page.getByLabel("Fewer customers lost (%)").fill("20");
    await page.getByLabel("Fewer customers lost (%)").dispatchEvent("input");
    await expect
      .poll(async () => dollars(await cards.nth(3).textContent()), requery)
      .toBeGreaterThan(equityBefore * 1.1);
    await expect.poll(async () => page.locator(".headline").textContent()).toContain("losing 20 % fewer of them");
    // The demo's models are healthy: no warning, and the retention gain is told.
    expect(await page.locator("#fit-health").count()).toBe(0);
    await page.screenshot({path: join(outputDir, "equity-what-if.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("equity: the channel table's margin so far per customer equals the raw files' (revenue − cost per buyer), beside the cost to win one", async () => {
    const expected = await withDuckDB((connection) =>
      queryRows<{channel: string; margin: number; cost: number}>(
        connection,
        `WITH
        ${demoLinesSql()},
        per AS (SELECT customer_id, sum(revenue::DOUBLE - cost::DOUBLE) AS margin FROM valid GROUP BY customer_id
                HAVING customer_id IN (SELECT customer_id FROM kept))
        SELECT acquisition_channel AS channel, avg(margin)::DOUBLE AS margin, avg(acquisition_cost::DOUBLE)::DOUBLE AS cost
        FROM per JOIN read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true) USING (customer_id) GROUP BY ALL ORDER BY channel`
      )
    );
    const {page, problems} = await open("/equity");
    const table = page.locator(".card", {hasText: "Is each channel worth what it costs?"}).locator("table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(expected.length);
    const shown = await tableCells(table.locator("tbody tr"));
    const byChannel = new Map(shown.map((cells) => [cells[1], cells]));
    for (const {channel, margin, cost} of expected) {
      // Columns: (empty), channel, customers, so far, CLV, cost to win; money in whole dollars.
      expect(dollars(byChannel.get(channel)![3]!), channel).toBe(Math.round(margin));
      expect(dollars(byChannel.get(channel)![5]!), channel).toBe(Math.round(cost));
    }
    // With costs, the note reads the orange bar against the blue ones.
    expect(
      await page
        .locator(".card", {hasText: "Is each channel worth what it costs?"})
        .locator(".how-to-read")
        .textContent()
    ).toContain("longer than the orange one");
    expect(
      await page
        .locator(".card", {hasText: "Is each channel worth what it costs?"})
        .locator("[class*='-swatches']")
        .textContent()
    ).toContain("acquisition cost");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("equity: both models scored on the weeks after the cut-off, each against the purchases the raw files show then; the chosen one named with its reason, and the model control redraws the checks", async () => {
    const {page, problems} = await open("/equity");
    const intro = (await page.locator("#observablehq-main").textContent())!.replace(/\s+/g, " ");
    const cutOff = /fitted on purchases up to (\d{4}-\d{2}-\d{2}) \(the cut-off date\)/.exec(intro)![1]!;
    // Purchase days after the cut-off of the customers who had bought before it (one whose first purchase is on the
    // cut-off day has been watched for no time), returns netted, counted here from the raw files.
    let made = 0;
    for (const days of (await demoNetPurchaseDays()).values())
      if (days.length && days[0]! < cutOff)
        made += days.filter((day) => day > cutOff && day <= demoObservationEnd).length;
    const rows = page.locator("#model-scorecard table tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    // Columns: (empty), model, purchases expected, made, off by, MAE, RMSE, bias, log-likelihood.
    const cells = await tableCells(rows);
    expect(cells.map((row) => row[1]!.replace(" (chosen)", ""))).toEqual(["BG/NBD", "Pareto/NBD"]);
    for (const row of cells) {
      expect(Number(row[3]!.replaceAll(",", "")), row[1]).toBe(made);
      // Off by: expected over made, less one.
      const off = Number(row[2]!.replaceAll(",", "")) / made - 1;
      expect(Number(row[4]!.replace(/[^0-9.-]/g, "")), row[1]).toBeCloseTo(100 * off, 0);
    }
    // The chosen model is marked, and the reason quotes the table's errors.
    const chosen = cells.filter((row) => row[1]!.endsWith(" (chosen)"));
    expect(chosen).toHaveLength(1);
    const choice = (await page.locator("#model-choice").textContent())!;
    expect(choice).toContain(`Chosen: ${chosen[0]![1]!.replace(" (chosen)", "")}: `);
    for (const row of cells) expect(choice).toContain(`${row[1]!.replace(" (chosen)", "")} ${row[6]}`);
    // The tracking chart draws the observed line and one per model.
    const tracking = page.locator(".card", {hasText: "Repeat purchases, observed and expected"});
    expect(await tracking.locator("[class*='-swatches']").textContent()).toMatch(/observed.*BG\/NBD.*Pareto\/NBD/);
    expect(await tracking.locator("g[aria-label='line'] path").count()).toBe(3);
    // The control redraws the checks of one model: its name in their titles, and other expectations.
    const deciles = page.locator("#model-deciles");
    const line = () => deciles.locator("g[aria-label='line'] path").getAttribute("d");
    const before = await line();
    const other = cells.find((row) => !row[1]!.endsWith(" (chosen)"))![1]!;
    await page.getByLabel(other, {exact: true}).check();
    await expect.poll(() => deciles.locator("h3").textContent(), requery).toContain(other);
    expect(
      await page
        .locator(".card", {hasText: "Purchases after the cut-off, by purchases before it"})
        .locator("h3")
        .textContent()
    ).toContain(other);
    expect(await line()).not.toBe(before);
    expect(problems).toEqual([]);
    await page.close();
  });
}
