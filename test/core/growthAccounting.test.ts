import {describe, expect, it} from "vitest";
import {
  bucketFlows,
  customerRetention,
  identityFailures,
  netRevenueRetention,
  quickRatio,
  refillCosts,
  revenueQuickRatio,
  totals
} from "../../src/core/metrics/growthAccounting.js";
import type {GrowthRow} from "../../src/core/sql/retentionSql.js";

// The hand-worked log of retentionSql.test.ts, January to March 2024 (see there).
const row = (r: Partial<GrowthRow> & Pick<GrowthRow, "period">): GrowthRow => ({
  active: 0,
  previous_active: 0,
  new: 0,
  retained: 0,
  reactivated: 0,
  lost: 0,
  revenue: 0,
  previous_revenue: 0,
  new_revenue: 0,
  expansion_revenue: 0,
  contraction_revenue: 0,
  lost_revenue: 0,
  reactivated_revenue: 0,
  acquisition_spend: 0,
  costed_new: 0,
  ...r
});
const rows: GrowthRow[] = [
  row({period: "2024-01-01", active: 2, new: 2, revenue: 150, new_revenue: 150, acquisition_spend: 30, costed_new: 1}),
  row({
    period: "2024-02-01",
    active: 3,
    previous_active: 2,
    new: 1,
    retained: 2,
    revenue: 210,
    previous_revenue: 150,
    new_revenue: 30,
    expansion_revenue: 50,
    contraction_revenue: 20,
    acquisition_spend: 45,
    costed_new: 1
  }),
  row({
    period: "2024-03-01",
    active: 2,
    previous_active: 3,
    new: 1,
    retained: 1,
    lost: 2,
    revenue: 70,
    previous_revenue: 210,
    new_revenue: 40,
    lost_revenue: 180,
    acquisition_spend: 12,
    costed_new: 1
  }),
  row({
    period: "2024-04-01",
    active: 1,
    previous_active: 2,
    reactivated: 1,
    lost: 2,
    revenue: 80,
    previous_revenue: 70,
    lost_revenue: 70,
    reactivated_revenue: 80
  })
];

describe("identityFailures(rows)", () => {
  it("is empty when active(t) = active(t−1) + new + reactivated − lost and revenue balances", () => {
    expect(identityFailures(rows)).toEqual([]);
  });
  it("names the period where customers or revenue do not add up, or a period does not continue the one before", () => {
    const broken = rows.map((r) => (r.period === "2024-03-01" ? {...r, lost: 1, lost_revenue: 179} : r));
    expect(identityFailures(broken)).toEqual([
      "2024-03-01: customers 3 + 1 + 0 − 1 ≠ 2",
      "2024-03-01: revenue 71.00 ≠ 70.00"
    ]);
    // A gap: March's previous figures are not February's once February is left out.
    expect(identityFailures([rows[0]!, ...rows.slice(2)])).toEqual(["2024-03-01: does not continue the period before"]);
    // The first row continues a period not shown (the data's first month), so it is not checked.
    expect(identityFailures(rows.slice(1))).toEqual([]);
  });
});

describe("ratios", () => {
  it("quickRatio(row) = (new + reactivated) / lost, NaN without losses", () => {
    expect(quickRatio(rows[2]!)).toBe(0.5);
    expect(quickRatio(rows[3]!)).toBe(0.5);
    expect(quickRatio(rows[1]!)).toBeNaN();
  });
  it("revenueQuickRatio(row) = (new + reactivated + expansion) / (contraction + lost)", () => {
    expect(revenueQuickRatio(rows[1]!)).toBe(80 / 20);
    expect(revenueQuickRatio(rows[2]!)).toBe(40 / 180);
  });
  it("netRevenueRetention(row) = (revenue(t−1) + expansion − contraction − lost) / revenue(t−1)", () => {
    expect(netRevenueRetention(rows[1]!)).toBe(180 / 150); // 150 + 50 − 20
    expect(netRevenueRetention(rows[2]!)).toBe(30 / 210); // only b's 30 remains
    expect(netRevenueRetention(rows[0]!)).toBeNaN();
  });
  it("customerRetention(row) = retained / active(t−1)", () => {
    expect(customerRetention(rows[2]!)).toBe(1 / 3);
  });
  it("totals(rows) sums the flows", () => {
    expect(totals(rows)).toMatchObject({
      new: 4,
      reactivated: 1,
      lost: 4,
      retained: 3,
      previousActive: 7,
      lostRevenue: 250,
      previousRevenue: 430
    });
  });
});

describe("refillCosts(rows, assumptions)", () => {
  it("charges min(new, lost − reactivated) replacements at the period's acquisition cost, and prices keeping more", () => {
    // March: 2 lost, none back, 1 new at $12 → 1 replacement, $12; keeping 50 % of 2 at 5× saves 1 × 12 × 0.8 = 9.6.
    // April: 2 lost, 1 back → net loss 1, but nobody new: nothing replaced; no cost on file → the $20 fallback.
    expect(refillCosts(rows, {ratio: 5, keepMore: 0.5, fallbackCost: 20})).toEqual([
      {period: "2024-01-01", acquisitionCost: 30, replaced: 0, refillCost: 0, saving: 0},
      {period: "2024-02-01", acquisitionCost: 45, replaced: 0, refillCost: 0, saving: 0},
      {period: "2024-03-01", acquisitionCost: 12, replaced: 1, refillCost: 12, saving: 0.5 * 2 * 12 * 0.8},
      {period: "2024-04-01", acquisitionCost: 20, replaced: 0, refillCost: 0, saving: 0.5 * 1 * 20 * 0.8}
    ]);
    // The module's example: 120 lost, 20 back, 150 new at $50, 5 % more kept at 5× → $200 saved, 100 replaced for $5,000.
    const example = row({period: "x", new: 150, lost: 120, reactivated: 20, acquisition_spend: 7500, costed_new: 150});
    expect(refillCosts([example], {ratio: 5, keepMore: 0.05, fallbackCost: null})[0]).toEqual({
      period: "x",
      acquisitionCost: 50,
      replaced: 100,
      refillCost: 5000,
      saving: 200
    });
    expect(refillCosts([rows[3]!], {ratio: 5, keepMore: 0.05, fallbackCost: null})[0]!.acquisitionCost).toBeNull();
    expect(() => refillCosts(rows, {ratio: 0.5, keepMore: 0, fallbackCost: null})).toThrow(/at least 1/);
  });
});

describe("bucketFlows(rows)", () => {
  it("puts new and reactivated customers above zero and lost ones below", () => {
    expect(bucketFlows([rows[3]!])).toEqual([
      {period: "2024-04-01", flow: "new", customers: 0},
      {period: "2024-04-01", flow: "reactivated", customers: 1},
      {period: "2024-04-01", flow: "lost", customers: -2}
    ]);
  });
});
