// Random draws: every distribution from one seeded LCG, and sampling from cumulative weights.
import {randomBeta, randomExponential, randomGamma, randomGeometric, randomLcg, randomNormal, randomPoisson} from "d3";

export interface Draws {
  uniform: () => number;
  normal: () => number;
  exponential: () => number;
  gamma: (shape: number) => () => number;
  beta: (a: number, b: number) => () => number;
  poisson: (mean: number) => number;
  geometric: (p: number) => () => number;
}

/** Every distribution the simulation uses, all fed by one seeded LCG. */
export function draws(seed: number): Draws {
  const source = randomLcg(seed);
  const poisson = randomPoisson.source(source);
  return {
    uniform: source,
    normal: randomNormal.source(source)(0, 1),
    exponential: randomExponential.source(source)(1),
    gamma: (shape) => randomGamma.source(source)(shape, 1),
    beta: (a, b) => randomBeta.source(source)(a, b),
    poisson: (mean) => poisson(mean)(),
    geometric: (p) => randomGeometric.source(source)(p)
  };
}

/** Running sums of weights, for drawCumulative. */
export function cumulative(weights: number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** Index drawn from cumulative weights cum[0..n-1] (n ≥ 1) with probability proportional to each weight. */
export function drawCumulative(cum: ArrayLike<number>, n: number, u: number): number {
  const target = u * cum[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Number of entries of the ascending array a[0..n-1] that are < x. */
export function countBelow(a: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
