// Fits that cannot tell say so: converged is false at a boundary, without positive-definite
// information, or without repeat buyers, and health lists the problems in plain sentences.
import {randomExponential, randomLcg, randomUniform} from "d3";
import {describe, expect, it} from "vitest";
import {fitBgNbd} from "../../../src/core/models/bgnbdFit.js";
import {fitGammaGamma} from "../../../src/core/models/gammaGammaFit.js";
import {fitParetoNbd} from "../../../src/core/models/paretoNbdFit.js";
import {fitHealth, fitPositiveMle} from "../../../src/core/models/positiveMle.js";
import type {CustomerRfm} from "../../../src/core/models/rfmGroups.js";

/** Customers acquired uniformly over 12 weeks, observed to week 39, all buying at rate λ a week, none dropping out. */
function steadyBuyers(lambda: number, n: number, seed: number): CustomerRfm[] {
  const source = randomLcg(seed);
  const uniform = randomUniform.source(source)(27, 39);
  const gap = randomExponential.source(source)(lambda);
  return Array.from({length: n}, () => {
    const T = uniform();
    let t = 0;
    let x = 0;
    for (let next = gap(); next <= T; next += gap()) ((t = next), ++x);
    return {x, tx: t, T};
  });
}

describe("fitPositiveMle and fitHealth", () => {
  it("a likelihood rising towards p → ∞ (ln L = −n ln(1 + 1/p)): not converged, the parameter runs to ∞", () => {
    const fit = fitPositiveMle(
      {logLikelihood: ([p]) => -10 * Math.log1p(1 / p!), gradient: ([p]) => [10 / (p! * (p! + 1))], scale: 10},
      [1]
    );
    expect(fit.convergence.converged).toBe(false);
    expect(fit.runaway).toEqual([{index: 0, towards: "∞"}]);
    const health = fitHealth(fit, ["p"], [{indices: [0], key: "p", notIdentified: "p is not identified"}]);
    expect(health.ok).toBe(false);
    expect(health.problems[0]).toBe("p is not identified: the fit runs to p → ∞");
    expect(health.unidentified).toEqual(["p"]);
  });

  it("an interior maximum (exponential rate, ln L = 10 ln λ − 20 λ): converged and healthy", () => {
    const fit = fitPositiveMle(
      {logLikelihood: ([l]) => 10 * Math.log(l!) - 20 * l!, gradient: ([l]) => [10 / l! - 20], scale: 10},
      [1]
    );
    expect(fit.convergence.converged).toBe(true);
    expect(fit.runaway).toEqual([]);
    expect(fitHealth(fit, ["λ"], [{indices: [0], key: "λ", notIdentified: "λ is not identified"}])).toEqual({
      ok: true,
      problems: [],
      unidentified: []
    });
  });
});

describe("fitBgNbd health", () => {
  it("every customer bought once: not converged, a and b left at their start, and the health says why", () => {
    const source = randomLcg(1);
    const uniform = randomUniform.source(source)(27, 39);
    const once = Array.from({length: 500}, () => ({x: 0, tx: 0, T: uniform()}));
    const fit = fitBgNbd(once);
    expect(fit.convergence.converged).toBe(false);
    expect(fit.params.a).toBe(1);
    expect(fit.params.b).toBe(1);
    expect(fit.health.ok).toBe(false);
    expect(fit.health.problems).toContain(
      "no customer bought more than once: dropout (a, b) is not identified and is left at its start, and neither is the spread of purchase rates"
    );
    expect(fit.health.unidentified).toEqual(["dropout", "purchase rate spread"]);
  });

  for (const [lambda, seed] of [
    [0.5, 42],
    [2, 7]
  ] as const)
    it(`homogeneous steady buyers (all at λ = ${lambda} a week, no dropout; 1,000, seeded): not converged, dropout not identified`, () => {
      const fit = fitBgNbd(steadyBuyers(lambda, 1000, seed));
      console.log(
        `steady λ = ${lambda}:`,
        JSON.stringify({params: fit.params, convergence: fit.convergence, health: fit.health})
      );
      expect(fit.convergence.converged).toBe(false);
      expect(fit.health.ok).toBe(false);
      expect(fit.health.problems.some((p) => /^dropout is not identified: the fit runs to (a → 0|b → ∞)/.test(p))).toBe(
        true
      );
      expect(fit.health.unidentified).toContain("dropout");
      // Whatever the fit reaches, the purchase rate it implies is the one simulated.
      expect(fit.params.r / fit.params.alpha).toBeCloseTo(lambda, 1);
    });

  it("steady buyers at λ = 2: the spread of rates is not identified either (r, α → ∞)", () => {
    const fit = fitBgNbd(steadyBuyers(2, 1000, 7));
    expect(fit.health.problems).toContain(
      "the spread of purchase rates across customers is not identified: the fit runs to r → ∞, α → ∞"
    );
  });

  it("fewer than 40 repeat buyers (10 per parameter, Peduzzi et al. 1996): the health says too few", () => {
    const few = [...steadyBuyers(0.05, 30, 3), ...Array.from({length: 200}, () => ({x: 0, tx: 0, T: 30}))];
    const repeat = few.filter((c) => c.x > 0).length;
    expect(repeat).toBeGreaterThan(0);
    expect(repeat).toBeLessThan(40);
    const fit = fitBgNbd(few);
    expect(fit.health.ok).toBe(false);
    expect(fit.health.problems).toContain(
      `too few repeat buyers to estimate dropout: ${repeat}, fewer than 10 per parameter (40)`
    );
  });
});

describe("fitParetoNbd health", () => {
  it("every customer bought once: not converged, and the health says slow buyers cannot be told from those who left", () => {
    const uniform = randomUniform.source(randomLcg(1))(27, 39);
    const fit = fitParetoNbd(Array.from({length: 500}, () => ({x: 0, tx: 0, T: uniform()})));
    console.log("Pareto/NBD, no repeat buyers:", JSON.stringify({params: fit.params, convergence: fit.convergence}));
    expect(fit.convergence.converged).toBe(false);
    expect(fit.health.ok).toBe(false);
    expect(fit.health.problems).toContain(
      "no customer bought more than once: slow buyers cannot be told from customers who left, so neither dropout (s, β) nor the spread of purchase rates is identified"
    );
    expect(fit.health.unidentified).toEqual(expect.arrayContaining(["dropout", "purchase rate spread"]));
  });

  it("homogeneous steady buyers (all at λ = 2 a week, no dropout; 1,000, seeded): not converged, dropout not identified", () => {
    const fit = fitParetoNbd(steadyBuyers(2, 1000, 7));
    console.log(
      "Pareto/NBD, steady λ = 2:",
      JSON.stringify({params: fit.params, convergence: fit.convergence, health: fit.health})
    );
    expect(fit.convergence.converged).toBe(false);
    expect(fit.health.ok).toBe(false);
    expect(fit.health.unidentified).toContain("dropout");
    // Whatever the fit reaches, the purchase rate it implies is the one simulated.
    expect(fit.params.r / fit.params.alpha).toBeCloseTo(2, 1);
  });

  it("fewer than 40 repeat buyers (10 per parameter, Peduzzi et al. 1996): the health says too few", () => {
    const few = [...steadyBuyers(0.05, 30, 3), ...Array.from({length: 200}, () => ({x: 0, tx: 0, T: 30}))];
    const repeat = few.filter((c) => c.x > 0).length;
    const fit = fitParetoNbd(few);
    expect(fit.health.problems).toContain(
      `too few repeat buyers to estimate dropout: ${repeat}, fewer than 10 per parameter (40)`
    );
  });
});

describe("fitGammaGamma health", () => {
  it("spends too alike across customers: not converged, q, γ → ∞", () => {
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
    const fit = fitGammaGamma(alike);
    expect(fit.convergence.converged).toBe(false);
    expect(fit.health.problems).toContain(
      "the spread of mean spend across customers is not identified: the fit runs to q → ∞, γ → ∞"
    );
  });

  it("ten hand-made customers with varied spends: converged, but too few and poorly determined", () => {
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
    const fit = fitGammaGamma(customers);
    expect(fit.convergence.converged).toBe(true);
    expect(fit.health.ok).toBe(false);
    expect(fit.health.problems[0]).toBe(
      "too few repeat buyers to estimate spend: 10, fewer than 10 per parameter (30)"
    );
    expect(fit.health.problems.some((p) => /^γ is poorly determined: its standard error/.test(p))).toBe(true);
    // A poorly determined γ means the spread of mean spend is not told either.
    expect(fit.health.unidentified).toContain("spend spread");
  });
});
