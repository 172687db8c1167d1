// P(alive | x, t_x, T): the probability that a BG/NBD customer has not dropped out by T
// (Fader, Hardie & Lee 2008, "Computing P(alive) using the BG/NBD model", note at
// brucehardie.com; the same expression is the denominator of FHL 2005, Marketing Science 24(2), eq. 10):
//
//   P(alive) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
//
// computed as the logistic of −[ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+t_x))], which
// neither overflows for large x nor loses precision near 0 or 1. A customer with no repeat
// purchase is alive with probability 1 under the model (dropout happens only after a
// repeat transaction).
import type {BgNbdParams} from "./bgnbdLikelihood.js";

/** ln of the odds δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x) that the customer is inactive; −∞ when x = 0. */
export function bgnbdLogOddsInactive({r, alpha, a, b}: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/**
 * P(alive | x, t_x, T) under BG/NBD.
 *
 * @example bgnbdProbabilityAlive({r: 1, alpha: 1, a: 1, b: 1}, 1, 1, 2) // 1/(1 + 1·(3/2)²) = 4/13
 */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  const logOdds = bgnbdLogOddsInactive(params, x, tx, T);
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * The same P(alive) as SQL over columns x, t_x and T, for scoring customers where the data
 * lives; 1 when x = 0. exp of the log-odds is safe here: for large log-odds it tends to ∞
 * and the probability to 0, as it should.
 */
export function bgnbdProbabilityAliveSql({r, alpha, a, b}: BgNbdParams, {x = "x", tx = "t_x", T = "T"} = {}): string {
  // As DOUBLE PRECISION (both engines' name for it): SQL would read 0.2425945… as a DECIMAL too narrow to add x to.
  const [R, A, Alpha, B] = [r, a, alpha, b].map((value) => {
    if (!(Number.isFinite(value) && value > 0)) throw new Error(`not a positive number: ${value}`);
    return `${value}::DOUBLE PRECISION`;
  }) as [string, string, string, string];
  return `CASE WHEN ${x} = 0 THEN 1.0 ELSE 1.0 / (1.0 + exp(ln(${A}) - ln(${B} + ${x} - 1) + (${R} + ${x}) * (ln(${Alpha} + ${T}) - ln(${Alpha} + ${tx})))) END`;
}
