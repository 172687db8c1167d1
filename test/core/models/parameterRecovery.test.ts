// Parameter recovery: simulate BG/NBD customers with known (r, α, a, b), and Pareto/NBD
// customers with known (r, α, s, β), from a seeded generator, fit, and check the truth lies
// within two standard errors, and that the standard errors shrink like 1/√n.
import {randomExponential, randomGamma, randomLcg, randomUniform} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {bgnbdExpectedPurchases} from "../../../src/core/models/bgnbdExpectedPurchases.js";
import {fitBgNbd} from "../../../src/core/models/bgnbdFit.js";
import type {BgNbdParams} from "../../../src/core/models/bgnbdLikelihood.js";
import {paretoNbdExpectedPurchases} from "../../../src/core/models/paretoNbdExpectedPurchases.js";
import {fitParetoNbd} from "../../../src/core/models/paretoNbdFit.js";
import type {ParetoNbdParams} from "../../../src/core/models/paretoNbdLikelihood.js";
import type {CustomerRfm} from "../../../src/core/models/rfmGroups.js";
import {simulateBgNbd as simulate} from "./simulateBgNbd.js";
import type {RfmModelFit} from "../../../src/core/models/rfmModelFit.js";

/**
 * Pareto/NBD's story (Schmittlein, Morrison & Colombo 1987; FHL 2005 note §1): λ ~ Gamma(shape r,
 * rate α), μ ~ Gamma(shape s, rate β); while alive, purchases are Poisson(λ); the lifetime is
 * Exponential(μ), whatever the purchases. Acquired and observed as in simulate above.
 */
function simulateParetoNbd({r, alpha, s, beta}: ParetoNbdParams, n: number, seed: number, [minT, maxT] = [27, 39]) {
  const source = randomLcg(seed);
  const lambdaOf = randomGamma.source(source)(r, 1 / alpha);
  const muOf = randomGamma.source(source)(s, 1 / beta);
  const uniform = randomUniform.source(source)(minT, maxT);
  const exponential = randomExponential.source(source);
  return Array.from({length: n}, (): CustomerRfm => {
    const lambda = lambdaOf();
    const lifetime = exponential(muOf())();
    const T = uniform();
    const gap = exponential(lambda);
    let t = 0;
    let x = 0;
    for (let next = gap(); next <= Math.min(T, lifetime); next += gap()) ((t = next), ++x);
    return {x, tx: t, T};
  });
}

type Simulate<P> = (params: P, n: number, seed: number, T?: [number, number]) => CustomerRfm[];

/** Fits n = 3,000 and 30,000 simulated customers: the truth within 2 SEs, SEs shrinking like 1/√n. */
function describeRecovery<P extends object>(
  name: string,
  fit: (customers: CustomerRfm[]) => RfmModelFit<P>,
  simulateModel: Simulate<P>,
  truth: P,
  seed: number
) {
  const names = Object.keys(truth) as (keyof P)[];
  describe(`${name}(simulated customers) recovers the true parameters`, () => {
    const sizes = [3000, 30000];
    const fits = new Map<number, RfmModelFit<P>>();
    beforeAll(() => {
      for (const n of sizes) fits.set(n, fit(simulateModel(truth, n, seed + n)));
    });

    for (const n of sizes)
      it(`n = ${n}: converged and healthy, every true parameter within 2 standard errors`, () => {
        const {params, standardErrors, logLikelihood, convergence, health} = fits.get(n)!;
        console.log(
          `${name} recovery n = ${n}:`,
          JSON.stringify({params, se: standardErrors, ll: logLikelihood, convergence})
        );
        expect(convergence.converged).toBe(true);
        expect(health).toEqual({ok: true, problems: [], unidentified: []});
        for (const k of names)
          expect(Math.abs((params[k] as number) - (truth[k] as number))).toBeLessThan(
            2 * (standardErrors[k] as number)
          );
      });

    it("standard errors shrink like 1/√n (ratio ≈ 1/√10 ≈ 0.32 from 3,000 to 30,000 customers)", () => {
      const small = fits.get(3000)!;
      const large = fits.get(30000)!;
      for (const k of names) {
        const ratio = (large.standardErrors[k] as number) / (small.standardErrors[k] as number);
        expect(ratio).toBeGreaterThan(0.2);
        expect(ratio).toBeLessThan(0.45);
      }
    });
  });
}

/** The model's E[X(t)] is the mean of 100,000 simulated new customers' repeat purchases in (0, t]. */
function describeExpectation<P>(
  name: string,
  expected: (params: P, t: number) => number,
  simulateModel: Simulate<P>,
  truth: P,
  seed: number
) {
  describe(`${name}(params, t) against simulation`, () => {
    it("is the mean number of repeat purchases in (0, t] of 100,000 simulated new customers (within 3 standard errors)", () => {
      for (const t of [13, 52]) {
        const counts = simulateModel(truth, 100_000, seed + t, [t, t]).map((c) => c.x);
        const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
        const sd = Math.sqrt(counts.reduce((s, x) => s + (x - mean) ** 2, 0) / (counts.length - 1));
        expect(Math.abs(mean - expected(truth, t))).toBeLessThan((3 * sd) / Math.sqrt(counts.length));
      }
    });
  });
}

const bgnbdTruth: BgNbdParams = {r: 0.25, alpha: 4, a: 0.8, b: 2.5};
describeRecovery("fitBgNbd", fitBgNbd, simulate, bgnbdTruth, 20240601);
describeExpectation("bgnbdExpectedPurchases", bgnbdExpectedPurchases, simulate, bgnbdTruth, 7);

// Dropout faster than CDNOW's (mean lifetime β/(s−1) = 20 weeks), so the observation tells s and β apart.
const paretoTruth: ParetoNbdParams = {r: 0.6, alpha: 8, s: 2, beta: 20};
describeRecovery("fitParetoNbd", fitParetoNbd, simulateParetoNbd, paretoTruth, 20261206);
describeExpectation("paretoNbdExpectedPurchases", paretoNbdExpectedPurchases, simulateParetoNbd, paretoTruth, 11);
