// A Poisson rate with its exact (Garwood) interval: events per unit of exposure, such as
// referrals per customer.
import gammaln from "@stdlib/math-base-special-gammaln";

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), a > 0, x ≥ 0: by
 * its series below x < a + 1 and by the continued fraction of Q = 1 − P above (Press et al.,
 * Numerical Recipes, 3rd ed., §6.2, gser and gcf). Example: P(1, x) = 1 − e^(−x), so P(1, 1) = 0.632.
 */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const logPrefix = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    // P = e^(−x) x^a / Γ(a + 1) · Σₙ xⁿ / ((a + 1)…(a + n)).
    let [term, sum] = [1 / a, 1 / a];
    for (let ap = a + 1; Math.abs(term) > Math.abs(sum) * 1e-16; ap++) sum += term *= x / ap;
    return sum * Math.exp(logPrefix);
  }
  // Q by Lentz's method on the continued fraction 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − …)).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return 1 - Math.exp(logPrefix) * h;
}

/** The q-quantile of Gamma(shape a, scale 1), by bisection on regularizedGammaP (monotone in x). */
function gammaQuantile(q: number, a: number): number {
  let [low, high] = [0, a + 20 * Math.sqrt(a) + 40];
  for (let i = 0; i < 200 && high - low > 1e-12 * Math.max(1, high); i++) {
    const mid = (low + high) / 2;
    if (regularizedGammaP(a, mid) < q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

export interface PoissonRate {
  /** Events counted and the exposure they were counted over (customers, say). */
  k: number;
  exposure: number;
  rate: number;
  low: number;
  high: number;
}

/**
 * k events over `exposure` units as a rate k/exposure, with Garwood's exact 95 % interval
 * (Garwood 1936, Biometrika 28(3/4)): for the count, [χ²(α/2; 2k)/2, χ²(1 − α/2; 2k + 2)/2],
 * the lower bound 0 when k = 0; here as Gamma quantiles, χ²(q; 2s)/2 = Gamma(s, 1)'s q-quantile;
 * both divided by the exposure. It assumes the events are a Poisson count: a few units that
 * bring many events each (overdispersion) make the true interval wider. Example: 10 events over
 * 20 customers → 0.5 a customer, [4.795, 18.390]/20 = [0.240, 0.920]. Exposure 0 gives NaN.
 */
export function poissonInterval(k: number, exposure: number, level = 0.95): PoissonRate {
  if (!(exposure > 0)) return {k, exposure, rate: NaN, low: NaN, high: NaN};
  const alpha = 1 - level;
  const low = k === 0 ? 0 : gammaQuantile(alpha / 2, k);
  const high = gammaQuantile(1 - alpha / 2, k + 1);
  return {k, exposure, rate: k / exposure, low: low / exposure, high: high / exposure};
}
