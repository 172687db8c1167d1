// The equity page's refit of a slice, off the main thread (a module Web Worker the page starts from this file's URL,
// import.meta.resolve): it fits the slice's shipped summaries with the core's refitSlice and fitClvSummary, the code
// npm run clv runs, and posts two replies: first both fits and the slice's value (quick, so the page redraws at once),
// then the check with Pareto/NBD beside BG/NBD (the slowest fit by far) for the scorecard.
import {
  clvFitSummary,
  clvSummaryOfShipped,
  fitClvSummary,
  holdoutComparison,
  refitSlice
} from "../core/models/clvSummaryFit.js";
import {sliceValue, type SliceRefitInputs, type SliceValue} from "../core/models/sliceValue.js";

export interface RefitRequest {
  id: number;
  slice: SliceRefitInputs;
  dates: {end: string; calibrationEnd: string};
  /** The valuation's margin, discount rate and horizon (sliceValue). */
  settings: {margin: number; annualDiscountRate: number; years: number};
}

/** The first reply: the fit on all the slice's data, its value, and BG/NBD's check; ms since the request arrived. */
export interface RefitFitted {
  id: number;
  stage: "fitted";
  full: ReturnType<typeof clvFitSummary>;
  value: SliceValue;
  check: {holdout: ReturnType<typeof fitClvSummary>["holdout"]; holdout_weeks: number};
  ms: number;
}

/** The second reply: both purchase models checked on the weeks after the cut-off, as equity.json's `validation`. */
export interface RefitChecked {
  id: number;
  stage: "checked";
  check: RefitFitted["check"] & ReturnType<typeof holdoutComparison>;
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
    const {full, validation} = refitSlice(slice, dates, {clock});
    const check = {holdout: validation.holdout, holdout_weeks: validation.holdout_weeks};
    const value = sliceValue(slice.value, full, settings);
    scope.postMessage({id, stage: "fitted", full: clvFitSummary(full), value, check, ms: clock() - start});
    const {calibrationEnd, end} = dates;
    const summary = clvSummaryOfShipped(slice.validation, calibrationEnd);
    const compared = holdoutComparison(fitClvSummary(summary, calibrationEnd, end, {paretoNbd: true, clock}));
    scope.postMessage({id, stage: "checked", check: {...check, ...compared}, ms: clock() - start});
  } catch (error) {
    scope.postMessage({id, error: error instanceof Error ? error.message : String(error)});
  }
};
