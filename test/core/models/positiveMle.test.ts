import {describe, expect, it} from "vitest";
import {fitPositiveMle} from "../../../src/core/models/positiveMle.js";

describe("fitPositiveMle(problem, start) with derivatives", () => {
  // Exponential rate from 10 observations with mean 2: ln L = 10 ln λ − 20 λ, λ̂ = 0.5, information 10/λ̂² = 40, SE = 1/√40.
  const logLikelihood = ([l]: readonly number[]) => 10 * Math.log(l!) - 20 * l!;
  const gradient = ([l]: readonly number[]) => [10 / l! - 20];

  it("takes each gradient from the pass that gave the value, and the information from the analytic Hessian", () => {
    const calls = {value: 0, gradient: 0, derivatives: 0, hessian: 0};
    const fit = fitPositiveMle(
      {
        logLikelihood: (p) => (++calls.value, logLikelihood(p)),
        gradient: (p) => (++calls.gradient, gradient(p)),
        derivatives: (p, hessian) => {
          ++calls.derivatives;
          if (hessian) ++calls.hessian;
          return {value: logLikelihood(p), gradient: gradient(p), hessian: hessian ? [[-10 / p[0]! ** 2]] : undefined};
        },
        scale: 10
      },
      [1]
    );
    expect(fit.convergence.converged).toBe(true);
    expect(fit.estimates[0]).toBeCloseTo(0.5, 8);
    // SE = √(λ̂²/10) from the Hessian at λ̂ itself.
    expect(fit.standardErrors[0]).toBeCloseTo(fit.estimates[0]! / Math.sqrt(10), 14);
    // No separate value or gradient pass: one pass per point evaluated, and one for the Hessian.
    expect(calls).toEqual({value: 0, gradient: 0, derivatives: fit.convergence.evaluations + 1, hessian: 1});
  });

  it("gives the same fit as the problem without derivatives, whose information is differenced", () => {
    const plain = fitPositiveMle({logLikelihood, gradient, scale: 10}, [1]);
    const fused = fitPositiveMle(
      {logLikelihood, gradient, derivatives: (p) => ({value: logLikelihood(p), gradient: gradient(p)}), scale: 10},
      [1]
    );
    expect(fused.estimates).toEqual(plain.estimates);
    expect(fused.convergence).toEqual(plain.convergence);
    expect(fused.standardErrors[0]).toBeCloseTo(plain.standardErrors[0]!, 9);
  });
});
