import {describe, expect, it} from "vitest";
import {paretoNbdConditionalExpectedPurchases} from "../../../src/core/models/paretoNbdConditionalExpectedPurchases.js";
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesIfAlive
} from "../../../src/core/models/paretoNbdExpectedPurchases.js";
import {paretoNbdProbabilityAlive} from "../../../src/core/models/paretoNbdProbabilityAlive.js";

const ones = {r: 1, alpha: 1, s: 1, beta: 1};
const cdnow = {r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669}; // Fader & Hardie's CDNOW estimates

describe("paretoNbdProbabilityAlive(params, x, t_x, T)", () => {
  it("is (1/27) / (1/27 + 19/648) = 24/43 for r = α = s = β = 1, x = 1, t_x = 1, T = 2 (by hand)", () => {
    expect(paretoNbdProbabilityAlive(ones, 1, 1, 2)).toBeCloseTo(24 / 43, 14);
  });

  it("is 1 when the last purchase is at T (no time to have left since)", () => {
    expect(paretoNbdProbabilityAlive(cdnow, 5, 38.86, 38.86)).toBe(1);
  });

  it("falls as the last purchase recedes, and stays a probability for a frequent buyer long silent (x = 400)", () => {
    const recent = paretoNbdProbabilityAlive(cdnow, 10, 35, 38.86);
    const old = paretoNbdProbabilityAlive(cdnow, 10, 5, 38.86);
    expect(old).toBeLessThan(recent);
    const silent = paretoNbdProbabilityAlive(cdnow, 400, 20, 10000);
    expect(silent >= 0 && silent < 1e-100).toBe(true);
  });
});

describe("paretoNbdExpectedPurchases(params, t) and paretoNbdExpectedPurchasesIfAlive", () => {
  it("is r β/(α (s−1)) (1 − (β/(β+t))^(s−1)) (by hand: r = 1, α = 2, s = 2, β = 1, t = 3 → 1/2 · 3/4 = 0.375)", () => {
    expect(paretoNbdExpectedPurchases({r: 1, alpha: 2, s: 2, beta: 1}, 3)).toBeCloseTo(0.375, 14);
  });

  it("at s = 1 is its limit r β/α · ln(1 + t/β), and continuous there (s = 1 ± 1e-9)", () => {
    // r = 1, α = 1, β = 1, t = e − 1: ln(e) = 1.
    expect(paretoNbdExpectedPurchases(ones, Math.E - 1)).toBeCloseTo(1, 14);
    for (const s of [1 - 1e-9, 1 + 1e-9])
      expect(paretoNbdExpectedPurchases({...ones, s}, Math.E - 1)).toBeCloseTo(1, 8);
  });

  it("if alive, scales with (r+x)/(α+T) and looks ahead from T (by hand: r = 1, α = 1, s = 2, β = 1, x = 1, T = 1, t = 2 → 1)", () => {
    // (1+1)(1+1)/((1+1)(2−1)) · (1 − 2/4) = 1.
    expect(paretoNbdExpectedPurchasesIfAlive({r: 1, alpha: 1, s: 2, beta: 1}, 2, 1, 1)).toBeCloseTo(1, 14);
    expect(paretoNbdExpectedPurchases(cdnow, 0)).toBe(0);
  });

  it("conditional on a history, it is P(alive) times the expectation if alive", () => {
    const ifAlive = paretoNbdExpectedPurchasesIfAlive(cdnow, 39, 2, 38.86);
    expect(paretoNbdConditionalExpectedPurchases(cdnow, 39, 2, 30.43, 38.86)).toBeCloseTo(
      ifAlive * paretoNbdProbabilityAlive(cdnow, 2, 30.43, 38.86),
      14
    );
    expect(paretoNbdConditionalExpectedPurchases(cdnow, 39, 2, 38.86, 38.86)).toBeCloseTo(ifAlive, 14);
  });
});
