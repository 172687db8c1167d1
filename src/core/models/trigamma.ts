// The trigamma function ψ′(z) = d²/dz² ln Γ(z) for z > 0 (Abramowitz & Stegun 6.4): the
// recurrence ψ′(z) = ψ′(z+1) + 1/z² (6.4.6) carries z up to 10 or more, where the asymptotic
// series (6.4.12, with the Bernoulli numbers B₂ₖ)
//
//   ψ′(z) ~ 1/z + 1/(2z²) + Σₖ B₂ₖ/z^(2k+1)
//         = 1/z + 1/(2z²) + 1/(6z³) − 1/(30z⁵) + 1/(42z⁷) − 1/(30z⁹) + 5/(66z¹¹) − 691/(2730z¹³) + 7/(6z¹⁵)
//
// is exact to rounding: its next term, −3617/(510 z¹⁷), is below 1e-16 of ψ′(z) there. The
// Gamma-Gamma Hessian needs it at px and px + q, which are not integers (logPochhammer.ts
// covers the integer steps of the BG/NBD likelihood without it).

/**
 * ψ′(z) for z > 0; NaN otherwise.
 *
 * @example trigamma(1) // π²/6 = 1.6449340668482264
 */
export function trigamma(z: number): number {
  if (!(z > 0)) return NaN;
  let shifted = 0;
  for (; z < 10; ++z) shifted += 1 / (z * z);
  const inverse = 1 / z;
  const square = inverse * inverse;
  // B₂ₖ terms by Horner's rule in 1/z².
  const series =
    inverse *
    square *
    (1 / 6 +
      square *
        (-1 / 30 +
          square * (1 / 42 + square * (-1 / 30 + square * (5 / 66 + square * (-691 / 2730 + square * (7 / 6)))))));
  return shifted + inverse + square / 2 + series;
}
