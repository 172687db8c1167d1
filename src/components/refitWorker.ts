// The equity page's refit of a slice, off the main thread (a module Web Worker the page starts from this file's URL,
// import.meta.resolve): it fits the slice's shipped summaries with the core's refitSlice, the code npm run clv runs,
// and posts the fits back, so that the page never blocks while the models fit.
import {refitSlice, type ClvFit, type SliceSummaries} from "../core/models/clvSummaryFit.js";

export interface RefitRequest {
  id: number;
  slice: SliceSummaries;
  dates: {end: string; calibrationEnd: string};
  paretoNbd: boolean;
}

export type RefitReply = {id: number; full: ClvFit; validation: ClvFit; ms: number} | {id: number; error: string};

// A worker's global scope, typed as far as used here (the project's DOM types describe a window).
const scope = globalThis as unknown as {
  onmessage: ((event: {data: RefitRequest}) => void) | null;
  postMessage(message: RefitReply): void;
};

scope.onmessage = ({data: {id, slice, dates, paretoNbd}}) => {
  const start = performance.now();
  try {
    const fits = refitSlice(slice, dates, {paretoNbd, clock: () => performance.now()});
    scope.postMessage({id, ...fits, ms: performance.now() - start});
  } catch (error) {
    scope.postMessage({id, error: error instanceof Error ? error.message : String(error)});
  }
};
