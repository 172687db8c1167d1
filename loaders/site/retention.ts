// The retention page's files: purchase days per customer (for DuckDB-WASM), and the first
// view of every section with the default settings: monthly growth accounting, cohorts,
// the inactivity-window status, the early-warning list and the loyalty ladder.
import {periodsPerYear, quickRatio, totals} from "../../src/components/growthAccounting.js";
import {ladderSql} from "../../src/components/loyaltyLadder.js";
import {cohortSql, defaultWarningRules, earlyWarningSql, gapQuantileSql, growthAccountingSql, windowStatusSql, type GrowthRow} from "../../src/components/retentionSql.js";
import {duckdb} from "../../src/components/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles, PageFilesContext} from "./pageFiles.js";

/** The default inactivity window is this quantile of the gaps between a customer's purchase days. */
export const windowQuantile = 0.9;

/** The retention KPI for the overview: the last year's flows of customers. */
export interface RetentionKpi {
  period: "month";
  months: number;
  new: number;
  reactivated: number;
  lost: number;
  quickRatio: number;
  /** Each month's quick ratio, for the overview's sparkline. */
  trend: number[];
}

/**
 * What the retention and lifecycle pages both start from, read from retention_days (each
 * customer's purchase days): the last day observed and the default inactivity window.
 */
export async function purchaseDays(connection: PageFilesContext["connection"], source: PageFilesContext["source"]): Promise<{end: string; windowDays: number; gaps: number}> {
  const [last] = await queryRows<{day: string | null}>(connection, "SELECT strftime(max(day), '%Y-%m-%d') AS day FROM retention_days");
  const [quantile] = await queryRows<{days: number | null; gaps: number}>(connection, gapQuantileSql(duckdb, windowQuantile));
  return {end: source.observation_end ?? last?.day ?? "1970-01-01", windowDays: Math.max(1, quantile?.days ?? 90), gaps: quantile?.gaps ?? 0};
}

export const retentionFiles: PageFiles = async ({connection, source, writeCsv}) => {
  const {end, windowDays, gaps} = await purchaseDays(connection, source);
  const has = (table: string) => source.tables.includes(table as never);
  const [recommendations] = has("feedback") ? await queryRows<{n: number}>(connection, "SELECT count(nps)::INTEGER AS n FROM canonical_feedback") : [{n: 0}];
  const [customers] = await queryRows<{channels: number; costed: number; cost: number | null}>(connection, `SELECT count(DISTINCT acquisition_channel)::INTEGER AS channels,
      count(TRY_CAST(acquisition_cost AS DOUBLE))::INTEGER AS costed, round(avg(TRY_CAST(acquisition_cost AS DOUBLE)), 2)::DOUBLE AS cost FROM customer_summary`);

  await writeCsv("SELECT customer_id, strftime(day, '%Y-%m-%d') AS day, revenue FROM retention_days", "retention_days.csv");
  await writeCsv(
    `SELECT ${windowDays} AS window_days, ${gaps} AS gaps, ${windowQuantile} AS window_quantile, '${end}' AS observation_end,
            ${has("prospects")} AS has_prospects, ${(recommendations?.n ?? 0) > 0} AS has_recommendations,
            ${customers?.channels ?? 0} AS channels, ${customers?.costed ?? 0} AS costed_customers, ${customers?.cost ?? "NULL"} AS mean_acquisition_cost`,
    "retention_settings.csv"
  );
  const growth = growthAccountingSql(duckdb, "month", end);
  await writeCsv(growth, "retention_growth.csv");
  await writeCsv(cohortSql(duckdb, "month", end, "cohort"), "retention_cohorts.csv");
  await writeCsv(cohortSql(duckdb, "month", end, "year"), "retention_curves_year.csv");
  await writeCsv(cohortSql(duckdb, "month", end, "channel"), "retention_curves_channel.csv");
  await writeCsv(windowStatusSql(duckdb, "month", end, windowDays), "retention_window.csv");
  // The customer-equity model's P(active), where its page could fit one (loaders/site/equity.ts).
  const pAliveTable = (await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_p_alive'")).length > 0 ? "customer_p_alive" : null;
  await writeCsv(earlyWarningSql(duckdb, end, {...defaultWarningRules, thresholdDays: windowDays}, undefined, pAliveTable), "retention_warning.csv");
  await writeCsv(ladderSql(duckdb, {prospects: has("prospects"), recommendations: (recommendations?.n ?? 0) > 0}), "retention_ladder.csv");

  const year = (await queryRows<GrowthRow>(connection, growth)).slice(-periodsPerYear.month);
  const t = totals(year);
  return {period: "month", months: year.length, new: t.new, reactivated: t.reactivated, lost: t.lost, quickRatio: quickRatio(t), trend: year.map((row) => quickRatio(row))} satisfies RetentionKpi;
};
