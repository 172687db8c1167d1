// Sources where the customer-equity models cannot value customers: everyone buying at one
// steady pace (the fits run r, α → ∞ and a → 0) and a source of 30 customers (below the
// data-sufficiency rule). The equity files say so in a sentence, with what the data do say,
// and carry no NaN, no zero value and no P(active) for other pages to rank by.
import {csvParse} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {siteArchive} from "../loaders/site/archive.js";
import {minimumFit, withheldHeadline} from "../src/core/models/equity.js";
import {runIngest, writeTransactionsSource} from "./ingestHelpers.js";
import {testSettings} from "./settings.js";
import {archiveMembers} from "./site.js";

const day0 = Date.UTC(2023, 0, 1);
const isoDay = (day: number) => new Date(day0 + day * 86_400_000).toISOString().slice(0, 10);

/** A generic source of the given purchases ([customer, day after 2023-01-01, revenue]); returns its mapping file. */
const writeSource = (purchases: [string, number, number][]) =>
  writeTransactionsSource(
    "Model limits",
    purchases.map(([c, d, r]) => [c, isoDay(d), r.toFixed(2)])
  );

/** Customer k (0…299) buys $20 every 7 days from day k % 7 until day 729 (2024-12-30): 104 or 105 purchases each. */
function homogeneousPurchases(): [string, number, number][] {
  const purchases: [string, number, number][] = [];
  for (let k = 0; k < 300; k++) for (let d = k % 7; d < 730; d += 7) purchases.push([`h${k}`, d, 20]);
  return purchases;
}

/** 30 customers: customer k buys on day 10k, and again on day 10k + 100 when k is even (15 repeat buyers). */
function smallPurchases(): [string, number, number][] {
  const purchases: [string, number, number][] = [];
  for (let k = 0; k < 30; k++) {
    purchases.push([`s${k}`, 10 * k, 30 + k]);
    if (k % 2 === 0) purchases.push([`s${k}`, 10 * k + 100, 30 + k]);
  }
  return purchases;
}

async function siteFiles(purchases: [string, number, number][]): Promise<Map<string, string>> {
  const source = await runIngest("generic", [writeSource(purchases)], {asOf: "2025-06-30"});
  return archiveMembers(await siteArchive(testSettings(source.dir)));
}

/** What no page may show: "NaN" or a value of exactly zero dollars. */
const broken = /NaN|\$0(?![.,\d])/;

describe("customers all buying at one steady pace (300, $20 every 7 days for two years)", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await siteFiles(homogeneousPurchases());
  }, 120_000);

  it("equity.json says the models cannot value them and why, with no NaN and no value of 0", () => {
    const equity = JSON.parse(files.get("equity.json")!);
    // The fit runs to the limits that make the model's formulas break down.
    expect(equity.full.bgnbd.health.unidentified).toEqual(expect.arrayContaining(["purchase rate spread", "dropout"]));
    expect(equity.valuation).toEqual({
      valued: false,
      reason: "cannot value",
      sentence:
        "The models cannot value these customers: this data cannot tell how much more often some customers buy than others, and each customer's value rests on that."
    });
    expect(equity.current_value).toBeNull();
    expect(equity.p_active_told).toBe(false);
    expect(files.get("equity.json")).not.toMatch(/NaN/);
    const kpis = JSON.parse(files.get("kpis.json")!);
    expect(kpis.equity).toMatchObject({customers: 300, currentValue: null, withheld: equity.valuation.sentence});
  });

  it("the headline says what the data do say: the recent complete months' spend and margin a month", () => {
    const equity = JSON.parse(files.get("equity.json")!);
    // The data run from 2023-01-01 to 2024-12-30, so December 2024 is incomplete: 23 complete
    // months, the recent span the last 11 of them, Jan – Nov 2024 (days 365 to 699).
    const recent = homogeneousPurchases().filter(([, d]) => d >= 365 && d <= 699).length * 20;
    expect(equity.observed).toMatchObject({active: 300, revenue: recent, months: 11, dates: "Jan 2024 – Nov 2024"});
    // No costs: the source's assumed margin rate, 30 %.
    expect(equity.observed.margin).toBeCloseTo(0.3 * recent, 6);
    const headline = withheldHeadline(equity.valuation.sentence, equity.observed, "USD");
    expect(headline).not.toMatch(broken);
    const perMonth = (value: number) => `$${Math.round(value / 11).toLocaleString("en-US")}`;
    expect(headline).toContain(
      `in Jan 2024 – Nov 2024, 300 customers bought ${perMonth(recent)} a month, ${perMonth(0.3 * recent)} of it margin.`
    );
  });

  it("no customer gets a CLV, P(active) or next purchase, so no page ranks or flags them by it", () => {
    const rows = csvParse(files.get("customer_clv.csv.gz")!);
    expect(rows).toHaveLength(300);
    expect(files.get("customer_clv.csv.gz")).not.toMatch(/NaN/);
    expect(
      new Set(rows.map((r) => `${r.clv}|${r.p_alive}|${r.purchases_next_year}|${r.p_buy_90_days}|${r.next_purchase}`))
    ).toEqual(new Set(["||||"]));
    // Overdue is the data's, not the model's: everyone buys every 7 days and was last silent for at most 6 of them.
    expect(new Set(rows.map((r) => r.overdue))).toEqual(new Set(["false"]));
    expect(rows.every((r) => Number(r.expected_spend) === 20)).toBe(true);
    expect(csvParse(files.get("retention_settings.csv")!)[0]!.has_model).toBe("false");
    expect(csvParse(files.get("lifecycle_settings.csv")!)[0]!.has_model).toBe("false");
  });
});

describe("a source of 30 customers", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await siteFiles(smallPurchases());
  }, 120_000);

  it("is too few to value: one plain sentence with the counts and the rule, and no value", () => {
    const equity = JSON.parse(files.get("equity.json")!);
    expect(minimumFit).toEqual({customers: 70, repeatBuyers: 40});
    expect(equity.valuation).toEqual({
      valued: false,
      reason: "too few",
      sentence:
        "There are too few customers to value: 30 customers, 15 of whom bought more than once, where the models need at least 70 and 40."
    });
    expect(equity.current_value).toBeNull();
    expect(equity.projection).toBeNull();
    expect(equity.clv_histogram).toEqual([]);
    expect(files.get("equity.json")).not.toMatch(/NaN/);
    expect(JSON.parse(files.get("kpis.json")!).equity).toMatchObject({customers: 30, currentValue: null});
    const rows = csvParse(files.get("customer_clv.csv.gz")!);
    expect(rows).toHaveLength(30);
    expect(
      rows.filter((r) => r.clv !== "" || r.p_alive !== "" || r.p_buy_90_days !== "" || r.next_purchase !== "")
    ).toEqual([]);
    expect(withheldHeadline(equity.valuation.sentence, equity.observed, "USD")).not.toMatch(broken);
  });
});
