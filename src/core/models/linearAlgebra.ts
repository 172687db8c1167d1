// Small dense symmetric matrices (the Hessians of 3- and 4-parameter models): the inverse
// of a symmetric positive-definite matrix by its Cholesky factor L Lᵀ (Golub & Van Loan,
// Matrix Computations, 4th ed., algorithm 4.2.1), and a test of positive definiteness
// that comes with it for free (a non-positive pivot).

/**
 * The Cholesky factor L (lower triangular, L Lᵀ = matrix) of a symmetric positive-definite
 * matrix, or undefined when it is not positive definite. Only the lower triangle is read.
 * Also what turns independent standard normal draws z into draws with this covariance, L z.
 *
 * @example choleskyLower([[4, 2], [2, 3]]) // [[2, 0], [1, 1.414…]]
 */
export function choleskyLower(matrix: readonly (readonly number[])[]): number[][] | undefined {
  const n = matrix.length;
  const at = (i: number, j: number) => matrix[i]?.[j] ?? NaN;
  const l: number[][] = Array.from({length: n}, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; ++j) {
    const lj = l[j]!;
    let d = at(j, j);
    for (let k = 0; k < j; ++k) d -= lj[k]! * lj[k]!;
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    lj[j] = Math.sqrt(d);
    for (let i = j + 1; i < n; ++i) {
      const li = l[i]!;
      let s = at(i, j);
      for (let k = 0; k < j; ++k) s -= li[k]! * lj[k]!;
      li[j] = s / lj[j]!;
    }
  }
  return l;
}

/**
 * The inverse of a symmetric positive-definite matrix, or undefined when the matrix is
 * not positive definite (or has a non-finite entry). Only the lower triangle is read.
 *
 * @example invertSymmetricPositiveDefinite([[4, 2], [2, 3]]) // [[0.375, -0.25], [-0.25, 0.5]]
 */
export function invertSymmetricPositiveDefinite(matrix: readonly (readonly number[])[]): number[][] | undefined {
  const n = matrix.length;
  const l = choleskyLower(matrix);
  if (!l) return undefined;
  // Solve L Lᵀ X = I one column at a time.
  const inverse: number[][] = Array.from({length: n}, () => new Array<number>(n).fill(0));
  const y = new Array<number>(n);
  for (let c = 0; c < n; ++c) {
    for (let i = 0; i < n; ++i) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; ++k) s -= l[i]![k]! * y[k]!;
      y[i] = s / l[i]![i]!;
    }
    for (let i = n - 1; i >= 0; --i) {
      let s = y[i]!;
      for (let k = i + 1; k < n; ++k) s -= l[k]![i]! * inverse[k]![c]!;
      inverse[i]![c] = s / l[i]![i]!;
    }
  }
  return inverse;
}
