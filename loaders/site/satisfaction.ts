// The satisfaction page's files: its tables built from the canonical feedback (empty, with
// their columns, where the source has none), the first view computed by the same queries
// the page's filters run, and the page's figure for the overview: NPS and the share of
// answers below expectation.
import {belowShare, defaultTolerance} from "../../src/core/metrics/gap.js";
import {netPromoterScore, npsTrend} from "../../src/core/metrics/nps.js";
import {
  acquisitionValueSql,
  deliveriesSql,
  deliveryLinkSql,
  gapCountsSql,
  importanceStatsSql,
  lateScoresSql,
  referrersSql,
  responsesSql,
  satisfactionTables,
  type DeliveryLink,
  type GapCount,
  type SatisfactionInputs
} from "../../src/core/sql/satisfactionSql.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {dataYearEarlier} from "../../src/core/sql/dataEdges.js";
import type {PreviousFigure} from "../../src/core/metrics/figureChange.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

export const satisfactionFiles: PageFiles<"satisfaction"> = async ({
  connection,
  source,
  derived,
  writeCsv,
  writeFile,
  figuresOnly
}) => {
  const inputs: SatisfactionInputs = {
    feedback: source.tables.includes("feedback"),
    prospects: source.tables.includes("prospects"),
    observationEnd: source.observation_end ?? "1970-01-01"
  }; // without a last day, no purchase can be followed
  const tables = satisfactionTables(inputs);
  // NPS as the page showed it a year earlier, for the cards' change (dataYearEarlier).
  const earlier = dataYearEarlier(source.observation_start ?? inputs.observationEnd, inputs.observationEnd);
  // A segment report wants only the figure: the page's tables stay next to the data and only the counts behind it come.
  if (figuresOnly) {
    // The figure reads two of the page's tables: the answers' cells (gapCountsSql) and the responses (NPS).
    for (const table of tables.filter((t) => t.name === "satisfaction_cells" || t.name === "satisfaction_responses"))
      await derived.define(table.name, table.select);
    await derived.derive("satisfaction_gaps", (dialect) => gapCountsSql(dialect), {
      what: "answers below, at and above expectation",
      order: "ALL",
      from: "feedback"
    });
    await derived.derive(
      "satisfaction_nps",
      () =>
        "SELECT month, nps, count(*)::INTEGER AS n FROM satisfaction_responses WHERE nps IS NOT NULL GROUP BY month, nps",
      {what: "answers to would you recommend us, by month", order: "month, nps", from: "feedback"}
    );
    const answers = (
      await queryRows<{month: string; nps: number; n: number}>(connection, "SELECT * FROM satisfaction_nps")
    ).flatMap((r) => Array.from({length: r.n}, () => ({month: r.month, nps: r.nps})));
    return satisfactionKpi(await queryRows<GapCount>(connection, "SELECT * FROM satisfaction_gaps"), answers, earlier);
  }
  // The page's tables, computed next to the data (responses follow purchases); in every column's order.
  for (const table of tables)
    await derived.derive(table.name, table.select, {
      what: table.name.replaceAll("_", " "),
      order: "ALL",
      personal: table.personal,
      from: "feedback"
    });
  // The tables the page's filters query in DuckDB-WASM, gzipped (a row per answer or less); the first view's queries
  // run on them here.
  for (const table of [
    "satisfaction_cells",
    "satisfaction_importance",
    "satisfaction_deliveries",
    "satisfaction_late_scores",
    "satisfaction_referrals"
  ])
    await writeCsv(`SELECT * FROM ${table}`, `${table}.csv.gz`);
  // The first view: the same queries the filters run, with no filter (the responses are both).
  await writeCsv(responsesSql(duckdb), "satisfaction_responses.csv.gz");
  await writeCsv(gapCountsSql(duckdb), "satisfaction_gaps.csv");
  await writeCsv(importanceStatsSql(duckdb), "satisfaction_importance_all.csv");
  await writeCsv(deliveriesSql(duckdb), "satisfaction_lateness.csv");
  await writeCsv(lateScoresSql(duckdb), "satisfaction_late.csv");
  await writeCsv(referrersSql(duckdb), "satisfaction_referrers.csv.gz");
  // Over the equity page's customer_clv table (its loader runs before this one: archive.ts, pageLoaders).
  await writeCsv(acquisitionValueSql(duckdb), "satisfaction_acquisition.csv");
  // Whether responses could be linked to deliveries, so the page can say what is missing.
  const [link] = await queryRows<DeliveryLink>(connection, deliveryLinkSql(duckdb, inputs));
  writeFile("satisfaction_delivery_link.json", `${JSON.stringify(link, null, 2)}\n`);
  return satisfactionKpi(
    await queryRows<GapCount>(connection, gapCountsSql(duckdb)),
    await queryRows<{month: string; nps: number}>(
      connection,
      "SELECT month, nps FROM satisfaction_responses WHERE nps IS NOT NULL"
    ),
    earlier
  );
};

/**
 * The overview's figure: NPS with its interval and quarterly trend, the share of survey
 * answers below expectation, and NPS over the answers given by the end of `earlier`.
 */
function satisfactionKpi(
  counts: GapCount[],
  answers: {month: string; nps: number}[],
  earlier: ReturnType<typeof dataYearEarlier>
) {
  if (!counts.length && !answers.length) return {responses: 0};
  const nps = netPromoterScore(answers.map((a) => a.nps));
  const survey = counts.filter((c) => c.dimension !== "delivery");
  // NPS by quarter, for the overview's sparkline.
  const trend = npsTrend(answers).map((q) => q.nps);
  return {
    responses: nps.n,
    nps: nps.nps,
    npsLow: nps.low,
    npsHigh: nps.high,
    belowShare: survey.length ? belowShare(survey, defaultTolerance) : null,
    trend,
    previous: npsBefore(answers, earlier)
  };
}

/** NPS over the answers given in `earlier`'s months, by the same netPromoterScore; or why there is none. */
function npsBefore(
  answers: {month: string; nps: number}[],
  earlier: ReturnType<typeof dataYearEarlier>
): PreviousFigure {
  if (!earlier.span) return {value: null, none: earlier.none};
  const before = earlier.span.to.slice(0, 7);
  const given = answers.filter((a) => a.month < before).map((a) => a.nps);
  return given.length
    ? {value: netPromoterScore(given).nps, period: earlier.period}
    : {value: null, none: `No survey answers in ${earlier.period} to compare.`};
}
