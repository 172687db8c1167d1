// The rows of the retention page's bond files (retention_bonds.csv, retention_bond_curves.csv) from compareBonds'
// comparisons, against figures worked by hand.
import {describe, expect, it} from "vitest";
import {bondCurveRows, bondRows, type BondComparison} from "../../src/core/metrics/bonds.js";

/** k of n with an interval given by hand (the rows copy it; wilsonInterval has its own tests). */
const point = (age: number, k: number, n: number, low: number, high: number) => ({age, k, n, share: k / n, low, high});
const mean = (n: number, value: number, low: number, high: number) => ({n, mean: value, low, high});

// Loyalty: 30 of 100 customers hold it; holders followed to age 12, the others to age 1 only.
const loyalty: BondComparison = {
  name: "Loyalty member",
  kind: "financial",
  holders: {n: 100, k: 30, share: 0.3, low: 0.22, high: 0.4},
  with: {
    customers: 30,
    clv: mean(30, 150, 120, 180),
    pAlive: mean(30, 0.6, 0.5, 0.7),
    retention: [point(0, 30, 30, 0.9, 1), point(1, 12, 30, 0.25, 0.58), point(12, 5, 20, 0.11, 0.47)]
  },
  without: {
    customers: 70,
    clv: mean(0, NaN, NaN, NaN),
    pAlive: mean(70, 0.3, 0.25, 0.35),
    retention: [point(0, 70, 70, 0.95, 1), point(1, 14, 70, 0.12, 0.31)]
  }
};
// Held by nobody: 0 of 100, nothing to compare.
const manager: BondComparison = {
  name: "Account manager",
  kind: "social",
  holders: {n: 100, k: 0, share: 0, low: 0, high: 0.037},
  with: null,
  without: null
};

describe("bondRows(comparisons) and bondCurveRows(comparisons)", () => {
  it("bondRows gives holders, then the others, each with their share of all customers: the others' is one less the holders', its interval the holders' bounds turned round", () => {
    const [withRow, withoutRow, managerWith, managerWithout] = bondRows([loyalty, manager]);
    expect(withRow).toMatchObject({
      bond: "Loyalty member",
      kind: "financial",
      group: "with",
      customers: 30,
      share: 0.3
    });
    expect([withRow!.share_low, withRow!.share_high]).toEqual([0.22, 0.4]);
    expect(withoutRow).toMatchObject({group: "without", customers: 70});
    expect(withoutRow!.share).toBeCloseTo(0.7, 12);
    expect(withoutRow!.share_low).toBeCloseTo(0.6, 12);
    expect(withoutRow!.share_high).toBeCloseTo(0.78, 12);
    expect([managerWith!.customers, managerWithout!.customers]).toEqual([0, 100]);
  });

  it("bondRows reads a year on at age 12, and gives null for a figure a group lacks (no age 12, no CLV, no group)", () => {
    const [withRow, withoutRow, managerWith] = bondRows([loyalty, manager]);
    expect([withRow!.year_on_customers, withRow!.year_on, withRow!.year_on_low, withRow!.year_on_high]).toEqual([
      20, 0.25, 0.11, 0.47
    ]);
    expect([withRow!.clv, withRow!.clv_low, withRow!.clv_high, withRow!.p_alive]).toEqual([150, 120, 180, 0.6]);
    expect([withoutRow!.year_on_customers, withoutRow!.year_on, withoutRow!.clv, withoutRow!.clv_low]).toEqual([
      null,
      null,
      null,
      null
    ]);
    expect([withoutRow!.p_alive, withoutRow!.p_alive_low, withoutRow!.p_alive_high]).toEqual([0.3, 0.25, 0.35]);
    expect([managerWith!.year_on, managerWith!.clv, managerWith!.p_alive]).toEqual([null, null, null]);
  });

  it("bondCurveRows gives every age of each group, holders first, and nothing for a bond without groups", () => {
    const rows = bondCurveRows([loyalty, manager]);
    expect(rows.map((r) => [r.bond, r.group, r.age, r.customers, r.active])).toEqual([
      ["Loyalty member", "with", 0, 30, 30],
      ["Loyalty member", "with", 1, 30, 12],
      ["Loyalty member", "with", 12, 20, 5],
      ["Loyalty member", "without", 0, 70, 70],
      ["Loyalty member", "without", 1, 70, 14]
    ]);
    expect(rows[2]).toMatchObject({share: 0.25, low: 0.11, high: 0.47});
  });
});
