// The customer profile's test on the demo data, registered in sitePages.test.ts: one customer
// opened by the address a link gives (?id=), their figures checked against the demo's raw
// files (orders, revenue, last purchase, state, bonds) and the files the site ships (P(active), CLV,
// next purchase, the call list's rank, the survey answers).
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import {expect, it} from "vitest";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {pseudonym, pseudonymKey} from "../../loaders/pseudonym.js";
import {readSettings} from "../../loaders/settings.js";
import {outputDir} from "../site.js";
import {
  builtCsv,
  demoLinesSql,
  demoNetPurchaseDays,
  demoObservationEnd,
  demoTruth,
  downloadCsv,
  stateAt,
  type PageTestContext,
  type SilenceRules
} from "./context.js";

const dollars = (x: number) =>
  new Intl.NumberFormat("en-US", {style: "currency", currency: "USD", maximumFractionDigits: 0}).format(x);

/** Per raw customer: their orders on net purchase days, net revenue (returns less), returned lines and survey answers (recommend, by day), from the raw files. */
async function rawCustomers(): Promise<
  Map<string, {orders: number; revenue: number; returns: number; recommends: string[]; orderDays: string[]}>
> {
  const badSurvey = demoTruth.bad_rows.filter((row) => row.file === "survey.csv").map((row) => row.line);
  const rows = await withDuckDB((connection) =>
    queryRows<{
      customer_id: string;
      lines: {day: string; order_id: string; revenue: number}[];
      recommends: string[] | null;
    }>(
      connection,
      `WITH ${demoLinesSql()},
       survey AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv('${join(demoDir, "survey.csv")}', all_varchar = true, header = true)),
       answers AS (SELECT customer_id, list(recommend ORDER BY responded_at, line) AS recommends FROM survey
                   WHERE line NOT IN (${badSurvey.join(", ") || "0"}) GROUP BY customer_id)
       SELECT customer_id, list({day: strftime(ordered_at::TIMESTAMP::DATE, '%Y-%m-%d'), order_id: order_id, revenue: revenue::DOUBLE}) AS lines, any_value(a.recommends) AS recommends
       FROM valid LEFT JOIN answers a USING (customer_id) GROUP BY customer_id ORDER BY customer_id`
    )
  );
  const net = await demoNetPurchaseDays();
  return new Map(
    rows.map((r) => {
      const days = new Set(net.get(r.customer_id) ?? []);
      const bought = r.lines.filter((l) => l.revenue >= 0 && days.has(l.day));
      return [
        r.customer_id,
        {
          orders: new Set(bought.map((l) => l.order_id)).size,
          revenue: r.lines.reduce((sum, l) => sum + l.revenue, 0),
          returns: r.lines.filter((l) => l.revenue < 0).length,
          recommends: r.recommends ?? [],
          orderDays: [...days].sort()
        }
      ];
    })
  );
}

/**
 * Per raw customer, the bonds they hold and those they do not, as customers.csv's yes/no columns give them, in the
 * order mapping.json declares them.
 */
function rawBonds(): Map<string, {held: string[]; others: string[]}> {
  const mapping = JSON.parse(readFileSync(join(demoDir, "mapping.json"), "utf-8")) as {
    tables: {customers: {bonds: Record<string, {name: string; kind: string}>}};
  };
  const declared = Object.entries(mapping.tables.customers.bonds);
  return new Map(
    csvParse(readFileSync(join(demoDir, "customers.csv"), "utf-8")).map((row) => [
      row.customer_id!,
      {
        held: declared.filter(([column]) => row[column] === "yes").map(([, b]) => `${b.name} (${b.kind})`),
        others: declared.filter(([column]) => row[column] !== "yes").map(([, b]) => b.name)
      }
    ])
  );
}

export function customerPageTests({open}: PageTestContext): void {
  it("customer: a link's address (?id=) opens a customer slipping away, with their orders, revenue, last purchase and state as the raw files give them, and P(active), value, next purchase, call-list rank and survey answers as the site's files; an id typed as markup shows as text", async () => {
    const settings = builtCsv("retention_settings")[0]!;
    const window = Number(settings.window_days);
    const rules: SilenceRules = {inactivityDays: window, lostDays: 2 * window, k: 2, minPurchases: 3};
    // The first customer (raw id order) with a return, survey answers and four purchase days or more, who is at risk or
    // lapsed by silence alone at the last month end: the model's P(active) cannot change either state.
    const raw = await rawCustomers();
    // ... who holds a bond and not every bond.
    const bonds = rawBonds();
    const [rawId, expected] = [...raw].find(
      ([rawId, c]) =>
        bonds.get(rawId)!.held.length > 0 &&
        bonds.get(rawId)!.others.length > 0 &&
        c.returns > 0 &&
        c.recommends.length > 0 &&
        c.orderDays.length >= 4 &&
        ["at risk", "lapsed"].includes(stateAt(c.orderDays, demoObservationEnd, rules) ?? "")
    )!;
    const state = stateAt(expected.orderDays, demoObservationEnd, rules)!;
    const id = pseudonym(pseudonymKey(readSettings(process.env).pseudonymKey), rawId);
    const value = builtCsv("customer_clv").find((r) => r.customer_id === id)!;
    const callList = builtCsv("retention_warning").map((r) => r.customer_id);

    const {page, problems} = await open(`/customer.html?id=${encodeURIComponent(id)}`);
    // The page's text, its line breaks and indents (from the page's source) as single spaces.
    const text = async (selector: string) =>
      ((await page.locator(selector).textContent()) ?? "").replace(/\s+/g, " ").trim();
    await page.locator("#customer-figures").waitFor({timeout: 60_000});
    expect(await text("#customer-shown")).toBe(id);
    expect(await text("#customer-orders")).toBe(`${expected.orders} orders`);
    expect(await text("#customer-revenue")).toBe(dollars(expected.revenue));
    expect(await text("#customer-last-purchase")).toBe(expected.orderDays.at(-1));
    expect(await text("#customer-summary")).toContain(
      `${expected.returns} line${expected.returns === 1 ? "" : "s"} sent back`
    );
    const {held, others} = bonds.get(rawId)!;
    expect(await text("#customer-bonds")).toContain(
      `Bonds: ${held.join(", ")}; not ${others.join(", ")}. The retention page compares`
    );
    expect(await text("#customer-state")).toBe(state);
    expect(await text("#customer-p-active")).toBe(Number(value.p_alive).toFixed(2));
    expect(await text("#customer-clv")).toBe(dollars(Number(value.clv)));
    expect(await text("#customer-next-purchase")).toBe(value.next_purchase!.slice(0, 10));
    expect(await text("#customer-overdue")).toMatch(value.overdue === "true" ? /^overdue/ : /^not overdue/);
    // Slipping away, so on the retention page's call list, at its place there.
    expect(await text("#customer-action")).toContain(
      `Call them. They are number ${callList.indexOf(id) + 1} of ${callList.length.toLocaleString("en-US")}`
    );
    // The state at every month end since the first purchase (the download of the states' card), as the rules give it
    // from the raw purchase days; where silence says active, the model's P(active) may say at risk.
    const history = await downloadCsv(page, page.locator("#customer-states a.csv-download"));
    expect(history[0]!.month_end!.slice(0, 7)).toBe(expected.orderDays[0]!.slice(0, 7));
    expect(history.at(-1)).toMatchObject({month_end: demoObservationEnd, state});
    for (const row of history) {
      const bySilence = stateAt(expected.orderDays, row.month_end!, rules);
      expect(bySilence === "active" ? ["active", "at risk"] : [bySilence], row.month_end).toContain(row.state);
    }
    // Every survey answer, in order of the day given, with its 0–10 answer.
    expect(await text("#customer-answers h3")).toMatch(new RegExp(`^${expected.recommends.length} answers?;`));
    const recommends = await page
      .locator("#customer-answers table tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent ?? ""));
    expect(recommends).toEqual(expected.recommends.slice(0, recommends.length));
    expect(await page.locator("#customer-history svg").count()).toBeGreaterThan(0);
    // The search's customers link here, each by its own id.
    const links = await page
      .locator("#customer-search a.customer-link")
      .evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
    expect(links.length).toBeGreaterThan(0);
    for (const [href, shown] of links) expect(href).toBe(`./customer.html?id=${encodeURIComponent(shown!)}`);
    await page.screenshot({path: join(outputDir, "customer-profile.png"), fullPage: true});
    // The id box puts what is typed in the address, and an id that is markup shows as text, found in no row.
    const markup = `<img src=x onerror="document.title='x'">`;
    await page.locator("#customer-id input[name=id]").fill(markup);
    await Promise.all([page.waitForURL(/[?&]id=/), page.locator("#customer-id button").click()]);
    await page.locator("#customer-missing").waitFor({timeout: 60_000});
    expect(new URL(page.url()).searchParams.get("id")).toBe(markup);
    expect(await text("#customer-missing b")).toBe(markup);
    expect(await page.locator("#customer-missing img").count()).toBe(0);
    expect(await page.title()).not.toBe("x");
    expect(problems).toEqual([]);
    await page.close();
  });
}
