// The main thread's side of the equity page's what-if (scenarioWorker.ts): one worker for the page, which holds the
// customer groups and values each scenario asked for. A scenario already valued is answered from memory (a move of
// one slider values one new scenario, not two), and so are those the loader valued at the page's defaults, so that
// the first view does not wait for the worker. A scenario asked for while the worker is busy waits; when a newer
// move asks again, the waiting ones from the moves before are dropped (rejected as stale), so that a slider's drag
// never queues behind valuations nobody will see.
import type {CustomerGroup} from "../core/models/customerLifetimeValue.js";
import {scenarioKey, type EquityInputs, type EquityScenario} from "../core/models/equity.js";
import type {ScenarioReply, ScenarioRequest} from "./scenarioWorker.js";

export interface EquityScenarios {
  /** Each of these inputs' scenario, in order; earlier calls' scenarios not yet begun are dropped. */
  value(inputs: readonly EquityInputs[]): Promise<EquityScenario[]>;
  stop(): void;
}

/** An error that the page never shows: its cell has been recomputed since it asked. */
export const staleScenario = new Error("a newer scenario was asked for");

/** A scenario valued already, by its inputs' scenarioKey (the loader's equity.json: first_scenarios). */
export interface ValuedScenario {
  key: string;
  scenario: EquityScenario;
}

/**
 * Starts the worker at once, so that it loads its modules while the page loads its files, and sends it the groups
 * when they arrive (a promise, which the page does not wait for): the scenarios asked for meanwhile wait for them,
 * unless they are among those valued already.
 */
export function equityScenarios(
  workerUrl: string,
  groups: Promise<readonly CustomerGroup[]>,
  known: readonly ValuedScenario[]
): EquityScenarios {
  const worker = new Worker(workerUrl, {type: "module"});
  const sent = groups.then((rows) => worker.postMessage({groups: rows} satisfies ScenarioRequest));
  const valued = new Map(known.map(({key, scenario}) => [key, Promise.resolve(scenario)]));
  interface Job {
    id: number;
    key: string;
    inputs: EquityInputs;
    resolve: (scenario: EquityScenario) => void;
    reject: (error: Error) => void;
  }
  const waiting: Job[] = [];
  let running: Job | null = null;
  let jobs = 0;
  const next = () => {
    const job = (running = waiting.shift() ?? null);
    if (job)
      sent.then(
        () => worker.postMessage({id: job.id, inputs: job.inputs} satisfies ScenarioRequest),
        (error: Error) => {
          job.reject(error);
          next();
        }
      );
  };
  worker.onmessage = ({data}: MessageEvent<ScenarioReply>) => {
    const job = running!;
    if ("error" in data) {
      valued.delete(job.key);
      job.reject(new Error(data.error));
    } else job.resolve(data.scenario);
    next();
  };
  const ask = (inputs: EquityInputs): Promise<EquityScenario> => {
    const key = scenarioKey(inputs);
    if (!valued.has(key)) {
      const promise = new Promise<EquityScenario>((resolve, reject) =>
        waiting.push({id: ++jobs, key, inputs, resolve, reject})
      );
      valued.set(key, promise);
      if (!running) next();
    }
    return valued.get(key)!;
  };
  return {
    value(inputs) {
      for (const job of waiting.splice(0)) {
        valued.delete(job.key);
        job.reject(staleScenario);
      }
      return Promise.all(inputs.map(ask));
    },
    stop: () => worker.terminate()
  };
}
