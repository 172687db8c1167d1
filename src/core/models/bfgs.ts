// Unconstrained minimisation by BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed.,
// algorithm 6.1) on the inverse-Hessian approximation H, with:
// - H₀ = I, rescaled before the first update by (sᵀy)/(yᵀy) (N&W eq. 6.20);
// - a backtracking line search that halves the step until the Armijo condition
//   f(x + t d) ≤ f(x) + c₁ t ∇f·d holds, c₁ = 1e-4 (N&W algorithm 3.1); a trial point where f
//   is not finite counts as a failure, so an objective may return +∞ outside its domain;
// - the update skipped when the curvature condition sᵀy > 0 fails (N&W §6.1), since a
//   backtracking search does not enforce the Wolfe conditions; H is reset to I when it stops
//   giving a descent direction or its step cannot be shortened to a decrease;
// - every step shortened to at most maxStep in each coordinate, so a first step from a poor
//   start cannot overflow the objective.
// Convergence: max_i |∂f/∂x_i| ≤ gradientTolerance. Where the objective keeps falling by
// less than a relative 1e-12 an iteration over `stallIterations` iterations (a likelihood
// flattening as a parameter runs off to infinity), or at once where a step had to be
// shortened below 2⁻²⁰ and still gained nothing (the Armijo bound has rounded to f(x), and
// each later iteration would spend its halvings walking in place), the search stops
// unconverged rather than spend its remaining iterations.

/** Options of minimizeBfgs. */
export interface BfgsOptions {
  /** Stop when the largest absolute gradient component is at most this. Default 1e-8. */
  gradientTolerance?: number;
  /** Default 1000. */
  maxIterations?: number;
  /** Largest change of any coordinate in one step. Default 5. */
  maxStep?: number;
  /** Stop, unconverged, when this many iterations in a row improved f by less than a relative 1e-12 each. Default 50. */
  stallIterations?: number;
}

/** Where minimizeBfgs stopped, and why. */
export interface BfgsResult {
  x: number[];
  value: number;
  gradient: number[];
  /** max_i |∂f/∂x_i| at x. */
  gradientNorm: number;
  iterations: number;
  /** Calls of f (gradient calls are one per iteration plus one). */
  evaluations: number;
  converged: boolean;
  message: string;
}

const ARMIJO = 1e-4;
const MAX_HALVINGS = 60;
const TINY_STEP = 2 ** -20;

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; ++i) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: readonly number[]): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return Number.isNaN(m) ? NaN : m;
}

function identity(n: number): number[][] {
  return Array.from({length: n}, (_, i) => Array.from({length: n}, (_, j) => (i === j ? 1 : 0)));
}

/**
 * The minimum of f from x0, by BFGS with a backtracking line search.
 *
 * @example
 * // Rosenbrock's function, minimum 0 at (1, 1):
 * minimizeBfgs(([x, y]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2,
 *   ([x, y]) => [-2 * (1 - x!) - 400 * x! * (y! - x! ** 2), 200 * (y! - x! ** 2)], [-1.2, 1])
 * // → {x: ≈ [1, 1], converged: true, …}
 */
export function minimizeBfgs(
  f: (x: readonly number[]) => number,
  gradient: (x: readonly number[]) => number[],
  x0: readonly number[],
  {gradientTolerance = 1e-8, maxIterations = 1000, maxStep = 5, stallIterations = 50}: BfgsOptions = {}
): BfgsResult {
  const n = x0.length;
  let x = x0.slice();
  let fx = f(x);
  let evaluations = 1;
  if (!Number.isFinite(fx)) throw new Error(`minimizeBfgs: the objective is not finite at the start (${fx})`);
  let g = gradient(x);
  let h = identity(n);
  let fresh = true; // h is the identity, not yet scaled or updated
  let iterations = 0;
  let stalled = 0; // iterations in a row with a negligible improvement
  const result = (converged: boolean, message: string): BfgsResult => ({
    x,
    value: fx,
    gradient: g,
    gradientNorm: maxAbs(g),
    iterations,
    evaluations,
    converged,
    message
  });
  for (; iterations < maxIterations; ++iterations) {
    const gNorm = maxAbs(g);
    if (!Number.isFinite(gNorm)) return result(false, "the gradient is not finite");
    if (gNorm <= gradientTolerance) return result(true, "gradient below tolerance");
    let accepted: {x: number[]; fx: number; t: number} | undefined;
    for (let attempt = 0; attempt < 2 && !accepted; ++attempt) {
      let d = h.map((row) => -dot(row, g));
      let slope = dot(g, d);
      if (!(slope < 0)) {
        h = identity(n);
        fresh = true;
        d = g.map((v) => -v);
        slope = dot(g, d);
      }
      const longest = maxAbs(d);
      if (longest > maxStep) {
        d = d.map((v) => (v * maxStep) / longest);
        slope = dot(g, d);
      }
      let t = 1;
      for (let k = 0; k < MAX_HALVINGS; ++k, t /= 2) {
        const trial = x.map((xi, i) => xi + t * d[i]!);
        const ft = f(trial);
        ++evaluations;
        if (Number.isFinite(ft) && ft <= fx + ARMIJO * t * slope) {
          accepted = {x: trial, fx: ft, t};
          break;
        }
      }
      if (!accepted) {
        if (fresh) break;
        h = identity(n);
        fresh = true;
      }
    }
    if (!accepted) return result(false, "the line search found no decrease");
    const gNew = gradient(accepted.x);
    const s = accepted.x.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) {
        const scale = sy / dot(y, y);
        h = h.map((row) => row.map((v) => v * scale));
      }
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded:
      // H − ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ  (H symmetric)
      const rho = 1 / sy;
      const hy = h.map((row) => dot(row, y));
      const yhy = dot(y, hy);
      const c = rho * rho * yhy + rho;
      h = h.map((row, i) => row.map((v, j) => v - rho * (s[i]! * hy[j]! + hy[i]! * s[j]!) + c * s[i]! * s[j]!));
      fresh = false;
    }
    const improved = fx - accepted.fx > 1e-12 * (1 + Math.abs(fx));
    stalled = improved ? 0 : stalled + 1;
    x = accepted.x;
    fx = accepted.fx;
    g = gNew;
    // A step shortened a millionfold that gains nothing: the Armijo bound has rounded to f(x),
    // and every later iteration would walk in place the same way, MAX_HALVINGS evaluations each.
    if (stalled >= stallIterations || (!improved && accepted.t < TINY_STEP)) {
      ++iterations; // this one is done
      const why =
        stalled >= stallIterations
          ? `${stallIterations} iterations without progress`
          : "a step shortened a millionfold gained nothing";
      return result(false, `the objective stopped improving (${why}; a parameter may be running to a bound)`);
    }
  }
  const gNorm = maxAbs(g);
  return gNorm <= gradientTolerance
    ? result(true, "gradient below tolerance")
    : result(false, `no convergence in ${maxIterations} iterations`);
}
