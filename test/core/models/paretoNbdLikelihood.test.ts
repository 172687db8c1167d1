import {describe, expect, it} from "vitest";
import {hyp2f1} from "../../../src/core/models/hyp2f1.js";
import {
  paretoNbdLogLikelihood,
  paretoNbdLogLikelihoodGradient,
  paretoNbdParamNames,
  paretoNbdTotalLogLikelihood,
  paretoNbdTotalLogLikelihoodGradient,
  type ParetoNbdParams
} from "../../../src/core/models/paretoNbdLikelihood.js";
import {groupRfm} from "../../../src/core/models/rfmGroups.js";
import {cdnowLikeCustomers, expectGradientMatchesDifferences} from "./likelihoodChecks.js";

/**
 * FHL 2005 note, eqs. 18–20, written out for the test only: no logs, FHL's own A₀ through
 * 2F1 (the |α−β| ordering as FHL give it), Γ(r+x)/Γ(r) as a product over integer x.
 */
function directLikelihood({r, alpha, s, beta}: ParetoNbdParams, x: number, tx: number, T: number): number {
  let gammaRatio = 1;
  for (let j = 0; j < x; ++j) gammaRatio *= r + j;
  const [low, high, second] = alpha >= beta ? [beta, alpha, s + 1] : [alpha, beta, r + x];
  const n = r + s + x;
  const f = (t: number) => hyp2f1(n, second, n + 1, (high - low) / (high + t)) / Math.pow(high + t, n);
  const a0 = f(tx) - f(T);
  return (
    gammaRatio *
    Math.pow(alpha, r) *
    Math.pow(beta, s) *
    (1 / (Math.pow(alpha + T, r + x) * Math.pow(beta + T, s)) + (s / n) * a0)
  );
}

const ones = {r: 1, alpha: 1, s: 1, beta: 1};
const cdnow = {r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669}; // Fader & Hardie's CDNOW estimates
const alphaAbove = {r: 2, alpha: 30, s: 0.3, beta: 0.5};
const alphaBelow = {r: 0.3, alpha: 0.5, s: 2, beta: 40};
const alphaEqual = {r: 1.3, alpha: 7, s: 0.8, beta: 7};
const alphaNear = {r: 1.3, alpha: 7, s: 0.8, beta: 7 + 1e-10};
const customers: [number, number, number][] = [
  ...cdnowLikeCustomers,
  [29, 38, 38], // t_x = T: no room to drop out after the last purchase
  [400, 9000, 10000]
];

describe("paretoNbdLogLikelihood(params, x, t_x, T)", () => {
  it("is ln(43/648) for r = α = s = β = 1, x = 1, t_x = 1, T = 2 (by hand)", () => {
    // Γ(2)/Γ(1) · 1 · 1 · [1/(3² · 3) + 1 · ∫₁² (1+τ)⁻⁴ dτ] = 1/27 + (1/8 − 1/27)/3 = 24/648 + 19/648.
    expect(paretoNbdLogLikelihood(ones, 1, 1, 2)).toBeCloseTo(Math.log(43 / 648), 14);
  });

  it("at t_x = T is the alive term alone: ln(Γ(r+x)/Γ(r) α^r β^s (α+T)^−(r+x) (β+T)^−s) (by hand: x = 2, T = 3)", () => {
    // r = 2, α = 1, s = 1, β = 2: Γ(4)/Γ(2) = 6, · 2 / (4⁴ · 5) = 12/1280.
    expect(paretoNbdLogLikelihood({r: 2, alpha: 1, s: 1, beta: 2}, 2, 3, 3)).toBeCloseTo(Math.log(12 / 1280), 14);
  });

  it("at α = β is the limiting form, I = ((α+t_x)^−n − (α+T)^−n)/n with n = r+s+x (by hand: r = s = 1, α = β = 1, x = 1, t_x = 1, T = 3)", () => {
    // 1/(4² · 4) + 1 · (2⁻³ − 4⁻³)/3 = 1/64 + 7/192 = 10/192.
    expect(paretoNbdLogLikelihood(ones, 1, 1, 3)).toBeCloseTo(Math.log(10 / 192), 14);
  });

  it("agrees with FHL's A₀ through hyp2f1 on both sides of α = β", () => {
    for (const params of [ones, cdnow, alphaAbove, alphaBelow, {r: 3.2, alpha: 0.7, s: 5, beta: 0.4}])
      for (const [x, tx, T] of customers.slice(0, -1)) {
        const expected = Math.log(directLikelihood(params, x, tx, T));
        expect(Math.abs(paretoNbdLogLikelihood(params, x, tx, T) - expected)).toBeLessThan(
          1e-10 * Math.max(1, Math.abs(expected))
        );
      }
  });

  it("matches mpmath where the powers overflow (x = 400) and where the parameters make the series slowest", () => {
    // mpmath 1.3.0, 40 digits, eqs. 18–20 with mpmath's hyp2f1:
    //   python3 -c "from mpmath import mp, mpf, loggamma, log, hyp2f1; mp.dps = 40
    //     r, al, s, be = mpf('0.5533'), mpf('10.578'), mpf('0.6063'), mpf('11.669'); x, tx, T = 400, 9000, 10000
    //     n = r + s + x; f = lambda t: hyp2f1(n, r + x, n + 1, (be - al) / (be + t)) / (be + t)**n
    //     print(loggamma(r+x) - loggamma(r) + r*log(al) + s*log(be) + log((al+T)**-(r+x) * (be+T)**-s + s/n * (f(tx) - f(T))))"
    expect(paretoNbdLogLikelihood(cdnow, 400, 9000, 10000)).toBeCloseTo(-1659.371802306265741, 9);
    expect(paretoNbdLogLikelihood(cdnow, 400, 20, 10000)).toBeCloseTo(621.51503695318426, 9); // same, t_x = 20
    // z = (α−β)/(α+t_x) = 0.983 at t_x = 0 (r = 2, α = 30, s = 0.3, β = 0.5, x = 0, T = 38.86), mpmath's quadrature of I:
    //   python3 -c "from mpmath import mp, mpf, loggamma, log, quad; mp.dps = 40; r, al, s, be, T = 2, 30, mpf('0.3'), mpf('0.5'), mpf('38.86')
    //     print(r*log(al) + s*log(be) + log((al+T)**-r * (be+T)**-s + s*quad(lambda u: (al+u)**-r * (be+u)**-(s+1), [0, T])))"
    expect(paretoNbdLogLikelihood(alphaAbove, 0, 0, 38.86)).toBeCloseTo(-0.4617237093505962, 13);
  });

  it("is continuous across α = β (α − β = 1e-10 against α = β)", () => {
    for (const [x, tx, T] of customers)
      expect(paretoNbdLogLikelihood(alphaNear, x, tx, T)).toBeCloseTo(paretoNbdLogLikelihood(alphaEqual, x, tx, T), 8);
  });
});

describe("paretoNbdLogLikelihoodGradient(params, x, t_x, T)", () => {
  it("agrees with central finite differences, including at α = β exactly and α − β = 1e-10, x = 400 and t_x = T", () => {
    expectGradientMatchesDifferences(
      paretoNbdParamNames,
      paretoNbdLogLikelihood,
      paretoNbdLogLikelihoodGradient,
      [ones, cdnow, alphaAbove, alphaBelow, alphaEqual, alphaNear],
      customers
    );
  });

  it("at t_x = T has the alive term's gradient (by hand: ∂/∂s = ln β − ln(β+T), ∂/∂β = s/β − s/(β+T))", () => {
    const [, , dS, dBeta] = paretoNbdLogLikelihoodGradient({r: 2, alpha: 1, s: 1, beta: 2}, 2, 3, 3);
    expect(dS).toBeCloseTo(Math.log(2 / 5), 13);
    expect(dBeta).toBeCloseTo(1 / 2 - 1 / 5, 13);
  });
});

describe("paretoNbdTotalLogLikelihood(params, groups) and its gradient", () => {
  it("are the weighted sums of the per-customer values over distinct triples", () => {
    const people = [
      ...customers.map(([x, tx, T]) => ({x, tx, T})),
      {x: 0, tx: 0, T: 38.86},
      {x: 2, tx: 30.43, T: 38.86},
      {x: 2, tx: 30.43, T: 38.86},
      {x: 7, tx: 38.86, T: 38.86}
    ];
    const groups = groupRfm(people);
    expect(groups.size).toBe(customers.length + 1);
    for (const params of [cdnow, alphaBelow, alphaEqual]) {
      const sum = people.reduce((s, c) => s + paretoNbdLogLikelihood(params, c.x, c.tx, c.T), 0);
      expect(paretoNbdTotalLogLikelihood(params, groups)).toBeCloseTo(sum, 9);
      const gradient = paretoNbdTotalLogLikelihoodGradient(params, groups);
      const expected = people
        .map((c) => paretoNbdLogLikelihoodGradient(params, c.x, c.tx, c.T))
        .reduce((s, g) => s.map((v, i) => v + g[i]!));
      gradient.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 9));
    }
  });
});
