// The retention page's files: purchase days per customer (for DuckDB-WASM), and the first
// view of every section with the default settings: monthly growth accounting, cohorts,
// the inactivity-window status, the early-warning list and the loyalty ladder.
import {periodsPerYear, quickRatio} from "../../src/core/metrics/growthAccounting.js";
import {ladderSql} from "../../src/core/metrics/loyaltyLadder.js";
import {
  bucketWindow,
  bucketWindowSql,
  cohortSql,
  retentionFirstView,
  earlyWarningSql,
  gapQuantileSql,
  rankWarningSql,
  growthAccountingSql,
  previousBucketWindow,
  windowStatusSql,
  type BucketWindowRow,
  type GrowthRow
} from "../../src/core/sql/retentionSql.js";
import {addMonths, newCustomersFrom} from "../../src/core/sql/dataEdges.js";
import {queryRows} from "../duckdb.js";
import {createOrderedTable} from "../source/derived.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {deriveCsv, type PageFiles, type PageFilesContext} from "./pageFiles.js";

/** The default inactivity window is this quantile of the gaps between a customer's purchase days. */
export const windowQuantile = 0.9;

/**
 * What the retention and lifecycle pages both start from, computed from retention_days
 * (each customer's purchase days) next to the data: the last day observed and the default
 * inactivity window.
 */
export async function purchaseDays({
  connection,
  source,
  derived
}: Pick<PageFilesContext, "connection" | "source" | "derived">): Promise<{
  end: string;
  windowDays: number;
  gaps: number;
}> {
  // Asked once: the lifecycle page starts from the same figures.
  const asked =
    (await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'retention_gaps'")).length > 0;
  if (!asked) {
    await derived.derive(
      "retention_gaps",
      (dialect) =>
        `SELECT q.days, q.gaps, (SELECT ${dialect.dateText("max(day)", "day")} FROM retention_days) AS last_day FROM (${gapQuantileSql(dialect, windowQuantile)}) q`,
      {what: "the gaps between purchase days", order: "days"}
    );
  }
  const [gaps] = await queryRows<{days: number | null; gaps: number; last_day: string | null}>(
    connection,
    "SELECT days, gaps, last_day FROM retention_gaps"
  );
  return {
    end: source.observation_end ?? gaps?.last_day ?? "1970-01-01",
    windowDays: Math.max(1, gaps?.days ?? 90),
    gaps: gaps?.gaps ?? 0
  };
}

export const retentionFiles: PageFiles<"retention"> = async (context) => {
  const {connection, source, derived, writeCsv} = context;
  const {end, windowDays, gaps} = await purchaseDays(context);
  const has = (table: string) => source.tables.includes(table as never);
  const [recommendations] = has("feedback")
    ? await queryRows<{n: number}>(connection, "SELECT count(nps)::INTEGER AS n FROM canonical_feedback")
    : [{n: 0}];
  const [customers] = await queryRows<{channels: number; costed: number; cost: number | null}>(
    connection,
    `SELECT count(DISTINCT acquisition_channel)::INTEGER AS channels,
      count(TRY_CAST(acquisition_cost AS DOUBLE))::INTEGER AS costed, round(avg(TRY_CAST(acquisition_cost AS DOUBLE)), 2)::DOUBLE AS cost FROM customer_summary`
  );

  await writeCsv(
    "SELECT customer_id, strftime(day, '%Y-%m-%d') AS day, revenue FROM retention_days_shipped",
    "retention_days.csv"
  );
  await writeCsv(
    `SELECT ${windowDays} AS window_days, ${gaps} AS gaps, ${windowQuantile} AS window_quantile, '${end}' AS observation_end,
            ${has("prospects")} AS has_prospects, ${(recommendations?.n ?? 0) > 0} AS has_recommendations,
            ${customers?.channels ?? 0} AS channels, ${customers?.costed ?? 0} AS costed_customers, ${customers?.cost ?? "NULL"} AS mean_acquisition_cost,
            ${derived.has("customer_p_alive")} AS has_model, '${derived.has("customer_p_alive") ? "value" : "spend"}' AS warning_ranking`,
    "retention_settings.csv"
  );
  // The parameters of the first views: the page shows these files while its controls are at them.
  const first = retentionFirstView(windowDays);
  // Customers first seen before this day were already customers when the data start (dataEdges.ts).
  const newFrom = newCustomersFrom(source);
  await deriveCsv(
    context,
    "retention_growth",
    (dialect) => growthAccountingSql(dialect, first.period, end, first.filter, newFrom),
    {
      what: "growth accounting by month",
      order: "period"
    }
  );
  // The headline: each customer once over the last (up to) 12 complete months after the data's
  // first month, whatever the chart groups by (bucketWindowSql).
  const window = bucketWindow(source.observation_start ?? end, end, newFrom);
  await deriveCsv(context, "retention_bucket", (dialect) => bucketWindowSql(dialect, window, first.filter, newFrom), {
    what: "the leaky bucket over the last complete months",
    order: "months"
  });
  // The same count over the window before, for the change the cards show (previousBucketWindow).
  const before = previousBucketWindow(source.observation_start ?? end, end, newFrom);
  if (before.window) {
    const previousWindow = before.window;
    await derived.derive(
      "retention_bucket_previous",
      (dialect) => bucketWindowSql(dialect, previousWindow, first.filter, newFrom),
      {what: `the leaky bucket over ${before.period}`, order: "months"}
    );
  }
  // A segment report wants only the figures, which growth accounting and the window give.
  if (!context.figuresOnly) {
    for (const [name, grouping] of [
      ["retention_cohorts", "cohort"],
      ["retention_curves_year", "year"],
      ["retention_curves_channel", "channel"]
    ] as const) {
      await deriveCsv(
        context,
        name,
        (dialect) => cohortSql(dialect, first.period, end, grouping, first.filter, newFrom),
        {
          what: `retention by ${grouping}`,
          order: '"group", age'
        }
      );
    }
    await deriveCsv(
      context,
      "retention_window",
      (dialect) => windowStatusSql(dialect, first.period, end, first.windowDays, first.filter),
      {
        what: "active and lapsed customers by month",
        order: "period"
      }
    );
    // The customer-equity model's P(active), where its page could fit one (loaders/site/equity.ts).
    const pAliveTable = derived.has("customer_p_alive") ? "customer_p_alive" : null;
    await derived.derive(
      "retention_warning_flags",
      (dialect) => earlyWarningSql(dialect, end, first.warningRules, first.filter, pAliveTable),
      {
        what: "the customers to call",
        order: "value_at_risk DESC, customer_id",
        personal: ["customer_id"]
      }
    );
    // Ranked by value at stake from the equity loader's per-customer CLV (customer_value), where
    // the model can tell P(active); else by the past year's spend (rankWarningSql).
    const [valued] = await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_value'");
    await createOrderedTable(
      connection,
      {name: "retention_warning", order: "value_at_stake DESC, customer_id"},
      rankWarningSql(duckdb, "retention_warning_flags", pAliveTable && valued ? "customer_value" : null)
    );
    await writeCsv("SELECT * FROM retention_warning", "retention_warning.csv");
    await deriveCsv(
      context,
      "retention_ladder",
      (dialect) => ladderSql(dialect, {prospects: has("prospects"), recommendations: (recommendations?.n ?? 0) > 0}),
      {what: "the loyalty ladder", order: "channel"}
    );
  }

  const year = (await queryRows<GrowthRow>(connection, "SELECT * FROM retention_growth")).slice(-periodsPerYear.month);
  const [bucket] = await queryRows<BucketWindowRow>(connection, "SELECT * FROM retention_bucket");
  const [previousBucket] = before.window
    ? await queryRows<BucketWindowRow>(connection, "SELECT * FROM retention_bucket_previous")
    : [];
  // NaN with nobody lost (quickRatio): no figure to compare.
  const previousRatio = previousBucket ? quickRatio(previousBucket) : NaN;
  return {
    period: "month",
    months: bucket?.months ?? 0,
    customers: bucket?.customers ?? 0,
    new: bucket?.new ?? 0,
    reactivated: bucket?.reactivated ?? 0,
    lost: bucket?.lost ?? 0,
    quickRatio: bucket ? quickRatio(bucket) : null,
    trend: year.map((row) => quickRatio(row)),
    from: bucket ? window.from : null,
    to: bucket ? addMonths(window.to, -1) : null,
    previous: !before.window
      ? {value: null, none: before.none}
      : !Number.isFinite(previousRatio)
        ? {value: null, none: `No quick ratio for ${before.period} to compare: nobody was lost then.`}
        : {value: previousRatio, period: before.period}
  };
};
