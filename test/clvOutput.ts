// npm run clv's stdout as the tests compare it: the JSON, with the measured times
// (bgnbd.fit_ms, pareto_nbd.fit_ms) set to 0, so that two runs, or a folder and a warehouse, compare equal.
import type {ClvFit} from "../src/core/models/clvSummaryFit.js";

/** The fit that npm run clv printed, its fit times zeroed. */
export function clvFitWithoutTime(stdout: string): ClvFit {
  const fit = JSON.parse(stdout) as ClvFit;
  return {
    ...fit,
    ...("fit_ms" in fit.bgnbd ? {bgnbd: {...fit.bgnbd, fit_ms: 0}} : {}),
    ...(fit.pareto_nbd ? {pareto_nbd: {...fit.pareto_nbd, fit_ms: 0}} : {})
  };
}
