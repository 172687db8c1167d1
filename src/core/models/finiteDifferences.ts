// Central finite differences (Nocedal & Wright, Numerical Optimization, 2nd ed., §8.1,
// eqs. 8.7 and 8.21): the gradient of a scalar function, and the Hessian as the Jacobian
// of a gradient. Steps are relative, h_i = step · max(|x_i|, 1): the truncation error is
// O(h²) and the rounding error O(ε/h), balanced near h ≈ ε^(1/3) ≈ 6e-6.

/** Options of the finite-difference helpers. */
export interface FiniteDifferenceOptions {
  /** Relative step: h_i = step · max(|x_i|, 1). Default 6e-6 (≈ cube root of machine ε). */
  step?: number;
}

function stepAt(x: number, step: number): number {
  return step * Math.max(Math.abs(x), 1);
}

/**
 * ∂f/∂x_i ≈ (f(x + h_i e_i) − f(x − h_i e_i)) / (2 h_i) for every i.
 *
 * @example centralGradient(([x, y]) => x! * x! + 3 * y!, [2, 5]) // ≈ [4, 3]
 */
export function centralGradient(
  f: (x: readonly number[]) => number,
  x: readonly number[],
  {step = 6e-6}: FiniteDifferenceOptions = {}
): number[] {
  return x.map((xi, i) => {
    const h = stepAt(xi, step);
    const plus = x.slice();
    const minus = x.slice();
    plus[i] = xi + h;
    minus[i] = xi - h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/**
 * The Hessian of f from its gradient: H_ij ≈ (g_j(x + h_i e_i) − g_j(x − h_i e_i)) / (2 h_i),
 * then symmetrised as (H + Hᵀ)/2. The relative step defaults to 1e-5.
 *
 * @example hessianFromGradient(([x, y]) => [2 * x! * y!, x! * x!], [1, 2]) // ≈ [[4, 2], [2, 0]]
 */
export function hessianFromGradient(
  gradient: (x: readonly number[]) => number[],
  x: readonly number[],
  {step = 1e-5}: FiniteDifferenceOptions = {}
): number[][] {
  const n = x.length;
  const columns = x.map((xi, i) => {
    const h = stepAt(xi, step);
    const plus = x.slice();
    const minus = x.slice();
    plus[i] = xi + h;
    minus[i] = xi - h;
    const gp = gradient(plus);
    const gm = gradient(minus);
    return Array.from({length: n}, (_, j) => (gp[j]! - gm[j]!) / (2 * h));
  });
  return Array.from({length: n}, (_, i) => Array.from({length: n}, (_, j) => (columns[i]![j]! + columns[j]![i]!) / 2));
}
