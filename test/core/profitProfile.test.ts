import {describe, expect, it} from "vitest";
import {profitColumns} from "../../src/core/metrics/profitGroups.js";
import {profitKpis, profitProfile, topPercentMax} from "../../src/core/metrics/profitProfile.js";

// Four customers, profits 3, −1, 6 and 2 (total 10); revenue 10 and 2 orders each.
const customers = profitColumns([3, -1, 6, 2].map((profit) => ({profit, revenue: 10, orders: 2})));

describe("profitProfile(customers)", () => {
  const profile = profitProfile(customers);
  it("counts customers, the total and those who lose money", () => {
    expect(profile).toMatchObject({customers: 4, total: 10, losers: 1, median: 2.5});
  });
  it("gives the Gini and the whale curve's peak of a hand-worked case", () => {
    // Ascending −1, 2, 3, 6: Σ i·x = −1 + 4 + 9 + 24 = 36; G = 2·36 / (4·10) − 5/4 = 0.55.
    expect(profile.gini).toBeCloseTo(0.55, 12);
    // Descending 6, 3, 2, −1: running 6, 9, 11, 10 of 10; the peak is 110 % at 3 of 4 customers.
    expect(profile.peak.peak).toBeCloseTo(1.1, 12);
    expect(profile.peak).toMatchObject({customers: 0.75, destroyed: 1});
  });
  it("gives the top k %'s share for every k the page's slider offers", () => {
    expect(profile.topShares).toHaveLength(topPercentMax + 1);
    expect(profile.topShares[0]).toBe(0);
    expect(profile.topShares[20]).toBeCloseTo(0.6, 12); // round(0.8) = 1 customer: 6 of 10
    expect(profile.topShares[50]).toBeCloseTo(0.9, 12); // 2 customers: 6 + 3
  });
  it("gives both curves whole for a few customers, deciles and tiers", () => {
    expect(profile.whale.map((p) => p.share)).toEqual([0, 0.6, 0.9, 1.1, 1]);
    expect(profile.lorenz.map((p) => p.share)).toEqual([0, -0.1, 0.1, 0.4, 1]);
    expect(profile.deciles.slice(0, 5).map((d) => d.profit)).toEqual([6, 3, 2, -1, 0]);
    expect(profile.tiers.find((t) => t.group === "loss-making")).toMatchObject({customers: 1, profit: -1});
  });
  it("reads typed-array columns (as the loader holds a million customers) as it reads arrays", () => {
    const typed = profitProfile({
      profit: Float64Array.of(3, -1, 6, 2),
      revenue: Float64Array.of(10, 10, 10, 10),
      orders: Float64Array.of(2, 2, 2, 2)
    });
    expect(typed).toMatchObject({
      customers: 4,
      total: 10,
      losers: 1,
      median: 2.5,
      peak: {customers: 0.75, destroyed: 1}
    });
    expect(typed.deciles.slice(0, 5).map((d) => [d.profit, d.revenue, d.averageOrder])).toEqual([
      [6, 10, 5],
      [3, 10, 5],
      [2, 10, 5],
      [-1, 10, 5],
      [0, 0, NaN]
    ]);
    expect(typed.tiers.find((t) => t.group === "loss-making")).toMatchObject({customers: 1, profit: -1});
  });
  it("is null where a figure has no value (a zero total), as JSON keeps it", () => {
    const empty = JSON.parse(JSON.stringify(profitProfile(profitColumns([]))));
    expect(empty).toMatchObject({customers: 0, total: 0, losers: 0, gini: null, median: null});
  });
});

describe("profitKpis(profile)", () => {
  it("gives the count, the top 20 %'s share, the share who lose money and the total", () => {
    expect(profitKpis(profitProfile(customers))).toEqual({
      customers: 4,
      top20Share: 0.6,
      lossMakingShare: 0.25,
      total: 10
    });
  });
});
