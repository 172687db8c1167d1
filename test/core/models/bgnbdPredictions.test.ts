import {describe, expect, it} from "vitest";
import {bgnbdConditionalExpectedPurchases} from "../../../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {bgnbdExpectedPurchases} from "../../../src/core/models/bgnbdExpectedPurchases.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "../../../src/core/models/bgnbdProbabilityAlive.js";

const published: BgNbdParams = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005, Marketing Science, CDNOW

/** P(alive) by Bayes' rule from the two terms of the likelihood (FHL 2005 eq. 6), written without logs. */
function bayesAlive({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  // The factors Γ(r+x)α^r/Γ(r) and 1/B(a, b) are common to both terms and cancel.
  // B(a, b+x) and B(a+1, b+x−1) differ by the factor a/(b+x−1).
  if (x === 0) return 1;
  const alive = 1 / Math.pow(alpha + T, r + x);
  const dead = a / (b + x - 1) / Math.pow(alpha + tx, r + x);
  return alive / (alive + dead);
}

describe("bgnbdProbabilityAlive(params, x, t_x, T)", () => {
  it("is 4/13 for r = α = a = b = 1, x = 1, t_x = 1, T = 2 (by hand: 1/(1 + 1·(3/2)²))", () => {
    expect(bgnbdProbabilityAlive({r: 1, alpha: 1, a: 1, b: 1}, 1, 1, 2)).toBeCloseTo(4 / 13, 15);
  });

  it("is 1 with no repeat purchase (lifetimes test_conditional_probability_alive_returns_1_if_no_repeat_purchases)", () => {
    expect(bgnbdProbabilityAlive(published, 0, 0, 38.86)).toBe(1);
  });

  it("equals the alive share of the likelihood (Bayes' rule)", () => {
    for (const [x, tx, T] of [
      [1, 1.71, 38.86],
      [2, 30.43, 38.86],
      [7, 29.43, 38.86],
      [18, 35.14, 35.86],
      [5, 38.86, 38.86]
    ] as const)
      expect(bgnbdProbabilityAlive(published, x, tx, T)).toBeCloseTo(bayesAlive(published, x, tx, T), 13);
  });

  it("goes to 0 without NaN for a heavy buyer long gone (lifetimes test_no_runtime_warnings_high_frequency: x = 1000, t_x = 10, T = 100)", () => {
    const p = bgnbdProbabilityAlive(published, 1000, 10, 100);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-300);
    expect(bgnbdProbabilityAlive(published, 1000, 100, 100)).toBeGreaterThan(0.99);
  });
});

describe("bgnbdExpectedPurchases(params, t)", () => {
  it("matches Fader & Hardie's BG/NBD spreadsheet on CDNOW (lifetimes test_expectation_returns_same_value_Hardie_excel_sheet)", () => {
    // lifetimes tests/test_estimation.py@4f2833f: times and values from Hardie's Excel sheet, compared to 3 decimals,
    // with lifetimes' own CDNOW estimates to 6 digits (docs/Quickstart.md@4f2833f: r 0.242593, α 4.413532,
    // a 0.792886, b 2.425752); the 3-digit published estimates are off by up to 1.5e-3 at t = 31.86.
    const lifetimesFit = {r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752};
    const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) =>
      expect(Math.abs(bgnbdExpectedPurchases(lifetimesFit, t) - expected[i]!)).toBeLessThan(5e-4)
    );
  });

  it("is 0 at t = 0 and continuous through a = 1", () => {
    expect(bgnbdExpectedPurchases(published, 0)).toBe(0);
    const at = (a: number) => bgnbdExpectedPurchases({...published, a}, 39);
    expect(Math.abs(at(1) - at(1.001))).toBeLessThan(1e-3);
    expect(Math.abs(at(1) - at(0.999))).toBeLessThan(1e-3);
  });

  it("equals the conditional expectation of a customer with no history (x = 0, T → 0)", () => {
    for (const t of [1, 10, 52, 200])
      expect(bgnbdConditionalExpectedPurchases(published, t, 0, 0, 1e-9)).toBeCloseTo(
        bgnbdExpectedPurchases(published, t),
        7
      );
  });

  it("grows like E[λ] t = (r/α) t while dropout is negligible (b large, so p ≈ 0)", () => {
    const noDropout = {r: 2, alpha: 10, a: 1e-3, b: 1e6};
    expect(bgnbdExpectedPurchases(noDropout, 5) / ((2 / 10) * 5)).toBeCloseTo(1, 6);
  });
});

describe("bgnbdConditionalExpectedPurchases(params, t, x, t_x, T)", () => {
  it("is ≈ 1.226 for x = 2, t_x = 30.43, T = 38.86 over 39 weeks (FHL 2005 §5; lifetimes test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet)", () => {
    expect(Math.abs(bgnbdConditionalExpectedPurchases(published, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(1e-3);
  });

  it("is P(alive) times the expectation for a customer known alive", () => {
    const aliveOnly =
      bgnbdConditionalExpectedPurchases(published, 39, 2, 38.86, 38.86) /
      bgnbdProbabilityAlive(published, 2, 38.86, 38.86);
    const value = bgnbdConditionalExpectedPurchases(published, 39, 2, 10, 38.86);
    expect(value).toBeCloseTo(aliveOnly * bgnbdProbabilityAlive(published, 2, 10, 38.86), 12);
  });

  it("is 0 at t = 0 and increasing in t", () => {
    expect(bgnbdConditionalExpectedPurchases(published, 0, 3, 20, 38)).toBe(0);
    let previous = 0;
    for (const t of [1, 5, 20, 52, 104, 520]) {
      const v = bgnbdConditionalExpectedPurchases(published, t, 3, 20, 38);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
  });
});
