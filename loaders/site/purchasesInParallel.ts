// Each customer's interval costs a valuation at every parameter draw (customerValueDraws), and most of it is the
// purchases if alive of their (x, T) at each draw: Gauss's hypergeometric function at every month of the horizon.
// At a million lines that is some 16,800 (x, T) × 30 draws × 36 months, about 10 s on one core. The terms of one
// (x, T) depend on nothing else, so they are computed beforehand on every core: this thread takes a share, and a worker
// thread (purchasesWorker.ts) each of the others. The same function on the same numbers: the same terms to the bit.
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";
import type {ClvOptions} from "../../src/core/models/customerLifetimeValue.js";
import type {ParameterDraw} from "../../src/core/models/parameterDraws.js";
import {purchasesIfAliveAtDraws, type PurchasesIfAlive} from "../../src/core/models/valueIntervals.js";

/** What a worker is given: the draws, the horizon, and its (x, T), as columns. */
export interface PurchasesTask {
  draws: readonly ParameterDraw[];
  options: Omit<ClvOptions, "margin">;
  x: Float64Array;
  T: Float64Array;
}

/** What it gives back: each (x, T)'s terms at every draw, one (x, T) after another. */
export interface PurchasesResult {
  horizon: Float64Array<ArrayBuffer>;
  nextYear: Float64Array<ArrayBuffer>;
}

/** Fewer (x, T) than this are computed on this thread alone: a worker takes about half a second to start. */
export const parallelFrom = 2_000;

/** purchasesIfAliveAtDraws for a task's (x, T), packed one after another. */
export function purchasesOfTask({draws, options, x, T}: PurchasesTask): PurchasesResult {
  const n = draws.length;
  const horizon = new Float64Array(x.length * n);
  const nextYear = new Float64Array(x.length * n);
  for (let i = 0; i < x.length; ++i) {
    const terms = purchasesIfAliveAtDraws(draws, options, x[i]!, T[i]!);
    horizon.set(terms.horizon, i * n);
    nextYear.set(terms.nextYear, i * n);
  }
  return {horizon, nextYear};
}

/** Runs a task in a worker thread: the worker registers tsx, as the loaders run, then imports purchasesWorker.ts. */
function inWorker(task: PurchasesTask): Promise<PurchasesResult> {
  const entry = new URL("./purchasesWorker.ts", import.meta.url).href;
  // Both as absolute addresses: an evaluated worker resolves names from wherever the process was started.
  const tsx = import.meta.resolve("tsx/esm/api");
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({register}) => { register(); return import(${JSON.stringify(entry)}); })`,
    {eval: true, workerData: task}
  );
  return new Promise<PurchasesResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`purchasesWorker stopped (exit code ${code}) before answering`)));
  }).finally(() => worker.terminate());
}

/**
 * The purchases if alive at every draw of each (x, T) given, on every core where there are at least `from` of them;
 * a lookup by (x, T) for customerValueDraws, which computes any (x, T) not given itself.
 */
export async function purchasesIfAliveInParallel(
  draws: readonly ParameterDraw[],
  options: Omit<ClvOptions, "margin">,
  pairs: readonly {x: number; T: number}[],
  {from = parallelFrom, threads = availableParallelism()} = {}
): Promise<(x: number, T: number) => PurchasesIfAlive> {
  const parts = pairs.length >= from ? Math.max(1, threads) : 1;
  const size = Math.ceil(pairs.length / parts);
  const tasks = Array.from({length: parts}, (_, part): PurchasesTask => {
    const slice = pairs.slice(part * size, (part + 1) * size);
    return {draws, options, x: Float64Array.from(slice, (p) => p.x), T: Float64Array.from(slice, (p) => p.T)};
  });
  // The workers start first; this thread computes the first share meanwhile.
  const others = tasks.slice(1).map(inWorker);
  const results = [purchasesOfTask(tasks[0]!), ...(await Promise.all(others))];
  const n = draws.length;
  const byXT = new Map<number, Map<number, PurchasesIfAlive>>();
  results.forEach(({horizon, nextYear}, part) => {
    const {x, T} = tasks[part]!;
    for (let i = 0; i < x.length; ++i) {
      let byT = byXT.get(x[i]!);
      if (byT === undefined) byXT.set(x[i]!, (byT = new Map()));
      byT.set(T[i]!, {horizon: horizon.subarray(i * n, (i + 1) * n), nextYear: nextYear.subarray(i * n, (i + 1) * n)});
    }
  });
  return (x, T) => byXT.get(x)?.get(T) ?? purchasesIfAliveAtDraws(draws, options, x, T);
}
