// Customers summarised as (x, t_x, T) — repeat transactions, time of the last one and
// time since the first purchase, all measured from the first purchase — grouped into
// distinct triples with a count, so a likelihood is summed once per distinct triple.
// Groups keep the order in which each triple first appears. The distinct values of x, and of
// t_x and T together, are listed with each triple's index into them, so that a likelihood
// computes its terms in x (log-gammas) and in time (ln(α + t)) once per value: purchase
// days give a few dozen x and a few hundred times for thousands of triples.

/** One customer's calibration summary, in the model's time unit (e.g. weeks). */
export interface CustomerRfm {
  /** Number of repeat transactions (a non-negative integer). */
  x: number;
  /** Time of the last transaction after the first; 0 when x = 0. */
  tx: number;
  /** Time from the first transaction to the end of calibration (> 0, ≥ t_x). */
  T: number;
  /** How many customers share this summary (default 1). */
  weight?: number;
}

/** Distinct (x, t_x, T) with weights, as columns, plus the distinct x values. */
export interface RfmGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Number of distinct triples. */
  size: number;
  /** Σ weight (the number of customers when weights are counts). */
  totalWeight: number;
  /** The distinct values of x, and each triple's index into them (to compute x-only terms once). */
  xLevels: number[];
  xLevel: Int32Array;
  /** The distinct values of t_x and T, ascending, and each triple's index into them for its T and its t_x. */
  timeLevels: Float64Array;
  TLevel: Int32Array;
  txLevel: Int32Array;
}

/** Throws with the customer's position when a summary is not a valid (x, t_x, T). */
export function checkRfm({x, tx, T, weight = 1}: CustomerRfm, index: number): void {
  const where = `customer ${index} (x=${x}, t_x=${tx}, T=${T})`;
  if (!(Number.isInteger(x) && x >= 0)) throw new Error(`${where}: x must be a non-negative integer`);
  if (!(Number.isFinite(T) && T > 0)) throw new Error(`${where}: T must be positive and finite`);
  if (!(tx >= 0 && tx <= T)) throw new Error(`${where}: t_x must lie in [0, T]`);
  if (x === 0 && tx !== 0) throw new Error(`${where}: t_x must be 0 when x = 0`);
  if (!(Number.isFinite(weight) && weight >= 0)) throw new Error(`${where}: weight must be non-negative`);
}

/**
 * Groups customer summaries into distinct (x, t_x, T) triples weighted by how many
 * customers share each; invalid summaries throw (see checkRfm).
 *
 * @example groupRfm([{x: 0, tx: 0, T: 39}, {x: 0, tx: 0, T: 39}, {x: 2, tx: 30, T: 39}])
 * // → size 2, weight [2, 1], totalWeight 3, xLevels [0, 2], timeLevels [0, 30, 39]
 */
export function groupRfm(customers: Iterable<CustomerRfm>): RfmGroups {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  let i = 0;
  for (const customer of customers) {
    checkRfm(customer, i++);
    const key = `${customer.x} ${customer.tx} ${customer.T}`;
    const w = customer.weight ?? 1;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, x.length);
      x.push(customer.x);
      tx.push(customer.tx);
      T.push(customer.T);
      weight.push(w);
    } else {
      weight[at]! += w;
    }
  }
  return columnGroups(Float64Array.from(x), Float64Array.from(tx), Float64Array.from(T), Float64Array.from(weight));
}

/**
 * Groups from columns whose rows are already distinct triples with their weights (as SQL's
 * GROUP BY x, t_x, T gives them), kept as they are: a fit over a million customers needs
 * no row objects and no map of keys. Invalid rows throw (see checkRfm).
 *
 * @example rfmGroupsOfColumns({x: Float64Array.of(0, 2), tx: Float64Array.of(0, 30), T: Float64Array.of(39, 39), weight: Float64Array.of(2, 1)})
 * // → size 2, totalWeight 3, xLevels [0, 2]
 */
export function rfmGroupsOfColumns({
  x,
  tx,
  T,
  weight
}: {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}): RfmGroups {
  for (let i = 0; i < x.length; i++) checkRfm({x: x[i]!, tx: tx[i]!, T: T[i]!, weight: weight[i]!}, i);
  return columnGroups(x, tx, T, weight);
}

/** The distinct values of some columns, ascending, and each column's index into them. */
function levels(...columns: Float64Array[]): [Float64Array, Int32Array[]] {
  const distinct = Float64Array.from(new Set(columns.flatMap((column) => [...new Set(column)]))).sort();
  const levelOf = new Map(Array.from(distinct, (v, k) => [v, k]));
  return [distinct, columns.map((column) => Int32Array.from(column, (v) => levelOf.get(v)!))];
}

function columnGroups(x: Float64Array, tx: Float64Array, T: Float64Array, weight: Float64Array): RfmGroups {
  const [xLevels, [xLevel]] = levels(x);
  const [timeLevels, [TLevel, txLevel]] = levels(T, tx);
  return {
    x,
    tx,
    T,
    weight,
    size: x.length,
    totalWeight: weight.reduce((s, w) => s + w, 0),
    xLevels: [...xLevels],
    xLevel: xLevel!,
    timeLevels,
    TLevel: TLevel!,
    txLevel: txLevel!
  };
}
