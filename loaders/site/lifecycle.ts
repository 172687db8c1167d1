// The lifecycle page's files: every section's first view with the default rules (stage
// counts and value by month end, the flows between month ends, the time spent in each
// stage, the customers who just moved into decline) and the settings the page starts from.
// The page re-queries DuckDB-WASM with the same SQL on retention_days.csv when a rule changes.
import {defaultLifecycleRules, newlyDeclinedSql, stageCountsSql, stageDurationSql, stageFlowsSql, stages, type LifecycleRules, type StageCountRow} from "../../src/components/lifecycleSql.js";
import {duckdb} from "../../src/components/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";
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

export const lifecycleFiles: PageFiles = async ({connection, source, writeCsv}) => {
  // The retention page's purchase days; the decline rule's silence is its default inactivity window.
  const {end, windowDays} = await purchaseDays(connection, source);
  const rules: LifecycleRules = {...defaultLifecycleRules, inactivityDays: windowDays};
  const pAliveTable = (await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_p_alive'")).length > 0 ? "customer_p_alive" : null;

  await writeCsv(
    `SELECT ${rules.identificationDays} AS identification_days, ${rules.developmentDays} AS development_days, ${rules.inactivityDays} AS inactivity_days,
            ${rules.minPAlive} AS min_p_alive, ${pAliveTable !== null} AS has_model, '${end}' AS observation_end`,
    "lifecycle_settings.csv"
  );
  const counts = stageCountsSql(duckdb, end, rules, pAliveTable);
  await writeCsv(counts, "lifecycle_counts.csv");
  await writeCsv(stageFlowsSql(duckdb, end, rules, pAliveTable), "lifecycle_flows.csv");
  await writeCsv(stageDurationSql(duckdb, end, rules, pAliveTable), "lifecycle_durations.csv");
  const declined = newlyDeclinedSql(duckdb, end, rules, pAliveTable);
  await writeCsv(declined, "lifecycle_declined.csv");

  const rows = await queryRows<StageCountRow>(connection, counts);
  const monthEnd = rows.at(-1)?.month_end ?? null;
  const latest = rows.filter((r) => r.month_end === monthEnd);
  const customers = latest.reduce((s, r) => s + r.customers, 0);
  const byStage = Object.fromEntries(stages.map((stage) => [stage, latest.find((r) => r.stage === stage)?.customers ?? 0]));
  const [newly] = await queryRows<{n: number}>(connection, `SELECT count(*)::INTEGER AS n FROM (${declined})`);
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
