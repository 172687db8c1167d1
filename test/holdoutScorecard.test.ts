// The holdout scorecard on Fader & Hardie's CDNOW sample (../shared/datasets; skipped where absent),
// calibration to 1997-09-30 and holdout to 1998-06-30 (39 weeks), against an independent computation:
// test/fixtures/reference/holdout_scorecard.json is what holdout_scorecard.py printed, reading the raw
// file without SQL and predicting with mpmath at the published estimates.
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {fitClv, readClvSummary} from "../loaders/clv.js";
import type {BgNbdSummary, HoldoutByFrequency} from "../src/core/models/clvSummaryFit.js";
import {withDuckDB} from "../loaders/duckdb.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {duckdbSession} from "../loaders/sqlSession.js";
import {bgnbdConditionalExpectedPurchases} from "../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {
  holdoutPredictions,
  holdoutScorecard,
  type ConditionalExpectation,
  type HoldoutScorecard
} from "../src/core/models/holdoutScorecard.js";
import {paretoNbdConditionalExpectedPurchases} from "../src/core/models/paretoNbdConditionalExpectedPurchases.js";
import {runIngest} from "./ingestHelpers.js";

const datasets = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));
const present = existsSync(datasets);
if (!present) console.warn(`skipping the CDNOW holdout scorecard tests: ${datasets} is absent`);

interface Reference {
  holdout_weeks: number;
  bgnbd: {params: number[]; scorecard: HoldoutScorecard};
  pareto_nbd: {params: number[]; scorecard: HoldoutScorecard};
}
const reference = JSON.parse(
  readFileSync(new URL("fixtures/reference/holdout_scorecard.json", import.meta.url), "utf-8")
) as Reference;

/** Every figure of the scorecard within a relative 1e-9 of the reference's, counts exactly. */
function expectScorecard(ours: HoldoutScorecard, theirs: HoldoutScorecard) {
  const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), what).toBeLessThan(1e-9 * Math.abs(b));
  expect([ours.customers, ours.actual]).toEqual([theirs.customers, theirs.actual]);
  for (const k of ["predicted", "mae", "rmse", "bias", "bias_share"] as const) close(ours[k], theirs[k], k);
  expect(ours.deciles.map((d) => [d.decile, d.customers])).toEqual(theirs.deciles.map((d) => [d.decile, d.customers]));
  ours.deciles.forEach((d, i) => {
    close(d.predicted, theirs.deciles[i]!.predicted, `decile ${d.decile} predicted`);
    close(d.actual, theirs.deciles[i]!.actual, `decile ${d.decile} actual`);
  });
}

describe.skipIf(!present)("the holdout scorecard on the CDNOW sample, 1997-09-30 to 1998-06-30", () => {
  const ingested = runIngest("cdnow", [`${datasets}cdnow_sample.txt.gz`], {asOf: "2000-01-01"});
  const open = async <T>(run: (session: ReturnType<typeof duckdbSession>) => Promise<T>) => {
    const {dir} = await ingested;
    return withDuckDB(async (connection) => {
      await openSourceFolder(connection, dir);
      return run(duckdbSession(connection));
    });
  };

  it("scores BG/NBD and Pareto/NBD at the published estimates as the independent computation does", async () => {
    const {holdout} = await open((session) => readClvSummary(session, "1997-09-30", "1998-06-30"));
    expect(reference.holdout_weeks).toBe(39);
    const score = (expectation: ConditionalExpectation) =>
      holdoutScorecard(holdout, holdoutPredictions(holdout.triples, 39, expectation));
    const [r, alpha, a, b] = reference.bgnbd.params as [number, number, number, number];
    expectScorecard(
      score((t, x, tx, T) => bgnbdConditionalExpectedPurchases({r, alpha, a, b}, t, x, tx, T)),
      reference.bgnbd.scorecard
    );
    const [pr, palpha, s, beta] = reference.pareto_nbd.params as [number, number, number, number];
    expectScorecard(
      score((t, x, tx, T) => paretoNbdConditionalExpectedPurchases({r: pr, alpha: palpha, s, beta}, t, x, tx, T)),
      reference.pareto_nbd.scorecard
    );
  });

  it("fits both models, scores each on the holdout and keeps BG/NBD, the two errors being within noise", async () => {
    const fit = await open((session) => fitClv(session, "1997-09-30", "1998-06-30", undefined, {paretoNbd: true}));
    const bgnbd = fit.bgnbd as BgNbdSummary;
    const pareto = fit.pareto_nbd!;
    // The fitted estimates are the published ones to 3 or 4 digits: so are their scorecards, to about 1e-3.
    for (const [ours, theirs] of [
      [bgnbd.holdout, reference.bgnbd.scorecard],
      [pareto.holdout, reference.pareto_nbd.scorecard]
    ] as const) {
      expect([ours.customers, ours.actual]).toEqual([2357, 1882]);
      expect(Math.abs(ours.predicted / theirs.predicted - 1)).toBeLessThan(1e-3);
      expect(Math.abs(ours.rmse / theirs.rmse - 1)).toBeLessThan(1e-3);
      expect(Math.abs(ours.mae / theirs.mae - 1)).toBeLessThan(1e-3);
    }
    // The scorecard's total is the holdout check's, and its actual purchases those counted by frequency.
    expect(bgnbd.holdout.predicted).toBeCloseTo(fit.holdout.expected, 9);
    expect(bgnbd.holdout.actual).toBe(fit.holdout.actual);
    // Pareto/NBD's expectations by calibration frequency (the equity page's check): the same customers and observed
    // purchases as BG/NBD's buckets, and its own expectations, which add up to its scorecard's total.
    const observed = ({x, customers, actual}: HoldoutByFrequency) => ({x, customers, actual});
    expect(pareto.by_frequency.map(observed)).toEqual(fit.holdout.by_frequency.map(observed));
    expect(pareto.by_frequency.reduce((total, b) => total + b.customers * b.expected, 0)).toBeCloseTo(
      pareto.holdout.predicted,
      6
    );
    expect(pareto.by_frequency.map((b) => b.expected)).not.toEqual(fit.holdout.by_frequency.map((b) => b.expected));
    expect(bgnbd.fit_ms).toBeGreaterThan(0);
    expect(bgnbd.standard_errors).toEqual(bgnbd.standardErrors);
    expect(bgnbd.log_likelihood).toBe(bgnbd.logLikelihood);
    // RMSE 1.608 against 1.603: Pareto/NBD's lower by 0.3 %, well within the customers' noise.
    expect(fit.chosen_model).toBe("bgnbd");
    expect(fit.chosen_because).toMatch(
      /^BG\/NBD: the two models' holdout errors per customer \(RMSE BG\/NBD 1\.60\d, Pareto\/NBD 1\.60\d purchases\) differ by no more than chance would explain/
    );
  });
});
