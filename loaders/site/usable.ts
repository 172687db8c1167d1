// Whether a source can make a site at all: its transactions have rows, and at least one
// customer has a purchase (a day with non-negative revenue, purchaseDaysSql's definition).
// Checked before any page's query runs, so that an empty or unusable source stops the build
// with one plain sentence instead of an engine's error from deep inside a page's query.
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import type {Settings} from "../settings.js";
import {redact, secretsOf} from "../source/postgres/redact.js";
import {sourceKind} from "../source/source.js";
import type {SqlSession} from "../sqlSession.js";
import {FatalInputError} from "../stage.js";

/** A source the site cannot be built from; the message names it, says what is wrong and what to do. */
export class UnusableSourceError extends FatalInputError {}

/** Throws UnusableSourceError when the source (named `name` in the message) has no transactions or no customer with a purchase. */
export async function checkUsableSource(session: SqlSession, name: string): Promise<void> {
  const transactions = await session.checked("transactions");
  const what = {what: "the source's transactions and buyers", table: "transactions"} as const;
  // A customer without returns who has a line of non-negative revenue has a purchase day: where one
  // does (nearly always), the returns need not be netted against the purchases to know that someone bought.
  const [counts] = await session.rows<{rows: number | string; witnesses: number | string}>(
    // `transactions` may be a checked subquery with an alias of its own: each use wraps it in one of ours.
    `SELECT (SELECT count(*) FROM ${transactions}) AS "rows",
       (SELECT count(*) FROM (SELECT 1 FROM (SELECT customer_id, revenue FROM ${transactions}) t
          LEFT JOIN (SELECT DISTINCT customer_id FROM ${transactions} WHERE revenue < 0) r ON r.customer_id = t.customer_id
          WHERE t.revenue >= 0 AND r.customer_id IS NULL LIMIT 1) w) AS witnesses`,
    what
  );
  const rows = Number(counts?.rows ?? 0);
  const someoneBought =
    Number(counts?.witnesses ?? 0) > 0 ||
    (
      await session.rows<{buyers: number | string}>(
        `SELECT count(DISTINCT customer_id) AS buyers FROM (${purchaseDaysSql(transactions)}) d`,
        what
      )
    ).some((row) => Number(row.buyers) > 0);
  const fix =
    "point CUSTOMER_EQUITY_SOURCE at a source whose transactions hold purchases (a folder from npm run ingest, or a warehouse)";
  if (rows === 0)
    throw new UnusableSourceError(`The source ${name} cannot make a site: its transactions table has no rows; ${fix}.`);
  if (!someoneBought)
    throw new UnusableSourceError(
      `The source ${name} cannot make a site: none of its ${rows.toLocaleString("en-US")} transactions is a purchase (all have negative revenue, i.e. are returns), so no customer has bought anything; ${fix}.`
    );
}

/** How messages name the settings' source: its folder, its URL without a password, or the demo. */
export function sourceName(settings: Settings): string {
  const {source} = settings;
  if (source === null) return "the bundled demo";
  return sourceKind(source) === "postgres" ? redact(source, secretsOf(source)) : source;
}
