// The customer's state at a period end: one definition for every page and report that counts
// who is new, active, at risk, lapsed, lost or reactivated (the retention page's states and
// call list, the lifecycle's decline and lost stages, the overview's at-risk card, the segment
// reports). It is SQL over a customer's figures at the period end, so that it runs next to the
// data in native DuckDB, DuckDB-WASM or a warehouse alike.
import type {BgNbdParams} from "../models/bgnbdLikelihood.js";
import {bgnbdProbabilityAliveSql} from "../models/bgnbdProbabilityAlive.js";
import {countOf} from "../format/format.js";
import {daysLiteral, literal, numberLiteral} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/** The states, in the order a customer's relationship runs through them. */
export const customerStates = ["new", "active", "at risk", "lapsed", "lost", "reactivated"] as const;
export type CustomerState = (typeof customerStates)[number];

/** The states of customers slipping away but not yet gone: the call list, the lifecycle's decline. */
export const slippingStates: readonly CustomerState[] = ["at risk", "lapsed"];

export interface StateRules {
  /** Lapsed: silent for at least this many days (the inactivity window). */
  inactivityDays: number;
  /** Lost: silent for at least this many days (the longer horizon; by default twice the window). */
  lostDays: number;
  /** At risk: silent longer than k × the customer's usual gap between purchases ... */
  k: number;
  /** ... with at least this many purchase days (two gaps at the default), so that the gap means something. */
  minPurchases: number;
  /** At risk: the model's P(active) at the period end below this (where the model can tell dropout). */
  minPAlive: number;
}

/** The fewest purchase days (two gaps) for a customer's usual gap to mean something: the at-risk rule's default, and overdue's. */
export const rhythmMinPurchases = 3;

/** The rules' defaults, given the data's inactivity window (the retention page's: nine in ten gaps are shorter). */
export function defaultStateRules(inactivityDays: number): StateRules {
  return {inactivityDays, lostDays: 2 * inactivityDays, k: 2, minPurchases: rhythmMinPurchases, minPAlive: 0.3};
}

/** Refuses day counts that are not whole numbers ≥ 1, a lost horizon shorter than the window, k ≤ 0, fewer than two purchases for a rhythm and a P(active) outside [0, 1]. */
export function checkStateRules(r: StateRules): void {
  daysLiteral(r.inactivityDays, "the inactivity window");
  daysLiteral(r.lostDays, "the lost horizon");
  if (r.lostDays < r.inactivityDays)
    throw new Error(
      `the lost horizon (${r.lostDays} days) is shorter than the inactivity window (${r.inactivityDays})`
    );
  if (!(Number.isFinite(r.k) && r.k > 0)) throw new Error(`k must be positive: ${String(r.k)}`);
  if (!(Number.isInteger(r.minPurchases) && r.minPurchases >= 2))
    throw new Error(`a usual gap needs at least two purchase days: ${String(r.minPurchases)}`);
  if (!(r.minPAlive >= 0 && r.minPAlive <= 1))
    throw new Error(`the lowest P(active) must lie in [0, 1]: ${String(r.minPAlive)}`);
}

/** The rule in one sentence, for every place a state is counted. withModel: whether P(active) is part of it. */
export function stateRuleSentence(r: StateRules, withModel: boolean): string {
  return (
    `At each month end a customer is new in the month of their first purchase, reactivated in a month they buy after lapsing, ` +
    `lost after ${countOf(r.lostDays, "day")} without a purchase, lapsed after ${countOf(r.inactivityDays, "day")}, ` +
    `at risk when silent more than ${r.k} × their usual gap between purchases (with at least ${r.minPurchases} purchase days)` +
    `${withModel ? ` or when the model gives them less than a ${Math.round(r.minPAlive * 100)} % chance of still being a customer` : ""}, ` +
    `and active otherwise.`
  );
}

/** SQL expressions for one customer at one period end: every one a column or an expression of the query that uses them. */
export interface StateColumns {
  /** The period end (a DATE). */
  end: string;
  /** The first day of the period (a DATE). */
  periodStart: string;
  /** The customer's first purchase day, and their last and number of purchase days up to the end. */
  first: string;
  last: string;
  purchases: string;
  /** Their last purchase day before the period (NULL if none). */
  lastBefore: string;
  /** Whether they were already a customer when the data start (dataEdges.ts): never new. */
  already: string;
}

/**
 * P(active) at the period end under BG/NBD (bgnbdProbabilityAlive.ts), from the customer's
 * figures there: x = repeat purchase days, t_x and T in weeks from the first purchase, as
 * the calibration summary measures them (clvSql.ts). So the same parameters say what the
 * model would have said at every earlier month end, not only at the data's end.
 */
export function pAliveAtSql(model: BgNbdParams, c: Pick<StateColumns, "end" | "first" | "last" | "purchases">): string {
  return bgnbdProbabilityAliveSql(model, {
    x: `(${c.purchases} - 1)`,
    tx: `(CAST(${c.last} - ${c.first} AS DOUBLE PRECISION) / 7)`,
    T: `(CAST(${c.end} - ${c.first} AS DOUBLE PRECISION) / 7)`
  });
}

/** SQL: the customer's usual gap between purchase days, (last − first) / (purchases − 1); NULL with one. */
export function usualGapSql(c: Pick<StateColumns, "first" | "last" | "purchases">): string {
  return `CASE WHEN ${c.purchases} >= 2 THEN CAST(${c.last} - ${c.first} AS DOUBLE PRECISION) / (${c.purchases} - 1) END`;
}

type GapColumns = Pick<StateColumns, "end" | "first" | "last" | "purchases">;

/** SQL: silent (end − last) longer than k × the usual gap, with at least minPurchases purchase days; false otherwise. */
function silentBeyondGapSql(c: GapColumns, k: number, minPurchases: number): string {
  return `coalesce(${c.purchases} >= ${minPurchases} AND ${c.end} - ${c.last} > ${numberLiteral(k)} * ${usualGapSql(c)}, false)`;
}

/**
 * SQL: overdue, silent longer than the customer's own usual gap between purchases (the at-risk
 * rule's rhythm part with k = 1), with at least minPurchases purchase days (the at-risk rule's).
 * A customer is overdue before they are at risk: a sign to watch, not a state.
 */
export function overdueSql(c: GapColumns, minPurchases = rhythmMinPurchases): string {
  return silentBeyondGapSql(c, 1, minPurchases);
}

/**
 * overdueSql over a calibration summary's columns (clvSql.ts: x repeat purchase days, t_x and T
 * in weeks from the first purchase): the days counted from the first purchase, rounded back to
 * the whole days they were divided from, so that a silence equal to the gap is not overdue.
 */
export function summaryOverdueSql({x = "x", tx = "t_x", T = '"T"'} = {}): string {
  return overdueSql({first: "0", last: `round(7 * ${tx})`, end: `round(7 * ${T})`, purchases: `(${x} + 1)`});
}

/** SQL conditions of the at-risk rule's two parts: silent beyond k × the usual gap, and P(active) (pAlive: an expression or null) below the threshold. */
function atRiskSql(c: StateColumns, r: StateRules, pAlive: string | null) {
  return {
    rhythm: silentBeyondGapSql(c, r.k, r.minPurchases),
    model: pAlive === null ? "false" : `coalesce(${pAlive} < ${numberLiteral(r.minPAlive)}, false)`
  };
}

/**
 * SQL: the customer's state at the period end (one of customerStates), the rules tried in this order:
 *   new          first purchase in the period, and not already a customer when the data start;
 *   reactivated  a purchase in the period after being silent for at least the inactivity window
 *                at the end of the period before (lapsed or lost then);
 *   lost         silent for at least the lost horizon (end − last ≥ L);
 *   lapsed       silent for at least the inactivity window (end − last ≥ W);
 *   at risk      silent longer than k × their usual gap (with at least minPurchases purchase
 *                days), or P(active) below the threshold (pAlive, where a model is given);
 *   active       otherwise.
 * So every customer who has bought has exactly one state at every period end.
 */
export function customerStateSql(c: StateColumns, r: StateRules, pAlive: string | null): string {
  checkStateRules(r);
  const [w, l] = [numberLiteral(r.inactivityDays), numberLiteral(r.lostDays)];
  const risk = atRiskSql(c, r, pAlive);
  return `CASE WHEN ${c.first} >= ${c.periodStart} AND NOT ${c.already} THEN 'new'
     WHEN ${c.last} >= ${c.periodStart} AND ${c.periodStart} - ${c.lastBefore} > ${w} THEN 'reactivated'
     WHEN ${c.end} - ${c.last} >= ${l} THEN 'lost'
     WHEN ${c.end} - ${c.last} >= ${w} THEN 'lapsed'
     WHEN ${risk.rhythm} OR ${risk.model} THEN 'at risk'
     ELSE 'active' END`;
}

/**
 * SQL: why a customer slipping away (at risk or lapsed) is so, in words: every rule that holds,
 * joined by "; " (empty for the other states).
 */
export function stateReasonSql(dialect: Dialect, c: StateColumns, r: StateRules, pAlive: string | null): string {
  const risk = atRiskSql(c, r, pAlive);
  const silent = `(${c.end} - ${c.last})`;
  const gap = usualGapSql(c);
  return `concat_ws('; ',
    CASE WHEN ${silent} >= ${numberLiteral(r.inactivityDays)} THEN 'silent ' || CAST(${silent} AS VARCHAR) || ${literal(` days, past the ${r.inactivityDays}-day inactivity window`)} END,
    CASE WHEN ${risk.rhythm} THEN 'silent ' || ${dialect.doubleText(dialect.round(`${silent} / ${gap}`, 1))} || '× their usual gap of '
      || CAST(CAST(${dialect.round(gap, 0)} AS INTEGER) AS VARCHAR) || ' days' END,
    CASE WHEN ${risk.model} THEN 'P(active) ' || ${dialect.doubleText(dialect.round(pAlive ?? "NULL", 2))} || ${literal(`, below ${numberLiteral(r.minPAlive)}`)} END
  )`;
}
