// The lifecycle page's files: every section's first view with the default rules (stage
// counts and value by month end, the flows between month ends, the time spent in each
// stage, the customers who just moved into decline) and the settings the page starts from.
// The page re-queries DuckDB-WASM with the same SQL on retention_days.csv when a rule changes.
import {defaultLifecycleRules, newlyDeclinedSql, stageCountsSql, stageDurationSql, stageFlowsSql, stages, type LifecycleRules, type StageCountRow} from "../../src/components/lifecycleSql.js";
import {literal} from "../../src/components/sql.js";
import {queryRows} from "../duckdb.js";
import {deriveCsv, type PageFiles} from "./pageFiles.js";
import {purchaseDays} from "./retention.js";

/** The lifecycle KPI for the overview: customers per stage at the last month end. */
export interface LifecycleKpi {
  monthEnd: string | null;
  customers: number;
  counts: Record<string, number>;
  /** Share of the customers seen by the last month end who are in decline. */
  declineShare: number | null;
  newlyDeclined: number;
  /** The share in decline at each of the last 12 month ends, for a sparkline. */
  trend: number[];
}

/** The stages in their lifecycle order (an ORDER BY of the loaders' DuckDB). */
const stageOrder = `list_position([${stages.map(literal).join(", ")}], stage)`;

export const lifecycleFiles: PageFiles = async (context) => {
  const {connection, derived, writeCsv} = context;
  // The retention page's purchase days; the decline rule's silence is its default inactivity window.
  const {end, windowDays} = await purchaseDays(context);
  const rules: LifecycleRules = {...defaultLifecycleRules, inactivityDays: windowDays};
  const pAliveTable = derived.has("customer_p_alive") ? "customer_p_alive" : null;

  await writeCsv(
    `SELECT ${rules.identificationDays} AS identification_days, ${rules.developmentDays} AS development_days, ${rules.inactivityDays} AS inactivity_days,
            ${rules.minPAlive} AS min_p_alive, ${pAliveTable !== null} AS has_model, '${end}' AS observation_end`,
    "lifecycle_settings.csv"
  );
  await deriveCsv(context, "lifecycle_counts", (dialect) => stageCountsSql(dialect, end, rules, pAliveTable), {what: "customers per stage by month end", order: `month_end, ${stageOrder}`});
  if (context.figuresOnly) {
    // A segment report's figure needs only how many just moved into decline, not who.
    await derived.derive("lifecycle_declined", (dialect) => `SELECT count(*)::INTEGER AS n FROM (${newlyDeclinedSql(dialect, end, rules, pAliveTable)}) declined`, {what: "customers newly in decline", order: "n"});
  } else {
    await deriveCsv(context, "lifecycle_flows", (dialect) => stageFlowsSql(dialect, end, rules, pAliveTable), {what: "flows between stages", order: "month_end, from_stage, to_stage"});
    await deriveCsv(context, "lifecycle_durations", (dialect) => stageDurationSql(dialect, end, rules, pAliveTable), {what: "time spent in each stage", order: stageOrder});
    await deriveCsv(context, "lifecycle_declined", (dialect) => newlyDeclinedSql(dialect, end, rules, pAliveTable), {what: "the customers newly in decline", order: "value DESC, customer_id", personal: ["customer_id"]});
  }

  const rows = await queryRows<StageCountRow>(connection, "SELECT * FROM lifecycle_counts");
  const monthEnd = rows.at(-1)?.month_end ?? null;
  const latest = rows.filter((r) => r.month_end === monthEnd);
  const customers = latest.reduce((s, r) => s + r.customers, 0);
  const byStage = Object.fromEntries(stages.map((stage) => [stage, latest.find((r) => r.stage === stage)?.customers ?? 0]));
  const [newly] = await queryRows<{n: number}>(connection, context.figuresOnly ? "SELECT n FROM lifecycle_declined" : "SELECT count(*)::INTEGER AS n FROM lifecycle_declined");
  const months = new Map<string, {decline: number; all: number}>();
  for (const r of rows) {
    const m = months.get(r.month_end) ?? {decline: 0, all: 0};
    m.all += r.customers;
    if (r.stage === "decline") m.decline += r.customers;
    months.set(r.month_end, m);
  }
  return {
    monthEnd,
    customers,
    counts: byStage,
    declineShare: customers > 0 ? (byStage.decline ?? 0) / customers : null,
    newlyDeclined: newly?.n ?? 0,
    trend: [...months.values()].slice(-12).map((m) => (m.all > 0 ? m.decline / m.all : 0))
  } satisfies LifecycleKpi;
};
