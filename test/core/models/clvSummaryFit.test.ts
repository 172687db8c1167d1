// The calibration summary as it ships for a refit in the browser (shipClvSummary) and as the fits read it back
// (clvSummaryOfShipped): the same triples, weights, holdout rows and spends as the aggregates' columns give.
import {describe, expect, it} from "vitest";
import {clvSummaryOfShipped, shipClvSummary} from "../../../src/core/models/clvSummaryFit.js";

describe("shipClvSummary(rows) and clvSummaryOfShipped(shipped)", () => {
  it("gives back every day count measured in weeks (days / 7) exactly", () => {
    for (let days = 0; days <= 40_000; days++) {
      const weeks = days / 7;
      const [back] = shipClvSummary({
        is_spend: [0],
        x: [1],
        t_x: [weeks],
        T: [weeks],
        spend: [NaN],
        n: [1],
        holdout: [0],
        holdout_spend: [NaN]
      }).T_days;
      if (back! / 7 !== weeks) throw new Error(`${days} days come back as ${back}`);
    }
  });

  it("splits triples from spends, days whole, and reads back two customers of one triple and a third", () => {
    // Three customers: two bought twice again, last on day 14, first 28 days before the end, one held 3 purchases
    // after it (spending 30 on each), one none; a third bought once 10 days before the end. Two mean spends, of 25
    // and 40.
    const shipped = shipClvSummary({
      is_spend: [0, 0, 0, 1, 1],
      x: [0, 2, 2, 2, 2],
      t_x: [0, 2, 2, NaN, NaN],
      T: [10 / 7, 4, 4, NaN, NaN],
      spend: [NaN, NaN, NaN, 25, 40],
      n: [1, 1, 1, 1, 1],
      holdout: [0, 0, 3, NaN, NaN],
      holdout_spend: [NaN, NaN, NaN, NaN, 30]
    });
    expect(shipped).toEqual({
      x: [0, 2, 2],
      t_x_days: [0, 14, 14],
      T_days: [10, 28, 28],
      holdout: [0, 0, 3],
      n: [1, 1, 1],
      spend_x: [2, 2],
      spend: [25, 40],
      spend_holdout: [null, 30],
      spend_n: [1, 1]
    });
    const summary = clvSummaryOfShipped(shipped, "2025-01-01");
    expect(Array.from(summary.triples.x)).toEqual([0, 2]);
    expect(Array.from(summary.triples.tx)).toEqual([0, 2]);
    expect(Array.from(summary.triples.T)).toEqual([10 / 7, 4]);
    expect(Array.from(summary.triples.weight)).toEqual([1, 2]);
    expect(Array.from(summary.holdout.triple)).toEqual([0, 1, 1]);
    expect(Array.from(summary.holdout.actual)).toEqual([0, 0, 3]);
    expect(summary.spends).toEqual([
      {x: 2, m: 25, holdout: NaN, weight: 1},
      {x: 2, m: 40, holdout: 30, weight: 1}
    ]);
  });

  it("throws where no customer bought before the calibration end", () => {
    const none = shipClvSummary({
      is_spend: [],
      x: [],
      t_x: [],
      T: [],
      spend: [],
      n: [],
      holdout: [],
      holdout_spend: []
    });
    expect(() => clvSummaryOfShipped(none, "2025-01-01")).toThrow("no customer bought before 2025-01-01");
  });
});
