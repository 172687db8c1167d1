// The main thread's side of the equity page's refits (refitWorker.ts): one worker for the page; each slice picked in
// the page's input is sent to it, and the page's state follows the replies, so that the page redraws when they arrive
// and its main thread never waits on a fit. A reply to an earlier pick is dropped, and a worker still busy with one
// (a slow check) is replaced, so that a new pick never queues behind an old refit.
import type {SliceRefitInputs} from "../core/models/sliceValue.js";
import type {RefitChecked, RefitFitted, RefitReply, RefitRequest} from "./refitWorker.js";

/** What the page shows of the refits. */
export interface SliceRefitState {
  /** The slice picked last, or null for all customers (the fit made when the site was built). */
  picked: SliceRefitInputs | null;
  /** The figures drawn: the last refit's, kept while the next one runs. */
  shown: {slice: SliceRefitInputs; fitted: RefitFitted; checked: RefitChecked | null} | null;
  /** Whether the picked slice's refit is still running (the figures shown are not yet its). */
  updating: boolean;
  error: string | null;
}

/**
 * Refits each slice picked in `input` (an input whose value is a slice, or null) in a module worker started from
 * `workerUrl` (the page's import.meta.resolve of refitWorker.js), calling `notify` with the page's state at the pick
 * and at each reply. Returns what stops it (for Generators.observe).
 */
export function watchSliceRefits(
  input: EventTarget & {value: SliceRefitInputs | null},
  workerUrl: string,
  request: Omit<RefitRequest, "id" | "slice">,
  notify: (state: SliceRefitState) => void
): () => void {
  let state: SliceRefitState = {picked: null, shown: null, updating: false, error: null};
  let latest = 0;
  // Whether the worker has not yet given its last reply (the check, or an error) to the latest request.
  let busy = false;
  const onReply = ({data}: MessageEvent<RefitReply>) => {
    if (data.id !== latest || !state.picked) return;
    busy = "stage" in data && data.stage === "fitted";
    if ("error" in data) state = {...state, updating: false, error: data.error};
    else if (data.stage === "fitted")
      state = {...state, updating: false, shown: {slice: state.picked, fitted: data, checked: null}};
    else if (state.shown) state = {...state, shown: {...state.shown, checked: data}};
    notify(state);
  };
  const start = () => Object.assign(new Worker(workerUrl, {type: "module"}), {onmessage: onReply});
  let worker = start();
  const pick = () => {
    const slice = input.value;
    state = {...state, picked: slice, updating: slice !== null, error: null};
    if (busy) {
      worker.terminate();
      worker = start();
      busy = false;
    }
    if (slice) {
      worker.postMessage({id: ++latest, slice, ...request} satisfies RefitRequest);
      busy = true;
    }
    notify(state);
  };
  input.addEventListener("input", pick);
  pick();
  return () => {
    input.removeEventListener("input", pick);
    worker.terminate();
  };
}
