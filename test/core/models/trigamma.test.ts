import digamma from "@stdlib/math-base-special-digamma";
import {describe, expect, it} from "vitest";
import {trigamma} from "../../../src/core/models/trigamma.js";

describe("trigamma(z)", () => {
  it("is π²/6 at 1, π²/2 at 1/2, π²/6 − 1 at 2 and π² + 8G at 1/4 (A&S 6.4.2, 6.4.4, 6.4.6; G Catalan's constant)", () => {
    const catalan = 0.915965594177219015054603514932;
    expect(trigamma(1)).toBeCloseTo(Math.PI ** 2 / 6, 14);
    expect(trigamma(0.5)).toBeCloseTo(Math.PI ** 2 / 2, 14);
    expect(trigamma(2)).toBeCloseTo(Math.PI ** 2 / 6 - 1, 14);
    expect(trigamma(0.25)).toBeCloseTo(Math.PI ** 2 + 8 * catalan, 13);
  });

  it("agrees with central differences of @stdlib's digamma, on both sides of the series' threshold", () => {
    for (const z of [1e-3, 0.05, 0.7, 3.3, 9.99, 10, 10.01, 47.5, 1e4]) {
      const h = 1e-5 * z;
      const numeric = (digamma(z + h) - digamma(z - h)) / (2 * h);
      expect(Math.abs(trigamma(z) - numeric)).toBeLessThan(1e-8 * numeric);
    }
  });

  it("is NaN outside z > 0", () => {
    expect(trigamma(0)).toBeNaN();
    expect(trigamma(-1.5)).toBeNaN();
    expect(trigamma(NaN)).toBeNaN();
  });
});
