import gammaln from "@stdlib/math-base-special-gammaln";
import {describe, expect, it} from "vitest";
import {centralGradient, hessianFromGradient} from "../../../src/core/models/finiteDifferences.js";
import {
  gammaGammaExpectedSpend,
  expectedSpendPerPurchase,
  newCustomerSpend
} from "../../../src/core/models/gammaGammaExpectedSpend.js";
import {fitGammaGamma} from "../../../src/core/models/gammaGammaFit.js";
import {
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodDerivatives,
  gammaGammaLogLikelihoodGradient,
  gammaGammaTotalLogLikelihood,
  groupSpends
} from "../../../src/core/models/gammaGammaLikelihood.js";

describe("gammaGammaLogLikelihood(params, x, m)", () => {
  it("is ln(1/4) for p = q = γ = 1, x = 1, m = 1 (by hand: Γ(2)/(Γ(1)Γ(1)) · 1 · 1 · 1 / 2²)", () => {
    expect(gammaGammaLogLikelihood({p: 1, q: 1, gamma: 1}, 1, 1)).toBeCloseTo(Math.log(1 / 4), 15);
  });

  it("is ln(7,680,000/14⁷) for p = 2, q = 3, γ = 4, x = 2, m = 5 (by hand)", () => {
    // Γ(7)/(Γ(4)Γ(3)) = 720/12 = 60; γ^q = 64; m^(px−1) = 5³ = 125; x^(px) = 2⁴ = 16; (γ + m x)^(px+q) = 14⁷.
    expect(gammaGammaLogLikelihood({p: 2, q: 3, gamma: 4}, 2, 5)).toBeCloseTo(
      Math.log((60 * 64 * 125 * 16) / 14 ** 7),
      13
    );
  });

  it("integrates to 1 over m (it is a density of the mean spend)", () => {
    // Midpoint rule in u = ln m over [−12, 10] (the density in u is m·f(m)).
    const params = {p: 6.25, q: 3.74, gamma: 15.44};
    let total = 0;
    const n = 20000;
    const h = 22 / n;
    for (let i = 0; i < n; ++i) {
      const u = -12 + (i + 0.5) * h;
      total += Math.exp(u + gammaGammaLogLikelihood(params, 3, Math.exp(u))) * h;
    }
    expect(total).toBeCloseTo(1, 8);
  });
});

describe("gammaGammaLogLikelihoodGradient(params, x, m)", () => {
  it("agrees with central finite differences", () => {
    for (const params of [
      {p: 6.25, q: 3.74, gamma: 15.44},
      {p: 0.7, q: 1.3, gamma: 2},
      {p: 20, q: 8, gamma: 300}
    ])
      for (const [x, m] of [
        [1, 11.77],
        [2, 22.35],
        [7, 73.74],
        [30, 5.5]
      ] as const) {
        const numeric = centralGradient(
          ([p, q, gamma]) => gammaGammaLogLikelihood({p: p!, q: q!, gamma: gamma!}, x, m),
          [params.p, params.q, params.gamma]
        );
        gammaGammaLogLikelihoodGradient(params, x, m).forEach((g, i) =>
          expect(Math.abs(g - numeric[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(g)))
        );
      }
  });
});

describe("gammaGammaLogLikelihoodDerivatives(params, groupSpends(customers))", () => {
  // Weighted customers over several x, one of weight 0.
  const customers = [
    {x: 1, m: 11.77, weight: 3},
    {x: 2, m: 22.35},
    {x: 2, m: 5.5, weight: 2},
    {x: 7, m: 73.74},
    {x: 30, m: 5.5, weight: 0},
    {x: 30, m: 140}
  ];
  /** ln f term by term as the density is written (file header), with @stdlib's gammaln. */
  const density = ({p, q, gamma}: {p: number; q: number; gamma: number}, x: number, m: number) =>
    gammaln(p * x + q) -
    gammaln(p * x) -
    gammaln(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(m) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + m * x);

  const spends = groupSpends(customers);
  const paramSets = [
    {p: 6.25, q: 3.74, gamma: 15.44},
    {p: 0.7, q: 1.3, gamma: 2},
    {p: 20, q: 8, gamma: 300}
  ];

  it("is Σ weight · ln f of the density written out, and its gradient agrees with central differences", () => {
    for (const params of paramSets) {
      const expected = customers.reduce((sum, {x, m, weight = 1}) => sum + weight * density(params, x, m), 0);
      const {value, gradient} = gammaGammaLogLikelihoodDerivatives(params, spends);
      expect(Math.abs(value - expected)).toBeLessThan(1e-11 * Math.abs(expected));
      const numeric = centralGradient(
        ([p, q, gamma]) => gammaGammaLogLikelihoodDerivatives({p: p!, q: q!, gamma: gamma!}, spends).value,
        [params.p, params.q, params.gamma]
      );
      gradient.forEach((g, i) => expect(Math.abs(g - numeric[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(g))));
    }
  });

  it("has a Hessian that agrees with central differences of the analytic gradient, and the same value and gradient", () => {
    for (const params of paramSets) {
      const at = [params.p, params.q, params.gamma];
      const numeric = hessianFromGradient(
        ([p, q, gamma]) => gammaGammaLogLikelihoodDerivatives({p: p!, q: q!, gamma: gamma!}, spends).gradient,
        at
      );
      const withHessian = gammaGammaLogLikelihoodDerivatives(params, spends, true);
      const without = gammaGammaLogLikelihoodDerivatives(params, spends);
      expect(withHessian.value).toBe(without.value);
      expect(withHessian.gradient).toEqual(without.gradient);
      const scale = Math.max(...numeric.flat().map(Math.abs));
      withHessian.hessian!.forEach((row, i) =>
        row.forEach((h, j) => {
          expect(h).toBe(withHessian.hessian![j]![i]);
          expect(Math.abs(h - numeric[i]![j]!)).toBeLessThan(1e-6 * scale);
        })
      );
    }
  });
});

describe("gammaGammaExpectedSpend(params, x, m)", () => {
  it("is (γ + m x) p / (p x + q − 1): 375.875/15.24 for p = 6.25, q = 3.74, γ = 15.44, x = 2, m = 22.35", () => {
    expect(gammaGammaExpectedSpend({p: 6.25, q: 3.74, gamma: 15.44}, 2, 22.35)).toBeCloseTo(
      ((15.44 + 44.7) * 6.25) / 15.24,
      12
    );
  });
  it("is the population mean pγ/(q − 1) for x = 0, and NaN when that does not exist (q ≤ 1)", () => {
    expect(gammaGammaExpectedSpend({p: 6.25, q: 3.74, gamma: 15.44}, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    expect(gammaGammaExpectedSpend({p: 6.25, q: 0.9, gamma: 15.44}, 0, 0)).toBeNaN();
  });
  it("moves from the population mean towards the customer's own mean as x grows", () => {
    const params = {p: 6.25, q: 3.74, gamma: 15.44};
    const population = gammaGammaExpectedSpend(params, 0, 0);
    const spends = [1, 5, 50, 5000].map((x) => gammaGammaExpectedSpend(params, x, 100));
    expect(spends[0]!).toBeGreaterThan(population);
    for (let i = 1; i < spends.length; ++i) expect(spends[i]!).toBeGreaterThan(spends[i - 1]!);
    expect(spends[3]!).toBeCloseTo(100, 0);
  });
});

describe("fitGammaGamma(customers)", () => {
  // Hand-made spends that differ a lot between customers, so q and γ are identified.
  const customers = [
    {x: 1, m: 5},
    {x: 2, m: 80},
    {x: 3, m: 12},
    {x: 1, m: 150},
    {x: 5, m: 30},
    {x: 2, m: 8},
    {x: 4, m: 60},
    {x: 1, m: 20},
    {x: 6, m: 11},
    {x: 3, m: 95}
  ];

  it("maximises the likelihood: the fitted value is above nearby points, and weights equal repetition", () => {
    const fit = fitGammaGamma([...customers, ...customers]);
    const weighted = fitGammaGamma(customers.map((c) => ({...c, weight: 2})));
    expect(fit.convergence.converged).toBe(true);
    expect(weighted.convergence.converged).toBe(true);
    expect(weighted.params.p).toBeCloseTo(fit.params.p, 6);
    expect(weighted.params.gamma).toBeCloseTo(fit.params.gamma, 5);
    expect(weighted.logLikelihood).toBeCloseTo(fit.logLikelihood, 9);
    const best = gammaGammaTotalLogLikelihood(fit.params, customers);
    for (const k of ["p", "q", "gamma"] as const)
      for (const f of [0.99, 1.01])
        expect(gammaGammaTotalLogLikelihood({...fit.params, [k]: fit.params[k] * f}, customers)).toBeLessThan(best);
  });

  it("reports no convergence when spends are too alike to identify q and γ (they run off to ∞)", () => {
    const alike = [
      {x: 1, m: 10},
      {x: 2, m: 25},
      {x: 3, m: 14},
      {x: 1, m: 40},
      {x: 5, m: 18},
      {x: 2, m: 9},
      {x: 4, m: 30},
      {x: 1, m: 12}
    ];
    const fit = fitGammaGamma(alike, {maxIterations: 200});
    expect(fit.convergence.converged).toBe(false);
    expect(fit.params.q).toBeGreaterThan(1e4);
  });

  it("rejects customers without repeat spend", () => {
    expect(() => fitGammaGamma([{x: 0, m: 0}])).toThrow(/x must be positive/);
    expect(() => fitGammaGamma([{x: 2, m: 0}])).toThrow(/m must be positive/);
  });
});

describe("newCustomerSpend(params, repeatBuyersMean) and expectedSpendPerPurchase(params, x, m, newCustomer)", () => {
  const params = {p: 6.25, q: 3.74, gamma: 15.44};
  it("takes Gamma-Gamma's population mean pγ/(q − 1) for a new customer where q > 1, else the repeat buyers' mean", () => {
    expect(newCustomerSpend(params, 30)).toBeCloseTo((6.25 * 15.44) / 2.74, 12); // 35.2189…
    expect(newCustomerSpend({...params, q: 0.9}, 30)).toBe(30); // no population mean: the data's
    expect(newCustomerSpend(undefined, 30)).toBe(30); // no spend model
  });
  it("gives a repeat buyer the conditional mean and anyone else the new customer's spend", () => {
    // (γ + m x) p / (p x + q − 1) = (15.44 + 2 · 22.35) · 6.25 / (12.5 + 2.74) = 24.6636…
    expect(expectedSpendPerPurchase(params, 2, 22.35, 35)).toBeCloseTo(((15.44 + 44.7) * 6.25) / 15.24, 12);
    expect(expectedSpendPerPurchase(params, 0, null, 35)).toBe(35);
    expect(expectedSpendPerPurchase(params, 3, 0, 35)).toBe(35); // no positive spend to go on
    expect(expectedSpendPerPurchase(undefined, 3, 20, 35)).toBe(35);
  });
});
