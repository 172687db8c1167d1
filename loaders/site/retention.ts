// The retention page's files: purchase days per customer (for DuckDB-WASM), and the first
// view of every section with the default settings: monthly growth accounting, cohorts,
// the inactivity-window status, the early-warning list and the loyalty ladder.
import {csvFormat} from "d3";
import {bondCurveRows, bondRows, compareBonds, type BondCurveRow, type BondRow} from "../../src/core/metrics/bonds.js";
import {periodsPerYear, quickRatio} from "../../src/core/metrics/growthAccounting.js";
import {periods} from "../../src/core/metrics/salesByPeriod.js";
import {ladderClimbsSql} from "../../src/core/metrics/ladderClimbs.js";
import {ladderSql} from "../../src/core/metrics/loyaltyLadder.js";
import {
  bucketWindow,
  bucketWindowSql,
  cohortPeriods,
  cohortSql,
  retentionFirstView,
  customerStatesSql,
  earlyWarningSql,
  previousPeriodEnd,
  stateCountsSql,
  stateMonthEnd,
  stateValueSql,
  gapQuantileSql,
  rankWarningSql,
  growthAccountingSql,
  previousBucketWindow,
  windowStatusSql,
  allCustomers,
  type BucketWindowRow,
  type CohortRow,
  type GrowthRow,
  type RankedWarningRow,
  type StateCountRow
} from "../../src/core/sql/retentionSql.js";
import {slippingStates} from "../../src/core/sql/customerStates.js";
import {readCustomerModel} from "./customerModel.js";
import {addMonths, newCustomersFrom} from "../../src/core/sql/dataEdges.js";
import {queryRows} from "../duckdb.js";
import {createOrderedTable} from "../source/derived.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {bondValueSql, type BondValueRow} from "../../src/core/sql/bondSql.js";
import {shippedRowsSql} from "./tables.js";
import {literal} from "../../src/core/sql/sql.js";
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
  const ladderSources = {prospects: has("prospects"), recommendations: (recommendations?.n ?? 0) > 0};
  const [customers] = await queryRows<{channels: number; costed: number; cost: number | null}>(
    connection,
    `SELECT count(DISTINCT acquisition_channel)::INTEGER AS channels,
      count(TRY_CAST(acquisition_cost AS DOUBLE))::INTEGER AS costed, round(avg(TRY_CAST(acquisition_cost AS DOUBLE)), 2)::DOUBLE AS cost FROM customer_summary`
  );

  await writeCsv(
    "SELECT customer_id, strftime(day, '%Y-%m-%d') AS day, revenue FROM retention_days_shipped",
    "retention_days.csv.gz"
  );
  // The customer-equity model's parameters where it can tell who is still a customer (loaders/site/equity.ts), and
  // each customer's value from it: the states judge P(active) by the one, the call list ranks by the other.
  const model = await readCustomerModel(connection);
  const [valued] = await queryRows(connection, "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_value'");
  const ranking = model && valued ? "value" : "spend";
  const monthEnd = stateMonthEnd(end);
  await writeCsv(
    `SELECT ${windowDays} AS window_days, ${gaps} AS gaps, ${windowQuantile} AS window_quantile, '${end}' AS observation_end,
            ${ladderSources.prospects} AS has_prospects, ${ladderSources.recommendations} AS has_recommendations,
            ${customers?.channels ?? 0} AS channels, ${customers?.costed ?? 0} AS costed_customers, ${customers?.cost ?? "NULL"} AS mean_acquisition_cost,
            ${model !== null} AS has_model, '${ranking}' AS warning_ranking, '${monthEnd}' AS state_month_end,
            ${model?.r ?? "NULL"} AS model_r, ${model?.alpha ?? "NULL"} AS model_alpha, ${model?.a ?? "NULL"} AS model_a, ${model?.b ?? "NULL"} AS model_b`,
    "retention_settings.csv"
  );
  // The parameters of the first views: the page shows these files while its controls are at them.
  const first = retentionFirstView(windowDays);
  // Customers first seen before this day were already customers when the data start (dataEdges.ts).
  const newFrom = newCustomersFrom(source);
  // Growth accounting of all customers by every Period the page offers, which its control then only selects between; a
  // segment report wants the first view's figures alone.
  for (const period of context.figuresOnly ? [first.period] : periods)
    await deriveCsv(
      context,
      `retention_growth_${period}`,
      (dialect) => growthAccountingSql(dialect, period, end, first.filter, newFrom),
      {what: `growth accounting by ${period}`, order: "period"}
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
  // Every customer's state at the last complete month end and the one before (src/core/sql/customerStates.ts), and
  // the call list: those slipping away, ranked by value at stake (rankWarningSql).
  await derived.derive(
    "customer_states",
    (dialect) => customerStatesSql(dialect, monthEnd, first.stateRules, model, first.filter, newFrom),
    // One customer's state rests on their purchases alone (and the whole source's model): a segment report cuts these rows.
    {what: "each customer's state at the month end", order: "customer_id", personal: ["customer_id"], perCustomer: true}
  );
  await createOrderedTable(
    connection,
    {name: "retention_warning", order: "value_at_stake DESC, customer_id"},
    rankWarningSql(
      duckdb,
      earlyWarningSql("SELECT * FROM customer_states"),
      ranking === "value" ? "customer_value" : null
    )
  );
  const stateCounts = await queryRows<StateCountRow>(connection, stateCountsSql("customer_states"));
  const warning = await queryRows<RankedWarningRow>(connection, "SELECT * FROM retention_warning");
  // A segment report wants only the figures, which growth accounting, the windows and the states give.
  if (!context.figuresOnly) {
    await writeCsv(stateCountsSql("customer_states"), "retention_states.csv");
    // Where the value and the profit to date sit by state, for the equity and profit pages (their loaders ran before).
    const [profited] = await queryRows(
      connection,
      "SELECT 1 FROM duckdb_tables() WHERE table_name = 'customer_profit'"
    );
    await writeCsv(
      stateValueSql(duckdb, "customer_states", valued ? "customer_value" : null, profited ? "customer_profit" : null),
      "retention_state_value.csv"
    );
    await writeCsv("SELECT * FROM retention_warning", "retention_warning.csv.gz");
    // Cohorts and the inactivity window of all customers by every Period the page offers: its control only selects
    // between these files.
    for (const period of cohortPeriods)
      for (const [name, grouping] of [
        ["retention_cohorts", "cohort"],
        ["retention_curves_year", "year"],
        ["retention_curves_channel", "channel"]
      ] as const)
        await deriveCsv(
          context,
          `${name}_${period}`,
          (dialect) => cohortSql(dialect, period, end, grouping, first.filter, newFrom),
          {what: `retention by ${grouping} and ${period}`, order: '"group", age'}
        );
    for (const period of periods)
      await deriveCsv(
        context,
        `retention_window_${period}`,
        (dialect) => windowStatusSql(dialect, period, end, first.windowDays, first.filter),
        {what: `active and lapsed customers by ${period}`, order: "period"}
      );
    await writeBonds(context, end, newFrom, Boolean(valued));
    await deriveCsv(context, "retention_ladder", (dialect) => ladderSql(dialect, ladderSources), {
      what: "the loyalty ladder",
      order: "channel"
    });
    await deriveCsv(
      context,
      "retention_ladder_climbs",
      (dialect) => ladderClimbsSql(dialect, ladderSources, end, newFrom),
      {
        what: "the loyalty ladder's climbs by cohort and channel",
        order: "step, channel, cohort, month"
      }
    );
  }

  const year = (await queryRows<GrowthRow>(connection, `SELECT * FROM retention_growth_${first.period}`)).slice(
    -periodsPerYear[first.period]
  );
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
    states: {
      monthEnd,
      previousMonthEnd: previousPeriodEnd(monthEnd),
      counts: Object.fromEntries(stateCounts.map((r) => [r.state, r.customers])),
      previous: Object.fromEntries(stateCounts.map((r) => [r.state, r.previous_customers])),
      slipping: warning.length,
      previousSlipping: stateCounts
        .filter((r) => slippingStates.includes(r.state))
        .reduce((sum, r) => sum + r.previous_customers, 0),
      valueAtStake: Math.round(warning.reduce((sum, r) => sum + r.value_at_stake, 0) * 100) / 100,
      ranking
    },
    previous: !before.window
      ? {value: null, none: before.none}
      : !Number.isFinite(previousRatio)
        ? {value: null, none: `No quick ratio for ${before.period} to compare: nobody was lost then.`}
        : {value: previousRatio, period: before.period}
  };
};

/** The columns of retention_bonds.csv and retention_bond_curves.csv, each a key of its row (else this does not compile). */
const bondColumns: (keyof BondRow)[] = [
  "bond",
  "kind",
  "group",
  "customers",
  "share",
  "share_low",
  "share_high",
  "year_on_customers",
  "year_on",
  "year_on_low",
  "year_on_high",
  "clv",
  "clv_low",
  "clv_high",
  "p_alive",
  "p_alive_low",
  "p_alive_high"
];
const bondCurveColumns: (keyof BondCurveRow)[] = [
  "bond",
  "group",
  "age",
  "customers",
  "active",
  "share",
  "low",
  "high"
];

/**
 * The bonds the source declares, with and without (compareBonds): retention_bonds.csv (share holding, a year on,
 * mean CLV and P(active) of holders and of the others) and retention_bond_curves.csv (monthly retention by age of
 * each). Who holds which bond comes from next to the data (per customer); the values are the customer-equity
 * model's (table customer_value, where the model can tell P(active)). retention_bond_holders.csv.gz holds who holds
 * which bond, for the customers whose rows ship (the customer page's bonds). A source without bonds gets the headers
 * alone.
 * Over all customers: the page's filters do not cut it.
 */
async function writeBonds(
  context: PageFilesContext,
  end: string,
  newFrom: ReturnType<typeof newCustomersFrom>,
  valued: boolean
): Promise<void> {
  const {connection, source, derived, writeCsv, writeFile} = context;
  const bonds = source.bonds ?? [];
  let rows: BondRow[] = [];
  let curves: BondCurveRow[] = [];
  if (bonds.length) {
    await derived.derive("bond_holders", () => "SELECT DISTINCT customer_id, bond, kind FROM canonical_bonds", {
      what: "who holds which bond",
      order: "customer_id, bond",
      personal: ["customer_id"],
      perCustomer: true,
      from: "customers"
    });
    // Months since the first purchase: a year on is age 12 (bondYearOn).
    await derived.derive(
      "bond_retention",
      (dialect) =>
        bonds
          .map(
            (b) =>
              `SELECT ${literal(b.name)} AS bond, r.* FROM (${cohortSql(dialect, "month", end, {bond: b.name}, allCustomers, newFrom)}) r`
          )
          .join("\nUNION ALL\n"),
      {what: "retention by bond", order: 'bond, "group", age'}
    );
    // Without the model's values, the groups' counts and retention alone.
    if (!valued)
      await connection.run(
        "CREATE OR REPLACE TEMP TABLE bond_no_values (customer_id VARCHAR, clv DOUBLE, p_alive DOUBLE)"
      );
    const values = await queryRows<BondValueRow>(
      connection,
      bondValueSql(valued ? "customer_value" : "bond_no_values", "bond_holders")
    );
    const retention = await queryRows<CohortRow & {bond: string}>(connection, "SELECT * FROM bond_retention");
    const compared = compareBonds(
      bonds,
      values,
      Object.fromEntries(bonds.map((b) => [b.name, retention.filter((r) => r.bond === b.name)]))
    );
    // Means of sums of doubles, whose last digits follow the order DuckDB adds them in: rounded, so that the file is
    // the same each time (CLV to the cent, P(active) to six places).
    const fixed = (x: number | null, digits: number) => (x === null ? null : Number(x.toFixed(digits)));
    rows = bondRows(compared).map((r) => ({
      ...r,
      clv: fixed(r.clv, 2),
      clv_low: fixed(r.clv_low, 2),
      clv_high: fixed(r.clv_high, 2),
      p_alive: fixed(r.p_alive, 6),
      p_alive_low: fixed(r.p_alive_low, 6),
      p_alive_high: fixed(r.p_alive_high, 6)
    }));
    curves = bondCurveRows(compared);
    await writeCsv(shippedRowsSql("bond_holders", "customer_id, bond"), "retention_bond_holders.csv.gz");
  } else writeFile("retention_bond_holders.csv.gz", "customer_id,bond,kind\n");
  writeFile("retention_bonds.csv", csvFormat(rows, bondColumns));
  writeFile("retention_bond_curves.csv", csvFormat(curves, bondCurveColumns));
}
