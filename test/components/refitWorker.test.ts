// The equity page's refit worker (src/components/refitWorker.ts) as a worker runs it: a message in, the reply out with
// the request's id. Hand-made slice of three customers (test/core/models/clvSummaryFit.test.ts's shapes): fits come
// back as the core fits them in the same thread; a slice with no customer before the cut-off replies with the reason.
import {beforeAll, describe, expect, it} from "vitest";
import {refitSlice, type ShippedClvSummary} from "../../src/core/models/clvSummaryFit.js";
import type {RefitReply, RefitRequest} from "../../src/components/refitWorker.js";

const scope = globalThis as unknown as {
  onmessage: ((event: {data: RefitRequest}) => void) | null;
  postMessage: (reply: RefitReply) => void;
};
const replies: RefitReply[] = [];

/** Ten customers: x repeat purchases over days 0–140 of a 200-day calibration, two spends each. */
function summary(holdout: number): ShippedClvSummary {
  const x = [0, 0, 1, 1, 2, 2, 3, 4, 5, 6];
  return {
    x,
    t_x_days: x.map((k) => (k ? 20 + 20 * k : 0)),
    T_days: x.map(() => 200),
    holdout: x.map((k) => Math.min(k, holdout)),
    n: x.map((_, i) => 1 + (i % 3)),
    spend_x: [1, 1, 2, 3, 4, 5, 6],
    spend: [20, 35, 28, 41, 30, 25, 33],
    spend_n: [1, 2, 1, 3, 1, 1, 2]
  };
}

describe("refitWorker's messages", () => {
  beforeAll(async () => {
    scope.postMessage = (reply) => replies.push(reply);
    await import("../../src/components/refitWorker.js");
  });

  it("replies with the core's fits under the request's id", () => {
    const slice = {full: summary(0), validation: summary(2)};
    const dates = {end: "2025-06-30", calibrationEnd: "2025-01-01"};
    scope.onmessage!({data: {id: 7, slice, dates, paretoNbd: false}});
    const reply = replies.pop()!;
    expect(reply.id).toBe(7);
    if ("error" in reply) throw new Error(reply.error);
    const expected = refitSlice(slice, dates, {clock: () => 0});
    expect(reply.full.bgnbd.params).toEqual(expected.full.bgnbd.params);
    expect(reply.validation.holdout.actual).toBe(expected.validation.holdout.actual);
    expect(reply.ms).toBeGreaterThanOrEqual(0);
  });

  it("replies with the reason where the slice has no customer before the cut-off", () => {
    const empty = {...summary(0), x: [], t_x_days: [], T_days: [], holdout: [], n: []};
    scope.onmessage!({
      data: {
        id: 8,
        slice: {full: summary(0), validation: empty},
        dates: {end: "2025-06-30", calibrationEnd: "2025-01-01"},
        paretoNbd: false
      }
    });
    expect(replies.pop()).toEqual({id: 8, error: "no customer bought before 2025-01-01"});
  });
});
