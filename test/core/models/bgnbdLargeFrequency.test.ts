// BG/NBD conditional expectations (FHL 2005 eq. 10) for heavy buyers: finite for any x, and
// equal to an independent evaluation of the untransformed closed form in arbitrary precision.
//
// Reference values: the code evaluates eq. 10 through Euler's transformation of 2F1
// (bgnbdConditionalExpectedPurchases.ts). The reference below evaluates eq. 10 as printed,
//   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))],
// by summing the hypergeometric series term by term in a decimal floating point made of a
// BigInt mantissa of 60 significant digits and an unbounded exponent (class Big below), from
// the exact values of the double inputs; the ratios (α+T)/(α+T+t) and t/(α+T+t) are formed in
// Big, the integer power ((α+T)/(α+T+t))^x by repeated squaring in Big, and only the factor
// ((α+T)/(α+T+t))^r (between 0.5 and 1 here) in double precision (relative error ~1e-16). Terms
// reach 10^1400 at x = 5,000, far beyond doubles, and cancel in the bracket; with 60 digits the
// cancellation costs nothing. Python/mpmath, which would do the same, is not installable here.
import {describe, expect, it} from "vitest";
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive
} from "../../../src/core/models/bgnbdConditionalExpectedPurchases.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {bgnbdProbabilityAlive} from "../../../src/core/models/bgnbdProbabilityAlive.js";
import {hyp2f1} from "../../../src/core/models/hyp2f1.js";

const DIGITS = 60;
const LIMIT = 10n ** BigInt(DIGITS);

/** m · 10^e, |m| < 10^60. */
class Big {
  constructor(
    readonly m: bigint,
    readonly e: number
  ) {}
  static of(value: number): Big {
    // value · 2^k is an integer for some k ≤ 1074, and 2^−k = 5^k · 10^−k: exact.
    let v = value;
    let k = 0;
    while (!Number.isInteger(v)) ((v *= 2), ++k);
    return Big.normal(BigInt(v) * 5n ** BigInt(k), -k);
  }
  static normal(m: bigint, e: number): Big {
    const abs = m < 0n ? -m : m;
    if (abs < LIMIT) return new Big(m, e);
    const drop = abs.toString().length - DIGITS;
    return new Big(m / 10n ** BigInt(drop), e + drop);
  }
  times(o: Big): Big {
    return Big.normal(this.m * o.m, this.e + o.e);
  }
  over(o: Big): Big {
    // |o.m| < 10^60, so the quotient keeps at least 65 digits whatever the size of this.m.
    return Big.normal((this.m * 10n ** BigInt(2 * DIGITS + 5)) / o.m, this.e - o.e - 2 * DIGITS - 5);
  }
  plus(o: Big): Big {
    if (this.m === 0n) return o;
    if (o.m === 0n) return this;
    const [hi, lo] = this.e >= o.e ? [this, o] : [o, this];
    if (hi.e - lo.e > 3 * DIGITS) return hi.magnitude() > lo.magnitude() ? hi : lo;
    return Big.normal(hi.m * 10n ** BigInt(hi.e - lo.e) + lo.m, lo.e);
  }
  minus(o: Big): Big {
    return this.plus(new Big(-o.m, o.e));
  }
  pow(n: number): Big {
    let result = Big.of(1);
    let base: Big = this;
    for (let k = n; k > 0; k = Math.floor(k / 2)) {
      if (k % 2) result = result.times(base);
      base = base.times(base);
    }
    return result;
  }
  /** ≈ log10 |value|, enough to compare magnitudes. */
  magnitude(): number {
    return this.m === 0n ? -Infinity : (this.m < 0n ? -this.m : this.m).toString().length + this.e;
  }
  toNumber(): number {
    return Number(`${this.m}e${this.e}`);
  }
}

/** E[Y(t) | alive, x, T] by eq. 10 as printed, in Big (see the header). */
function referenceIfAlive({r, alpha, a, b}: BgNbdParams, t: number, x: number, T: number): number {
  const [R, Alpha, A, B, Tt, X, TT] = [r, alpha, a, b, t, x, T].map(Big.of) as Big[] as [
    Big,
    Big,
    Big,
    Big,
    Big,
    Big,
    Big
  ];
  const one = Big.of(1);
  const total = Alpha.plus(TT).plus(Tt);
  const z = Tt.over(total);
  const ratio = Alpha.plus(TT).over(total); // 1 − z
  const [p1, p2, p3] = [R.plus(X), B.plus(X), A.plus(B).plus(X).minus(one)] as [Big, Big, Big];
  let term = one;
  let sum = one;
  for (let k = 0; ; ++k) {
    const K = Big.of(k);
    term = term
      .times(p1.plus(K))
      .times(p2.plus(K))
      .times(z)
      .over(p3.plus(K).times(Big.of(k + 1)));
    sum = sum.plus(term);
    // Past the largest term, the ratio of terms falls towards z < 1: stop when they no longer count.
    if (k > 10 && term.magnitude() < sum.magnitude() - DIGITS) break;
    if (k > 1e6) throw new Error("no convergence");
  }
  const power = ratio.pow(x).times(Big.of(Math.pow(ratio.toNumber(), r)));
  const bracket = one.minus(power.times(sum));
  return p3.over(A.minus(one)).times(bracket).toNumber();
}

/** The untransformed eq. 10 in doubles: the code before the transformation. */
function directIfAlive({r, alpha, a, b}: BgNbdParams, t: number, x: number, T: number): number {
  const z = t / (alpha + T + t);
  const power = Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + t)));
  return ((a + b + x - 1) / (a - 1)) * (1 - power * hyp2f1(r + x, b + x, a + b + x - 1, z));
}

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const published: BgNbdParams = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}; // FHL 2005, Marketing Science, CDNOW
const aAboveOne: BgNbdParams = {r: 1.7, alpha: 12.5, a: 2.6, b: 7.3};

describe("BG/NBD conditional expectations for heavy buyers", () => {
  it("the Big reference agrees with the direct double-precision form where that is accurate (x ≤ 50)", () => {
    for (const params of [published, aAboveOne])
      for (const [t, x, T] of [
        [39, 2, 38.86],
        [1, 10, 20],
        [52, 50, 38.86],
        [39, 0, 38.86]
      ] as const)
        expect(relative(referenceIfAlive(params, t, x, T), directIfAlive(params, t, x, T))).toBeLessThan(1e-12);
  });

  it("is finite at x = 500, 1,000 and 5,000 and equals the Big reference to 1e-12 (the direct form is not finite from x = 1,105 at t = 39, T = 38.86)", () => {
    expect(directIfAlive(published, 39, 1104, 38.86)).toBeGreaterThan(0);
    expect(Number.isFinite(directIfAlive(published, 39, 1105, 38.86))).toBe(false);
    expect(directIfAlive(published, 104, 500, 10)).toBeNaN();
    expect(directIfAlive(published, 39, 5000, 38.86)).toBeNaN();
    for (const params of [published, aAboveOne])
      for (const [t, T] of [
        [39, 38.86],
        [1, 38.86],
        [104, 10]
      ] as const)
        for (const x of [500, 1000, 5000]) {
          const expected = referenceIfAlive(params, t, x, T);
          const actual = bgnbdExpectedPurchasesIfAlive(params, t, x, T);
          expect(Number.isFinite(actual)).toBe(true);
          expect(relative(actual, expected)).toBeLessThan(1e-12);
          // Conditional on the history: times P(alive), itself a closed form (bgnbdProbabilityAlive.ts).
          for (const tx of [T, T * 0.999, T / 2]) {
            const conditional = bgnbdConditionalExpectedPurchases(params, t, x, tx, T);
            expect(Number.isFinite(conditional)).toBe(true);
            expect(Math.abs(conditional - expected * bgnbdProbabilityAlive(params, x, tx, T))).toBeLessThanOrEqual(
              1e-12 * expected
            );
          }
        }
  });

  it("gives the old (direct) values at moderate x to 1e-12 relative (CDNOW estimates)", () => {
    for (const [t, x, tx, T] of [
      [39, 2, 30.43, 38.86],
      [39, 10, 35, 38.86],
      [39, 50, 38, 38.86],
      [1, 2, 1.71, 38.86],
      [104, 10, 20, 27],
      [52, 50, 30, 32]
    ] as const) {
      const old = directIfAlive(published, t, x, T) * bgnbdProbabilityAlive(published, x, tx, T);
      expect(relative(bgnbdConditionalExpectedPurchases(published, t, x, tx, T), old)).toBeLessThan(1e-12);
    }
  });

  it("is continuous and monotone: increasing in x and t_x, decreasing in T, up to x = 6,000", () => {
    for (const params of [published, aAboveOne]) {
      let previous = 0;
      for (let x = 0; x <= 6000; x += x < 100 ? 1 : 37) {
        const v = bgnbdExpectedPurchasesIfAlive(params, 39, x, 38.86);
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(previous);
        // No jumps: between neighbours it grows at most by its rate, (x+r)/(α+T) a week plus one step.
        if (x > 0) expect(v - previous).toBeLessThan(((37 + 1) * 39) / (params.alpha + 38.86));
        previous = v;
      }
      for (const x of [3, 700, 3000]) {
        let lastT = Infinity;
        for (const T of [20, 30, 38.86, 60, 100]) {
          const v = bgnbdExpectedPurchasesIfAlive(params, 39, x, T);
          expect(v).toBeLessThan(lastT);
          lastT = v;
        }
        let lastTx = -Infinity;
        for (const tx of [10, 20, 30, 37, 38.5, 38.86]) {
          const v = bgnbdConditionalExpectedPurchases(params, 39, x, tx, 38.86);
          expect(v).toBeGreaterThanOrEqual(lastTx);
          lastTx = v;
        }
      }
    }
  });
});
