import {describe, expect, it} from "vitest";
import {stateSpells} from "../../src/core/metrics/stateSpells.js";

describe("stateSpells(states, stages)", () => {
  it("runs consecutive month ends of one state and stage together, and starts a spell where either changes", () => {
    const states = [
      {month_end: "2024-01-31", state: "new"},
      {month_end: "2024-02-29", state: "active"},
      {month_end: "2024-03-31", state: "active"},
      {month_end: "2024-04-30", state: "active"},
      {month_end: "2024-05-31", state: "lapsed"},
      {month_end: "2024-06-30", state: "lapsed"}
    ] as const;
    // The stage moves from identification to development at the end of March, inside the active spell.
    const stages = [
      {month_end: "2024-01-31", stage: "identification"},
      {month_end: "2024-02-29", stage: "identification"},
      {month_end: "2024-03-31", stage: "development"},
      {month_end: "2024-04-30", stage: "development"},
      {month_end: "2024-05-31", stage: "decline"},
      {month_end: "2024-06-30", stage: "decline"}
    ] as const;
    expect(stateSpells(states, stages)).toEqual([
      {from: "2024-01-31", to: "2024-01-31", months: 1, state: "new", stage: "identification"},
      {from: "2024-02-29", to: "2024-02-29", months: 1, state: "active", stage: "identification"},
      {from: "2024-03-31", to: "2024-04-30", months: 2, state: "active", stage: "development"},
      {from: "2024-05-31", to: "2024-06-30", months: 2, state: "lapsed", stage: "decline"}
    ]);
  });

  it("leaves the stage null at month ends the stages do not cover, and gives nothing for no states", () => {
    expect(stateSpells([{month_end: "2024-01-31", state: "lost"}], [])).toEqual([
      {from: "2024-01-31", to: "2024-01-31", months: 1, state: "lost", stage: null}
    ]);
    expect(stateSpells([], [{month_end: "2024-01-31", stage: "lost"}])).toEqual([]);
  });
});
