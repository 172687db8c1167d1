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
  const [counts] = await session.rows<{rows: number | string; buyers: number | string}>(
    `SELECT (SELECT count(*) FROM ${transactions}) AS "rows",
       (SELECT count(DISTINCT customer_id) FROM (${purchaseDaysSql(transactions)}) d) AS buyers`,
    {what: "the source's transactions and buyers", table: "transactions"}
  );
  const rows = Number(counts?.rows ?? 0);
  const buyers = Number(counts?.buyers ?? 0);
  const fix =
    "point CUSTOMER_EQUITY_SOURCE at a source whose transactions hold purchases (a folder from npm run ingest, or a warehouse)";
  if (rows === 0)
    throw new UnusableSourceError(`The source ${name} cannot make a site: its transactions table has no rows; ${fix}.`);
  if (buyers === 0)
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
