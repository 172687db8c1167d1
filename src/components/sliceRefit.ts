// The main thread's side of the equity page's refits (refitWorker.ts): one worker for the page; each slice picked in
// the page's input is sent to it, and the page's cells follow the replies, so that the page redraws when they arrive
// and its main thread never waits on a fit. Each cell subscribes to the part of the state it draws, and redraws only
// when that part changes (the fit, the check, or the status). A reply to an earlier pick is dropped, and a worker
// still busy with one (a slow check) is replaced, so that a new pick never queues behind an old refit.
import type {SliceRefitInputs} from "../core/models/sliceValue.js";
import type {RefitChecked, RefitFitted, RefitReply, RefitRequest} from "./refitWorker.js";

/** What the page shows of the refits. */
export interface SliceRefitState {
  /** The slice picked last, or null for all customers (the fit made when the site was built). */
  picked: SliceRefitInputs | null;
  /** The last refit's fit and the slice it is of, kept while the next one runs; its check once it arrives. */
  fitted: {slice: SliceRefitInputs; reply: RefitFitted} | null;
  checked: RefitChecked | null;
  /** Whether the picked slice's refit is still running (the figures shown are not yet its). */
  updating: boolean;
  error: string | null;
}

export interface SliceRefits {
  /** Calls `notify` with select(state) now and whenever it changes (for Generators.observe); returns the unsubscribe. */
  subscribe<T>(select: (state: SliceRefitState) => T, notify: (value: T) => void): () => void;
  stop(): void;
}

/**
 * Refits each slice picked in `input` (an input whose value is a slice, or null) in a module worker started from
 * `workerUrl` (the page's import.meta.resolve of refitWorker.js).
 */
export function sliceRefits(
  input: EventTarget & {value: SliceRefitInputs | null},
  workerUrl: string,
  request: Omit<RefitRequest, "id" | "slice">
): SliceRefits {
  let state: SliceRefitState = {picked: null, fitted: null, checked: null, updating: false, error: null};
  const listeners = new Set<(state: SliceRefitState) => void>();
  const update = (next: SliceRefitState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  let latest = 0;
  // Whether the worker has not yet given its last reply (the check, or an error) to the latest request.
  let busy = false;
  const onReply = ({data}: MessageEvent<RefitReply>) => {
    if (data.id !== latest || !state.picked) return;
    busy = "stage" in data && data.stage === "fitted";
    if ("error" in data) update({...state, updating: false, error: data.error});
    else if (data.stage === "fitted")
      update({...state, updating: false, fitted: {slice: state.picked, reply: data}, checked: null});
    else update({...state, checked: data});
  };
  const start = () => Object.assign(new Worker(workerUrl, {type: "module"}), {onmessage: onReply});
  let worker = start();
  const pick = () => {
    const slice = input.value;
    if (busy) {
      worker.terminate();
      worker = start();
      busy = false;
    }
    if (slice) {
      worker.postMessage({id: ++latest, slice, ...request} satisfies RefitRequest);
      busy = true;
    }
    update({...state, picked: slice, updating: slice !== null, error: null});
  };
  input.addEventListener("input", pick);
  pick();
  return {
    subscribe(select, notify) {
      let last = select(state);
      notify(last);
      const listener = (next: SliceRefitState) => {
        const value = select(next);
        if (value !== last) notify((last = value));
      };
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      input.removeEventListener("input", pick);
      worker.terminate();
    }
  };
}
