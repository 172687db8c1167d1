// The equity page's refit worker (src/components/refitWorker.ts) as a worker runs it: a message in, the replies out
// with the request's id. A simulated slice: the fit on all its data and its value come back first, as the core
// computes them in the same thread, then the check with Pareto/NBD; a slice with no customer before the cut-off gets
// its fit, then the reason.
import {beforeAll, describe, expect, it} from "vitest";
import {
  clvSummaryOfShipped,
  fitClvSummary,
  refitSlice,
  type ShippedClvSummary
} from "../../src/core/models/clvSummaryFit.js";
import {sliceValue, type ShippedValueGroups} from "../../src/core/models/sliceValue.js";
import {simulateBgNbd} from "../core/models/simulateBgNbd.js";
import type {RefitReply, RefitRequest} from "../../src/components/refitWorker.js";

const scope = globalThis as unknown as {
  onmessage: ((event: {data: RefitRequest}) => void) | null;
  postMessage: (reply: RefitReply) => void;
};
const replies: RefitReply[] = [];

// 400 customers simulated from BG/NBD at CDNOW's published estimates (FHL 2005), t_x and T in days, in the aggregates'
// order (x, t_x, T): enough for Pareto/NBD to converge quickly.
const customers = simulateBgNbd({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 400, 7)
  .map((c) => ({x: c.x, t: Math.round(c.tx * 7), T: Math.round(c.T * 7)}))
  .sort((p, q) => p.x - q.x || p.t - q.t || p.T - q.T);

/** Their summary, each customer a row, with at most `holdout` purchases after the cut-off; a few repeat spends. */
function summary(holdout: number): ShippedClvSummary {
  return {
    x: customers.map((c) => c.x),
    t_x_days: customers.map((c) => c.t),
    T_days: customers.map((c) => c.T),
    holdout: customers.map((c) => Math.min(c.x, holdout)),
    n: customers.map(() => 1),
    spend_x: [1, 1, 2, 3, 4, 5, 6],
    spend: [20, 35, 28, 41, 30, 25, 33],
    spend_holdout: [null, 30, null, 38, null, null, 29],
    spend_n: [1, 2, 1, 3, 1, 1, 2]
  };
}

/** The same customers by triple, each repeat buyer's mean spend 30. */
function valueGroups(): ShippedValueGroups {
  const {x, t_x_days, T_days, n} = summary(0);
  return {
    x,
    t_x_days,
    T_days,
    customers: n,
    repeat_buyers: x.map((k) => (k ? 1 : 0)),
    repeat_spend: x.map((k) => (k ? 30 : 0))
  };
}

const slice = (validation: ShippedClvSummary) => ({
  kind: "channel",
  name: "social",
  customers: customers.length,
  full: summary(0),
  validation,
  value: valueGroups()
});
const dates = {end: "2025-06-30", calibrationEnd: "2025-01-01"};
const settings = {margin: 0.3, annualDiscountRate: 0.1, years: 3};

describe("refitWorker's messages", () => {
  beforeAll(async () => {
    scope.postMessage = (reply) => replies.push(reply);
    await import("../../src/components/refitWorker.js");
  });

  it("replies with the core's fits and value, then the check with Pareto/NBD, under the request's id", () => {
    scope.onmessage!({data: {id: 7, slice: slice(summary(2)), dates, settings}});
    const [fitted, checked] = replies.splice(0);
    const expected = refitSlice(slice(summary(2)), dates, {clock: () => 0});
    if (!fitted || !("stage" in fitted) || fitted.stage !== "fitted") throw new Error("no fits first");
    expect(fitted.id).toBe(7);
    expect(fitted.full.bgnbd.params).toEqual(expected.full.bgnbd.params);
    expect(fitted.value).toEqual(sliceValue(valueGroups(), expected.full, settings));
    expect(fitted.ms).toBeGreaterThanOrEqual(0);
    if (!checked || !("stage" in checked) || checked.stage !== "checked") throw new Error("no check second");
    expect(checked.id).toBe(7);
    const check = fitClvSummary(
      clvSummaryOfShipped(summary(2), dates.calibrationEnd),
      dates.calibrationEnd,
      dates.end,
      {
        paretoNbd: true,
        clock: () => 0
      }
    );
    expect(checked.check.models.pareto_nbd.params).toEqual(check.pareto_nbd!.params);
    expect(checked.check.holdout.actual).toBe(expected.validation.holdout.actual);
    expect(checked.check.chosen_model).toBe(check.chosen_model);
  });

  it("replies with its fit, then the reason, where the slice has no customer before the cut-off", () => {
    const empty = {...summary(0), x: [], t_x_days: [], T_days: [], holdout: [], n: []};
    scope.onmessage!({data: {id: 8, slice: slice(empty), dates, settings}});
    // The fit on all the data comes first; the check has nothing to fit.
    const [fitted, failed] = replies.splice(0);
    expect(fitted).toMatchObject({id: 8, stage: "fitted"});
    expect(failed).toEqual({id: 8, error: "no customer bought before 2025-01-01"});
  });
});
