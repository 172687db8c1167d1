import {describe, expect, it} from "vitest";
import {minimizeBfgs} from "../../../src/core/models/bfgs.js";

// Rosenbrock's function (Rosenbrock 1960; Nocedal & Wright, eq. 2.22):
// f(x, y) = 100 (y − x²)² + (1 − x)², minimum 0 at (1, 1); classic start (−1.2, 1).
const rosenbrock = ([x, y]: readonly number[]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2;
const rosenbrockGradient = ([x, y]: readonly number[]) => [
  -400 * x! * (y! - x! ** 2) - 2 * (1 - x!),
  200 * (y! - x! ** 2)
];

// The extended Rosenbrock function in n dimensions, Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1).
const extended = (x: readonly number[]) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; ++i) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
};
const extendedGradient = (x: readonly number[]) => {
  const g = x.map(() => 0);
  for (let i = 0; i + 1 < x.length; ++i) {
    const d = x[i + 1]! - x[i]! ** 2;
    g[i]! += -400 * x[i]! * d - 2 * (1 - x[i]!);
    g[i + 1]! += 200 * d;
  }
  return g;
};

describe("minimizeBfgs(f, gradient, x0)", () => {
  it("finds Rosenbrock's minimum (1, 1) from (−1.2, 1)", () => {
    const result = minimizeBfgs(rosenbrock, rosenbrockGradient, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 7);
    expect(result.x[1]).toBeCloseTo(1, 7);
    expect(result.value).toBeLessThan(1e-14);
    expect(result.gradientNorm).toBeLessThanOrEqual(1e-8);
    expect(result.iterations).toBeLessThan(100);
  });

  it("finds the extended Rosenbrock minimum in 6 dimensions from (−1.2, 1, −1.2, 1, −1.2, 1)", () => {
    const result = minimizeBfgs(extended, extendedGradient, [-1.2, 1, -1.2, 1, -1.2, 1]);
    expect(result.converged).toBe(true);
    for (const xi of result.x) expect(xi).toBeCloseTo(1, 6);
  });

  it("minimises a quadratic to the gradient tolerance: f = (x − 3)² + 10 (y + 2)² + x y, minimum where the gradient is 0", () => {
    // ∇f = [2(x − 3) + y, 20(y + 2) + x] = 0 ⇒ x = 160/39, y = 6 − 2x = −86/39 (solved by hand).
    const f = ([x, y]: readonly number[]) => (x! - 3) ** 2 + 10 * (y! + 2) ** 2 + x! * y!;
    const g = ([x, y]: readonly number[]) => [2 * (x! - 3) + y!, 20 * (y! + 2) + x!];
    const result = minimizeBfgs(f, g, [0, 0], {gradientTolerance: 1e-12});
    expect(result.x[0]).toBeCloseTo(160 / 39, 9);
    expect(result.x[1]).toBeCloseTo(-86 / 39, 9);
  });

  it("backs away from points where f is +∞: x − ln x on x > 0, minimum at 1", () => {
    const f = ([x]: readonly number[]) => (x! > 0 ? x! - Math.log(x!) : Infinity);
    const g = ([x]: readonly number[]) => [1 - 1 / x!];
    const result = minimizeBfgs(f, g, [0.01]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
  });

  it("reports no convergence when the iterations run out", () => {
    const result = minimizeBfgs(rosenbrock, rosenbrockGradient, [-1.2, 1], {maxIterations: 3});
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
    expect(result.message).toMatch(/no convergence in 3 iterations/);
  });

  it("stops unconverged when f stops improving although its gradient does not vanish", () => {
    // f = 10²⁰ + x: every step of at most 5 leaves f unchanged in floating point (its spacing
    // there is 16,384), while the gradient stays 1; without the stall rule it would run 1,000 iterations.
    const result = minimizeBfgs(
      ([x]) => 1e20 + x!,
      () => [1],
      [0],
      {stallIterations: 20}
    );
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(20);
    expect(result.message).toMatch(/stopped improving/);
  });

  it("stops at once when only a step shortened a millionfold keeps f from rising, and it gains nothing", () => {
    // f = 10²⁰ + x + 10¹⁷ x² from 0: a step longer than about 3e-7 raises f by more than half its
    // spacing there (16,384), a shorter one leaves it unchanged; the gradient stays far from 0.
    const result = minimizeBfgs(
      ([x]) => 1e20 + x! + 1e17 * x! * x!,
      ([x]) => [1 + 2e17 * x!],
      [0]
    );
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(1);
    // The start, then halvings from t = 1 to the first t below 3e-7 (2⁻²²): 23 trials.
    expect(result.evaluations).toBe(24);
    expect(result.message).toMatch(/stopped improving \(a step shortened a millionfold gained nothing/);
  });

  it("throws when f is not finite at the start", () => {
    expect(() =>
      minimizeBfgs(
        () => NaN,
        () => [0],
        [0]
      )
    ).toThrow(/not finite at the start/);
  });
});
