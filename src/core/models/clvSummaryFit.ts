// The customer-equity models fitted to a calibration summary (clvSql.ts's aggregates: the distinct
// (x, t_x, T, holdout purchases) and (x, mean spend) with their customers): BG/NBD on the triples,
// Gamma-Gamma on the repeat buyers' spends, and a check against the holdout period; on request,
// Pareto/NBD beside BG/NBD, both scored per customer and the one of the lower error chosen. Pure, so
// that npm run clv, the site's loader and the equity page's refit of a slice (in a Web Worker) fit
// the same inputs with the same code and get the same figures.
import {bgnbdConditionalExpectedPurchases} from "./bgnbdConditionalExpectedPurchases.js";
import {fitBgNbd, type BgNbdFit} from "./bgnbdFit.js";
import type {BgNbdParams} from "./bgnbdLikelihood.js";
import {gammaGammaExpectedSpend} from "./gammaGammaExpectedSpend.js";
import {
  chooseByHoldoutError,
  holdoutModelNames,
  holdoutPredictions,
  holdoutScorecard,
  spendHoldoutScorecard,
  type HoldoutModel,
  type HoldoutRows,
  type HoldoutScorecard,
  type SpendHoldoutRow,
  type SpendHoldoutScorecard
} from "./holdoutScorecard.js";
import {paretoNbdConditionalExpectedPurchases} from "./paretoNbdConditionalExpectedPurchases.js";
import {fitParetoNbd} from "./paretoNbdFit.js";
import type {ParetoNbdParams} from "./paretoNbdLikelihood.js";
import type {FitHealth} from "./positiveMle.js";
import {rfmGroupsOfColumns, type RfmGroups} from "./rfmGroups.js";
import type {RfmModelFit} from "./rfmModelFit.js";
import {fitGammaGamma, type GammaGammaFit} from "./gammaGammaFit.js";

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
  /** Of [r, α, s, β]; null where the observed information is not positive definite. */
  covariance: number[][] | null;
  log_likelihood: number;
  customers: number;
  /** Milliseconds the fit took (not the query). */
  fit_ms: number;
  converged: boolean;
  iterations: number;
  health: FitHealth;
  holdout: HoldoutScorecard;
  /** Its expected holdout purchases beside the observed, by calibration frequency (as ClvFit.holdout's for BG/NBD). */
  by_frequency: HoldoutByFrequency[];
}

/** BG/NBD as npm run clv prints it beside Pareto/NBD: the fit, its time and its holdout scorecard. */
export type BgNbdSummary = BgNbdFit & {
  standard_errors: BgNbdParams;
  log_likelihood: number;
  fit_ms: number;
  holdout: HoldoutScorecard;
};

/** Gamma-Gamma with its fit time and its check on the holdout (null without a holdout or a repeat buyer in it). */
export type GammaGammaSummary = GammaGammaFit & {fit_ms: number; holdout: SpendHoldoutScorecard | null};

export interface ClvFit {
  calibration_end: string;
  holdout_end: string;
  /** Weeks from the calibration end to the holdout end. */
  holdout_weeks: number;
  customers: number;
  bgnbd: BgNbdFit | BgNbdSummary;
  gamma_gamma: GammaGammaSummary | null;
  /** Only when asked for (fitClv's paretoNbd option), with the model of the lower holdout error and why. */
  pareto_nbd?: ParetoNbdSummary;
  chosen_model?: HoldoutModel;
  chosen_because?: string;
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

/** What the fits take from the source: the distinct (x, t_x, T), the distinct spends, and the customers' holdout days. */
export interface ClvSummary {
  triples: RfmGroups;
  /** The distinct (x, mean spend, mean spend in the holdout) of repeat buyers, with their customers. */
  spends: SpendHoldoutRow[];
  /** The distinct (triple, purchase days in the holdout) with their customers. */
  holdout: HoldoutRows;
}

/** summaryAggregatesSql's rows as columns: is_spend 0 (a triple's row, by x, t_x, T, holdout) before 1 (a spend's). */
export type ClvSummaryColumn = "is_spend" | "x" | "t_x" | "T" | "spend" | "n" | "holdout" | "holdout_spend";
export type ClvSummaryColumns = Record<ClvSummaryColumn, ArrayLike<number>>;

/**
 * The fits' summary from the aggregates' rows (summaryAggregatesSql, in its order: a triple's rows adjacent, the
 * triples before the spends). Throws where no customer bought before the calibration end.
 */
export function clvSummaryOfColumns(rows: ClvSummaryColumns, calibrationEnd: string): ClvSummary {
  const firstSpend = Array.prototype.indexOf.call(rows.is_spend, 1);
  const holdoutRows = firstSpend === -1 ? rows.x.length : firstSpend;
  if (holdoutRows === 0) throw new Error(`no customer bought before ${calibrationEnd}`);
  // Rows of one triple are adjacent (ordered by x, t_x, T): each new triple starts a group.
  const triple = new Int32Array(holdoutRows);
  const starts: number[] = [];
  for (let k = 0; k < holdoutRows; k++) {
    const same = k > 0 && rows.x[k] === rows.x[k - 1] && rows.t_x[k] === rows.t_x[k - 1] && rows.T[k] === rows.T[k - 1];
    if (!same) starts.push(k);
    triple[k] = starts.length - 1;
  }
  const weight = new Float64Array(starts.length);
  for (let k = 0; k < holdoutRows; k++) weight[triple[k]!]! += rows.n[k]!;
  const atStarts = (column: ArrayLike<number>) => Float64Array.from(starts, (k) => column[k]!);
  const triples = rfmGroupsOfColumns({x: atStarts(rows.x), tx: atStarts(rows.t_x), T: atStarts(rows.T), weight});
  return {
    triples,
    spends: Array.from({length: rows.x.length - holdoutRows}, (_, k) => ({
      x: rows.x[holdoutRows + k]!,
      m: rows.spend[holdoutRows + k]!,
      holdout: rows.holdout_spend[holdoutRows + k]!,
      weight: rows.n[holdoutRows + k]!
    })),
    holdout: {
      triples,
      triple,
      actual: Float64Array.from({length: holdoutRows}, (_, k) => rows.holdout[k]!),
      customers: Float64Array.from({length: holdoutRows}, (_, k) => rows.n[k]!)
    }
  };
}

/**
 * Fits both models to a calibration summary ending on calibrationEnd, and compares the purchases they expect in
 * (calibrationEnd, holdoutEnd] with those observed. With `paretoNbd`, Pareto/NBD is fitted to the same triples too,
 * both models get their fit times (by `clock`, in milliseconds) and holdout scorecards (holdoutScorecard.ts), and the
 * one of the lower holdout error is chosen.
 */
export function fitClvSummary(
  {triples, spends, holdout}: ClvSummary,
  calibrationEnd: string,
  holdoutEnd: string,
  {paretoNbd = false, clock}: {paretoNbd?: boolean; clock: () => number}
): ClvFit {
  const bgnbdStart = clock();
  const bgnbd = fitBgNbd(triples, clvFitOptions);
  const bgnbdMs = clock() - bgnbdStart;
  const holdoutWeeks = (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / (7 * 86_400_000);
  const gamma_gamma = spends.length >= 3 ? fitSpend(spends, holdoutWeeks, clock) : null;

  const expected = holdoutPredictions(triples, holdoutWeeks, (t, x, tx, T) =>
    bgnbdConditionalExpectedPurchases(bgnbd.params, t, x, tx, T)
  );
  const {byFrequency, actual: actualTotal, expected: expectedTotal} = holdoutByFrequency(holdout, expected);
  return {
    calibration_end: calibrationEnd,
    holdout_end: holdoutEnd,
    holdout_weeks: holdoutWeeks,
    customers: bgnbd.customers,
    bgnbd,
    gamma_gamma,
    ...(paretoNbd ? modelComparison(bgnbd, bgnbdMs, expected, holdout, holdoutWeeks, clock) : {}),
    holdout: {
      actual: actualTotal,
      expected: expectedTotal,
      error: actualTotal > 0 ? (expectedTotal - actualTotal) / actualTotal : NaN,
      by_frequency: byFrequency
    }
  };
}

/** Gamma-Gamma on the repeat buyers' spends, timed, and checked on the holdout's spends where there is one. */
function fitSpend(spends: SpendHoldoutRow[], holdoutWeeks: number, clock: () => number): GammaGammaSummary {
  const start = clock();
  const fit = fitGammaGamma(spends, clvFitOptions);
  const fitMs = clock() - start;
  const holdout =
    holdoutWeeks > 0 ? spendHoldoutScorecard(spends, (x, m) => gammaGammaExpectedSpend(fit.params, x, m)) : null;
  return {...fit, fit_ms: fitMs, holdout};
}

/**
 * Mean holdout purchases per customer, observed and expected from per-triple predictions, by calibration frequency
 * (0, 1, …, frequencyBuckets or more; empty buckets left out), and the totals.
 */
function holdoutByFrequency(
  holdout: HoldoutRows,
  predicted: Float64Array
): {byFrequency: HoldoutByFrequency[]; actual: number; expected: number} {
  const buckets = Array.from({length: frequencyBuckets + 1}, (_, x) => ({x, customers: 0, actual: 0, expected: 0}));
  for (let k = 0; k < holdout.triple.length; k++) {
    const i = holdout.triple[k]!;
    const n = holdout.customers[k]!;
    const bucket = buckets[Math.min(holdout.triples.x[i]!, frequencyBuckets)]!;
    bucket.customers += n;
    bucket.actual += n * holdout.actual[k]!;
    bucket.expected += n * predicted[i]!;
  }
  return {
    byFrequency: buckets
      .filter((b) => b.customers > 0)
      .map((b) => ({
        x: b.x,
        customers: b.customers,
        actual: b.actual / b.customers,
        expected: b.expected / b.customers
      })),
    actual: buckets.reduce((total, b) => total + b.actual, 0),
    expected: buckets.reduce((total, b) => total + b.expected, 0)
  };
}

/** Pareto/NBD fitted beside BG/NBD, both scored on the holdout, and the one of the lower error chosen. */
function modelComparison(
  bgnbd: BgNbdFit,
  bgnbdMs: number,
  bgnbdPredicted: Float64Array,
  holdout: HoldoutRows,
  holdoutWeeks: number,
  clock: () => number
): Pick<ClvFit, "bgnbd" | "pareto_nbd" | "chosen_model" | "chosen_because"> {
  const start = clock();
  const fit = fitParetoNbd(holdout.triples, clvFitOptions);
  const paretoMs = clock() - start;
  const paretoPredicted = holdoutPredictions(holdout.triples, holdoutWeeks, (t, x, tx, T) =>
    paretoNbdConditionalExpectedPurchases(fit.params, t, x, tx, T)
  );
  const bgnbdScorecard = holdoutScorecard(holdout, bgnbdPredicted);
  const paretoScorecard = holdoutScorecard(holdout, paretoPredicted);
  const {chosen, because} = chooseByHoldoutError(
    {key: "bgnbd" as const, name: holdoutModelNames.bgnbd, predicted: bgnbdPredicted, scorecard: bgnbdScorecard},
    {
      key: "pareto_nbd" as const,
      name: holdoutModelNames.pareto_nbd,
      predicted: paretoPredicted,
      scorecard: paretoScorecard
    },
    holdout
  );
  return {
    bgnbd: {
      ...bgnbd,
      standard_errors: bgnbd.standardErrors,
      log_likelihood: bgnbd.logLikelihood,
      fit_ms: bgnbdMs,
      holdout: bgnbdScorecard
    },
    pareto_nbd: {
      params: fit.params,
      standard_errors: fit.standardErrors,
      covariance: fit.covariance ?? null,
      log_likelihood: fit.logLikelihood,
      customers: fit.customers,
      fit_ms: paretoMs,
      converged: fit.convergence.converged,
      iterations: fit.convergence.iterations,
      health: fit.health,
      holdout: paretoScorecard,
      by_frequency: holdoutByFrequency(holdout, paretoPredicted).byFrequency
    },
    chosen_model: chosen,
    chosen_because: because
  };
}

/**
 * A calibration summary as it ships to the browser for a refit (equity_slices.json.gz): the triples' rows with t_x and T
 * in whole days (clvSql.ts measures weeks as days / 7, so days × 7 / 7 gives back the same doubles), and the spends'
 * rows apart, so that no row carries the other kind's empty columns.
 */
export interface ShippedClvSummary {
  x: number[];
  t_x_days: number[];
  T_days: number[];
  holdout: number[];
  n: number[];
  spend_x: number[];
  spend: number[];
  /** The mean spend in the holdout; null without a purchase then. */
  spend_holdout: (number | null)[];
  spend_n: number[];
}

/** The aggregates' columns (summaryAggregatesSql's rows, in its order) as they ship. */
export function shipClvSummary(rows: ClvSummaryColumns): ShippedClvSummary {
  const shipped: ShippedClvSummary = {
    x: [],
    t_x_days: [],
    T_days: [],
    holdout: [],
    n: [],
    spend_x: [],
    spend: [],
    spend_holdout: [],
    spend_n: []
  };
  for (let k = 0; k < rows.x.length; k++) {
    if (rows.is_spend[k]) {
      shipped.spend_x.push(rows.x[k]!);
      shipped.spend.push(rows.spend[k]!);
      shipped.spend_holdout.push(Number.isNaN(rows.holdout_spend[k]) ? null : rows.holdout_spend[k]!);
      shipped.spend_n.push(rows.n[k]!);
    } else {
      shipped.x.push(rows.x[k]!);
      shipped.t_x_days.push(Math.round(rows.t_x[k]! * 7));
      shipped.T_days.push(Math.round(rows.T[k]! * 7));
      shipped.holdout.push(rows.holdout[k]!);
      shipped.n.push(rows.n[k]!);
    }
  }
  return shipped;
}

/** The fits' summary of a shipped one (shipClvSummary's inverse, then clvSummaryOfColumns). */
export function clvSummaryOfShipped(shipped: ShippedClvSummary, calibrationEnd: string): ClvSummary {
  const [triples, spends] = [shipped.x.length, shipped.spend_x.length];
  const none = (length: number) => new Array<number>(length).fill(NaN);
  return clvSummaryOfColumns(
    {
      is_spend: [...new Array<number>(triples).fill(0), ...new Array<number>(spends).fill(1)],
      x: [...shipped.x, ...shipped.spend_x],
      t_x: [...shipped.t_x_days.map((days) => days / 7), ...none(spends)],
      T: [...shipped.T_days.map((days) => days / 7), ...none(spends)],
      spend: [...none(triples), ...shipped.spend],
      n: [...shipped.n, ...shipped.spend_n],
      holdout: [...shipped.holdout, ...none(spends)],
      holdout_spend: [...none(triples), ...shipped.spend_holdout.map((spend) => spend ?? NaN)]
    },
    calibrationEnd
  );
}

/** One slice's shipped summaries (equity_slices.json.gz): at the data's end, and at the cut-off with the holdout after it. */
export interface SliceSummaries {
  full: ShippedClvSummary;
  validation: ShippedClvSummary;
}

/** A slice's models on all its data up to `end` (what its customers are worth), as npm run clv -- --channel fits them. */
export function refitSliceAll({full}: SliceSummaries, end: string, clock: () => number): ClvFit {
  return fitClvSummary(clvSummaryOfShipped(full, end), end, end, {clock});
}

/**
 * A slice's check: the models fitted up to `calibrationEnd` and scored on the weeks to `end`, with Pareto/NBD beside
 * BG/NBD when asked (the slowest fit by far: 104 ms of the CDNOW master's, bench/clv.ts).
 */
export function refitSliceCheck(
  {validation}: SliceSummaries,
  {end, calibrationEnd}: {end: string; calibrationEnd: string},
  {paretoNbd = false, clock}: {paretoNbd?: boolean; clock: () => number}
): ClvFit {
  return fitClvSummary(clvSummaryOfShipped(validation, calibrationEnd), calibrationEnd, end, {paretoNbd, clock});
}

/**
 * A slice refitted as the equity page shows it (in a Web Worker, refitSliceAll's first, then refitSliceCheck's) and
 * npm run clv -- --channel prints it: the models on all the data and the check.
 */
export function refitSlice(
  slice: SliceSummaries,
  dates: {end: string; calibrationEnd: string},
  options: {paretoNbd?: boolean; clock: () => number}
): {full: ClvFit; validation: ClvFit} {
  return {full: refitSliceAll(slice, dates.end, options.clock), validation: refitSliceCheck(slice, dates, options)};
}

/** Both fits as the equity page shows them (equity.json's `full`, and a refitted slice's): parameters, standard errors, health. */
export function clvFitSummary({bgnbd, gamma_gamma}: ClvFit) {
  return {bgnbd: modelSummary(bgnbd), gamma_gamma: gamma_gamma && modelSummary(gamma_gamma)};
}

/** A fitted model in the keys the site and npm run clv print. */
function modelSummary<P>(
  fit: Pick<RfmModelFit<P>, "params" | "standardErrors" | "logLikelihood" | "customers" | "convergence" | "health">
) {
  return {
    params: fit.params,
    standard_errors: fit.standardErrors,
    log_likelihood: fit.logLikelihood,
    customers: fit.customers,
    converged: fit.convergence.converged,
    iterations: fit.convergence.iterations,
    health: fit.health
  };
}

/**
 * The fit as npm run clv prints it: every model under its own key (bgnbd, pareto_nbd, gamma_gamma), each with its
 * parameters, standard errors and covariance, log-likelihood, fit time in milliseconds and holdout scorecard (null
 * where there is no holdout), then the model chosen by the holdout and why, and BG/NBD's holdout by frequency.
 */
export function printedClvFit(fit: ClvFit) {
  const {bgnbd, gamma_gamma, pareto_nbd} = fit;
  return {
    calibration_end: fit.calibration_end,
    holdout_end: fit.holdout_end,
    holdout_weeks: fit.holdout_weeks,
    customers: fit.customers,
    bgnbd: {
      ...modelSummary(bgnbd),
      covariance: bgnbd.covariance ?? null,
      fit_ms: "fit_ms" in bgnbd ? bgnbd.fit_ms : null,
      holdout: "holdout" in bgnbd ? bgnbd.holdout : null
    },
    pareto_nbd: pareto_nbd ?? null,
    gamma_gamma: gamma_gamma && {
      ...modelSummary(gamma_gamma),
      covariance: gamma_gamma.covariance ?? null,
      fit_ms: gamma_gamma.fit_ms,
      holdout: gamma_gamma.holdout
    },
    chosen_model: fit.chosen_model ?? null,
    chosen_because: fit.chosen_because ?? null,
    holdout: fit.holdout
  };
}

export type PrintedClvFit = ReturnType<typeof printedClvFit>;

/**
 * Both models' check on the holdout, as the page compares them: each one's scorecard (holdoutScorecard.ts) and its
 * expected purchases by calibration frequency, the model of the lower error and why. Not their fit times, which differ
 * from run to run (the same data give the same files).
 */
export function holdoutComparison({bgnbd, pareto_nbd, holdout, chosen_model, chosen_because}: ClvFit) {
  if (!pareto_nbd || !("holdout" in bgnbd)) throw new Error("holdoutComparison: fitClv was not asked for Pareto/NBD");
  return {
    models: {
      bgnbd: {holdout: bgnbd.holdout, by_frequency: holdout.by_frequency},
      pareto_nbd: {
        params: pareto_nbd.params,
        standard_errors: pareto_nbd.standard_errors,
        health: pareto_nbd.health,
        holdout: pareto_nbd.holdout,
        by_frequency: pareto_nbd.by_frequency
      }
    },
    chosen_model,
    chosen_because
  };
}
