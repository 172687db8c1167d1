// The intervals' purchases if alive computed on every core (loaders/site/purchasesInParallel.ts) are those computed on
// one thread, to the bit, whether the (x, T) fall to this thread or to worker threads, and any (x, T) not computed
// beforehand is computed when asked.
import {describe, expect, it} from "vitest";
import {purchasesIfAliveInParallel} from "../loaders/site/purchasesInParallel.js";
import {bgnbdExpectedPurchasesIfAlive} from "../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {drawParameters} from "../src/core/models/parameterDraws.js";
import {purchasesIfAliveAtDraws} from "../src/core/models/valueIntervals.js";

const draws = drawParameters(
  {
    params: {r: 0.25, alpha: 4, a: 0.8, b: 2.5},
    covariance: [
      [1e-4, 0, 0, 0],
      [0, 1e-2, 0, 0],
      [0, 0, 1e-3, 0],
      [0, 0, 0, 1e-2]
    ]
  },
  null,
  12,
  3
);
// Three years of months at 1 % a month.
const horizon = {periodLength: 52 / 12, periods: 36, discountRate: 0.01};
// (x, T) as a calibration table has them: whole x, T in fractional weeks.
const pairs = Array.from({length: 40}, (_, i) => ({x: i % 7, T: 10 + i * 2.5 + (i % 3) / 7}));

describe("purchasesIfAliveInParallel(draws, horizon, pairs)", () => {
  it("gives each (x, T) the terms one thread computes, with three worker threads and this one", async () => {
    const ifAlive = await purchasesIfAliveInParallel(draws, horizon, pairs, {from: 1, threads: 4});
    for (const {x, T} of pairs) expect(ifAlive(x, T)).toEqual(purchasesIfAliveAtDraws(draws, horizon, x, T));
  });

  it("computes below the threshold on this thread, and an (x, T) not given when asked", async () => {
    const ifAlive = await purchasesIfAliveInParallel(draws, horizon, pairs.slice(0, 3), {from: 10});
    expect(ifAlive(pairs[0]!.x, pairs[0]!.T)).toEqual(
      purchasesIfAliveAtDraws(draws, horizon, pairs[0]!.x, pairs[0]!.T)
    );
    // Not among the pairs: the next year's terms are E[Y(52) | alive] at each draw (FHL 2005, eq. 10's second factor).
    const {nextYear} = ifAlive(3, 77.5);
    expect(Array.from(nextYear)).toEqual(draws.map(({bgnbd}) => bgnbdExpectedPurchasesIfAlive(bgnbd, 52, 3, 77.5)));
  });
});
