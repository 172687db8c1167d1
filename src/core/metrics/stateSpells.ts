// A customer's path through the states and the lifecycle's stages, month end by month end,
// told as spells: the unbroken runs of month ends with the same state and stage, so that a
// five-year history reads in a few lines rather than sixty.
import type {CustomerState} from "../sql/customerStates.js";
import type {Stage} from "../sql/lifecycleSql.js";

/** A run of consecutive month ends in one state and one stage. */
export interface StateSpell {
  /** The first and last month end of the run (YYYY-MM-DD). */
  from: string;
  to: string;
  months: number;
  state: CustomerState;
  /** The lifecycle stage; null at a month end the stages do not cover. */
  stage: Stage | null;
}

/**
 * The spells of a customer's states (customerStateHistorySql: one row per month end, in
 * order) with the stage at each month end (lifecycleStagesSql's rows for the customer, matched
 * by month end): a new spell starts wherever the state or the stage changes.
 *   stateSpells([{month_end: "2024-01-31", state: "new"}, {month_end: "2024-02-29", state: "active"},
 *                {month_end: "2024-03-31", state: "active"}], [])
 *   → [{from: "2024-01-31", to: "2024-01-31", months: 1, state: "new", stage: null},
 *      {from: "2024-02-29", to: "2024-03-31", months: 2, state: "active", stage: null}]
 */
export function stateSpells(
  states: readonly {month_end: string; state: CustomerState}[],
  stages: readonly {month_end: string; stage: Stage}[]
): StateSpell[] {
  const stageAt = new Map(stages.map((d) => [d.month_end, d.stage]));
  const spells: StateSpell[] = [];
  for (const {month_end, state} of states) {
    const stage = stageAt.get(month_end) ?? null;
    const last = spells.at(-1);
    if (last && last.state === state && last.stage === stage) {
      last.to = month_end;
      last.months++;
    } else spells.push({from: month_end, to: month_end, months: 1, state, stage});
  }
  return spells;
}
