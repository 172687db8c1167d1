// Garwood's exact Poisson interval against scipy's chi-square quantiles (the definition) and
// the incomplete gamma function against scipy and closed forms.
import {describe, expect, it} from "vitest";
import {poissonInterval, regularizedGammaP} from "../../src/core/metrics/poissonInterval.js";

describe("regularizedGammaP(a, x)", () => {
  it("is 1 − e^(−x) for a = 1, and matches scipy on both sides of x = a + 1", () => {
    expect(regularizedGammaP(1, 1)).toBeCloseTo(1 - Math.exp(-1), 14);
    expect(regularizedGammaP(1, 0)).toBe(0);
    // python3 -c "from scipy.special import gammainc; print(gammainc(3, 2), gammainc(3, 10), gammainc(500, 480))"
    expect(regularizedGammaP(3, 2)).toBeCloseTo(0.32332358381693654, 12);
    expect(regularizedGammaP(3, 10)).toBeCloseTo(0.9972306042844884, 12);
    expect(regularizedGammaP(500, 480)).toBeCloseTo(0.18628197319032458, 10);
  });
});

describe("poissonInterval(k, exposure)", () => {
  // Reference bounds for the count, the published definition χ²(0.025; 2k)/2 and χ²(0.975; 2k + 2)/2:
  // python3 -c "from scipy.stats import chi2; [print(k, chi2.ppf(.025, 2*k)/2, chi2.ppf(.975, 2*k+2)/2) for k in (1, 2, 5, 10, 100)]"
  // (k = 0: upper 3.6888794541139354; R's poisson.test(10)$conf.int gives the same 4.795389 18.390356.)
  const published: [number, number, number][] = [
    [0, 0, 3.6888794541139354],
    [1, 0.025317807984289876, 5.571643390938898],
    [2, 0.24220927854396496, 7.22468766772396],
    [5, 1.6234863901184207, 11.66833207932267],
    [10, 4.7953886961324335, 18.39035604201778],
    [100, 81.36399125092314, 121.62679379242638]
  ];
  it("gives Garwood's exact bounds for the count", () => {
    for (const [k, low, high] of published) {
      const rate = poissonInterval(k, 1);
      expect(rate.low, `k = ${k}`).toBeCloseTo(low, 8);
      expect(rate.high, `k = ${k}`).toBeCloseTo(high, 8);
    }
  });
  it("divides count and bounds by the exposure: 10 referrals by 20 customers → 0.5 [0.240, 0.920]", () => {
    const rate = poissonInterval(10, 20);
    expect(rate).toMatchObject({k: 10, exposure: 20, rate: 0.5});
    expect(rate.low).toBeCloseTo(4.7953886961324335 / 20, 9);
    expect(rate.high).toBeCloseTo(18.39035604201778 / 20, 9);
  });
  it("has NaN rate and bounds over no exposure", () => {
    expect(poissonInterval(0, 0)).toEqual({k: 0, exposure: 0, rate: NaN, low: NaN, high: NaN});
  });
});
