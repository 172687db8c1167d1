// Page tests on the demo data, registered inside site.test.ts's "every page in chromium"
// (one build serves them all). Expected figures come from the demo's raw files or its
// truth.json, never from the site's own loaders.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {outputDir} from "../site.js";
import {demoTruth, type PageTestContext, requery} from "./context.js";
import {expectedUnhappy} from "./reports.js";
import {expectedSatisfactionHeadline} from "./satisfaction.js";

export function indexPageTests({open}: PageTestContext): void {
  it("index: shows the demo business's repeat-revenue share, and the period control redraws the chart from that period's sums", async () => {
    // The share computed straight from the demo's raw transactions (less the bad lines its
    // truth.json lists), not through ingest: revenue (less returns) on days other than a customer's
    // first purchase day, the first day with a purchase not returned in full (the demo's customers
    // were all won within the data, so none was already a customer).
    const bad = demoTruth.bad_rows.filter((row) => row.file === "transactions.csv").map((row) => row.line);
    const share = await withDuckDB(async (connection) => {
      const [row] = await queryRows<{share: number}>(
        connection,
        `WITH lines AS (
          SELECT row_number() OVER () + 1 AS line, "line" AS order_line, * EXCLUDE ("line") FROM read_csv('${join(demoDir, "transactions.csv")}', all_varchar = true, header = true)),
        good AS (SELECT customer_id, order_id, order_line, ordered_at::TIMESTAMP::DATE AS day, revenue::DOUBLE AS revenue FROM lines WHERE line NOT IN (${bad.join(", ")})),
        -- a first purchase is one not returned in full (the return of order O… is order R…, same line number)
        kept AS (SELECT * FROM good s WHERE revenue >= 0
                 AND NOT EXISTS (SELECT 1 FROM good r WHERE r.order_id = 'R' || s.order_id AND r.order_line = s.order_line))
        SELECT (sum(revenue) FILTER (WHERE first_day IS NULL OR day <> first_day) / sum(revenue))::DOUBLE AS share
        FROM good LEFT JOIN (SELECT customer_id, min(day) AS first_day FROM kept GROUP BY ALL) USING (customer_id)`
      );
      return row!.share;
    });

    const {page, problems} = await open("/");
    await expect
      .poll(() => page.locator(".headline").textContent())
      .toBe(`Repeat purchases brought ${Math.round(share * 100)} % of the revenue in Jan 2023 – Jun 2025.`);
    const bars = () => page.locator("#sales svg g[aria-label='rect'] rect").count();
    // January 2023 to June 2025: 30 months, 10 quarters, each with a first and a repeat bar.
    expect(await bars()).toBe(2 * 30);
    await page.getByLabel("week").check();
    await expect.poll(() => page.locator("#sales h2").textContent(), requery).toBe("Net revenue by week");
    await expect.poll(bars, requery).toBeGreaterThan(2 * 30);
    await page.getByLabel("quarter").check();
    await expect.poll(bars, requery).toBe(2 * 10);
    await page.screenshot({path: join(outputDir, "index-quarter.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("index: each card's figure is the number its page shows, and each card names its change against the previous period; the at-risk card is the call list's count on the retention page and the lifecycle's decline at the last month end", async () => {
    // Where each page shows the figure its card repeats (at the page's defaults).
    const onPage = {
      profit: "#top-share",
      retention: "#quick-ratio .big",
      satisfaction: "#nps",
      equity: "#todays-customers .big",
      lifecycle: "#decline-inflow",
      quality: "#set-aside .big"
    } as const;
    const {page, problems} = await open("/");
    const card = (name: string) => page.locator(`a.card.kpi[href="./${name}.html"]`);
    // Each change names the previous period and its value, or says in words why there is none.
    const changes = Object.fromEntries(
      await Promise.all(
        ["profit", "retention", "satisfaction", "equity", "lifecycle"].map(
          async (name) => [name, await card(name).locator("p.change").textContent()] as const
        )
      )
    );
    // The demo runs Jan 2023 – Jun 2025: a year earlier its data ran to Jun 2024; the leaky
    // bucket's window is Jul 2024 – Jun 2025, the one before Jul 2023 – Jun 2024; the last
    // month end is 2025-06-30, the one before 2025-05-31.
    expect(changes.profit).toMatch(/^(▲ \d+\.\d pts|▼ \d+\.\d pts|= no change) vs the data to Jun 2024 \(\d+\.\d %\)$/);
    expect(changes.retention).toMatch(
      /^([▲▼] \d+\.\d\d|= no change) vs Jul 2023 – Jun 2024 \(\d+\.\d\d\)(, better|, worse)?$/
    );
    expect(changes.satisfaction).toMatch(
      /^([▲▼] \d+|= no change) vs the data to Jun 2024 \([+−]\d+\)(, better|, worse)?$/
    );
    expect(changes.lifecycle).toMatch(
      /^([▲▼] [\d,]+|= no change) vs the month to 2025-05-31 \([\d,]+\)(, better|, worse)?$/
    );
    expect(changes.equity).toBe("No earlier figure: the model is fitted once, at the data's end.");
    const previousShown = (name: string) =>
      /\(([^)]*)\)$/.exec(changes[name]?.replace(/, (better|worse)$/, "") ?? "")?.[1];
    // The previous values are the pages' own figures for those periods, asked of DuckDB-WASM through their controls.
    const previousOnPage: Partial<Record<keyof typeof onPage, (other: Page) => Promise<void>>> = {
      lifecycle: async (other) => {
        await other.getByLabel("Month ending").selectOption("2025-05-31");
        await expect.poll(() => other.locator("#decline-inflow").textContent()).toBe(previousShown("lifecycle"));
      },
      // The profit page shows whole percents, the change tenths.
      profit: async (other) => {
        await other.getByLabel("To", {exact: true}).selectOption("2024-06");
        await expect
          .poll(() => other.locator("#top-share").textContent(), requery)
          .toBe(`${Math.round(Number.parseFloat(previousShown("profit")!))} %`);
      }
    };
    // The at-risk card: the customers at risk or lapsed at the last month end, and their value at stake.
    const number = (text: string | null) => Number(/^[\d,]+/.exec(text ?? "")?.[0]?.replaceAll(",", "") ?? NaN);
    const atRiskCard = page.locator('a.card.kpi[href$="retention.html#warning"]');
    await expect.poll(() => atRiskCard.locator("h2").textContent()).toBe("At risk");
    const atRisk = number(await atRiskCard.locator(".big").textContent());
    expect(atRisk).toBeGreaterThan(0);
    // Its change: against the month end before, fewer being better.
    expect(await atRiskCard.locator("p.change").textContent()).toMatch(
      /^([▲▼] [\d,]+|= no change) vs the month end before \(2025-05-31\) \([\d,]+\)(, better|, worse)?$/
    );
    const stake = /the call list, (\S+) at stake/.exec(
      (await atRiskCard.locator("p").first().textContent()) ?? ""
    )?.[1];
    expect(stake).toBeDefined();
    // Where the pages show the at-risk card's figures (at their defaults, before the previous period is chosen).
    const atRiskOnPage: Partial<Record<keyof typeof onPage, (other: Page) => Promise<void>>> = {
      // The call list's count, the at-risk and lapsed states together.
      retention: async (other) => {
        await expect.poll(() => other.locator("#warning h2").textContent()).toMatch(/to call/);
        expect(number(await other.locator("#warning h2").textContent())).toBe(atRisk);
        const atRiskState = number(await other.locator("#state-at-risk .big").textContent());
        const lapsed = number(await other.locator("#state-lapsed .big").textContent());
        expect(atRiskState + lapsed).toBe(atRisk);
      },
      // The value of the customers at risk or lapsed is the card's value at stake.
      equity: (other) =>
        expect
          .poll(() => other.locator("#value-by-state .how-to-read").textContent())
          .toContain(`${stake} of the value is in customers at risk or lapsed`),
      lifecycle: async (other) => {
        await expect.poll(() => other.locator("#stage-decline .big").textContent()).toMatch(/\d/);
        expect(number(await other.locator("#stage-decline .big").textContent())).toBe(atRisk);
      }
    };
    // The NPS card is the satisfaction page's headline NPS, as an independent query of the demo's survey.csv gives it.
    const nps = /Net Promoter Score ([+−]\d+)/.exec(await expectedSatisfactionHeadline(null))![1]!;
    expect(await card("satisfaction").locator(".big").textContent()).toBe(nps);
    const pageProblems: string[] = [];
    for (const [name, selector] of Object.entries(onPage) as [keyof typeof onPage, string][]) {
      const figure = (await card(name).locator(".big").textContent()) ?? "";
      // A number, not a dash for a missing figure.
      expect(figure, name).toMatch(/\d/);
      const other = await open(`/${name}`);
      await expect.poll(() => other.page.locator(selector).textContent(), {timeout: 30_000}).toBe(figure);
      await atRiskOnPage[name]?.(other.page);
      await previousOnPage[name]?.(other.page);
      pageProblems.push(...other.problems);
      await other.page.close();
    }
    // Data quality has no previous period and says nothing of one.
    expect(await card("quality").locator("p.change").count()).toBe(0);
    // Better and worse differ in colour as well as in word.
    const colours = await page.evaluate(() =>
      ["better", "worse", "neutral"].map((tone) => {
        const p = document.createElement("p");
        p.className = `change ${tone}`;
        document.querySelector("a.card.kpi")!.append(p);
        const colour = getComputedStyle(p).color;
        p.remove();
        return colour;
      })
    );
    expect(new Set(colours).size).toBe(3);
    await page.locator("a.card.kpi").first().scrollIntoViewIfNeeded();
    await page.screenshot({path: join(outputDir, "index-cards.png")});
    expect([...problems, ...pageProblems]).toEqual([]);
    await page.close();
  }, 180_000);
  it("index: the valuable-but-unhappy alert lists the slices an independent query of the demo's raw files selects, linking to their reports", async () => {
    const expected = await expectedUnhappy();
    expect(expected.alert.length).toBeGreaterThan(0);
    const {page, problems} = await open("/");
    await expect.poll(() => page.locator("#unhappy li").allTextContents()).toEqual(expected.alert);
    expect(await page.locator("#unhappy li a").first().getAttribute("href")).toBe("./report/segment/cafe.html");
    await page.locator("#unhappy").screenshot({path: join(outputDir, "index-unhappy.png")});
    expect(problems).toEqual([]);
    await page.close();
  });
}
