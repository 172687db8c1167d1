// The main thread's side of the equity page's refits (refitWorker.ts): one worker for the page, each refit a promise
// of its fits, so that the page redraws when they arrive and its main thread never waits on a fit.
import type {SliceSummaries} from "../core/models/clvSummaryFit.js";
import type {RefitReply, RefitRequest} from "./refitWorker.js";

export type SliceRefit = (
  slice: SliceSummaries,
  dates: RefitRequest["dates"],
  options?: {paretoNbd?: boolean}
) => Promise<Extract<RefitReply, {full: unknown}>>;

/** A refit function backed by a module worker started from `workerUrl` (the page's import.meta.resolve of refitWorker.js). */
export function sliceRefitter(workerUrl: string): SliceRefit {
  const worker = new Worker(workerUrl, {type: "module"});
  const pending = new Map<number, (reply: RefitReply) => void>();
  let next = 0;
  worker.onmessage = ({data}: MessageEvent<RefitReply>) => {
    pending.get(data.id)?.(data);
    pending.delete(data.id);
  };
  return (slice, dates, {paretoNbd = false} = {}) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, (reply) => ("error" in reply ? reject(new Error(reply.error)) : resolve(reply)));
      worker.postMessage({id, slice, dates, paretoNbd} satisfies RefitRequest);
    });
}
