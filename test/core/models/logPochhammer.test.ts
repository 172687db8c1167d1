import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import {describe, expect, it} from "vitest";
import {logPochhammer} from "../../../src/core/models/logPochhammer.js";

describe("logPochhammer(z, levels)", () => {
  it("is ln(0.5 · 1.5 · 2.5), 1/0.5 + 1/1.5 + 1/2.5 and −(1/0.5² + 1/1.5² + 1/2.5²) at x = 3 (by hand), and 0 at x = 0", () => {
    const {value, first, second} = logPochhammer(0.5, [0, 1, 3]);
    expect([...value]).toEqual([0, Math.log(0.5), expect.closeTo(Math.log(1.875), 15)]);
    expect([...first]).toEqual([0, 2, expect.closeTo(2 + 2 / 3 + 0.4, 14)]);
    expect([...second]).toEqual([0, -4, expect.closeTo(-4 - 4 / 9 - 4 / 25, 14)]);
  });

  it("is ψ′(3/2) − ψ′(1/2) = (π²/2 − 4) − π²/2 = −4 and ψ′(2) − ψ′(1) = (π²/6 − 1) − π²/6 = −1 (A&S 6.4.4–6.4.6)", () => {
    expect(logPochhammer(0.5, [1]).second[0]).toBeCloseTo(-4, 14);
    expect(logPochhammer(1, [1]).second[0]).toBeCloseTo(-1, 14);
  });

  const levels = [0, 1, 2, 5, 37, 80, 400];
  for (const z of [0.05, 0.243, 1, 2.426, 7.5, 150])
    it(`agrees with ln Γ(z+x) − ln Γ(z), ψ(z+x) − ψ(z) and differenced digammas (z = ${z}, x up to 400)`, () => {
      const {value, first, second} = logPochhammer(z, levels);
      // d/dz [ψ(z+x) − ψ(z)] by central differences of @stdlib's digamma, h = 1e-5 · z.
      const h = 1e-5 * z;
      const psiDifference = (u: number, x: number) => digamma(u + x) - digamma(u);
      levels.forEach((x, k) => {
        const lnGamma = gammaln(z + x) - gammaln(z);
        expect(Math.abs(value[k]! - lnGamma)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lnGamma)));
        const psi = psiDifference(z, x);
        expect(Math.abs(first[k]! - psi)).toBeLessThan(1e-12 * Math.max(1, Math.abs(psi)));
        const numeric = (psiDifference(z + h, x) - psiDifference(z - h, x)) / (2 * h);
        expect(Math.abs(second[k]! - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      });
    });
});
