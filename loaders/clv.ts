// Fitting the customer-equity models to a source: BG/NBD on the calibration period's
// distinct (x, t_x, T) with their counts (computed in SQL where the data lives, so only
// thousands of rows come back whatever the number of customers), Gamma-Gamma on the distinct
// (x, mean spend) of repeat buyers with their counts, and a check against the holdout period.
// On request, Pareto/NBD on the same triples, beside BG/NBD (npm run clv; the pages do not use it yet).
import {bgnbdConditionalExpectedPurchases} from "../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {fitBgNbd, type BgNbdFit} from "../src/core/models/bgnbdFit.js";
import {fitParetoNbd} from "../src/core/models/paretoNbdFit.js";
import type {ParetoNbdParams} from "../src/core/models/paretoNbdLikelihood.js";
import type {FitHealth} from "../src/core/models/positiveMle.js";
import {rfmGroupsOfColumns, type RfmGroups} from "../src/core/models/rfmGroups.js";
import {fitGammaGamma, type GammaGammaFit} from "../src/core/models/gammaGammaFit.js";
import type {CustomerSpend} from "../src/core/models/gammaGammaLikelihood.js";
import {calibrationAggregatesSql, summaryAggregatesSql} from "../src/core/sql/clvSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import type {SqlSession} from "./sqlSession.js";

export interface HoldoutByFrequency {
  /** Repeat purchases in calibration; the last bucket holds this many or more. */
  x: number;
  customers: number;
  /** Mean purchase days per customer in the holdout: observed, and expected by the model. */
  actual: number;
  expected: number;
}

/** The Pareto/NBD fit as npm run clv prints it. */
export interface ParetoNbdSummary {
  params: ParetoNbdParams;
  standard_errors: ParetoNbdParams;
  log_likelihood: number;
  /** Milliseconds the fit took (not the query). */
  fit_ms: number;
  converged: boolean;
  health: FitHealth;
}

export interface ClvFit {
  calibration_end: string;
  holdout_end: string;
  /** Weeks from the calibration end to the holdout end. */
  holdout_weeks: number;
  customers: number;
  bgnbd: BgNbdFit;
  gamma_gamma: GammaGammaFit | null;
  /** Only when asked for (fitClv's paretoNbd option). */
  pareto_nbd?: ParetoNbdSummary;
  holdout: {actual: number; expected: number; error: number; by_frequency: HoldoutByFrequency[]};
}

/**
 * Optimiser settings: the per-customer log-likelihood's gradient (in log-parameters) below
 * 1e-6, where its estimates agree with the published ones to six digits; the models' own
 * default (1e-8) can sit at rounding noise on tens of thousands of customers.
 */
export const clvFitOptions = {gradientTolerance: 1e-6};

/** Calibration-frequency buckets of the holdout comparison: 0, 1, …, 6 and 7 or more. */
export const frequencyBuckets = 7;

/** What the fits take from the source: the distinct (x, t_x, T), the distinct spends, and each triple's holdout days. */
export interface ClvSummary {
  triples: RfmGroups;
  spends: CustomerSpend[];
  /** Purchase days in the holdout of the customers of each triple, in the triples' order. */
  holdout: Float64Array;
}

/**
 * The calibration summary the fits need, from one query in the source: only the distinct
 * (x, t_x, T) and (x, spend) with their counts (on the CDNOW master: 14,668 rows for 23,570
 * customers), never a transaction. `days` as in fitClv.
 */
export async function readClvSummary(
  session: SqlSession,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string | {summary: string}
): Promise<ClvSummary> {
  if (holdoutEnd < calibrationEnd)
    throw new Error(`holdout end ${holdoutEnd} is before calibration end ${calibrationEnd}`);
  days ??= purchaseDaysSql(await session.checked("transactions"));
  const aggregates =
    typeof days === "string"
      ? calibrationAggregatesSql(session.dialect, calibrationEnd, holdoutEnd, days)
      : summaryAggregatesSql(days.summary);
  // As columns (a million customers can have hundreds of thousands of distinct rows), in the
  // aggregates' own order (kind 'bgnbd' before 'spend'), so the triples come first.
  const rows = await session.columns<"is_spend" | "x" | "t_x" | "T" | "spend" | "n" | "holdout">(
    `SELECT (kind = 'spend')::INTEGER AS is_spend, x, t_x, "T", spend, n, holdout FROM (${aggregates}) a ORDER BY is_spend, x, t_x, "T", spend`,
    {what: "the customer-equity fit's calibration summary", table: "transactions"}
  );
  const firstSpend = rows.is_spend.indexOf(1);
  const triples = firstSpend === -1 ? rows.x.length : firstSpend;
  if (triples === 0) throw new Error(`no customer bought before ${calibrationEnd}`);
  const head = (column: Float64Array) => column.subarray(0, triples);
  return {
    triples: rfmGroupsOfColumns({x: head(rows.x), tx: head(rows.t_x), T: head(rows.T), weight: head(rows.n)}),
    spends: Array.from({length: rows.x.length - triples}, (_, k) => ({
      x: rows.x[triples + k]!,
      m: rows.spend[triples + k]!,
      weight: rows.n[triples + k]!
    })),
    holdout: head(rows.holdout)
  };
}

/**
 * Fits both models with the calibration period ending on calibrationEnd, and compares the
 * purchases they expect in (calibrationEnd, holdoutEnd] with those observed. The summary
 * comes from the source by readClvSummary. `days` selects the purchase days (customer_id,
 * day, revenue): by default from the session's transactions that pass the checks; the site
 * passes its table of them. Or `days` may be {summary}: a relation that already holds the
 * calibration summary for these dates (the site's own table of it). With `paretoNbd`,
 * Pareto/NBD is fitted to the same triples too.
 */
export async function fitClv(
  session: SqlSession,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string | {summary: string},
  {paretoNbd = false}: {paretoNbd?: boolean} = {}
): Promise<ClvFit> {
  const {triples, spends, holdout} = await readClvSummary(session, calibrationEnd, holdoutEnd, days);
  const bgnbd = fitBgNbd(triples, clvFitOptions);
  const gamma_gamma = spends.length >= 3 ? fitGammaGamma(spends, clvFitOptions) : null;

  const holdoutWeeks = (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / (7 * 86_400_000);
  const buckets = Array.from({length: frequencyBuckets + 1}, (_, x) => ({x, customers: 0, actual: 0, expected: 0}));
  for (let i = 0; i < triples.size; i++) {
    const x = triples.x[i]!;
    const n = triples.weight[i]!;
    const bucket = buckets[Math.min(x, frequencyBuckets)]!;
    bucket.customers += n;
    bucket.actual += holdout[i]!;
    bucket.expected +=
      n * bgnbdConditionalExpectedPurchases(bgnbd.params, holdoutWeeks, x, triples.tx[i]!, triples.T[i]!);
  }
  const actual = buckets.reduce((total, b) => total + b.actual, 0);
  const expected = buckets.reduce((total, b) => total + b.expected, 0);
  return {
    calibration_end: calibrationEnd,
    holdout_end: holdoutEnd,
    holdout_weeks: holdoutWeeks,
    customers: bgnbd.customers,
    bgnbd,
    gamma_gamma,
    ...(paretoNbd ? {pareto_nbd: paretoNbdSummary(triples)} : {}),
    holdout: {
      actual,
      expected,
      error: actual > 0 ? (expected - actual) / actual : NaN,
      by_frequency: buckets
        .filter((b) => b.customers > 0)
        .map((b) => ({
          x: b.x,
          customers: b.customers,
          actual: b.actual / b.customers,
          expected: b.expected / b.customers
        }))
    }
  };
}

function paretoNbdSummary(groups: RfmGroups): ParetoNbdSummary {
  const start = performance.now();
  const fit = fitParetoNbd(groups, clvFitOptions);
  return {
    params: fit.params,
    standard_errors: fit.standardErrors,
    log_likelihood: fit.logLikelihood,
    fit_ms: performance.now() - start,
    converged: fit.convergence.converged,
    health: fit.health
  };
}
