import {describe, expect, it} from "vitest";
import {decileRows, profitColumns, tierRows, typeRows} from "../../src/core/metrics/profitGroups.js";

// Twenty customers: profit 19 down to 0 (total 190), revenue 10 each, 2 orders each.
const customers = Array.from({length: 20}, (_, i) => ({profit: 19 - i, revenue: 10, orders: 2}));

describe("decileRows(customers)", () => {
  it("sums each tenth of customers, most profitable first, with shares and the running share", () => {
    const rows = decileRows(profitColumns(customers));
    expect(rows.map((r) => r.customers)).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(rows[0]).toEqual({
      decile: 1,
      customers: 2,
      revenue: 20,
      profit: 37,
      share: 37 / 190,
      cumulative: 37 / 190,
      averageOrder: 5
    });
    expect(rows[9]!.profit).toBe(1); // customers with 1 and 0
    expect(rows[9]!.cumulative).toBeCloseTo(1, 12);
  });
});

describe("tierRows(customers)", () => {
  it("counts the top 1 %, next 4 %, next 15 %, the rest and the loss-making", () => {
    const withLosers = [...customers, {profit: -30, revenue: 5, orders: 1}]; // 21 customers, total 160
    const rows = tierRows(withLosers.map((c) => c.profit));
    // round(0.21) = 0, round(1.05) = 1, round(4.2) = 4 customers in the first three tiers.
    expect(rows.map((r) => [r.group, r.customers, r.profit])).toEqual([
      ["top 1 %", 0, 0],
      ["next 4 %", 1, 19],
      ["next 15 %", 3, 18 + 17 + 16],
      ["the rest", 16, (15 * 16) / 2 + 0],
      ["loss-making", 1, -30]
    ]);
    expect(rows[4]!.share).toBeCloseTo(-30 / 160, 12);
  });
});

describe("typeRows(customers, thresholds)", () => {
  it("counts customers and profit per type", () => {
    const typed = [
      {profit: 50, revenue: 0, orders: 1, loyalty: 0.9},
      {profit: 40, revenue: 0, orders: 1, loyalty: 0.1},
      {profit: 5, revenue: 0, orders: 1, loyalty: 0.8},
      {profit: -5, revenue: 0, orders: 1, loyalty: 0}
    ];
    expect(typeRows(typed, {profit: 10, loyalty: 0.5}).map((r) => [r.group, r.customers, r.profit])).toEqual([
      ["true friends", 1, 50],
      ["butterflies", 1, 40],
      ["barnacles", 1, 5],
      ["strangers", 1, -5]
    ]);
  });
});
