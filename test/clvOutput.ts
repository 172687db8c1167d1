// npm run clv's stdout as the tests compare it: the JSON, with the measured times (each model's fit_ms) set to 0, so
// that two runs, or a folder and a warehouse, compare equal.
import type {PrintedClvFit} from "../src/core/models/clvSummaryFit.js";

/** The fit that npm run clv printed, its fit times zeroed. */
export function clvFitWithoutTime(stdout: string): PrintedClvFit {
  const fit = JSON.parse(stdout) as PrintedClvFit;
  return {
    ...fit,
    bgnbd: {...fit.bgnbd, fit_ms: 0},
    pareto_nbd: fit.pareto_nbd && {...fit.pareto_nbd, fit_ms: 0},
    gamma_gamma: fit.gamma_gamma && {...fit.gamma_gamma, fit_ms: 0}
  };
}
