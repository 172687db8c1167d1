import {describe, expect, it} from "vitest";
import {hyp2f1} from "../../../src/core/models/hyp2f1.js";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("hyp2f1(a, b, c, z)", () => {
  it("matches closed forms of Abramowitz & Stegun 15.1", () => {
    for (const z of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expect(relative(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-13); // A&S 15.1.3
      expect(relative(hyp2f1(2.5, 1.3, 1.3, z), (1 - z) ** -2.5)).toBeLessThan(1e-13); // A&S 15.1.8, 2F1(a, b; b; z) = (1 − z)^(−a)
    }
    for (const s of [0.1, 0.5, 0.9]) {
      expect(relative(hyp2f1(0.5, 0.5, 1.5, s * s), Math.asin(s) / s)).toBeLessThan(1e-13); // A&S 15.1.6
      expect(relative(hyp2f1(0.5, 1, 1.5, -s * s), Math.atan(s) / s)).toBeLessThan(1e-13); // A&S 15.1.5
    }
  });

  it("matches Gauss's theorem at z = 1 (A&S 15.1.20): 2F1(1, 2; 4.5; 1) = Γ(4.5)Γ(1.5)/(Γ(3.5)Γ(2.5)) = 3.5/1.5", () => {
    expect(relative(hyp2f1(1, 2, 4.5, 1), 3.5 / 1.5)).toBeLessThan(1e-12);
  });

  it("matches mpmath at the arguments BG/NBD uses", () => {
    // Reference values from mpmath 1.3.0 at 30 digits:
    //   python3 -c "from mpmath import mp, hyp2f1; mp.dps = 30; print(hyp2f1(2.243, 4.426, 4.219, 39/(4.414+38.86+39)))"
    // and likewise for each row (the z expressions are the same IEEE doubles in Python and JS).
    // Rows 1–3: (r+x, b+x, a+b+x−1, t/(α+T+t)) for the CDNOW estimates with x = 2, 0 and 30.
    const cases: [number, number, number, number, number][] = [
      [2.243, 4.426, 4.219, 39 / (4.414 + 38.86 + 39), 4.5753158976436893116],
      [0.243, 2.426, 2.219, 78 / (4.414 + 78), 2.3900055962688612307],
      [30.243, 32.426, 32.219, 39 / (4.414 + 38 + 39), 417287366.42245003302],
      [0.5, 2.4, 2.2, 0.99, 17.027135328478954362],
      [1.5, 2.5, 3.5, 0.999, 146.93712897700675067],
      [3, 4, 7.5, 0.25, 1.558824661102527196],
      [0.243, 2.426, 2.219, 0.001, 1.0002658441875690668],
      [100.2, 102.4, 102.2, 0.3, 3561596819081524.6069]
    ];
    for (const [a, b, c, z, expected] of cases) expect(relative(hyp2f1(a, b, c, z), expected)).toBeLessThan(1e-13);
  });

  it("is 1 at z = 0, +∞ at z = 1 when c − a − b ≤ 0, and NaN for NaN", () => {
    expect(hyp2f1(0.3, 2.1, 1.7, 0)).toBe(1);
    expect(hyp2f1(3, 4, 7, 1)).toBe(Infinity);
    expect(hyp2f1(NaN, 1, 2, 0.5)).toBeNaN();
  });
});
