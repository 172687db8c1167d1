// What the tests of the (x, t_x, T) models' likelihoods share: CDNOW-like customers and the
// check of an analytic gradient against central finite differences (finiteDifferences.ts).
import {expect} from "vitest";
import {centralGradient} from "../../../src/core/models/finiteDifferences.js";

/** (x, t_x, T) in weeks like CDNOW's: no repeat, early and late last purchases, frequent buyers. */
export const cdnowLikeCustomers: [number, number, number][] = [
  [0, 0, 38.86],
  [1, 1.71, 38.86],
  [2, 30.43, 38.86],
  [7, 29.43, 38.86],
  [15, 35.14, 35.86],
  [29, 37.71, 38]
];

/**
 * Expects gradient(params, x, t_x, T) to agree with central differences of
 * logLikelihood within 1e-6 relative, at every params and customer; names give the order.
 */
export function expectGradientMatchesDifferences<P extends object>(
  names: readonly (keyof P & string)[],
  logLikelihood: (params: P, x: number, tx: number, T: number) => number,
  gradient: (params: P, x: number, tx: number, T: number) => number[],
  paramsList: readonly P[],
  customers: readonly (readonly [number, number, number])[]
): void {
  const fromArray = (values: readonly number[]) => Object.fromEntries(names.map((k, i) => [k, values[i]])) as P;
  for (const params of paramsList)
    for (const [x, tx, T] of customers) {
      const at = names.map((k) => params[k] as number);
      const numeric = centralGradient((values) => logLikelihood(fromArray(values), x, tx, T), at);
      gradient(params, x, tx, T).forEach((g, i) =>
        expect(
          Math.abs(g - numeric[i]!),
          `${JSON.stringify(params)} x=${x} t_x=${tx} T=${T} ∂${names[i]}`
        ).toBeLessThan(1e-6 * Math.max(1, Math.abs(g)))
      );
    }
}
