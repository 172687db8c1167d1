// The lifecycle page's SQL: one definition for the loader (native DuckDB, the page's first
// view) and for the page's controls (DuckDB-WASM). It reads retention_days (one row per
// customer and purchase day, built by the retention page's retentionDaysSql) and, where the
// customer-equity model can tell who is still a customer, its BG/NBD parameters. One text per engine:
// native DuckDB, DuckDB-WASM and a PostgreSQL warehouse, through the dialect where they
// differ. Values enter the SQL text only through literal() and numberLiteral().
import type {BgNbdParams} from "../models/bgnbdLikelihood.js";
import {
  checkStateRules,
  customerStateSql,
  defaultStateRules,
  pAliveAtSql,
  type StateColumns,
  type StateRules
} from "./customerStates.js";
import {dateLiteral, daysLiteral, identifier, literal, numberLiteral, periodStartSql} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

/**
 * The relationship lifecycle, in its order: the seeds' four stages, with decline split into
 * those slipping now (decline) and those long gone (lost), and reactivated for the month
 * end a declining or lost customer is back.
 */
export const stages = ["identification", "development", "stability", "reactivated", "decline", "lost"] as const;
export type Stage = (typeof stages)[number];

/** The seeds' strategy for each stage. */
export const stageActions: Record<Stage, string> = {
  identification: "Acquisition and first experience: make the first purchases easy and good, and invite the second.",
  development: "Cross-selling and deepening: offer what fits what they already buy, raise the share of wallet.",
  stability: "Loyalty programmes and service: reward and look after them; they carry the business.",
  reactivated: "Welcome back: make the return purchase count and find out what brought them back.",
  decline: "Win back or let go: call the valuable ones now, stop spending on the rest.",
  lost: "Stop spending on them; an occasional offer at most. Learn from why they left."
};

/**
 * The lifecycle's rules: the customer states' (customerStates.ts: lapsed and at risk are the
 * decline stage, lost and reactivated their own) and the two that split the rest.
 */
export interface LifecycleRules extends StateRules {
  /** Identification: first purchase within this many days up to the month end. */
  identificationDays: number;
  /** Development: more purchase days in the last this-many days than in as many days before. */
  developmentDays: number;
}

/** The lifecycle's default rules at the data's inactivity window (the retention page's). */
export function defaultLifecycleRules(inactivityDays: number): LifecycleRules {
  return {...defaultStateRules(inactivityDays), identificationDays: 90, developmentDays: 180};
}

/** lifecycle_settings.csv: the rules the loader's files answer, and what the page needs to know of the data. */
export interface LifecycleSettings {
  identification_days: number;
  development_days: number;
  inactivity_days: number;
  lost_days: number;
  k: number;
  min_purchases: number;
  min_p_alive: number;
  has_model: boolean;
  /** The model's BG/NBD parameters where it can tell who is still a customer (null otherwise). */
  model_r: number | null;
  model_alpha: number | null;
  model_a: number | null;
  model_b: number | null;
  observation_end: string;
}

/** The settings row the loader writes for its rules, the model's parameters (null without one), and the last day observed. */
export function lifecycleSettings(rules: LifecycleRules, model: BgNbdParams | null, end: string): LifecycleSettings {
  return {
    identification_days: rules.identificationDays,
    development_days: rules.developmentDays,
    inactivity_days: rules.inactivityDays,
    lost_days: rules.lostDays,
    k: rules.k,
    min_purchases: rules.minPurchases,
    min_p_alive: rules.minPAlive,
    has_model: model !== null,
    model_r: model?.r ?? null,
    model_alpha: model?.alpha ?? null,
    model_a: model?.a ?? null,
    model_b: model?.b ?? null,
    observation_end: end
  };
}

/** The rules of the loader's files, read back from their settings row. */
export function settingsRules(settings: LifecycleSettings): LifecycleRules {
  return {
    identificationDays: settings.identification_days,
    developmentDays: settings.development_days,
    inactivityDays: settings.inactivity_days,
    lostDays: settings.lost_days,
    k: settings.k,
    minPurchases: settings.min_purchases,
    minPAlive: settings.min_p_alive
  };
}

/** The model's parameters from the settings row, or null where it has none. */
export function settingsModel(settings: LifecycleSettings): BgNbdParams | null {
  const {model_r: r, model_alpha: alpha, model_a: a, model_b: b} = settings;
  return settings.has_model && r !== null && alpha !== null && a !== null && b !== null ? {r, alpha, a, b} : null;
}

/** Refuses an end that is not YYYY-MM-DD, day counts that are not whole numbers ≥ 1, and state rules customerStates.ts refuses. */
function checkRules(end: string, r: LifecycleRules): void {
  dateLiteral(end);
  daysLiteral(r.identificationDays, "the identification period");
  daysLiteral(r.developmentDays, "the development window");
  checkStateRules(r);
}

/** CTE "last_end": the last month end (of CTE "ends"). */
const lastEndCte = "last_end AS (SELECT max(month_end) AS month_end FROM ends)";

/** The month ends' CTE "ends" (and "last_end") from CTE "bounds" (first_month, last_month). */
const endsCtes = (dialect: Dialect) => `ends AS (
  SELECT (m + INTERVAL '1 month' - INTERVAL '1 day')::DATE AS month_end
  FROM (SELECT ${dialect.dateSeries("first_month", "last_month", "INTERVAL '1 month'")} AS m FROM bounds WHERE first_month <= last_month) months
),
${lastEndCte}`;

/** The last complete month (its first day) before `end`, for CTE "bounds". */
const lastMonthSql = (end: string) =>
  `(date_trunc('month', DATE ${literal(end)} + INTERVAL '1 day') - INTERVAL '1 month')::DATE AS last_month`;

/**
 * CTEs "firsts", "ends", "last_end" and "stats" (the running totals stagedCtes stages from: cid, month_end,
 * first_day, last_day, purchases, rise, value, last_before), from the purchase days `days` (a relation: customer_id,
 * day, revenue). They rest on the rules' development window D alone.
 */
function statsCtes(dialect: Dialect, end: string, r: LifecycleRules, days: string): string {
  const d = numberLiteral(r.developmentDays);
  const upTo = "(PARTITION BY g.cid ORDER BY g.month_end ROWS UNBOUNDED PRECEDING)";
  return `named_days AS (SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(day AS DATE) AS day, CAST(revenue AS DECIMAL(18, 2)) AS revenue FROM ${days}),
firsts AS (SELECT customer_id, min(day) AS first_day, row_number() OVER (ORDER BY customer_id) AS cid FROM named_days GROUP BY customer_id),
days AS (SELECT f.cid, d.day, d.revenue FROM named_days d JOIN firsts f ON f.customer_id = d.customer_id),
bounds AS (SELECT date_trunc('month', min(day))::DATE AS first_month, ${lastMonthSql(end)} FROM days),
${endsCtes(dialect)},
grid AS (SELECT f.cid, f.first_day, e.month_end FROM firsts f JOIN ends e ON e.month_end >= f.first_day),
moves AS (
  SELECT cid, day AS moved_on, 1 AS purchases, 1 AS rise, revenue AS value, day AS last_day FROM days
  UNION ALL SELECT cid, day + ${d}, 0, -2, 0, NULL FROM days
  UNION ALL SELECT cid, day + 2 * ${d}, 0, 1, 0, NULL FROM days
  UNION ALL SELECT cid, day + 365, 0, 0, -revenue, NULL FROM days
),
monthly AS (
  SELECT cid, month_end, CAST(sum(purchases) AS INTEGER) AS purchases, CAST(sum(rise) AS INTEGER) AS rise, sum(value) AS value, max(last_day) AS last_day
  FROM (SELECT *, (${periodStartSql("month", "moved_on")} + INTERVAL '1 month' - INTERVAL '1 day')::DATE AS month_end FROM moves) m
  GROUP BY cid, month_end
),
stats AS (
  SELECT g.cid, g.month_end, g.first_day, max(m.last_day) OVER ${upTo} AS last_day, sum(m.purchases) OVER ${upTo} AS purchases,
         sum(m.rise) OVER ${upTo} AS rise, sum(m.value) OVER ${upTo} AS value,
         -- the latest purchase day up to the month end before: in the same window, so that the rows are sorted once
         max(m.last_day) OVER (PARTITION BY g.cid ORDER BY g.month_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_before
  FROM grid g LEFT JOIN monthly m ON m.cid = g.cid AND m.month_end = g.month_end
)`;
}

/**
 * statsCtes' CTEs from a table of lifecycleStatsSql's rows (`kept`), which may hold some customers only: they keep
 * their numbers (cid). The month ends start at the month of the earliest first purchase with a month end (that of the
 * earliest purchase, unless nobody has one).
 */
function keptStatsCtes(dialect: Dialect, end: string, kept: string): string {
  return `firsts AS (SELECT customer_id, min(first_day) AS first_day, cid FROM ${identifier(kept)} GROUP BY customer_id, cid),
bounds AS (SELECT date_trunc('month', min(first_day))::DATE AS first_month, ${lastMonthSql(end)} FROM firsts),
${endsCtes(dialect)},
stats AS (SELECT cid, month_end, first_day, last_day, purchases, rise, value, last_before FROM ${identifier(kept)})`;
}

/**
 * Every customer's running totals at each of their month ends (cid, customer_id, month_end, first_day, last_day,
 * purchases, rise, value, last_before), from retention_days: what the stages rest on before the inactivity rules and
 * the model. Each row is one customer's and rests on their purchase days, `end` and the development window alone, so
 * a table of them serves any set of customers (lifecycleViewsSql's `kept`).
 */
export function lifecycleStatsSql(dialect: Dialect, end: string, r: LifecycleRules): string {
  checkRules(end, r);
  return `WITH ${statsCtes(dialect, end, r, "retention_days")}
SELECT s.cid, f.customer_id, s.month_end, s.first_day, s.last_day, s.purchases, s.rise, s.value, s.last_before
FROM stats s JOIN firsts f ON f.cid = s.cid`;
}

/**
 * CTE "staged": one row per customer and month end (cid, month_end, stage, value, first_day,
 * last_day, purchases, p_alive); cid numbers the customers, whose ids are in CTE "firsts"
 * (customer_id, cid, first_day), so that the windows sort and carry numbers, not ids. Month ends run from the month of the first purchase
 * to the last complete month (its last day on or before `end`); a customer appears from the
 * first month end after their first purchase. At a month end e the customer's state
 * (customerStates.ts, with P(active) at e where `model` gives the BG/NBD parameters) gives the
 * stage where it says the customer is slipping or gone or back:
 *   lost         state lost;
 *   decline      state lapsed or at risk (the call list's customers);
 *   reactivated  state reactivated (for that month end only);
 * and otherwise (new or active), with first and last the first and latest purchase day up to e:
 *   identification  e − first < N, or still one purchase day only: being won until the second purchase;
 *   development     purchase days in (e − D, e] > purchase days in (e − 2D, e − D];
 *   stability       otherwise: tenure ≥ N days, a repeat buyer, not rising.
 * So every customer has exactly one stage at every month end. Value is the customer's
 * revenue in the 365 days up to e.
 * The counts and the value are running totals, over each customer's month ends, of dated
 * moves: a purchase day adds 1 to the rise (recent minus earlier purchase days) from its day
 * until D days later, then −1 for D days, and its revenue to the value for 365 days; a move
 * on day x first shows at the month end of x's month. So the work grows with customers ×
 * month ends plus purchase days, not with their product (joining every month end with every
 * earlier purchase day is slow in a warehouse). Revenue adds up as DECIMAL: the same cents
 * on every engine, and equal values tie (then customer_id orders) rather than differ in the
 * last bits of a DOUBLE.
 */
function stagedCtes(
  dialect: Dialect,
  end: string,
  r: LifecycleRules,
  model: BgNbdParams | null,
  customerId: string | null = null,
  kept: string | null = null
): string {
  checkRules(end, r);
  const n = numberLiteral(r.identificationDays);
  const columns: StateColumns = {
    end: "month_end",
    periodStart: `CAST(${periodStartSql("month", "month_end")} AS DATE)`,
    first: "first_day",
    last: "last_day",
    purchases: "purchases",
    lastBefore: "last_before",
    // New and active customers alike take the stages below: who was there when the data start does not matter here.
    already: "false"
  };
  const pAlive = model === null ? "CAST(NULL AS DOUBLE PRECISION)" : pAliveAtSql(model, columns);
  // A customer's stages rest on their own purchase days alone: one customer's are theirs among everyone's.
  const only = customerId === null ? "" : ` WHERE customer_id = ${literal(customerId)}`;
  return `${kept === null ? statsCtes(dialect, end, r, `retention_days${only}`) : keptStatsCtes(dialect, end, kept)},
stated AS (
  SELECT *, ${pAlive} AS p_alive FROM stats
),
staged AS (
  SELECT cid, month_end, first_day, last_day, purchases, value, p_alive,
         CASE ${customerStateSql(columns, r, "p_alive")}
              WHEN 'lost' THEN 'lost' WHEN 'lapsed' THEN 'decline' WHEN 'at risk' THEN 'decline' WHEN 'reactivated' THEN 'reactivated'
              ELSE CASE WHEN month_end - first_day < ${n} OR purchases = 1 THEN 'identification'
                        WHEN rise > 0 THEN 'development'
                        ELSE 'stability' END END AS stage
  FROM stated
)`;
}

/** The stages in their order, as a FROM item: names(stage, position). */
const stageNames = `(VALUES ${stages.map((stage, i) => `(${literal(stage)}, ${i})`).join(", ")}) AS names(stage, position)`;

/** Every customer's stage at every month end (or one customer's: customerId): customer_id, month_end (YYYY-MM-DD), stage, value. */
export function lifecycleStagesSql(
  dialect: Dialect,
  end: string,
  r: LifecycleRules,
  model: BgNbdParams | null = null,
  customerId: string | null = null
): string {
  return `WITH ${stagedCtes(dialect, end, r, model, customerId)}
SELECT f.customer_id, ${dialect.dateText("s.month_end", "day")} AS month_end, s.stage, ${dialect.round("s.value", 2)} AS value
FROM staged s JOIN firsts f ON f.cid = s.cid ORDER BY s.month_end, f.customer_id`;
}

/** A row of stageCountsSql. */
export interface StageCountRow {
  month_end: string;
  stage: Stage;
  customers: number;
  /** The stage's customers' revenue in the 365 days up to the month end. */
  value: number;
}

/** A row of stageFlowsSql: customers moving from one stage at the previous month end to one at this month end. */
export interface StageFlowRow {
  month_end: string;
  /** The stage at the previous month end; "new" for customers who had not bought by then. */
  from_stage: Stage | "new";
  to_stage: Stage;
  customers: number;
}

/** A row of stageDurationSql. */
export interface StageDurationRow {
  stage: Stage;
  /** Unbroken runs of month ends in the stage. */
  spells: number;
  /** Mean length of the runs that ended before the last month end, in months. */
  mean_months: number | null;
  /** Runs still going at the last month end. */
  ongoing: number;
}

/** A row of newlyDeclinedSql. */
export interface DeclinedRow {
  /** The month end at which the customer entered decline. */
  month_end: string;
  customer_id: string;
  previous_stage: Stage;
  first_purchase: string;
  last_purchase: string;
  days_silent: number;
  purchases: number;
  value: number;
  p_alive: number | null;
}

/** A CTE of staged rows (those `where` keeps) with the stage at the customer's month end before (previous_stage; NULL at the first), by lag: a customer's month ends run unbroken. */
const withPreviousStage = (name: string, where = "") =>
  `${name} AS (SELECT *, lag(stage) OVER (PARTITION BY cid ORDER BY month_end) AS previous_stage FROM staged${where})`;

/** CTE "moved": every staged row with its previous stage. */
const movedCte = withPreviousStage("moved");

/**
 * The inflow into decline: the customers in decline at a month end who were in another stage
 * at the month end before (a customer's first month end has no stage before; lost customers
 * do not come back to decline without buying, which reactivates them first).
 */
const newlyDeclined = "FROM moved cur WHERE cur.stage = 'decline' AND cur.previous_stage <> 'decline'";

/** newlyDeclined with each customer's id (the staged rows carry only their number, cid, through the windows). */
const newlyDeclinedCustomers =
  "FROM moved cur JOIN firsts f ON f.cid = cur.cid WHERE cur.stage = 'decline' AND cur.previous_stage <> 'decline'";

/** The types of the views' columns (a name has one type in every view, so that views share a union). */
type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE PRECISION";

/** Each view's columns, in order. */
export const lifecycleViewColumns = {
  counts: {month_end: "VARCHAR", stage: "VARCHAR", customers: "INTEGER", value: "DOUBLE PRECISION"},
  flows: {month_end: "VARCHAR", from_stage: "VARCHAR", to_stage: "VARCHAR", customers: "INTEGER"},
  durations: {stage: "VARCHAR", spells: "INTEGER", mean_months: "DOUBLE PRECISION", ongoing: "INTEGER"},
  declined: {
    month_end: "VARCHAR",
    customer_id: "VARCHAR",
    previous_stage: "VARCHAR",
    first_purchase: "VARCHAR",
    last_purchase: "VARCHAR",
    days_silent: "INTEGER",
    purchases: "INTEGER",
    value: "DOUBLE PRECISION",
    p_alive: "DOUBLE PRECISION"
  },
  declinedCount: {month_end: "VARCHAR", declined: "INTEGER"}
} as const satisfies Record<string, Record<string, ColumnType>>;

/** The page's views of the staged rows. */
export type LifecycleView = keyof typeof lifecycleViewColumns;

/** A view's SQL, reading the staged rows from `rows`: staged, or moved where another view of the query reads that. */
type ViewSql = (dialect: Dialect, rows?: "staged" | "moved") => {ctes: string[]; select: string};

/** A view's CTEs besides stagedCtes' (shared by name between views) and its SELECT, giving the columns of lifecycleViewColumns. */
const views: Record<LifecycleView, ViewSql> = {
  // Customers and value per stage at every month end; every stage appears at every month end (zeros included).
  counts: (dialect, rows = "staged") => ({
    ctes: [
      ...(rows === "moved" ? [movedCte] : []),
      `counted AS (SELECT month_end, stage, count(*) AS customers, sum(value) AS value FROM ${rows} GROUP BY month_end, stage)`
    ],
    select: `SELECT ${dialect.dateText("e.month_end", "day")} AS month_end, names.stage, CAST(coalesce(c.customers, 0) AS INTEGER) AS customers, ${dialect.round("coalesce(c.value, 0)", 2)} AS value
FROM ends e CROSS JOIN ${stageNames} LEFT JOIN counted c ON c.month_end = e.month_end AND c.stage = names.stage
ORDER BY e.month_end, names.position`
  }),
  // The flows between stages from each month end to the next (the flow matrix, one per month end).
  flows: (dialect) => ({
    ctes: [movedCte],
    select: `SELECT ${dialect.dateText("m.month_end", "day")} AS month_end, coalesce(m.previous_stage, 'new') AS from_stage, m.stage AS to_stage, count(*)::INTEGER AS customers
FROM moved m
WHERE m.month_end > (SELECT min(month_end) FROM ends)
GROUP BY m.month_end, coalesce(m.previous_stage, 'new'), m.stage ORDER BY month_end, from_stage, to_stage`
  }),
  // The average time spent in each stage: the mean length, in month ends, of the completed
  // spells in it. A spell is numbered by the stage changes up to it (the one sort moved has).
  durations: (dialect) => ({
    ctes: [
      movedCte,
      `runs AS (
  SELECT cid, stage, month_end,
         sum(CASE WHEN previous_stage IS NULL OR previous_stage <> stage THEN 1 ELSE 0 END) OVER (PARTITION BY cid ORDER BY month_end ROWS UNBOUNDED PRECEDING) AS run
  FROM moved
)`,
      "spells AS (SELECT cid, stage, run, count(*) AS months, max(month_end) AS last_month_end FROM runs GROUP BY cid, stage, run)"
    ],
    select: `SELECT names.stage, count(*)::INTEGER AS spells,
       ${dialect.round("avg(CAST(months AS DOUBLE PRECISION)) FILTER (WHERE last_month_end < l.month_end)", 1)} AS mean_months,
       count(*) FILTER (WHERE last_month_end = l.month_end)::INTEGER AS ongoing
FROM spells s CROSS JOIN last_end l JOIN ${stageNames} ON names.stage = s.stage
GROUP BY names.stage, names.position ORDER BY names.position`
  }),
  // The customers newly in decline at each month end, most value first.
  declined: (dialect) => ({
    ctes: [movedCte],
    select: `SELECT ${dialect.dateText("cur.month_end", "day")} AS month_end, f.customer_id, cur.previous_stage, ${dialect.dateText("cur.first_day", "day")} AS first_purchase,
       ${dialect.dateText("cur.last_day", "day")} AS last_purchase, (cur.month_end - cur.last_day)::INTEGER AS days_silent,
       cur.purchases::INTEGER AS purchases, ${dialect.round("cur.value", 2)} AS value, ${dialect.round("cur.p_alive", 3)} AS p_alive
${newlyDeclinedCustomers}
ORDER BY cur.month_end, cur.value DESC, f.customer_id`
  }),
  // The monthly inflow into decline: how many entered it at each month end (zeros included; the first month end has no inflow).
  declinedCount: (dialect) => ({
    ctes: [movedCte, `inflow AS (SELECT cur.month_end, count(*) AS declined ${newlyDeclined} GROUP BY cur.month_end)`],
    select: `SELECT ${dialect.dateText("e.month_end", "day")} AS month_end, CAST(coalesce(i.declined, 0) AS INTEGER) AS declined
FROM ends e LEFT JOIN inflow i ON i.month_end = e.month_end
WHERE e.month_end > (SELECT min(month_end) FROM ends)
ORDER BY e.month_end`
  })
};

function viewSql(view: LifecycleView) {
  return (dialect: Dialect, end: string, r: LifecycleRules, model: BgNbdParams | null = null): string => {
    const {ctes, select} = views[view](dialect);
    return `WITH ${stagedCtes(dialect, end, r, model)}, ${ctes.join(",\n")}\n${select}`;
  };
}

/**
 * The statements that keep the staged rows, the month ends and the customers' numbers in tables named prefix +
 * "staged", "ends" and "firsts" (create), for viewOfStagedTablesSql, and those that drop them (drop): a page that asks several views for one set of
 * rules stages the customers once, as DuckDB-WASM does not keep a CTE that several views of one query read.
 */
export function stagedTablesSql(
  dialect: Dialect,
  end: string,
  r: LifecycleRules,
  model: BgNbdParams | null,
  prefix: string
): {create: string[]; drop: string[]} {
  const ctes = stagedCtes(dialect, end, r, model);
  // firsts: the customers' ids by their number (cid), which the same order gives every statement.
  const tables = ["staged", "ends", "firsts"];
  return {
    create: tables.map((name) => `CREATE TABLE ${identifier(prefix + name)} AS WITH ${ctes} SELECT * FROM ${name}`),
    drop: tables.map((name) => `DROP TABLE IF EXISTS ${identifier(prefix + name)}`)
  };
}

/** A view's rows from the tables stagedTablesSql filled: the same rows as the view's own query (stageCountsSql and the others). */
export function viewOfStagedTablesSql(dialect: Dialect, view: LifecycleView, prefix: string): string {
  const {ctes, select} = views[view](dialect);
  const tables = `ends AS (SELECT * FROM ${identifier(`${prefix}ends`)}), ${lastEndCte}, staged AS (SELECT * FROM ${identifier(`${prefix}staged`)}), firsts AS (SELECT * FROM ${identifier(`${prefix}firsts`)})`;
  return `WITH ${tables}, ${ctes.join(",\n")}\n${select}`;
}

/** Customers and value per stage at every month end (StageCountRow); every stage appears at every month end (zeros included). */
export const stageCountsSql = viewSql("counts");
/** The flows between stages from each month end to the next (StageFlowRow). */
export const stageFlowsSql = viewSql("flows");
/** The time spent in each stage (StageDurationRow). */
export const stageDurationSql = viewSql("durations");
/** The customers who entered decline at each month end (in decline there, in another stage at the month end before), by month end, most value first (DeclinedRow). */
export const newlyDeclinedSql = viewSql("declined");
/** The monthly inflow into decline: month_end, declined (how many entered decline there), from the second month end on. */
export const declineInflowSql = viewSql("declinedCount");

/** The columns of lifecycleViewsSql's rows after view_name, with their types: every chosen view's, each name once, in the views' order. */
export function lifecycleViewsColumns(chosen: readonly LifecycleView[]): [string, ColumnType][] {
  return [...new Map<string, ColumnType>(chosen.flatMap((view) => Object.entries(lifecycleViewColumns[view])))];
}

/**
 * Several views in one query, so that the staged rows (customers × month ends, the costly
 * part) are computed once: each view's rows in turn, column view_name saying whose, with
 * every chosen view's columns (NULL in a row of a view without that column). Engines
 * materialise a CTE that several views read (PostgreSQL 12 and later do so by default). `kept` names a table of
 * lifecycleStatsSql's rows to stage from instead of retention_days (the same rows for the customers it holds).
 */
export function lifecycleViewsSql(
  dialect: Dialect,
  end: string,
  r: LifecycleRules,
  model: BgNbdParams | null,
  chosen: readonly LifecycleView[],
  kept: string | null = null
): string {
  const columns = lifecycleViewsColumns(chosen);
  // Where another view reads moved, the counts read it too: staged then has one reader, which PostgreSQL does not keep
  // apart, and its rows come from the running totals' window already sorted for moved's (one sort of every customer's
  // month ends instead of two).
  const counted = chosen.some((view) => view !== "counts") ? "moved" : "staged";
  const built = chosen.map((view) => ({view, ...views[view](dialect, counted)}));
  const ctes = [...new Set(built.flatMap((b) => b.ctes)), ...built.map((b) => `view_${b.view} AS (${b.select})`)];
  const branches = built.map(({view}) => {
    const own: Record<string, ColumnType> = lifecycleViewColumns[view];
    return `SELECT ${literal(view)} AS view_name, ${columns.map(([name, type]) => `CAST(${name in own ? identifier(name) : "NULL"} AS ${type}) AS ${identifier(name)}`).join(", ")} FROM view_${view}`;
  });
  return `WITH ${stagedCtes(dialect, end, r, model, null, kept)}, ${ctes.join(",\n")}\n${branches.join("\nUNION ALL ")}`;
}
