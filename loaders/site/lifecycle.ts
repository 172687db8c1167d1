// The lifecycle page's files: every section's first view with the default rules (stage
// counts and value by month end, the flows between month ends, the time spent in each
// stage, the customers who just moved into decline) and the settings the page starts from.
// The page re-queries DuckDB-WASM with the same SQL on retention_days.csv when a rule changes.
import {
  defaultLifecycleRules,
  lifecycleSettings,
  lifecycleStatsSql,
  lifecycleViewColumns,
  lifecycleViewsColumns,
  lifecycleViewsSql,
  stages,
  type LifecycleRules,
  type LifecycleView,
  type StageCountRow
} from "../../src/core/sql/lifecycleSql.js";
import type {PreviousFigure} from "../../src/core/metrics/figureChange.js";
import {identifier, literal} from "../../src/core/sql/sql.js";
import type {Dialect} from "../../src/core/sql/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";
import {readCustomerModel} from "./customerModel.js";
import {purchaseDays} from "./retention.js";

/** The stages in their lifecycle order (an ORDER BY of the loaders' DuckDB). */
const stageOrder = `list_position([${stages.map(literal).join(", ")}], stage)`;

/** The order of each view's rows in its file. */
const viewOrder: Record<LifecycleView, string> = {
  counts: `month_end, ${stageOrder}`,
  flows: "month_end, from_stage, to_stage",
  durations: stageOrder,
  declined: "month_end, value DESC, customer_id",
  declinedCount: "month_end"
};

export const lifecycleFiles: PageFiles<"lifecycle"> = async (context) => {
  const {connection, derived, writeCsv} = context;
  // The retention page's purchase days; the decline rule's silence is its default inactivity window, lost twice that.
  const {end, windowDays} = await purchaseDays(context);
  const rules: LifecycleRules = defaultLifecycleRules(windowDays);
  // The customer-equity model's parameters, where it can tell who is still a customer: P(active) at each month end.
  const model = await readCustomerModel(connection);

  // The rules the files answer: the page shows its files while its controls are at them.
  const settings = lifecycleSettings(rules, model, end);
  await writeCsv(
    `SELECT ${Object.entries(settings)
      .map(
        ([name, value]) =>
          `${typeof value === "string" ? literal(value) : (value ?? "NULL::DOUBLE")} AS ${identifier(name)}`
      )
      .join(", ")}`,
    "lifecycle_settings.csv"
  );
  // One query for every view, so that the warehouse stages each customer at each month end once.
  const views: LifecycleView[] = context.figuresOnly
    ? ["counts", "declinedCount"]
    : ["counts", "flows", "durations", "declined", "declinedCount"];
  // Each customer's running totals at their month ends rest on their purchase days alone (and the whole source's end):
  // a warehouse computes them once, a segment report's cut from the whole source's, and stages them by this source's
  // rules. A folder's DuckDB stages a report's customers from their purchase days sooner than it copies and cuts them.
  const kept = derived.remote ? "lifecycle_stats" : null;
  if (kept) await derived.define(kept, (dialect) => lifecycleStatsSql(dialect, end, rules), {perCustomer: true});
  const staged = (dialect: Dialect) => lifecycleViewsSql(dialect, end, rules, model, views, kept);
  await derived.derive("lifecycle_views", staged, {
    what: context.figuresOnly
      ? "the lifecycle's customers per stage and monthly inflow into decline"
      : "the lifecycle's customers per stage, flows, time in each stage and customers newly in decline each month",
    order: ["view_name", ...lifecycleViewsColumns(views).map(([name]) => name)].map(identifier).join(", "),
    personal: views.includes("declined") ? ["customer_id"] : []
  });
  for (const view of views) {
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE lifecycle_${view} AS SELECT ${Object.keys(lifecycleViewColumns[view]).map(identifier).join(", ")} FROM lifecycle_views WHERE view_name = ${literal(view)} ORDER BY ${viewOrder[view]}`
    );
    // The customers newly in decline (a row per customer and month end) ship gzipped.
    if (!context.figuresOnly && view !== "declinedCount")
      await writeCsv(`SELECT * FROM lifecycle_${view}`, `lifecycle_${view}.csv${view === "declined" ? ".gz" : ""}`);
  }

  const rows = await queryRows<StageCountRow>(connection, "SELECT * FROM lifecycle_counts");
  const monthEnd = rows.at(-1)?.month_end ?? null;
  const latest = rows.filter((r) => r.month_end === monthEnd);
  const customers = latest.reduce((s, r) => s + r.customers, 0);
  const byStage = Object.fromEntries(
    stages.map((stage) => [stage, latest.find((r) => r.stage === stage)?.customers ?? 0])
  );
  // The monthly inflow into decline, the page's headline: the last month end's, and the last 12 months' as the trend.
  const inflow = await queryRows<{month_end: string; declined: number}>(
    connection,
    "SELECT month_end, declined FROM lifecycle_declinedCount ORDER BY month_end"
  );
  // The same inflow at the month end before, for the cards' change; the data's first month end has none (nobody can have slipped yet).
  const monthEnds = [...new Set(rows.map((r) => r.month_end))];
  const before = monthEnds.at(-2);
  const first = monthEnds[0];
  const previous: PreviousFigure =
    first === undefined
      ? {value: null, none: "No complete month in this data yet."}
      : before === undefined || before === first
        ? {
            value: null,
            none: `No earlier month to compare: ${first} is the data's first month end, when nobody can have slipped into decline yet.`
          }
        : {value: inflow.find((r) => r.month_end === before)?.declined ?? 0, period: `the month to ${before}`};
  return {
    monthEnd,
    customers,
    counts: byStage,
    declineShare: customers > 0 ? (byStage.decline ?? 0) / customers : null,
    newlyDeclined: inflow.find((r) => r.month_end === monthEnd)?.declined ?? 0,
    trend: inflow.slice(-12).map((r) => r.declined),
    previous
  };
};
