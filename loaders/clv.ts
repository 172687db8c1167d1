// Fitting the customer-equity models to a source: the calibration summary the fits need, read
// in SQL where the data lives (the distinct (x, t_x, T) with their counts and holdout purchases,
// and the distinct (x, mean spend) of repeat buyers, so only thousands of rows come back whatever
// the number of customers), then fitted by the core (clvSummaryFit.ts), as the equity page refits a slice.
import {
  clvSummaryOfColumns,
  fitClvSummary,
  type ClvFit,
  type ClvSummary,
  type ClvSummaryColumn
} from "../src/core/models/clvSummaryFit.js";
import {calibrationAggregatesSql, summaryAggregatesSql} from "../src/core/sql/clvSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import type {SqlSession} from "./sqlSession.js";

/**
 * The calibration summary the fits need, from one query in the source: only the distinct
 * (x, t_x, T, holdout days) and (x, spend, holdout spend) with their counts (on the CDNOW master, 1997-09-30 to
 * 1998-06-30: 9,525 and 5,983 rows for 23,570 customers in 8,685 triples), never a transaction.
 * `days` as in fitClv.
 */
export async function readClvSummary(
  session: SqlSession,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string | {summary: string}
): Promise<ClvSummary> {
  return clvSummaryOfColumns(await readClvSummaryColumns(session, calibrationEnd, holdoutEnd, days), calibrationEnd);
}

/** The same summary as the aggregates' columns (clvSummaryOfColumns builds the fits' summary from them): what ships for a refit in the browser. */
export async function readClvSummaryColumns(
  session: SqlSession,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string | {summary: string}
): Promise<Record<ClvSummaryColumn, Float64Array>> {
  if (holdoutEnd < calibrationEnd)
    throw new Error(`holdout end ${holdoutEnd} is before calibration end ${calibrationEnd}`);
  days ??= purchaseDaysSql(await session.checked("transactions"));
  const aggregates =
    typeof days === "string"
      ? calibrationAggregatesSql(session.dialect, calibrationEnd, holdoutEnd, days)
      : summaryAggregatesSql(days.summary);
  // As columns (a million customers can have hundreds of thousands of distinct rows), in the
  // aggregates' own order (kind 'bgnbd' before 'spend'), so the triples come first.
  return session.columns<ClvSummaryColumn>(
    `SELECT (kind = 'spend')::INTEGER AS is_spend, x, t_x, "T", spend, n, holdout, holdout_spend FROM (${aggregates}) a
     ORDER BY is_spend, x, t_x, "T", holdout, spend, holdout_spend`,
    {what: "the customer-equity fit's calibration summary", table: "transactions"}
  );
}

/**
 * Fits both models with the calibration period ending on calibrationEnd, and compares the
 * purchases they expect in (calibrationEnd, holdoutEnd] with those observed (fitClvSummary). The summary
 * comes from the source by readClvSummary. `days` selects the purchase days (customer_id,
 * day, revenue): by default from the session's transactions that pass the checks; the site
 * passes its table of them. Or `days` may be {summary}: a relation that already holds the
 * calibration summary for these dates (the site's own table of it). With `paretoNbd`,
 * Pareto/NBD is fitted beside BG/NBD and the one of the lower holdout error chosen. `clock` times the fits (in
 * milliseconds; a test that compares two fits stops it).
 */
export async function fitClv(
  session: SqlSession,
  calibrationEnd: string,
  holdoutEnd: string,
  days?: string | {summary: string},
  {paretoNbd = false, clock = () => performance.now()}: {paretoNbd?: boolean; clock?: () => number} = {}
): Promise<ClvFit> {
  const summary = await readClvSummary(session, calibrationEnd, holdoutEnd, days);
  return fitClvSummary(summary, calibrationEnd, holdoutEnd, {paretoNbd, clock});
}
