// ln of the rising factorial (z)_x = Γ(z+x)/Γ(z) = z (z+1) ⋯ (z+x−1) for non-negative integer
// x, with its first two derivatives in z, by the recurrence Γ(z+1) = z Γ(z) (Abramowitz &
// Stegun 6.1.15, 6.1.22; differentiated, 6.3.5 and 6.4.6):
//
//   ln (z)_x           = ln Γ(z+x) − ln Γ(z)   = Σ_{j<x} ln(z+j)
//   d/dz ln (z)_x      = ψ(z+x) − ψ(z)         = Σ_{j<x} 1/(z+j)
//   d²/dz² ln (z)_x    = ψ′(z+x) − ψ′(z)       = −Σ_{j<x} 1/(z+j)²
//
// The likelihoods of purchase counts need these differences for a few dozen distinct x at
// each trial z; walking j up to the largest x once gives all of them, with no gamma, digamma
// or trigamma call and no cancellation between two large log-gammas. The cost is the largest
// x (purchase days, so at most the days of the calibration period) per call.

/** ln (z)_x and its first two derivatives in z, one entry per x of the levels. */
export interface LogPochhammer {
  value: Float64Array;
  first: Float64Array;
  second: Float64Array;
}

/**
 * ln (z)_x, ψ(z+x) − ψ(z) and ψ′(z+x) − ψ′(z) for each x of `levels` (non-negative integers in
 * ascending order), z > 0.
 *
 * @example logPochhammer(0.5, [0, 1, 3])
 * // value [0, ln 0.5, ln(0.5 · 1.5 · 2.5) = ln 1.875], first [0, 2, 2 + 2/3 + 2/5], second [0, −4, −4 − 4/9 − 4/25]
 */
export function logPochhammer(z: number, levels: readonly number[]): LogPochhammer {
  const n = levels.length;
  const out = {value: new Float64Array(n), first: new Float64Array(n), second: new Float64Array(n)};
  let value = 0;
  let first = 0;
  let second = 0;
  let j = 0;
  for (let k = 0; k < n; ++k) {
    for (const x = levels[k]!; j < x; ++j) {
      const inverse = 1 / (z + j);
      value += Math.log(z + j);
      first += inverse;
      second -= inverse * inverse;
    }
    out.value[k] = value;
    out.first[k] = first;
    out.second[k] = second;
  }
  return out;
}
