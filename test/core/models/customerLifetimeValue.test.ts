import {describe, expect, it} from "vitest";
import {bgnbdConditionalExpectedPurchases} from "../../../src/core/models/bgnbdConditionalExpectedPurchases.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {customerValuation} from "../../../src/core/models/customerLifetimeValue.js";

const published = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005, Marketing Science, CDNOW
const customer = {x: 2, tx: 30.43, T: 38.86};

// The independent path: the conditional expectation itself (FHL 2005 eq. 10, with P(alive)), differenced.
/** The expected purchases in each of the K periods: E[Y(kτ)] − E[Y((k−1)τ)], k = 1..K. */
function expectedPurchasesByPeriod(
  params: BgNbdParams,
  customer: {x: number; tx: number; T: number},
  periodLength: number,
  periods: number
): number[] {
  const {x, tx, T} = customer;
  const out: number[] = [];
  let previous = 0;
  for (let k = 1; k <= periods; ++k) {
    const cumulative = bgnbdConditionalExpectedPurchases(params, k * periodLength, x, tx, T);
    out.push(cumulative - previous);
    previous = cumulative;
  }
  return out;
}

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

/** One customer's CLV: customerValuation's total for a group of one. */
const clv = (spend: number, options: Parameters<typeof customerValuation>[1]) =>
  customerValuation(published, options).total({...customer, spend});

describe("customerValuation(params, options)", () => {
  it("is margin × spend × E[Y(Kτ)] without discounting", () => {
    const value = clv(25, {
      periodLength: 4.345,
      periods: 12,
      discountRate: 0,
      margin: 0.3
    });
    expect(value).toBeCloseTo(0.3 * 25 * bgnbdConditionalExpectedPurchases(published, 12 * 4.345, 2, 30.43, 38.86), 12);
  });

  it("discounts each period's margin by (1 + d)^k (two periods by hand)", () => {
    const [n1, n2] = expectedPurchasesByPeriod(published, customer, 26, 2);
    const value = clv(40, {
      periodLength: 26,
      periods: 2,
      discountRate: 0.05,
      margin: 0.5
    });
    expect(value).toBeCloseTo(0.5 * 40 * (n1! / 1.05 + n2! / 1.05 ** 2), 12);
  });

  it("is 0 over no periods and rejects a bad horizon", () => {
    expect(clv(40, {periodLength: 4, periods: 0, discountRate: 0.01})).toBe(0);
    expect(() => clv(40, {periodLength: 0, periods: 3, discountRate: 0.01})).toThrow(/periodLength/);
    expect(() => clv(40, {periodLength: 1, periods: 2.5, discountRate: 0.01})).toThrow(/periods/);
  });

  it("values a group as its customers added up: the periods add up to the total, two alike customers are worth twice one", () => {
    const valuation = customerValuation(published, {periodLength: 4.345, periods: 24, discountRate: 0.01, margin: 0.3});
    const one = {...customer, spend: 25};
    const byPeriod = valuation.byPeriod(one);
    expect(byPeriod).toHaveLength(24);
    expect(byPeriod.reduce((s, v) => s + v, 0)).toBeCloseTo(valuation.total(one), 10);
    expect(valuation.total({...customer, spend: 50})).toBeCloseTo(2 * valuation.total(one), 10);
  });
});
