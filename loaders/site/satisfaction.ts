// The satisfaction page's files: its tables built from the canonical feedback (empty, with
// their columns, where the source has none), the first view computed by the same queries
// the page's filters run, and the page's figure for the overview: NPS and the share of
// answers below expectation.
import {belowShare, defaultTolerance} from "../../src/components/gap.js";
import {netPromoterScore, npsTrend} from "../../src/components/nps.js";
import {deliveriesSql, deliveryLinkSql, gapCountsSql, importanceStatsSql, lateScoresSql, responsesSql, satisfactionTables, type DeliveryLink, type GapCount, type SatisfactionInputs} from "../../src/components/satisfactionSql.js";
import {duckdb} from "../../src/components/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

export const satisfactionFiles: PageFiles = async ({connection, source, derived, writeCsv, writeFile}) => {
  const inputs: SatisfactionInputs = {feedback: source.tables.includes("feedback"), prospects: source.tables.includes("prospects"), observationEnd: source.observation_end ?? "1970-01-01"}; // without a last day, no purchase can be followed
  // The page's tables, computed next to the data (responses follow purchases); in every column's order.
  for (const table of satisfactionTables(inputs)) await derived.derive(table.name, table.select, {what: table.name.replace("_", " "), order: "ALL", personal: table.personal});
  // The tables the page's filters query in DuckDB-WASM; the first view's queries run on them here.
  for (const table of ["satisfaction_cells", "satisfaction_importance", "satisfaction_deliveries", "satisfaction_late_scores", "satisfaction_referrals"]) await writeCsv(`SELECT * FROM ${table}`, `${table}.csv`);
  // The first view: the same queries the filters run, with no filter (the responses are both).
  await writeCsv(responsesSql(duckdb), "satisfaction_responses.csv");
  await writeCsv(gapCountsSql(duckdb), "satisfaction_gaps.csv");
  await writeCsv(importanceStatsSql(duckdb), "satisfaction_importance_all.csv");
  await writeCsv(deliveriesSql(duckdb), "satisfaction_lateness.csv");
  await writeCsv(lateScoresSql(duckdb), "satisfaction_late.csv");
  // Whether responses could be linked to deliveries, so the page can say what is missing.
  const [link] = await queryRows<DeliveryLink>(connection, deliveryLinkSql(duckdb, inputs));
  writeFile("satisfaction_delivery_link.json", `${JSON.stringify(link, null, 2)}\n`);
  const counts = await queryRows<GapCount>(connection, gapCountsSql(duckdb));
  const answers = (await queryRows<{nps: number}>(connection, "SELECT nps FROM satisfaction_responses WHERE nps IS NOT NULL")).map((r) => r.nps);
  if (!counts.length && !answers.length) return {responses: 0};
  const nps = netPromoterScore(answers);
  const survey = counts.filter((c) => c.dimension !== "delivery");
  // NPS by quarter, for the overview's sparkline.
  const trend = npsTrend(await queryRows<{month: string; nps: number | null}>(connection, "SELECT month, nps FROM satisfaction_responses")).map((q) => q.nps);
  return {responses: nps.n, nps: nps.nps, npsLow: nps.low, npsHigh: nps.high, belowShare: survey.length ? belowShare(survey, defaultTolerance) : null, trend};
};
