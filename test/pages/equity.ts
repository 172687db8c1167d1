// Customer-equity page tests on the demo data (registered in site.test.ts).
import {join} from "node:path";
import {autoType, csvParse} from "d3";
import type {ValuedScenario} from "../../src/components/equityScenarios.js";
import {asPercent, fromPercent} from "../../src/core/format/format.js";
import type {BgNbdParams} from "../../src/core/models/bgnbdLikelihood.js";
import type {CustomerGroup} from "../../src/core/models/customerLifetimeValue.js";
import {equityScenario, scenarioKey} from "../../src/core/models/equity.js";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import type {EquitySlices} from "../../loaders/site/equitySlices.js";
import {refitSlice} from "../../src/core/models/clvSummaryFit.js";
import {sliceValue} from "../../src/core/models/sliceValue.js";
import {builtData, outputDir, projectDir} from "../site.js";
import {
  demoLinesSql,
  demoObservationEnd,
  demoNetPurchaseDays,
  downloadCsv,
  pageAtDefaults,
  tableCells,
  type PageTestContext,
  requery
} from "./context.js";

/** The built demo site (test/site.ts: demoSite). */
const dist = join(projectDir, "dist");

const dollars = (text: string | null) => Number((text ?? "").replace(/[^0-9.-]/g, ""));

export function equityPageTests({open}: PageTestContext): void {
  // The tests that only read the page at its defaults share one opening of it, opened after the tests that time the
  // page's main thread (an idle page beside it may share its renderer).
  const openAtDefaults = pageAtDefaults(open, "/equity");
  it("equity: the browser's what-if agrees with the loader's per-customer CLV, the table shows a customer's CLV range as the file has it, and moving the retention slider changes equity", async () => {
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

    // The most valuable customer heads the table with their CLV and its 80 % range as the built customer_clv.csv has them.
    const built = csvParse(builtData(dist, "customer_clv.csv.gz"));
    const top = built.reduce((best, row) => (Number(row.clv) > Number(best.clv) ? row : best));
    const valueTable = page
      .locator(".card", {has: page.locator("h2", {hasText: "Every customer's value"})})
      .locator("table");
    const [, shownId, shownClv] = (await tableCells(valueTable.locator("tbody tr").first()))[0]!;
    expect(shownId).toBe(top.customer_id);
    const [clv, low, high] = [...shownClv!.matchAll(/\$([\d,]+)/g)].map((m) => Number(m[1]!.replaceAll(",", "")));
    expect(shownClv).toMatch(/^\$[\d,]+ \(\$[\d,]+–\$[\d,]+\)$/);
    expect(Math.abs(clv! - Number(top.clv))).toBeLessThanOrEqual(0.5);
    expect(Math.abs(low! - Number(top.clv_low))).toBeLessThanOrEqual(0.5);
    expect(Math.abs(high! - Number(top.clv_high))).toBeLessThanOrEqual(0.5);
    // Today's customers' band holds their value.
    const band = [...((await page.locator("#todays-band").textContent()) ?? "").matchAll(/\$([\d,]+)/g)].map((m) =>
      Number(m[1]!.replaceAll(",", ""))
    );
    expect(band[0]).toBeLessThan(current);
    expect(band[1]).toBeGreaterThan(current);

    // The first view does not wait for the what-if's worker: with its script refused, the page shows the same figures,
    // the loader's valuation at the page's defaults (equity.json: first_scenarios).
    const blocked = await page.context().browser()!.newContext();
    await blocked.route("**/scenarioWorker*.js", (route) => route.abort());
    const withoutWorker = await blocked.newPage();
    await withoutWorker.goto(page.url());
    const blockedCards = withoutWorker.locator("#equity-cards .big");
    await expect.poll(() => blockedCards.count(), requery).toBe(4);
    expect(await blockedCards.allTextContents()).toEqual(await cards.allTextContents());
    await blocked.close();

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

  it("equity: the what-if's first view, valued by the loader, is what the page's worker values at the page's defaults", () => {
    const equity = JSON.parse(builtData(dist, "equity.json")) as {
      full: {bgnbd: {params: BgNbdParams}};
      margin: number;
      new_customer_spend: number;
      defaults: {
        annualDiscountRate: number;
        years: number;
        acquisitionsPerMonth: number;
        acquisitionCost: number;
        retentionGain: number;
      };
      first_scenarios: ValuedScenario[];
    };
    // The groups as the page reads them (gunzippedCsvRows, typed), the inputs as its controls give them (percentages).
    const groups = csvParse(builtData(dist, "equity_groups.csv.gz"), autoType) as unknown as CustomerGroup[];
    const {defaults} = equity;
    const expected = [0, defaults.retentionGain].map((retentionGain) => {
      const inputs = {
        retentionGain: fromPercent(asPercent(retentionGain)),
        margin: fromPercent(asPercent(equity.margin)),
        annualDiscountRate: fromPercent(asPercent(defaults.annualDiscountRate)),
        years: defaults.years,
        acquisitionsPerMonth: defaults.acquisitionsPerMonth,
        acquisitionCost: defaults.acquisitionCost,
        params: equity.full.bgnbd.params,
        newCustomerSpend: equity.new_customer_spend
      };
      return {key: scenarioKey(inputs), scenario: equityScenario(groups, inputs)};
    });
    expect(equity.first_scenarios).toEqual(expected);
    expect(defaults.retentionGain).toBe(0.05);
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

    // Picking a channel refits the models on its customers in a worker: the page shows the refitted parameters and
    // value as the core computes them in this process from the built equity_slices.json (the fit npm run clv --channel
    // makes, test/equitySlices.test.ts), redraws the check, and no task blocks the main thread for 200 ms or more.
    // The browser reports long tasks (else the check below could not fail).
    expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes)).toContain("longtask");
    await page.evaluate(() => {
      const scope = window as unknown as {longTasks: number[]};
      scope.longTasks = [];
      new PerformanceObserver((list) => scope.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
        type: "longtask"
      });
    });
    const refit = page.locator("#slice-refit");
    const checkChart = () => refit.locator("#slice-check svg").last().innerHTML();
    const chartBefore = await checkChart();
    const built: EquitySlices = JSON.parse(builtData(dist, "equity_slices.json.gz"));
    const social = built.slices.find((slice) => slice.kind === "channel" && slice.name === "social")!;
    const {full} = refitSlice(social, {end: built.end, calibrationEnd: built.calibration_end}, {clock: () => 0});
    await page.getByLabel("Fit the models on").selectOption({label: "the social channel"});
    await expect
      .poll(() => page.locator("#slice-status").textContent(), requery)
      .toMatch(
        new RegExp(
          `^Refitted on ${full.customers.toLocaleString("en-US")} customers of the social channel in \\d+ ms\\.$`
        )
      );
    const parameters = await tableCells(refit.locator("#slice-parameters tbody tr"));
    // Columns: (empty), model, parameter, estimate, standard error; estimates to four decimals.
    const expectedParameters = {...full.bgnbd.params, ...full.gamma_gamma!.params};
    expect(parameters.map((row) => row[2])).toEqual(Object.keys(expectedParameters));
    for (const row of parameters)
      expect(row[3], row[2]).toBe(expectedParameters[row[2] as keyof typeof expectedParameters].toFixed(4));
    // Valued at the page's starting assumptions (equity.json's margin and defaults).
    const equity = JSON.parse(builtData(dist, "equity.json")) as {
      margin: number;
      defaults: {annualDiscountRate: number; years: number};
    };
    const {value} = sliceValue(social.value, full, {margin: equity.margin, ...equity.defaults});
    expect(Math.abs(dollars(await refit.locator("#slice-value .big").textContent()) - value)).toBeLessThanOrEqual(0.5);
    // The check arrives second, with both models scored on the social channel's customers alone, and its chart redrawn.
    // Columns: (empty), model, purchases expected, made, …; made is the channel's purchases after the cut-off.
    const socialMade = social.validation.holdout.reduce((total, days, k) => total + days * social.validation.n[k]!, 0);
    const slicesMade = async () =>
      (await tableCells(page.locator("#slice-scorecard tbody tr"))).map((row) => Number(row[3]!.replaceAll(",", "")));
    await expect.poll(slicesMade, requery).toEqual([socialMade, socialMade]);
    expect(await checkChart()).not.toBe(chartBefore);
    expect(
      await page.evaluate(() => (window as unknown as {longTasks: number[]}).longTasks.filter((ms) => ms >= 200))
    ).toEqual([]);
    await refit.screenshot({path: join(outputDir, "equity-slice-refit.png")});
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
    const {page, problems} = await openAtDefaults("/equity");
    const card = page.locator(".card", {hasText: "Is each channel worth what it costs?"});
    const table = card.locator("table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(expected.length);
    const shown = await tableCells(table.locator("tbody tr"));
    const byChannel = new Map(shown.map((cells) => [cells[1], cells]));
    for (const {channel, margin, cost} of expected) {
      // Columns: (empty), channel, customers, so far, CLV, cost to win; money in whole dollars.
      expect(dollars(byChannel.get(channel)![3]!), channel).toBe(Math.round(margin));
      expect(dollars(byChannel.get(channel)![5]!), channel).toBe(Math.round(cost));
    }
    // With costs, the note reads the orange bar against the blue ones.
    expect(await card.locator(".how-to-read").textContent()).toContain("longer than the orange one");
    expect(await card.locator("[class*='-swatches']").textContent()).toContain("acquisition cost");
    expect(problems).toEqual([]);
  });

  it("equity: the customer table shows each customer's expected next purchase, chance of buying in 90 days and overdue flag, as recomputed from the file's purchase days and the fit", async () => {
    const {page, problems} = await openAtDefaults("/equity");
    const card = page.locator(".card", {has: page.locator("h2", {hasText: "Every customer's value"})});
    const headers = await card.locator("table thead th").allTextContents();
    for (const name of ["last purchase", "overdue", "P(active)", "buys in 90 days", "expected next purchase"])
      expect(headers, name).toContain(name);
    // The fit's parameters (the Method section's download, once it is open), and every customer's row (the table's).
    await page.locator("details summary", {hasText: "Method"}).click();
    const [fit, rows] = [
      await downloadCsv(page, page.locator('a[download="bg-nbd-fit.csv"]')),
      await downloadCsv(page, card.locator('a[download="customer-lifetime-value.csv"]'))
    ];
    const param = (name: string) => Number(fit.find((row) => row.parameter === name)!.estimate);
    const [r, alpha] = [param("r"), param("alpha")];
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    const byId = new Map(rows.map((row) => [row.customer_id, row]));
    // The download writes the table's dates as ISO timestamps at UTC midnight: their day.
    const day = (text: string | undefined) => (text ?? "").slice(0, 10);
    let overdue = 0;
    for (const row of rows) {
      const [x, pAlive] = [Number(row.x), Number(row.p_alive)];
      const [first, last, next] = [day(row.first_purchase), day(row.last_purchase), day(row.next_purchase)];
      // Overdue: three purchase days or more, and silent longer than the usual gap (last − first) / (days − 1).
      const expected = x + 1 >= 3 && days(last, demoObservationEnd) > days(first, last) / x;
      expect(row.overdue, row.customer_id).toBe(String(expected));
      if (expected) overdue++;
      // Active, a customer's wait to the next purchase has survival ((α+T)/(α+T+w))^(r+x), T in weeks since the first
      // purchase: the median wait is (α+T)(2^(1/(r+x)) − 1), and P(a purchase within 90/7 weeks) is P(active) times 1 − S.
      const T = days(first, demoObservationEnd) / 7;
      const median = 7 * (alpha + T) * (2 ** (1 / (r + x)) - 1);
      expect(Math.abs(days(demoObservationEnd, next) - median), row.customer_id).toBeLessThanOrEqual(0.5 + 1e-6);
      const pBuy = pAlive * (1 - ((alpha + T) / (alpha + T + 90 / 7)) ** (r + x));
      expect(Math.abs(Number(row.p_buy_90_days) - pBuy), row.customer_id).toBeLessThan(1e-4);
    }
    expect(overdue).toBeGreaterThan(0);
    expect(overdue).toBeLessThan(rows.length);
    // The table's top row (highest CLV) shows its CSV row's figures as the page formats them.
    const cells = (await tableCells(card.locator("table tbody tr")))[0]!;
    const top = byId.get(cells[headers.indexOf("customer")]!)!;
    expect(cells[headers.indexOf("expected next purchase")]).toBe(day(top.next_purchase));
    const shownPercent = Number.parseFloat(cells[headers.indexOf("buys in 90 days")]!);
    expect(Math.abs(shownPercent - 100 * Number(top.p_buy_90_days))).toBeLessThanOrEqual(0.5);
    expect(cells[headers.indexOf("overdue")]).toBe(top.overdue === "true" ? "overdue" : "–");
    // The id opens the customer's profile.
    expect(await card.locator("table tbody tr").first().locator("a.customer-link").getAttribute("href")).toBe(
      `./customer.html?id=${encodeURIComponent(top.customer_id!)}`
    );
    await card.screenshot({path: join(outputDir, "equity-customers.png")});
    expect(problems).toEqual([]);
  });
}
