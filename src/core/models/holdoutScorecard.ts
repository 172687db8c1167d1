// A model's holdout scorecard: its conditional expectations E[Y(t) | x, t_x, T] for the
// holdout period (Fader, Hardie & Lee 2005, BG/NBD eq. 10; Pareto/NBD eq. 41 of their note)
// set against each customer's observed holdout purchases. Totals, as in Fader & Hardie's
// holdout comparisons; errors per customer, as BTYDplus's vignette scores models by their
// mean absolute error over customers (Platzer, BTYDplus-HowTo.Rmd, whose "MAE" is divided
// by the actual total instead: mae × customers / actual here); calibration by decile of
// predicted purchases, as a lift table.
//
// The input is compact: the distinct (x, t_x, T) and, per triple, each distinct number of
// holdout purchases with its customers, so that per-customer errors are exact without a
// row per customer (customers of one triple share a prediction, not a holdout).
import type {RfmGroups} from "./rfmGroups.js";

/** The models scored on the holdout, by the keys npm run clv and the equity page use, with their names. */
export const holdoutModelNames = {bgnbd: "BG/NBD", pareto_nbd: "Pareto/NBD"} as const;
export type HoldoutModel = keyof typeof holdoutModelNames;

/** Calibration triples, and the distinct (triple, holdout purchases) rows with their customers. */
export interface HoldoutRows {
  triples: RfmGroups;
  /** Per row: the index of its triple in `triples`. */
  triple: Int32Array;
  /** Per row: each of its customers' purchases in the holdout. */
  actual: Float64Array;
  /** Per row: how many customers. */
  customers: Float64Array;
}

/** E[Y(t) | x, t_x, T], as bgnbdConditionalExpectedPurchases and paretoNbdConditionalExpectedPurchases take it after their parameters. */
export type ConditionalExpectation = (t: number, x: number, tx: number, T: number) => number;

/** Mean predicted and actual holdout purchases per customer in one decile of predicted purchases. */
export interface DecileCalibration {
  /** 1 (lowest predictions) to 10. */
  decile: number;
  customers: number;
  predicted: number;
  actual: number;
}

/** A model's predictions set against the holdout: what it expected and what was observed, and its errors. */
export interface HoldoutErrors {
  customers: number;
  predicted: number;
  actual: number;
  /** Per customer: mean |predicted − actual|, √(mean (predicted − actual)²), mean (predicted − actual). */
  mae: number;
  rmse: number;
  bias: number;
}

/** A purchase model's scorecard: `predicted` and `actual` are the total holdout purchases, expected and made. */
export interface HoldoutScorecard extends HoldoutErrors {
  /** (predicted − actual) / actual: NaN when no holdout purchase was made. */
  bias_share: number;
  /**
   * Customers ranked by predicted purchases and cut into tenths. Customers with equal predictions
   * stay together, in the decile of their middle customer's rank; a decile left empty by a large
   * tie is left out.
   */
  deciles: DecileCalibration[];
}

/** Each triple's expected holdout purchases over the next t time units. */
export function holdoutPredictions(triples: RfmGroups, t: number, expectation: ConditionalExpectation): Float64Array {
  const predicted = new Float64Array(triples.size);
  for (let i = 0; i < triples.size; i++) predicted[i] = expectation(t, triples.x[i]!, triples.tx[i]!, triples.T[i]!);
  return predicted;
}

/**
 * The scorecard of one model's per-triple predictions (holdoutPredictions).
 *
 * @example
 * // Two customers predicted 1 and 3 who made 0 and 4: total 4 vs 4, mae 1, rmse 1, bias 0.
 */
export function holdoutScorecard(rows: HoldoutRows, predicted: Float64Array): HoldoutScorecard {
  let customers = 0;
  let predictedTotal = 0;
  let actualTotal = 0;
  let absolute = 0;
  let squared = 0;
  for (let k = 0; k < rows.triple.length; k++) {
    const n = rows.customers[k]!;
    const p = predicted[rows.triple[k]!]!;
    const a = rows.actual[k]!;
    customers += n;
    predictedTotal += n * p;
    actualTotal += n * a;
    absolute += n * Math.abs(p - a);
    squared += n * (p - a) ** 2;
  }
  return {
    customers,
    predicted: predictedTotal,
    actual: actualTotal,
    mae: absolute / customers,
    rmse: Math.sqrt(squared / customers),
    bias: (predictedTotal - actualTotal) / customers,
    bias_share: actualTotal > 0 ? (predictedTotal - actualTotal) / actualTotal : NaN,
    deciles: decileCalibration(rows, predicted, customers)
  };
}

function decileCalibration(rows: HoldoutRows, predicted: Float64Array, customers: number): DecileCalibration[] {
  // A model that cannot forecast a customer (the models' limits: NaN) ranks nobody.
  if (rows.triple.some((i) => !Number.isFinite(predicted[i]))) return [];
  const order = Array.from(rows.triple.keys()).sort(
    (i, j) => predicted[rows.triple[i]!]! - predicted[rows.triple[j]!]!
  );
  const deciles = Array.from({length: 10}, (_, d) => ({decile: d + 1, customers: 0, predicted: 0, actual: 0}));
  let before = 0;
  for (let start = 0; start < order.length;) {
    // A block of equal predictions goes whole to the decile of its middle customer.
    const value = predicted[rows.triple[order[start]!]!]!;
    let end = start;
    let block = 0;
    while (end < order.length && predicted[rows.triple[order[end]!]!] === value)
      block += rows.customers[order[end++]!]!;
    const decile = deciles[Math.min(9, Math.floor((10 * (before + block / 2)) / customers))]!;
    for (let k = start; k < end; k++) {
      const n = rows.customers[order[k]!]!;
      decile.customers += n;
      decile.predicted += n * value;
      decile.actual += n * rows.actual[order[k]!]!;
    }
    before += block;
    start = end;
  }
  return deciles
    .filter((d) => d.customers > 0)
    .map((d) => ({...d, predicted: d.predicted / d.customers, actual: d.actual / d.customers}));
}

/**
 * Gamma-Gamma's check over the repeat buyers who bought in the holdout: `predicted` and `actual` are the means over
 * them of the expected spend per purchase day and of the observed.
 */
export type SpendHoldoutScorecard = HoldoutErrors;

/** A repeat buyer's calibration (x, mean spend m) with their holdout mean spend (NaN when they bought nothing then). */
export interface SpendHoldoutRow {
  x: number;
  m: number;
  holdout: number;
  /** How many customers share the row (default 1). */
  weight?: number;
}

/**
 * Gamma-Gamma's check on the holdout: E[M | x, m_x] (gammaGammaExpectedSpend, given here as `expected`) set against
 * each repeat buyer's mean spend per purchase day in the holdout, over the repeat buyers who bought then (as
 * lifetimes' plot_calibration_purchases_vs_holdout_purchases does for purchases, and Fader & Hardie's Gamma-Gamma note
 * compares expected with observed mean spend). Null when nobody qualifies.
 *
 * @example
 * // Two customers expected to spend 10 and 20 who spent 12 and 14: mean 15 vs 13, mae 4, rmse √20, bias 2.
 */
export function spendHoldoutScorecard(
  rows: readonly SpendHoldoutRow[],
  expected: (x: number, m: number) => number
): SpendHoldoutScorecard | null {
  let customers = 0;
  let predicted = 0;
  let actual = 0;
  let absolute = 0;
  let squared = 0;
  for (const {x, m, holdout, weight = 1} of rows) {
    if (!(holdout > 0)) continue;
    const p = expected(x, m);
    customers += weight;
    predicted += weight * p;
    actual += weight * holdout;
    absolute += weight * Math.abs(p - holdout);
    squared += weight * (p - holdout) ** 2;
  }
  if (customers === 0) return null;
  return {
    customers,
    predicted: predicted / customers,
    actual: actual / customers,
    mae: absolute / customers,
    rmse: Math.sqrt(squared / customers),
    bias: (predicted - actual) / customers
  };
}

/** A model in the holdout comparison. */
export interface HoldoutCandidate<Key extends string> {
  key: Key;
  /** Its name in the sentence, e.g. "BG/NBD". */
  name: string;
  predicted: Float64Array;
  scorecard: HoldoutScorecard;
}

/**
 * The better of two models by holdout RMSE per customer: RMSE rather than MAE because the
 * models predict means, which minimise squared error (MAE rewards the median, often 0 here).
 * A difference in mean squared error within two standard errors of the customers' paired
 * differences (e_first² − e_second²) is within noise: then the first candidate is kept. So it
 * is when the two RMSEs are within `negligible` (1 %) of each other: on many customers a
 * difference too small to matter can be beyond noise (two models that both find no dropout
 * predict alike, to the optimiser's last digits).
 */
export function chooseByHoldoutError<Key extends string>(
  first: HoldoutCandidate<Key>,
  second: HoldoutCandidate<Key>,
  rows: HoldoutRows,
  negligible = 0.01
): {chosen: Key; because: string} {
  let sum = 0;
  let sumSquares = 0;
  for (let k = 0; k < rows.triple.length; k++) {
    const i = rows.triple[k]!;
    const a = rows.actual[k]!;
    const d = (first.predicted[i]! - a) ** 2 - (second.predicted[i]! - a) ** 2;
    sum += rows.customers[k]! * d;
    sumSquares += rows.customers[k]! * d * d;
  }
  const n = first.scorecard.customers;
  const mean = sum / n;
  const standardError = n > 1 ? Math.sqrt(Math.max(0, sumSquares / n - mean * mean) / (n - 1)) : Infinity;
  const errors = `${first.name} ${first.scorecard.rmse.toFixed(3)}, ${second.name} ${second.scorecard.rmse.toFixed(3)}`;
  const unscored = [first, second].find((model) => !Number.isFinite(model.scorecard.rmse));
  if (unscored)
    return {
      chosen: first.key,
      because: `${first.name}: ${unscored.name} cannot forecast these customers' purchases (what the fit cannot tell), so there is no error to compare, and ${first.name} is kept as the default`
    };
  if (sumSquares === 0)
    return {
      chosen: first.key,
      because: `${first.name}: the two models make the same error for every customer (as when the holdout period is empty), so ${first.name} is kept as the default`
    };
  if (!(Math.abs(mean) > 2 * standardError))
    return {
      chosen: first.key,
      because: `${first.name}: the two models' holdout errors per customer (RMSE ${errors} purchases) differ by no more than chance would explain, so ${first.name} is kept as the default`
    };
  const [low, high] = [first.scorecard.rmse, second.scorecard.rmse].sort((a, b) => a - b);
  if (high! - low! <= negligible * low!)
    return {
      chosen: first.key,
      because: `${first.name}: the two models' holdout errors per customer (RMSE ${errors} purchases) are within ${100 * negligible} % of each other, so ${first.name} is kept as the default`
    };
  const better = mean > 0 ? second : first;
  return {
    chosen: better.key,
    because: `${better.name}: its holdout error per customer is the lower (RMSE ${errors} purchases), by more than chance would explain`
  };
}
