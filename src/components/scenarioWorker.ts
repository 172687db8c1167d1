// The equity page's what-if, off the main thread (a module Web Worker the page starts from this file's URL,
// import.meta.resolve): it values today's customers, group by group, and those still to win with the core's
// equityScenario, so that a slider's move never blocks the page while the valuation runs (about half a second over
// ten years of months on the demo).
import {equityScenario, type EquityInputs, type EquityScenario} from "../core/models/equity.js";
import type {CustomerGroup} from "../core/models/customerLifetimeValue.js";

/** The groups, sent once when the page starts the worker; then the scenarios to value, one reply each. */
export type ScenarioRequest = {groups: readonly CustomerGroup[]} | {id: number; inputs: EquityInputs};

export type ScenarioReply = {id: number; scenario: EquityScenario} | {id: number; error: string};

// A worker's global scope, typed as far as used here (the project's DOM types describe a window).
const scope = globalThis as unknown as {
  onmessage: ((event: {data: ScenarioRequest}) => void) | null;
  postMessage(message: ScenarioReply): void;
};

let groups: readonly CustomerGroup[] = [];
scope.onmessage = ({data}) => {
  if ("groups" in data) {
    groups = data.groups;
    return;
  }
  try {
    scope.postMessage({id: data.id, scenario: equityScenario(groups, data.inputs)});
  } catch (error) {
    scope.postMessage({id: data.id, error: error instanceof Error ? error.message : String(error)});
  }
};
