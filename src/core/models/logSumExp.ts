// log(e^a + e^b) without overflow or underflow: the larger term is factored out,
// log(e^a + e^b) = m + log1p(e^(min − m)) with m = max(a, b). Used to add likelihood
// terms that are kept in log space (BG/NBD eq. 6 is a sum of two such terms).

/**
 * log(exp(a) + exp(b)), exact in floating point where either term dominates. Returns −∞
 * when both are −∞ (an empty sum) and NaN when either is NaN.
 *
 * @example logAddExp(Math.log(1), Math.log(3)) // ≈ Math.log(4) = 1.3862943611198906
 * @example logAddExp(-1000, -1000)             // −1000 + ln 2 = −999.3068528194401 (exp would underflow)
 */
export function logAddExp(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const m = a > b ? a : b;
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  return m + Math.log1p(Math.exp((a > b ? b : a) - m));
}
