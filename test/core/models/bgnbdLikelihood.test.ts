import {describe, expect, it} from "vitest";
import {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodDerivatives,
  bgnbdLogLikelihoodGradient,
  bgnbdTotalLogLikelihood,
  bgnbdParamNames,
  bgnbdTotalLogLikelihoodGradient,
  type BgNbdParams
} from "../../../src/core/models/bgnbdLikelihood.js";
import {centralGradient, hessianFromGradient} from "../../../src/core/models/finiteDifferences.js";
import {groupRfm} from "../../../src/core/models/rfmGroups.js";
import {cdnowLikeCustomers, expectGradientMatchesDifferences} from "./likelihoodChecks.js";

/**
 * FHL 2005 eq. 6 written a second way, for the test only: no logs and no gamma function.
 * For integer x, Γ(r+x)/Γ(r) = Π_{j<x} (r+j), B(a, b+x)/B(a, b) = Π_{j<x} (b+j)/(a+b+j) and
 * B(a+1, b+x−1)/B(a, b) = a/(a+b+x−1) · Π_{j<x−1} (b+j)/(a+b+j).
 */
function directLikelihood({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  let gammaRatio = 1;
  let beta1 = 1;
  for (let j = 0; j < x; ++j) {
    gammaRatio *= r + j;
    beta1 *= (b + j) / (a + b + j);
  }
  const alive = (beta1 * gammaRatio * Math.pow(alpha, r)) / Math.pow(alpha + T, r + x);
  if (x === 0) return alive;
  let beta2 = a / (a + b + x - 1);
  for (let j = 0; j < x - 1; ++j) beta2 *= (b + j) / (a + b + j);
  return alive + (beta2 * gammaRatio * Math.pow(alpha, r)) / Math.pow(alpha + tx, r + x);
}

const ones = {r: 1, alpha: 1, a: 1, b: 1};
const cdnowLike = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005 CDNOW estimates
const customers = cdnowLikeCustomers;

describe("bgnbdLogLikelihood(params, x, t_x, T)", () => {
  it("is ln(13/72) for r = α = a = b = 1, x = 1, t_x = 1, T = 2 (by hand)", () => {
    // B(1,2)/B(1,1) · Γ(2)/Γ(1) · 1/(1+2)² = 1/2 · 1/9 = 1/18; B(2,1)/B(1,1) · 1/(1+1)² = 1/2 · 1/4 = 1/8; 1/18 + 1/8 = 13/72.
    expect(bgnbdLogLikelihood(ones, 1, 1, 2)).toBeCloseTo(Math.log(13 / 72), 14);
  });

  it("is r ln(α/(α+T)) for x = 0 (by hand: r = 2, α = 1, T = 3 → ln(1/16))", () => {
    expect(bgnbdLogLikelihood({r: 2, alpha: 1, a: 0.5, b: 3}, 0, 0, 3)).toBeCloseTo(Math.log(1 / 16), 14);
  });

  it("agrees with a direct non-log implementation", () => {
    for (const params of [ones, cdnowLike, {r: 3.2, alpha: 0.7, a: 5, b: 0.4}, {r: 0.05, alpha: 40, a: 0.2, b: 12}])
      for (const [x, tx, T] of customers) {
        const expected = Math.log(directLikelihood(params, x, tx, T));
        expect(Math.abs(bgnbdLogLikelihood(params, x, tx, T) - expected)).toBeLessThan(
          1e-11 * Math.max(1, Math.abs(expected))
        );
      }
  });

  it("stays accurate where the direct formula overflows (x = 400, t_x = 9,000, T = 10,000)", () => {
    const direct = directLikelihood(cdnowLike, 400, 9000, 10000);
    expect(direct > 0 && Number.isFinite(direct)).toBe(false); // Π (r+j) and (α+T)^(r+x) overflow: ∞/∞
    // mpmath 1.3.0, 40 digits, eq. 6 term by term:
    //   python3 -c "from mpmath import mp, mpf, loggamma, beta, log, exp; mp.dps=40; r,al,a,b=mpf('0.243'),mpf('4.414'),mpf('0.793'),mpf('2.426'); x,tx,T=400,9000,10000;
    //     g=exp(loggamma(r+x)-loggamma(r))*al**r; print(log(beta(a,b+x)/beta(a,b)*g/(al+T)**(r+x) + beta(a+1,b+x-1)/beta(a,b)*g/(al+tx)**(r+x)))"
    expect(bgnbdLogLikelihood(cdnowLike, 400, 9000, 10000)).toBeCloseTo(-1659.705351009720845, 9);
  });
});

describe("bgnbdLogLikelihoodGradient(params, x, t_x, T)", () => {
  it("agrees with central finite differences of the log-likelihood", () => {
    expectGradientMatchesDifferences(
      bgnbdParamNames,
      bgnbdLogLikelihood,
      bgnbdLogLikelihoodGradient,
      [ones, cdnowLike, {r: 3.2, alpha: 0.7, a: 5, b: 0.4}],
      customers
    );
  });
});

describe("bgnbdTotalLogLikelihood(params, groups) and its gradient", () => {
  const rows = [...customers, [0, 0, 38.86], [2, 30.43, 38.86], [0, 0, 38.86]].map(([x, tx, T]) => ({
    x: x!,
    tx: tx!,
    T: T!
  }));
  const groups = groupRfm(rows);

  it("groups repeated customers and weights them", () => {
    expect(groups.size).toBe(6);
    expect([...groups.weight]).toEqual([3, 1, 2, 1, 1, 1]);
    expect(groups.xLevels).toEqual([0, 1, 2, 7, 15, 29]);
  });

  it("is the sum of the individual log-likelihoods, and its gradient the sum of theirs", () => {
    const sum = rows.reduce((s, c) => s + bgnbdLogLikelihood(cdnowLike, c.x, c.tx, c.T), 0);
    expect(bgnbdTotalLogLikelihood(cdnowLike, groups)).toBeCloseTo(sum, 10);
    const gradient = bgnbdTotalLogLikelihoodGradient(cdnowLike, groups);
    const numeric = centralGradient(
      ([r, alpha, a, b]) => bgnbdTotalLogLikelihood({r: r!, alpha: alpha!, a: a!, b: b!}, groups),
      [0.243, 4.414, 0.793, 2.426]
    );
    gradient.forEach((g, i) => expect(Math.abs(g - numeric[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(g))));
  });

  it("rejects an invalid summary with its position", () => {
    expect(() => groupRfm([{x: 1, tx: 2, T: 1}])).toThrow(/customer 0 .*t_x must lie in \[0, T\]/);
    expect(() =>
      groupRfm([
        {x: 0, tx: 0, T: 3},
        {x: 1.5, tx: 1, T: 3}
      ])
    ).toThrow(/customer 1 .*x must be a non-negative integer/);
    expect(() => groupRfm([{x: 0, tx: 1, T: 3}])).toThrow(/t_x must be 0 when x = 0/);
  });
});

describe("bgnbdLogLikelihoodDerivatives(params, groups, order)", () => {
  const toParams = ([r, alpha, a, b]: readonly number[]) => ({r: r!, alpha: alpha!, a: a!, b: b!});
  // Weighted groups with x = 0, x = 1 (b + x − 1 = b), moderate and large x, and a weight of 0.
  const rows = [
    ...customers.map(([x, tx, T], i) => ({x, tx, T, weight: i + 1})),
    {x: 1, tx: 20, T: 21, weight: 0},
    {x: 400, tx: 9000, T: 10000, weight: 2}
  ];
  const groups = groupRfm(rows);

  it("has a Hessian that agrees with central differences of the analytic gradient", () => {
    for (const params of [ones, cdnowLike, {r: 3.2, alpha: 0.7, a: 5, b: 0.4}, {r: 0.05, alpha: 40, a: 0.2, b: 12}]) {
      const at = [params.r, params.alpha, params.a, params.b];
      const numeric = hessianFromGradient((p) => bgnbdLogLikelihoodDerivatives(toParams(p), groups, 1).gradient, at);
      const {hessian} = bgnbdLogLikelihoodDerivatives(params, groups, 2);
      const scale = Math.max(...numeric.flat().map(Math.abs));
      hessian.forEach((row, i) =>
        row.forEach((h, j) => {
          expect(h).toBe(hessian[j]![i]); // symmetric
          expect(Math.abs(h - numeric[i]![j]!)).toBeLessThan(1e-6 * scale);
        })
      );
    }
  });

  it("gives every order the same value, and orders 1 and 2 the same gradient", () => {
    const [zero, one, two] = ([0, 1, 2] as const).map((order) =>
      bgnbdLogLikelihoodDerivatives(cdnowLike, groups, order)
    );
    expect(one!.value).toBe(zero!.value);
    expect(two!.value).toBe(zero!.value);
    expect(two!.gradient).toEqual(one!.gradient);
    expect(zero!.gradient).toEqual([]);
  });

  it("sums thousands of customers of weight 1 (the product of ln(1 + e) factors renormalised) as the direct formula does", () => {
    // 3,000 distinct repeat buyers with t_x near T and a = b + x − 1, so A₃ ≈ A₄: each factor is near 2 and
    // the product passes 2^900 three times.
    const many = Array.from({length: 3000}, (_, i) => ({x: 1, tx: 38 + i / 3000, T: 39}));
    const params = {r: 0.5, alpha: 2, a: 1, b: 1};
    const expected = many.reduce((sum, {x, tx, T}) => sum + Math.log(directLikelihood(params, x, tx, T)), 0);
    const actual = bgnbdTotalLogLikelihood(params, groupRfm(many));
    expect(Math.abs(actual - expected)).toBeLessThan(1e-11 * Math.abs(expected));
  });
});
