// More customers than a browser should get (CUSTOMER_EQUITY_BROWSER_ROWS set below the
// CDNOW sample's 2,357): the per-customer files ship one seeded sample of whole customers,
// the same customers in each, while every figure and chart the pages draw from them comes
// from exact aggregates over every customer, the same as when everyone ships.
import {join} from "node:path";
import {csvParse} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {siteArchive} from "../loaders/site/archive.js";
import {settingVariables} from "../loaders/settings.js";
import type {BrowserSample} from "../src/core/format/browserSample.js";
import type {ClvBin, GroupValue} from "../src/core/models/equity.js";
import type {ProfitProfile} from "../src/core/metrics/profitProfile.js";
import {runIngest} from "./ingestHelpers.js";
import {testSettings} from "./settings.js";
import {archiveMembers, projectDir} from "./site.js";

const cap = 1_000;
const customers = 2_357;

/** The site archive's members as text, a gzipped one gunzipped. */
function archiveFiles(source: string, rows?: number): Promise<Map<string, string>> {
  return siteArchive(
    testSettings(source, {[settingVariables.browserRows]: rows === undefined ? "" : String(rows)})
  ).then(archiveMembers);
}

const ids = (csv: string) => new Set(csvParse(csv).map((row) => row.customer_id!));

describe(`a source with more customers than the browser gets (${settingVariables.browserRows}=${cap})`, () => {
  let whole: Map<string, string>;
  let sampled: Map<string, string>;
  beforeAll(async () => {
    const source = await runIngest("cdnow", [join(projectDir, "data", "cdnow_sample.txt")]);
    whole = await archiveFiles(source.dir);
    sampled = await archiveFiles(source.dir, cap);
  }, 240_000);

  it("ships the same seeded sample of customers in every per-customer file, within the limit, and says so", () => {
    const sample = (JSON.parse(sampled.get("browser_sample.json")!) as Record<string, BrowserSample>).customers!;
    expect(sample).toMatchObject({rows: customers, customers, limit: cap});
    expect(sample.shippedCustomers).toBeLessThanOrEqual(cap);
    // The customers whose purchase days or monthly sums ship: the pages' samples are one.
    const shipped = new Set([
      ...ids(sampled.get("retention_days.csv.gz")!),
      ...ids(sampled.get("customer_months.csv.gz")!)
    ]);
    expect(shipped.size).toBe(sample.shippedCustomers);
    for (const file of ["customer_summary.csv.gz", "customer_profit.csv.gz", "customer_clv.csv.gz"])
      expect(ids(sampled.get(file)!), file).toEqual(shipped);
    // Everyone ships when the limit is not reached.
    expect((JSON.parse(whole.get("browser_sample.json")!) as Record<string, BrowserSample>).customers).toMatchObject({
      customers,
      shippedCustomers: customers
    });
  });

  it("ships each sampled customer's lines exactly as the whole files have them, in the same order", () => {
    for (const file of ["customer_summary.csv.gz", "customer_profit.csv.gz", "customer_clv.csv.gz"]) {
      const kept = sampled.get(file)!.trim().split("\n");
      const all = whole.get(file)!.trim().split("\n");
      expect(kept[0], file).toBe(all[0]);
      const keptIds = ids(sampled.get(file)!);
      expect(kept.slice(1), file).toEqual(all.slice(1).filter((line) => keptIds.has(line.split(",")[0]!)));
    }
  });

  it("draws the profit page's figures and charts from every customer, as when all ship", () => {
    expect(sampled.get("profit_profile.json")).toBe(whole.get("profit_profile.json"));
    expect(sampled.get("kpis.json")).toBe(whole.get("kpis.json"));
    const profile = JSON.parse(sampled.get("profit_profile.json")!) as ProfitProfile;
    // Against every customer's profit, computed here from the whole file.
    const profits = csvParse(whole.get("customer_profit.csv.gz")!).map((row) => Number(row.profit));
    const n = profits.length;
    const total = profits.reduce((a, b) => a + b, 0);
    expect(profile.customers).toBe(customers);
    expect(profile.total).toBeCloseTo(total, 6);
    expect(profile.losers).toBe(profits.filter((p) => p < 0).length);
    // Gini by its definition: mean absolute difference over all pairs / (2 × mean).
    let differences = 0;
    for (const x of profits) for (const y of profits) differences += Math.abs(x - y);
    expect(profile.gini).toBeCloseTo(differences / (2 * n * n * (total / n)), 9);
    const descending = [...profits].sort((a, b) => b - a);
    const top20 = descending.slice(0, Math.round(0.2 * n)).reduce((a, b) => a + b, 0);
    expect(profile.topShares[20]).toBeCloseTo(top20 / total, 9);
    expect(profile.deciles.reduce((a, d) => a + d.customers, 0)).toBe(customers);
    expect(profile.deciles[0]!.profit).toBeCloseTo(
      descending.slice(0, Math.ceil(n / 10)).reduce((a, b) => a + b, 0),
      6
    );
    expect(profile.whale.length).toBeLessThanOrEqual(1_003);
  });

  it("gives every customer an 80 % range of CLV and purchases next year around the figure, and the value by year a band", () => {
    const rows = csvParse(whole.get("customer_clv.csv.gz")!);
    expect(rows).toHaveLength(customers);
    for (const [figure, low, high] of [
      ["clv", "clv_low", "clv_high"],
      ["purchases_next_year", "purchases_next_year_low", "purchases_next_year_high"]
    ] as const) {
      const outside = rows.filter(
        (r) => !(Number(r[low]) <= Number(r[figure]) && Number(r[figure]) <= Number(r[high]))
      );
      expect(
        outside.map((r) => r.customer_id),
        figure
      ).toEqual([]);
      // Ranges, not points: the draws move every figure that is not rounded away (a dollar, a purchase, or more).
      expect(rows.filter((r) => Number(r[figure]) >= 1 && !(Number(r[high]) > Number(r[low]))).length, figure).toBe(0);
    }
    const {projection} = JSON.parse(whole.get("equity.json")!) as {
      projection: Record<"value" | "low" | "high" | "cumulative_low" | "cumulative_high", number[]> & {
        draws: number;
        level: number;
      };
    };
    expect(projection).toMatchObject({draws: 30, level: 0.8});
    let cumulative = 0;
    projection.value.forEach((value, year) => {
      cumulative += value;
      expect(projection.low[year]).toBeLessThan(value);
      expect(projection.high[year]).toBeGreaterThan(value);
      expect(projection.cumulative_low[year]).toBeLessThan(cumulative);
      expect(projection.cumulative_high[year]).toBeGreaterThan(cumulative);
    });
  });

  it("draws the equity page's histogram and values by channel and cohort from every customer, as when all ship", () => {
    expect(sampled.get("equity.json")).toBe(whole.get("equity.json"));
    const equity = JSON.parse(sampled.get("equity.json")!) as {
      customers: number;
      clv_histogram: ClvBin[];
      value_by_cohort: GroupValue[];
    };
    const valued = csvParse(whole.get("customer_clv.csv.gz")!);
    expect(equity.customers).toBe(valued.length);
    const clvs = valued.map((row) => Number(row.clv));
    const last = equity.clv_histogram.at(-1)!;
    for (const bin of equity.clv_histogram) {
      const inBin = clvs.filter((v) => v >= bin.x0 && (v < bin.x1 || (bin === last && v === bin.x1))).length;
      expect(bin.customers, `${bin.x0}–${bin.x1}`).toBe(inBin);
    }
    // CDNOW's customers all first bought in 1997's first quarter: one cohort, everyone's means.
    expect(equity.value_by_cohort.map((g) => g.group)).toEqual(["1997-Q1"]);
    expect(equity.value_by_cohort[0]!.customers).toBe(valued.length);
    expect(equity.value_by_cohort[0]!.clv).toBeCloseTo(clvs.reduce((a, b) => a + b, 0) / valued.length, 6);
  });
});
