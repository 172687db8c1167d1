// The equity page's refit of a slice, off the main thread (a module Web Worker the page starts from this file's URL,
// import.meta.resolve): it fits the slice's shipped summaries with the core's refitSliceAll and refitSliceCheck, the
// code npm run clv runs, and posts two replies: first the fit on all the slice's data and its value (quick, so the
// page redraws at once), then the check before the cut-off with Pareto/NBD beside BG/NBD (the slowest fit by far).
import {
  clvFitSummary,
  holdoutComparison,
  refitSliceAll,
  refitSliceCheck,
  type ClvFit
} from "../core/models/clvSummaryFit.js";
import {sliceValue, type SliceRefitInputs, type SliceValue} from "../core/models/sliceValue.js";

export interface RefitRequest {
  id: number;
  slice: SliceRefitInputs;
  dates: {end: string; calibrationEnd: string};
  /** The valuation's margin, discount rate and horizon (sliceValue). */
  settings: {margin: number; annualDiscountRate: number; years: number};
}

/** The first reply: the fit on all the slice's data and its value; ms since the request arrived. */
export interface RefitFitted {
  id: number;
  stage: "fitted";
  full: ReturnType<typeof clvFitSummary>;
  value: SliceValue;
  ms: number;
}

/** The second reply: both purchase models checked on the weeks after the cut-off, as equity.json's `validation`. */
export interface RefitChecked {
  id: number;
  stage: "checked";
  check: {holdout: ClvFit["holdout"]; holdout_weeks: number} & ReturnType<typeof holdoutComparison>;
  ms: number;
}

export type RefitReply = RefitFitted | RefitChecked | {id: number; error: string};

// A worker's global scope, typed as far as used here (the project's DOM types describe a window).
const scope = globalThis as unknown as {
  onmessage: ((event: {data: RefitRequest}) => void) | null;
  postMessage(message: RefitReply): void;
};

scope.onmessage = ({data: {id, slice, dates, settings}}) => {
  const start = performance.now();
  const clock = () => performance.now();
  try {
    const full = refitSliceAll(slice, dates.end, clock);
    const value = sliceValue(slice.value, full, settings);
    scope.postMessage({id, stage: "fitted", full: clvFitSummary(full), value, ms: clock() - start});
    const checked = refitSliceCheck(slice, dates, {paretoNbd: true, clock});
    const check = {holdout: checked.holdout, holdout_weeks: checked.holdout_weeks, ...holdoutComparison(checked)};
    scope.postMessage({id, stage: "checked", check, ms: clock() - start});
  } catch (error) {
    scope.postMessage({id, error: error instanceof Error ? error.message : String(error)});
  }
};
