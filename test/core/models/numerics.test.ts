import {describe, expect, it} from "vitest";
import {CompensatedSum} from "../../../src/core/models/compensatedSum.js";
import {centralGradient, hessianFromGradient} from "../../../src/core/models/finiteDifferences.js";
import {invertSymmetricPositiveDefinite} from "../../../src/core/models/linearAlgebra.js";
import {logAddExp} from "../../../src/core/models/logSumExp.js";

describe("logAddExp(a, b)", () => {
  it("is ln(e^a + e^b) for moderate values", () => {
    expect(logAddExp(Math.log(1), Math.log(3))).toBeCloseTo(Math.log(4), 15);
    expect(logAddExp(2, 2)).toBeCloseTo(2 + Math.LN2, 15);
  });
  it("neither underflows nor overflows", () => {
    expect(logAddExp(-1000, -1000)).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logAddExp(1000, 0)).toBe(1000);
    expect(logAddExp(-1e6, -1e6 - Math.log(3))).toBeCloseTo(-1e6 + Math.log(4 / 3), 6);
  });
  it("treats −∞ as an absent term, and passes NaN through", () => {
    expect(logAddExp(-Infinity, 1.5)).toBe(1.5);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logAddExp(NaN, 1)).toBeNaN();
  });
});

describe("centralGradient(f, x) and hessianFromGradient(gradient, x)", () => {
  it("differentiate polynomials to rounding error", () => {
    // f = x² y + 3 y³: ∇f = [2xy, x² + 9y²], ∇²f = [[2y, 2x], [2x, 18y]]; at (2, −1): [−4, 13], [[−2, 4], [4, −18]].
    const f = ([x, y]: readonly number[]) => x! ** 2 * y! + 3 * y! ** 3;
    const g = ([x, y]: readonly number[]) => [2 * x! * y!, x! ** 2 + 9 * y! ** 2];
    const grad = centralGradient(f, [2, -1]);
    expect(grad[0]).toBeCloseTo(-4, 8);
    expect(grad[1]).toBeCloseTo(13, 8);
    const h = hessianFromGradient(g, [2, -1]);
    expect(h[0]![0]).toBeCloseTo(-2, 8);
    expect(h[0]![1]).toBeCloseTo(4, 8);
    expect(h[1]![0]).toBeCloseTo(4, 8);
    expect(h[1]![1]).toBeCloseTo(-18, 8);
  });
});

describe("invertSymmetricPositiveDefinite(matrix)", () => {
  it("inverts [[4, 2], [2, 3]] to [[3, −2], [−2, 4]]/8", () => {
    const inv = invertSymmetricPositiveDefinite([
      [4, 2],
      [2, 3]
    ])!;
    expect(inv[0]![0]).toBeCloseTo(0.375, 15);
    expect(inv[0]![1]).toBeCloseTo(-0.25, 15);
    expect(inv[1]![0]).toBeCloseTo(-0.25, 15);
    expect(inv[1]![1]).toBeCloseTo(0.5, 15);
  });
  it("gives A·A⁻¹ = I on a 4 × 4 matrix", () => {
    const a = [
      [10, 1, 2, 0.5],
      [1, 8, 0.3, 1],
      [2, 0.3, 6, 0.2],
      [0.5, 1, 0.2, 4]
    ];
    const inv = invertSymmetricPositiveDefinite(a)!;
    for (let i = 0; i < 4; ++i)
      for (let j = 0; j < 4; ++j) {
        const s = a[i]!.reduce((acc, v, k) => acc + v * inv[k]![j]!, 0);
        expect(s).toBeCloseTo(i === j ? 1 : 0, 13);
      }
  });
  it("returns undefined for a matrix that is not positive definite", () => {
    expect(
      invertSymmetricPositiveDefinite([
        [1, 2],
        [2, 1]
      ])
    ).toBeUndefined();
    expect(
      invertSymmetricPositiveDefinite([
        [0, 0],
        [0, 1]
      ])
    ).toBeUndefined();
    expect(invertSymmetricPositiveDefinite([[NaN]])).toBeUndefined();
  });
});

describe("CompensatedSum", () => {
  const sumOf = (terms: number[]) => {
    const sum = new CompensatedSum();
    for (const term of terms) sum.add(term);
    return sum.value;
  };
  it("keeps what a plain sum rounds away: 1 + 1e100 + 1 − 1e100 = 2 (Neumaier 1974)", () => {
    expect([1, 1e100, 1, -1e100].reduce((s, t) => s + t, 0)).toBe(0);
    expect(sumOf([1, 1e100, 1, -1e100])).toBe(2);
  });
  it("sums 0.1 ten thousand times to the double nearest 1000, and nothing to 0", () => {
    const tenths = Array.from({length: 10_000}, () => 0.1);
    expect(tenths.reduce((s, t) => s + t, 0)).not.toBe(1000); // 1000.0000000001588
    expect(sumOf(tenths)).toBe(1000);
    expect(sumOf([])).toBe(0);
  });
});
