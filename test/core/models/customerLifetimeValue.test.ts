import {describe, expect, it} from "vitest";
import {bgnbdConditionalExpectedPurchases} from "../../../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {customerLifetimeValue, expectedPurchasesByPeriod} from "../../../src/core/models/customerLifetimeValue.js";

const published = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005, Marketing Science, CDNOW
const customer = {x: 2, tx: 30.43, T: 38.86};

describe("expectedPurchasesByPeriod(params, customer, periodLength, periods)", () => {
  it("splits E[Y(Kτ)] into K periods that add up to it", () => {
    const byPeriod = expectedPurchasesByPeriod(published, customer, 4.345, 12);
    expect(byPeriod).toHaveLength(12);
    expect(byPeriod.reduce((s, v) => s + v, 0)).toBeCloseTo(
      bgnbdConditionalExpectedPurchases(published, 12 * 4.345, 2, 30.43, 38.86),
      12
    );
    for (const v of byPeriod) expect(v).toBeGreaterThan(0);
  });
});

describe("customerLifetimeValue(params, customer, spend, options)", () => {
  it("is margin × spend × E[Y(Kτ)] without discounting", () => {
    const value = customerLifetimeValue(published, customer, 25, {
      periodLength: 4.345,
      periods: 12,
      discountRate: 0,
      margin: 0.3
    });
    expect(value).toBeCloseTo(0.3 * 25 * bgnbdConditionalExpectedPurchases(published, 12 * 4.345, 2, 30.43, 38.86), 12);
  });

  it("discounts each period's margin by (1 + d)^k (two periods by hand)", () => {
    const [n1, n2] = expectedPurchasesByPeriod(published, customer, 26, 2);
    const value = customerLifetimeValue(published, customer, 40, {
      periodLength: 26,
      periods: 2,
      discountRate: 0.05,
      margin: 0.5
    });
    expect(value).toBeCloseTo(0.5 * 40 * (n1! / 1.05 + n2! / 1.05 ** 2), 12);
  });

  it("is 0 over no periods and rejects a bad horizon", () => {
    expect(customerLifetimeValue(published, customer, 40, {periodLength: 4, periods: 0, discountRate: 0.01})).toBe(0);
    expect(() =>
      customerLifetimeValue(published, customer, 40, {periodLength: 0, periods: 3, discountRate: 0.01})
    ).toThrow(/periodLength/);
    expect(() =>
      customerLifetimeValue(published, customer, 40, {periodLength: 1, periods: 2.5, discountRate: 0.01})
    ).toThrow(/periods/);
  });
});
