// The intervals of the customer-equity figures from both models' parameter draws: the draws
// follow the covariance they are given, an interval collapses to the point estimate when the
// covariance vanishes, and over many logs simulated from known parameters the 80 % interval
// of a customer's CLV at the fitted parameters covers the CLV at the true ones about 80 % of the time.
import {randomGamma, randomLcg} from "d3";
import {describe, expect, it} from "vitest";
import {fitBgNbd} from "../../../src/core/models/bgnbdFit.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "../../../src/core/models/bgnbdProbabilityAlive.js";
import {customerValuation, memoizedDiscountedPurchases} from "../../../src/core/models/customerLifetimeValue.js";
import {fitGammaGamma} from "../../../src/core/models/gammaGammaFit.js";
import type {GammaGammaParams} from "../../../src/core/models/gammaGammaLikelihood.js";
import {drawParameters} from "../../../src/core/models/parameterDraws.js";
import {coarsenGroups, monthlyRate, weeksPerMonth} from "../../../src/core/models/equity.js";
import {expectedSpendPerPurchase, gammaGammaExpectedSpend} from "../../../src/core/models/gammaGammaExpectedSpend.js";
import {currentValueByYearDraws, customerValueDraws, drawInterval} from "../../../src/core/models/valueIntervals.js";
import {simulateBgNbd} from "./simulateBgNbd.js";

const bgnbd: BgNbdParams = {r: 0.25, alpha: 4, a: 0.8, b: 2.5};
const gammaGamma: GammaGammaParams = {p: 6, q: 4, gamma: 15};
// Three years of months at 1 % a month, all of the spend margin.
const options = {periodLength: 52 / 12, periods: 36, discountRate: 0.01, margin: 1};
const customer = {x: 2, tx: 20, T: 40, spend: 50};
/** A covariance of independent parameters with these variances. */
const diagonal = (...variances: number[]) => variances.map((v, i) => variances.map((_, j) => (i === j ? v : 0)));

/** A customer's CLV at given parameters, computed from the formulas' parts (FHL 2005 eq. 10, 13; Gamma-Gamma's mean). */
function clvAt(purchases: BgNbdParams, spend: GammaGammaParams): number {
  const {x, tx, T} = customer;
  return customerValuation(purchases, options).total({x, tx, T, spend: gammaGammaExpectedSpend(spend, x, 50)});
}

describe("drawInterval(values)", () => {
  it("is the 10 % and 90 % quantiles (R-7) of the values, in any order", () => {
    // n = 5: positions (n − 1)·0.1 = 0.4 and 3.6 in the sorted 1…5.
    expect(drawInterval([5, 1, 4, 2, 3])).toEqual({low: 1.4, high: 4.6});
  });
});

describe("drawParameters(bgnbd, gammaGamma)", () => {
  it("draws with the covariance it is given: sample means and covariances within 4 standard errors", () => {
    // BG/NBD's a and b correlated (ρ = 0.6); Gamma-Gamma's independent, all far from 0.
    const covariance = [
      [0.0004, 0, 0, 0],
      [0, 0.04, 0, 0],
      [0, 0, 0.01, 0.012],
      [0, 0, 0.012, 0.04]
    ];
    const ggCovariance = diagonal(0.25, 0.04, 1);
    const n = 4000;
    const draws = drawParameters({params: bgnbd, covariance}, {params: gammaGamma, covariance: ggCovariance}, n, 7);
    expect(draws).toHaveLength(n);
    const mean = (values: number[]) => values.reduce((t, v) => t + v, 0) / values.length;
    const a = draws.map((d) => d.bgnbd.a);
    const b = draws.map((d) => d.bgnbd.b);
    const q = draws.map((d) => d.gammaGamma!.q);
    // The mean's standard error is σ/√n.
    expect(Math.abs(mean(a) - 0.8)).toBeLessThan((4 * 0.1) / Math.sqrt(n));
    expect(Math.abs(mean(q) - 4)).toBeLessThan((4 * 0.2) / Math.sqrt(n));
    // The sample covariance of a and b: its standard error is about √((σ_a²σ_b² + σ_ab²)/n).
    const cov = mean(a.map((v, i) => (v - mean(a)) * (b[i]! - mean(b))));
    expect(Math.abs(cov - 0.012)).toBeLessThan(4 * Math.sqrt((0.01 * 0.04 + 0.012 ** 2) / n));
  });

  it("keeps Gamma-Gamma's q on the estimate's side of 1, where a new customer's spend follows one rule", () => {
    const draws = (q: number) =>
      drawParameters(
        {params: bgnbd, covariance: diagonal(1e-4, 1e-4, 1e-4, 1e-4)},
        {params: {p: 6, q, gamma: 15}, covariance: diagonal(0.25, 0.04, 1)},
        200
      ).map((d) => d.gammaGamma!.q);
    // q̂ ± 0.2 standard deviation: a fifth to a third of the normal's draws would cross 1.
    expect(draws(0.9).every((q) => q > 0 && q <= 1)).toBe(true);
    expect(draws(1.1).every((q) => q > 1)).toBe(true);
  });

  it("gives no draws where a model's covariance is not known (its uncertainty cannot be measured)", () => {
    const covariance = diagonal(1e-4, 1e-4, 1e-4, 1e-4);
    expect(drawParameters({params: bgnbd, covariance: undefined}, null)).toEqual([]);
    expect(drawParameters({params: bgnbd, covariance}, {params: gammaGamma, covariance: undefined})).toEqual([]);
    expect(drawParameters({params: bgnbd, covariance}, null).every((d) => d.gammaGamma === undefined)).toBe(true);
  });
});

describe("customerValueDraws(draws, options, repeatBuyersMean)", () => {
  it("collapses to the point estimate when the covariance vanishes", () => {
    // A covariance of 1e-30 moves each parameter by about 1e-15: nothing, in double precision.
    const draws = drawParameters(
      {params: bgnbd, covariance: diagonal(1e-30, 1e-30, 1e-30, 1e-30)},
      {params: gammaGamma, covariance: diagonal(1e-30, 1e-30, 1e-30)}
    );
    const values = customerValueDraws(draws, options, 0)(customer);
    const clv = clvAt(bgnbd, gammaGamma);
    // P(alive) × E[Y(52) | alive], FHL 2005 eq. 13 and 10.
    const purchases =
      bgnbdProbabilityAlive(bgnbd, 2, 20, 40) *
      memoizedDiscountedPurchases(bgnbd, {periodLength: 52, periods: 1, discountRate: 0})(2, 40)[0]!;
    const clvInterval = drawInterval(values.clv);
    const purchaseInterval = drawInterval(values.purchasesNextYear);
    expect(clvInterval.low).toBeCloseTo(clv, 10);
    expect(clvInterval.high).toBeCloseTo(clv, 10);
    expect(purchaseInterval.low).toBeCloseTo(purchases, 12);
    expect(purchaseInterval.high).toBeCloseTo(purchases, 12);
  });

  it("carries Gamma-Gamma's uncertainty: with BG/NBD's covariance vanishing, each draw's CLV is the estimate's scaled by its expected spend", () => {
    const tiny = diagonal(1e-30, 1e-30, 1e-30, 1e-30);
    const covariance = diagonal(0.25, 0.04, 1);
    const draws = drawParameters({params: bgnbd, covariance: tiny}, {params: gammaGamma, covariance}, 10);
    const values = customerValueDraws(draws, options, 0)(customer);
    const clv = clvAt(bgnbd, gammaGamma);
    draws.forEach(({gammaGamma: spend}, i) =>
      expect(values.clv[i]).toBeCloseTo(
        (clv * gammaGammaExpectedSpend(spend!, 2, 50)) / gammaGammaExpectedSpend(gammaGamma, 2, 50),
        8
      )
    );
    const {low, high} = drawInterval(values.clv);
    expect(high - low).toBeGreaterThan(0.01 * clv);
  });

  it("values a customer without a mean repeat spend at a new customer's spend of each draw, pγ/(q − 1)", () => {
    const covariance = diagonal(1e-4, 1e-2, 1e-2);
    const bgCovariance = diagonal(1e-4, 1e-4, 1e-4, 1e-4);
    const draws = drawParameters({params: bgnbd, covariance: bgCovariance}, {params: gammaGamma, covariance}, 5);
    const values = customerValueDraws(draws, options, 0)({x: 0, tx: 0, T: 10, spend: null});
    draws.forEach(({bgnbd: purchases, gammaGamma: spend}, i) => {
      const newSpend = (spend!.p * spend!.gamma) / (spend!.q - 1);
      expect(values.clv[i]).toBeCloseTo(
        customerValuation(purchases, options).total({x: 0, tx: 0, T: 10, spend: newSpend}),
        10
      );
    });
  });

  it("covers a customer's CLV at the true parameters in about 80 % of 100 logs simulated from them", () => {
    // Gamma-Gamma's story (Fader & Hardie 2013 note): ν ~ Gamma(shape q, rate γ); each transaction's value ~ Gamma(shape p, rate ν).
    const simulateLog = (seed: number) => {
      const customers = simulateBgNbd(bgnbd, 1000, seed);
      const source = randomLcg(seed + 1);
      const nuOf = randomGamma.source(source)(gammaGamma.q, 1 / gammaGamma.gamma);
      const spends = customers.flatMap(({x}) => {
        if (x === 0) return [];
        const value = randomGamma.source(source)(gammaGamma.p, 1 / nuOf());
        let total = 0;
        for (let k = 0; k < x; ++k) total += value();
        return [{x, m: total / x}];
      });
      return {customers, spends};
    };
    const truth = clvAt(bgnbd, gammaGamma);
    let covered = 0;
    const logs = 100;
    for (let log = 0; log < logs; ++log) {
      const {customers, spends} = simulateLog(1000 + 17 * log);
      const purchases = fitBgNbd(customers, {gradientTolerance: 1e-6});
      const spend = fitGammaGamma(spends, {gradientTolerance: 1e-6});
      const draws = drawParameters(purchases, spend, undefined, 99 + log);
      const {low, high} = drawInterval(customerValueDraws(draws, options, 0)(customer).clv);
      if (low <= truth && truth <= high) ++covered;
    }
    // Binomial(100, 0.8): 80 ± 4 standard deviations (4 each) is about 65–95; 30 draws' quantiles are a little narrow.
    expect(covered).toBeGreaterThanOrEqual(65);
    expect(covered).toBeLessThanOrEqual(92);
  }, 30_000);
});

describe("currentValueByYearDraws(groups, repeatBuyers, inputs, draws, repeatBuyersMean)", () => {
  it("gives at each draw the sum of the customers' CLVs at that draw, from groups that share (x, t_x, T)", () => {
    // Whole weeks (the draws round T to them); two repeat buyers share a group with different spends, one customer has none.
    const customers = [
      {x: 2, tx: 20, T: 40, spend: 50},
      {x: 2, tx: 20, T: 40, spend: 10},
      {x: 2, tx: 20, T: 40, spend: null},
      {x: 0, tx: 0, T: 30, spend: null},
      {x: 5, tx: 29, T: 31, spend: 120}
    ];
    const covariance = diagonal(0.25, 0.04, 1);
    const bgCovariance = diagonal(1e-4, 0.04, 0.01, 0.04);
    const draws = drawParameters({params: bgnbd, covariance: bgCovariance}, {params: gammaGamma, covariance}, 8);
    const newSpend = (gammaGamma.p * gammaGamma.gamma) / (gammaGamma.q - 1);
    const columns = {
      x: customers.map((c) => c.x),
      tx: customers.map((c) => c.tx),
      T: customers.map((c) => c.T)
    };
    const {groups} = coarsenGroups(
      {...columns, spend: customers.map((c) => expectedSpendPerPurchase(gammaGamma, c.x, c.spend, newSpend))},
      100
    );
    const repeatBuyers = coarsenGroups(
      {...columns, spend: customers.map((c) => c.spend ?? 0), customers: customers.map((c) => (c.spend ? 1 : 0))},
      100
    ).groups;
    const inputs = {
      params: bgnbd,
      margin: 0.3,
      annualDiscountRate: 0.1,
      years: 3,
      retentionGain: 0,
      acquisitionsPerMonth: 0,
      acquisitionCost: 0,
      newCustomerSpend: newSpend
    };
    const byDraw = currentValueByYearDraws(groups, repeatBuyers, inputs, draws, 0);
    const perCustomer = customerValueDraws(
      draws,
      {periodLength: weeksPerMonth, periods: 36, discountRate: monthlyRate(0.1), margin: 0.3},
      0
    );
    const clvs = customers.map((c) => perCustomer(c).clv);
    draws.forEach((_, i) => {
      const total = byDraw[i]!.reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(
        clvs.reduce((sum, clv) => sum + clv[i]!, 0),
        8
      );
    });
    // The draws differ: Gamma-Gamma and BG/NBD both move the value.
    expect(new Set(byDraw.map((years) => years[0]!.toFixed(6))).size).toBe(draws.length);
  });
});
