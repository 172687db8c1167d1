// The retention page's SQL: one definition for the loader (native DuckDB or a PostgreSQL
// warehouse, the page's first view) and for the page's controls (DuckDB-WASM), with a
// dialect for what the engines spell differently. Everything reads two tables:
// retention_days (one row per customer and purchase day, purchaseDays.ts) and
// customer_summary (the customer's acquisition channel and cost). Values enter the SQL
// text only through literal() and numberLiteral(); periods only from the known list.
// Joins and GROUP BY rather than correlated subqueries: a warehouse would run those once per customer.
import {isPeriod, type Period} from "../metrics/salesByPeriod.js";
import {
  addMonths,
  allWonWithinData,
  alreadyCustomerSql,
  completePeriodSql,
  monthName,
  newFromSql,
  periodStart,
  periodStep,
  recentWindows,
  spanDates,
  type MonthSpan,
  type NewFrom
} from "./dataEdges.js";
import type {BgNbdParams} from "../models/bgnbdLikelihood.js";
import {
  customerStates,
  customerStateSql,
  defaultStateRules,
  overdueSql,
  pAliveAtSql,
  slippingStates,
  stateReasonSql,
  usualGapSql,
  type CustomerState,
  type StateColumns,
  type StateRules
} from "./customerStates.js";
import {dateLiteral, daysLiteral, identifier, literal, numberLiteral, periodStartSql} from "./sql.js";
import type {Dialect} from "./sqlDialect.js";

export interface RetentionFilter {
  /** Acquisition channel (customer_summary.acquisition_channel); null for every customer. */
  channel: string | null;
}

export const allCustomers: RetentionFilter = {channel: null};

const steps = periodStep;

function checkPeriod(period: Period): Period {
  if (!isPeriod(period)) throw new Error(`unknown period: ${String(period)}`);
  return period;
}

/** The purchase days of the filter's customers (CTE "days"). */
function daysCte(f: RetentionFilter): string {
  return `days AS (
  SELECT d.customer_id, d.day::DATE AS day, d.revenue::DECIMAL(18, 2) AS revenue
  FROM retention_days d${f.channel !== null ? `\n  JOIN customer_summary c USING (customer_id) WHERE c.acquisition_channel = ${literal(f.channel)}` : ""}
)`;
}

/**
 * CTEs "edges" (the day from which customers are new, dataEdges.ts: by the rule, the first
 * day after the data's first month, over every customer whatever the filter),
 * "activity" (customer × complete period with purchases, and its revenue), "firsts" (each
 * customer's first period, and whether they were already a customer when the data start:
 * dataEdges.ts) and "bounds" (the first and last complete
 * period). A period is complete when its last day is on or before the observation end
 * (dataEdges.ts); a trailing partial period would show everyone who did not buy in its
 * few days as lost.
 */
function activityCtes(period: Period, end: string, f: RetentionFilter, newFrom: NewFrom): string {
  checkPeriod(period);
  return `${daysCte(f)},
edges AS (SELECT ${newFromSql(newFrom, "retention_days", "day")} AS new_from),
activity AS (
  SELECT customer_id, ${periodStartSql(period, "day")}::DATE AS period, sum(revenue) AS revenue
  FROM days WHERE ${completePeriodSql(period, periodStartSql(period, "day"), end)}
  GROUP BY customer_id, ${periodStartSql(period, "day")}::DATE
),
firsts AS (
  SELECT a.customer_id, min(a.period) AS first_period, ${alreadyCustomerSql("min(d.first_day)", "min(e.new_from)")} AS already
  FROM activity a JOIN (SELECT customer_id, min(day) AS first_day FROM days GROUP BY customer_id) d USING (customer_id), edges e
  GROUP BY a.customer_id
),
bounds AS (SELECT min(period) AS first, max(period) AS last FROM activity)`;
}

/** A row of growthAccountingSql. Revenue flows are positive amounts; lost and contraction subtract. */
export interface GrowthRow {
  period: string;
  active: number;
  previous_active: number;
  new: number;
  retained: number;
  reactivated: number;
  lost: number;
  revenue: number;
  previous_revenue: number;
  new_revenue: number;
  expansion_revenue: number;
  contraction_revenue: number;
  lost_revenue: number;
  reactivated_revenue: number;
  /** Acquisition cost of this period's new customers, where customer_summary has one. */
  acquisition_spend: number;
  /** How many of this period's new customers have an acquisition cost. */
  costed_new: number;
}

/**
 * Growth accounting per complete period (Hsu, "growth accounting"; the seeds' leaky bucket).
 * A customer is active in a period with at least one purchase in it, and is then
 *   new          in the period of their first purchase,
 *   retained     if also active in the period before,
 *   reactivated  if not active in the period before but active at some earlier period;
 * a customer active in the period before but not in this one is lost. Hence exactly
 *   active(t) = active(t−1) + new + reactivated − lost.
 * Revenue (purchases, returns left out) splits the same way: new and reactivated revenue
 * are those customers' revenue; a retained customer's change is expansion (up) or
 * contraction (down); lost revenue is what lost customers spent in the period before:
 *   revenue(t) = revenue(t−1) + new + reactivated + expansion − contraction − lost.
 * Periods without any purchase still appear (with their losses), from the first period
 * that starts after the data's first month to the last complete period. Customers who
 * bought in the data's first month were already customers (dataEdges.ts): their purchases
 * there are the level the accounts start from (the first row's previous_active and
 * previous_revenue), never new customers. A customer first seen later is new in the period
 * of their first purchase; one whose first purchase lies in a period that straddles the
 * first month's end (a week) is in no row's new.
 */
export function growthAccountingSql(
  dialect: Dialect,
  period: Period,
  end: string,
  f: RetentionFilter = allCustomers,
  newFrom?: NewFrom
): string {
  const step = steps[checkPeriod(period)];
  return `WITH ${activityCtes(period, end, f, newFrom)},
spine AS (
  SELECT s.period FROM (SELECT ${dialect.dateSeries("first", "last", step)} AS period FROM bounds) s, edges e
  WHERE s.period >= coalesce(e.new_from, s.period)
),
pairs AS (
  SELECT coalesce(cur.customer_id, prev.customer_id) AS customer_id,
         coalesce(cur.period, (prev.period + ${step})::DATE) AS period,
         cur.revenue AS revenue, prev.revenue AS previous_revenue
  FROM activity cur FULL JOIN activity prev
    ON cur.customer_id = prev.customer_id AND cur.period = (prev.period + ${step})::DATE
),
classified AS (
  SELECT p.*, CASE WHEN p.revenue IS NULL THEN 'lost' WHEN p.previous_revenue IS NOT NULL THEN 'retained'
                   WHEN p.period = f.first_period AND NOT f.already THEN 'new' ELSE 'reactivated' END AS status
  FROM pairs p JOIN firsts f USING (customer_id), bounds
  WHERE p.period <= bounds.last
),
flows AS (
  SELECT period,
         count(*) FILTER (WHERE status = 'new') AS new,
         count(*) FILTER (WHERE status = 'retained') AS retained,
         count(*) FILTER (WHERE status = 'reactivated') AS reactivated,
         count(*) FILTER (WHERE status = 'lost') AS lost,
         coalesce(sum(revenue), 0) AS revenue,
         coalesce(sum(previous_revenue), 0) AS previous_revenue,
         coalesce(sum(revenue) FILTER (WHERE status = 'new'), 0) AS new_revenue,
         coalesce(sum(greatest(revenue - previous_revenue, 0)) FILTER (WHERE status = 'retained'), 0) AS expansion_revenue,
         coalesce(sum(greatest(previous_revenue - revenue, 0)) FILTER (WHERE status = 'retained'), 0) AS contraction_revenue,
         coalesce(sum(previous_revenue) FILTER (WHERE status = 'lost'), 0) AS lost_revenue,
         coalesce(sum(revenue) FILTER (WHERE status = 'reactivated'), 0) AS reactivated_revenue
  FROM classified GROUP BY period
),
spend AS (
  SELECT f.first_period AS period, sum(CAST(c.acquisition_cost AS DOUBLE PRECISION)) AS acquisition_spend,
         count(CAST(c.acquisition_cost AS DOUBLE PRECISION)) AS costed_new
  FROM firsts f JOIN customer_summary c USING (customer_id) WHERE NOT f.already GROUP BY f.first_period
)
SELECT ${dialect.dateText("s.period", "day")} AS period,
       coalesce(x.new + x.retained + x.reactivated, 0)::INTEGER AS active,
       coalesce(x.retained + x.lost, 0)::INTEGER AS previous_active,
       coalesce(x.new, 0)::INTEGER AS new, coalesce(x.retained, 0)::INTEGER AS retained,
       coalesce(x.reactivated, 0)::INTEGER AS reactivated, coalesce(x.lost, 0)::INTEGER AS lost,
       coalesce(x.revenue, 0)::DOUBLE PRECISION AS revenue, coalesce(x.previous_revenue, 0)::DOUBLE PRECISION AS previous_revenue,
       coalesce(x.new_revenue, 0)::DOUBLE PRECISION AS new_revenue, coalesce(x.expansion_revenue, 0)::DOUBLE PRECISION AS expansion_revenue,
       coalesce(x.contraction_revenue, 0)::DOUBLE PRECISION AS contraction_revenue, coalesce(x.lost_revenue, 0)::DOUBLE PRECISION AS lost_revenue,
       coalesce(x.reactivated_revenue, 0)::DOUBLE PRECISION AS reactivated_revenue,
       ${dialect.round("coalesce(sp.acquisition_spend, 0)", 2)} AS acquisition_spend, coalesce(sp.costed_new, 0)::INTEGER AS costed_new
FROM spine s LEFT JOIN flows x USING (period) LEFT JOIN spend sp USING (period)
ORDER BY s.period`;
}

/** The row of bucketWindowSql: unique customers over one window of whole months. */
export interface BucketWindowRow {
  /** The window [from, to): its first day, the day after its last, and its months. */
  from: string;
  to: string;
  months: number;
  /** The comparison span before it, [previous_from, from), of as many months; previous_months of them hold data. */
  previous_from: string;
  previous_months: number;
  /** Customers who bought at any time before the window's end: the customers there are. */
  customers: number;
  /** Active at the window's start: bought in the comparison span. */
  previous_active: number;
  /** Bought in the window. */
  active: number;
  /** Active at the start and bought in the window. */
  retained: number;
  /** First purchase in the window (and not already a customer when the data start). */
  new: number;
  /** Won back: bought in the window, had bought before the comparison span, not in it. */
  reactivated: number;
  /** Active at the start, no purchase in the window. */
  lost: number;
  /** Customers who were already customers when the data start, first seen in the window (only where the window holds the data's first month). */
  already: number;
  /** Revenue in the window, of everyone. */
  revenue: number;
  /** What the customers active at the start spent in the comparison span, and in the window. */
  previous_revenue: number;
  retained_revenue: number;
  new_revenue: number;
  reactivated_revenue: number;
  /** Acquisition cost of the window's new customers, where customer_summary has one, and how many have one. */
  acquisition_spend: number;
  costed_new: number;
}

/**
 * The leaky bucket's window (dataStart: the data's first purchase day; end: the observation
 * end; newFrom: newCustomersFrom): the last complete months, as many as the comparison span
 * before them, both within the data, up to 12 (recentWindows().retention.current: a year
 * where the data hold 24 complete months); the last complete month where the data hold
 * fewer than two. The same whatever a chart groups by.
 */
export function bucketWindow(dataStart: string, end: string, newFrom: string | null): MonthSpan {
  const w = recentWindows(dataStart, end, newFrom);
  return w.retention?.current ?? {from: addMonths(w.year.to, -1), to: w.year.to, months: 1};
}

/**
 * The leaky bucket's previous comparable window: the same number of complete months just
 * before bucketWindow's, counted by the same bucketWindowSql; or why the data hold none. Its
 * own comparison span (as many months again before it) must lie within the data, unless
 * every customer was won within them (allWonWithinData): then nobody bought before the data
 * start and the part of that span before them is rightly empty, as long as the window itself
 * starts after the data's first month. Example: data from 2023-01-01 to 2025-06-30, all won
 * within → Jul 2023 – Jun 2024 (the window: Jul 2024 – Jun 2025).
 */
export function previousBucketWindow(
  dataStart: string,
  end: string,
  newFrom: string | null
): {window: MonthSpan; period: string} | {window: null; none: string} {
  const current = bucketWindow(dataStart, end, newFrom);
  const window = {from: addMonths(current.from, -current.months), to: current.from, months: current.months};
  const first = periodStart("month", dataStart);
  const comparable =
    addMonths(window.from, -window.months) >= first || (allWonWithinData(dataStart, newFrom) && window.from > first);
  return comparable
    ? {window, period: spanDates(window)}
    : {
        window: null,
        none: `No earlier ${window.months === 1 ? "month" : `${window.months} months`} to compare: the data start in ${monthName(first)}, too late to tell who was lost before ${monthName(current.from)}.`
      };
}

/**
 * The leaky bucket over a fixed window of whole months [from, to) (by default bucketWindow:
 * the last 12 complete months, fewer where the data hold less than two years), counting
 * each customer once whatever a chart groups by. With the comparison span the window's
 * length before it, a customer is
 *   active at the start  with a purchase in the comparison span,
 *   retained             active at the start and buying in the window,
 *   lost                 active at the start and not buying in the window,
 *   new                  with their first purchase in the window (not already a customer
 *                        when the data start, dataEdges.ts),
 *   won back             buying in the window, with a purchase before the comparison span
 *                        but none in it.
 * Hence active in the window = retained + new + won back (+ already, where the window holds
 * the data's first month) and active at the start = retained + lost; new + won back and
 * lost are each at most the customers who bought before the window's end. Revenue: what the
 * customers active at the start spent in the comparison span and in the window.
 */
export function bucketWindowSql(
  dialect: Dialect,
  window: MonthSpan,
  f: RetentionFilter = allCustomers,
  newFrom?: NewFrom
): string {
  if (!(Number.isInteger(window.months) && window.months >= 1))
    throw new Error(`the window must hold at least one month: ${String(window.months)}`);
  const previousFrom = addMonths(window.from, -window.months);
  const [pFrom, from, to] = [dateLiteral(previousFrom), dateLiteral(window.from), dateLiteral(window.to)];
  const start = `d.day >= ${pFrom} AND d.day < ${from}`;
  const during = `d.day >= ${from} AND d.day < ${to}`;
  return `WITH ${daysCte(f)},
edges AS (
  SELECT ${newFromSql(newFrom, "retention_days", "day")} AS new_from,
         (SELECT date_trunc('month', min(day)) FROM retention_days) AS data_month
),
per AS (
  SELECT d.customer_id, min(d.day) AS first_day,
         count(*) FILTER (WHERE ${start}) > 0 AS at_start, count(*) FILTER (WHERE ${during}) > 0 AS in_window,
         coalesce(sum(d.revenue) FILTER (WHERE ${start}), 0) AS previous_revenue,
         coalesce(sum(d.revenue) FILTER (WHERE ${during}), 0) AS revenue
  FROM days d WHERE d.day < ${to} GROUP BY d.customer_id
),
classified AS (
  SELECT p.*, CASE WHEN p.at_start AND p.in_window THEN 'retained' WHEN p.at_start THEN 'lost'
                   WHEN NOT p.in_window THEN NULL WHEN p.first_day < ${from} THEN 'reactivated'
                   WHEN ${alreadyCustomerSql("p.first_day", "e.new_from")} THEN 'already' ELSE 'new' END AS status
  FROM per p, edges e
),
spend AS (
  SELECT sum(CAST(c.acquisition_cost AS DOUBLE PRECISION)) AS acquisition_spend,
         count(CAST(c.acquisition_cost AS DOUBLE PRECISION)) AS costed_new
  FROM classified k JOIN customer_summary c USING (customer_id) WHERE k.status = 'new'
)
SELECT ${literal(window.from)} AS "from", ${literal(window.to)} AS "to", ${window.months} AS months,
       ${literal(previousFrom)} AS previous_from,
       (SELECT greatest(0, ${dialect.periodsBetween("month", `greatest(${pFrom}, coalesce(e.data_month, ${from}))`, from)}) FROM edges e)::INTEGER AS previous_months,
       count(*)::INTEGER AS customers,
       count(*) FILTER (WHERE at_start)::INTEGER AS previous_active,
       count(*) FILTER (WHERE in_window)::INTEGER AS active,
       count(*) FILTER (WHERE status = 'retained')::INTEGER AS retained,
       count(*) FILTER (WHERE status = 'new')::INTEGER AS new,
       count(*) FILTER (WHERE status = 'reactivated')::INTEGER AS reactivated,
       count(*) FILTER (WHERE status = 'lost')::INTEGER AS lost,
       count(*) FILTER (WHERE status = 'already')::INTEGER AS already,
       ${dialect.round("coalesce(sum(revenue), 0)", 2)} AS revenue,
       ${dialect.round("coalesce(sum(previous_revenue) FILTER (WHERE at_start), 0)", 2)} AS previous_revenue,
       ${dialect.round("coalesce(sum(revenue) FILTER (WHERE at_start), 0)", 2)} AS retained_revenue,
       ${dialect.round("coalesce(sum(revenue) FILTER (WHERE status = 'new'), 0)", 2)} AS new_revenue,
       ${dialect.round("coalesce(sum(revenue) FILTER (WHERE status = 'reactivated'), 0)", 2)} AS reactivated_revenue,
       ${dialect.round("coalesce(min(s.acquisition_spend), 0)", 2)} AS acquisition_spend,
       coalesce(min(s.costed_new), 0)::INTEGER AS costed_new
FROM classified, spend s`;
}

/** A row of cohortSql: one group (cohort or channel) at one age. */
export interface CohortRow {
  group: string;
  /** Periods since the first purchase (0 = the period of the first purchase). */
  age: number;
  /** Customers of the group who could be observed at this age (their first period + age is complete). */
  customers: number;
  active: number;
  revenue: number;
  /** active / customers */
  share: number;
  /** revenue / customers: revenue per original customer */
  revenue_per_customer: number;
}

/** The cohort of the customers who were already customers when the data start. */
export const alreadyCustomersGroup = "already customers";

/**
 * How cohortSql groups customers: by the period of their first purchase, its year, their
 * acquisition channel, or whether they hold a bond (the canonical bonds table: "with" and "without").
 */
export type CohortGrouping = "cohort" | "year" | "channel" | {bond: string};

/** cohortSql's groups by a bond: its holders and the other customers. */
export const bondGroups = {with: "with", without: "without"} as const;

/** The periods cohorts are drawn in: weeks are too short for a cohort, so the page's weekly view shows monthly cohorts. */
export const cohortPeriods = ["month", "quarter"] as const satisfies readonly Period[];

/** The cohorts' period under the page's Period. */
export const cohortPeriodOf = (period: Period): (typeof cohortPeriods)[number] =>
  period === "quarter" ? "quarter" : "month";

/**
 * Acquisition-cohort retention: for every group and age a (in periods since the first
 * purchase), the share of the group's customers active a periods after their first
 * period, and their revenue per original customer. Only customers whose age a falls within
 * the data count in the denominator at a (cohorts acquired late cannot be seen at high
 * ages), so curves pooled over cohorts (by year or channel) are not dragged down by
 * customers not yet that old. Age 0 is always 100 %. Customers who were already customers
 * when the data start (dataEdges.ts) form one group of their own, "already customers", in
 * place of the first cohort or year: their first period is not when they were won.
 */
export function cohortSql(
  dialect: Dialect,
  period: Period,
  end: string,
  grouping: CohortGrouping,
  f: RetentionFilter = allCustomers,
  newFrom?: NewFrom
): string {
  const key =
    typeof grouping === "object"
      ? `CASE WHEN b.customer_id IS NULL THEN ${literal(bondGroups.without)} ELSE ${literal(bondGroups.with)} END`
      : {
          cohort: `CASE WHEN f.already THEN ${literal(alreadyCustomersGroup)} ELSE ${dialect.dateText("f.first_period", "day")} END`,
          year: `CASE WHEN f.already THEN ${literal(alreadyCustomersGroup)} ELSE ${dialect.dateText("f.first_period", "year")} END`,
          channel: `coalesce(c.acquisition_channel::VARCHAR, 'unknown')`
        }[grouping];
  if (key === undefined) throw new Error(`unknown cohort grouping: ${String(grouping)}`);
  const joined =
    typeof grouping === "object"
      ? ` LEFT JOIN (SELECT DISTINCT customer_id FROM canonical_bonds WHERE bond = ${literal(grouping.bond)}) b USING (customer_id)`
      : grouping === "channel"
        ? " LEFT JOIN customer_summary c USING (customer_id)"
        : "";
  const age = dialect.periodsBetween(checkPeriod(period), "k.first_period", "a.period");
  return `WITH ${activityCtes(period, end, f, newFrom)},
keyed AS (
  SELECT f.customer_id, f.first_period, ${key} AS key
  FROM firsts f${joined}
),
sizes AS (SELECT key, first_period, count(*) AS customers FROM keyed GROUP BY key, first_period),
observed AS (
  SELECT k.key, k.first_period, ${age} AS age, count(*) AS active, sum(a.revenue) AS revenue
  FROM activity a JOIN keyed k USING (customer_id) GROUP BY k.key, k.first_period, ${age}
),
spans AS (
  SELECT s.key, s.first_period, s.customers, ${dialect.integerSeries("0", dialect.periodsBetween(period, "s.first_period", "bounds.last"))} AS age
  FROM sizes s, bounds
),
totals AS (
  SELECT sp.key, sp.age, sum(sp.customers) AS customers, coalesce(sum(o.active), 0) AS active, coalesce(sum(o.revenue), 0) AS revenue
  FROM spans sp LEFT JOIN observed o USING (key, first_period, age)
  GROUP BY sp.key, sp.age
)
SELECT key AS "group", age::INTEGER AS age, customers::INTEGER AS customers, active::INTEGER AS active,
       ${dialect.round("revenue", 2)} AS revenue,
       CAST(active AS DOUBLE PRECISION) / CAST(customers AS DOUBLE PRECISION) AS share,
       ${dialect.round("CAST(revenue AS DOUBLE PRECISION) / CAST(customers AS DOUBLE PRECISION)", 2)} AS revenue_per_customer
FROM totals ORDER BY key, age`;
}

/** A row of windowStatusSql: the status of customers at the end of one period. */
export interface WindowStatusRow {
  period: string;
  /** The period's last day, when active and lapsed are counted. */
  last_day: string;
  /** Customers with a purchase in the window days up to the period's last day. */
  active: number;
  /** Customers who bought before but not within the window. */
  lapsed: number;
  /** Customers who crossed the window without a purchase during the period. */
  lapsing: number;
  /** Customers who bought in the period after more than the window without a purchase. */
  returning: number;
}

/**
 * Customer status with an inactivity window of N days: at a day e, a customer who has
 * bought is active when their last purchase up to e is fewer than N days before e
 * (e − last < N) and lapsed otherwise. A customer lapses on the day N days after a
 * purchase with no purchase since, and returns on a purchase more than N days after
 * their previous one. Per complete period: active and lapsed at its last day, lapses and
 * returns within it. Counted without pairing period ends with purchase days (which grows
 * as periods × purchase days): a customer is active from their first purchase or a return
 * until they lapse, so active at a period's end = first purchases + returns − lapses up to
 * it, and customers who have bought = first purchases up to it.
 */
export function windowStatusSql(
  dialect: Dialect,
  period: Period,
  end: string,
  windowDays: number,
  f: RetentionFilter = allCustomers
): string {
  const step = steps[checkPeriod(period)];
  const n = daysLiteral(windowDays, "the inactivity window");
  return `WITH ${daysCte(f)},
gaps AS (
  SELECT customer_id, day, lag(day) OVER w AS previous_day, lead(day) OVER w AS next_day
  FROM days WINDOW w AS (PARTITION BY customer_id ORDER BY day)
),
bounds AS (
  SELECT date_trunc('${period}', min(day))::DATE AS first,
         (date_trunc('${period}', ${dateLiteral(end)} + INTERVAL '1 day') - ${step})::DATE AS last
  FROM days
),
ends AS (
  SELECT period, (period + ${step} - INTERVAL '1 day')::DATE AS last_day
  FROM (SELECT ${dialect.dateSeries("first", "last", step)} AS period FROM bounds) series
),
starts AS (
  SELECT ${periodStartSql(period, "day")}::DATE AS period, count(*) FILTER (WHERE previous_day IS NULL) AS firsts,
         count(*) FILTER (WHERE day - previous_day >= ${n}) AS returning
  FROM gaps GROUP BY ${periodStartSql(period, "day")}::DATE
),
lapses AS (
  SELECT ${periodStartSql(period, `day + ${n}`)}::DATE AS period, count(*) AS lapsing
  FROM gaps WHERE next_day IS NULL OR next_day - day >= ${n} GROUP BY ${periodStartSql(period, `day + ${n}`)}::DATE
),
status AS (
  SELECT e.period, e.last_day, coalesce(s.returning, 0) AS returning, coalesce(l.lapsing, 0) AS lapsing,
         sum(coalesce(s.firsts, 0) + coalesce(s.returning, 0) - coalesce(l.lapsing, 0)) OVER (ORDER BY e.period) AS active,
         sum(coalesce(s.firsts, 0)) OVER (ORDER BY e.period) AS customers
  FROM ends e LEFT JOIN starts s USING (period) LEFT JOIN lapses l USING (period)
)
SELECT ${dialect.dateText("t.period", "day")} AS period, ${dialect.dateText("t.last_day", "day")} AS last_day, t.active::INTEGER AS active, (t.customers - t.active)::INTEGER AS lapsed,
       t.lapsing::INTEGER AS lapsing, t.returning::INTEGER AS returning
FROM status t ORDER BY t.period`;
}

/**
 * The days between a customer's consecutive purchase days, at quantile q over every such
 * gap of every customer (type R-7, as DuckDB's quantile_cont), rounded up: one row {days, gaps}.
 * At q = 0.9, nine in ten repeat purchases come within that many days of the one before:
 * the page's default inactivity window.
 */
export function gapQuantileSql(dialect: Dialect, q: number): string {
  if (!(q > 0 && q < 1)) throw new Error(`quantile must lie strictly between 0 and 1: ${String(q)}`);
  return `WITH gaps AS (
  SELECT day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap FROM retention_days
)
SELECT ceil(${dialect.quantileCont("gap", numberLiteral(q))})::INTEGER AS days, count(gap)::INTEGER AS gaps FROM gaps`;
}

/**
 * The parameters of the retention loader's files, given the data's inactivity window:
 * monthly periods, every customer, and the customer states' default rules at that window.
 */
export function retentionFirstView(windowDays: number): {
  period: Period;
  filter: RetentionFilter;
  windowDays: number;
  stateRules: StateRules;
} {
  return {period: "month", filter: allCustomers, windowDays, stateRules: defaultStateRules(windowDays)};
}

/** A row of customerStatesSql: one customer's state at a month end and at the month end before. */
export interface CustomerStateRow {
  customer_id: string;
  acquisition_channel: string | null;
  state: CustomerState;
  /** The state at the month end before; null for a customer who had not bought by then. */
  previous_state: CustomerState | null;
  purchases: number;
  first_purchase: string;
  last_purchase: string;
  days_silent: number;
  usual_gap: number | null;
  /** Revenue in the 365 days up to and including the last purchase: a year's custom at risk. */
  value_at_risk: number;
  /** The model's P(active) at the month end; null without a model. */
  p_alive: number | null;
  /** Slipping away (at risk or lapsed) now, and not at the month end before. */
  new_since: boolean;
  /** Why a customer slipping away is so (customerStates.ts: stateReasonSql); empty for the other states. */
  reason: string;
  /** Silent longer than their usual gap (customerStates.ts: overdueSql, with the rules' minimum of purchase days). */
  overdue: boolean;
}

/** The end of the month before the one holding `day`: the last day of the month before. */
export const previousPeriodEnd = (day: string): string => {
  const first = new Date(`${addMonths(day, 0)}T00:00:00Z`);
  return new Date(first.getTime() - 86_400_000).toISOString().slice(0, 10);
};

/** The month end the customer states are counted at: the last complete month's last day, on or before `end`. */
export const stateMonthEnd = (end: string): string => (nextDay(end).endsWith("-01") ? end : previousPeriodEnd(end));

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Every customer's state (customerStates.ts) at a month end and at the month end before, on
 * their purchase days up to each: one row per customer who had bought by the month end. The
 * model's P(active) (where `model` gives its BG/NBD parameters) is reckoned at each month
 * end from the purchases up to it (pAliveAtSql), so both month ends are judged by the same
 * rule. value_at_risk is the customer's revenue over the year up to their last purchase.
 */
export function customerStatesSql(
  dialect: Dialect,
  monthEnd: string,
  r: StateRules,
  model: BgNbdParams | null,
  f: RetentionFilter = allCustomers,
  newFrom?: NewFrom
): string {
  const e = dateLiteral(monthEnd);
  const previous = previousPeriodEnd(monthEnd);
  const [start, previousStart] = [dateLiteral(nextDay(previous)), dateLiteral(addMonths(previous, 0))];
  const already = alreadyCustomerSql("p.first_day", "e.new_from");
  const now: StateColumns = {
    end: e,
    periodStart: start,
    first: "p.first_day",
    last: "p.last_day",
    purchases: "p.purchases",
    lastBefore: "p.previous_last",
    already
  };
  const before: StateColumns = {
    end: dateLiteral(previous),
    periodStart: previousStart,
    first: "p.first_day",
    last: "p.previous_last",
    purchases: "p.previous_purchases",
    lastBefore: "p.last_before_previous",
    already
  };
  const pAlive = (c: StateColumns) => (model === null ? null : pAliveAtSql(model, c));
  const slipping = `(${slippingStates.map(literal).join(", ")})`;
  return `WITH ${daysCte(f)},
edges AS (SELECT ${newFromSql(newFrom, "retention_days", "day")} AS new_from),
per AS (
  SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS purchases,
         max(day) FILTER (WHERE day < ${start}) AS previous_last, count(*) FILTER (WHERE day < ${start}) AS previous_purchases,
         max(day) FILTER (WHERE day < ${previousStart}) AS last_before_previous
  FROM days WHERE day <= ${e} GROUP BY customer_id
),
risk AS (
  SELECT d.customer_id, sum(d.revenue) AS value_at_risk
  FROM days d JOIN per p USING (customer_id) WHERE d.day <= p.last_day AND d.day > p.last_day - 365 GROUP BY d.customer_id
),
states AS (
  SELECT p.*, ${customerStateSql(now, r, pAlive(now))} AS state,
         CASE WHEN p.previous_purchases > 0 THEN ${customerStateSql(before, r, pAlive(before))} END AS previous_state,
         ${pAlive(now) ?? "CAST(NULL AS DOUBLE PRECISION)"} AS p_alive, ${stateReasonSql(dialect, now, r, pAlive(now))} AS reason,
         ${overdueSql(now, r.minPurchases)} AS overdue
  FROM per p, edges e
)
SELECT s.customer_id, c.acquisition_channel::VARCHAR AS acquisition_channel, s.state, s.previous_state,
       s.purchases::INTEGER AS purchases, ${dialect.dateText("s.first_day", "day")} AS first_purchase,
       ${dialect.dateText("s.last_day", "day")} AS last_purchase, (${e} - s.last_day)::INTEGER AS days_silent,
       ${dialect.round(usualGapSql({first: "s.first_day", last: "s.last_day", purchases: "s.purchases"}), 1)} AS usual_gap,
       ${dialect.round("r.value_at_risk", 2)} AS value_at_risk, ${dialect.round("s.p_alive", 3)} AS p_alive,
       (s.state IN ${slipping} AND coalesce(s.previous_state NOT IN ${slipping}, true)) AS new_since, s.reason, s.overdue
FROM states s JOIN risk r USING (customer_id) LEFT JOIN customer_summary c USING (customer_id)
ORDER BY s.customer_id`;
}

/** The call list: the customers slipping away (at risk or lapsed) at the month end, as rows of customerStatesSql (unranked: rankWarningSql orders them). */
export function earlyWarningSql(states: string): string {
  return `SELECT * FROM (${states}) s WHERE s.state IN (${slippingStates.map(literal).join(", ")})`;
}

/** A query (its text, in parentheses) or a table's name (quoted), as a FROM item. */
const relation = (queryOrTable: string) =>
  /^\s*(WITH|SELECT)\b/i.test(queryOrTable) ? `(${queryOrTable})` : identifier(queryOrTable);

/** The states in their order, as a FROM item: names(state, position). */
const stateNames = `(VALUES ${customerStates.map((state, i) => `(${literal(state)}, ${i})`).join(", ")}) AS names(state, position)`;

/** A row of stateCountsSql: how many customers are in a state at the month end and were at the month end before. */
export interface StateCountRow {
  state: CustomerState;
  customers: number;
  previous_customers: number;
}

/** Customers per state (every state, zeros included, in customerStates' order) at the month end and the month end before, from customerStatesSql's rows (`states`: its query or a table). */
export function stateCountsSql(states: string): string {
  const source = relation(states);
  return `WITH now AS (SELECT state, count(*) AS n FROM ${source} s GROUP BY state),
before AS (SELECT previous_state AS state, count(*) AS n FROM ${source} s WHERE previous_state IS NOT NULL GROUP BY previous_state)
SELECT names.state, CAST(coalesce(now.n, 0) AS INTEGER) AS customers, CAST(coalesce(before.n, 0) AS INTEGER) AS previous_customers
FROM ${stateNames} LEFT JOIN now USING (state) LEFT JOIN before USING (state)
ORDER BY names.position`;
}

/** A row of stateValueSql: what the customers in one state are worth and have made. */
export interface StateValueRow {
  state: CustomerState;
  customers: number;
  /** The sum of their customer value (CLV over the equity page's horizon); null without the model's values. */
  clv: number | null;
  /** The sum of their profit to date (the profit page's customer profit); null without it. */
  profit: number | null;
}

/**
 * Customers, value and profit to date per state at the month end (every state, in
 * customerStates' order), from customerStatesSql's rows (`states`: its query or a table),
 * the equity model's per-customer CLV (`valueTable`: customer_id, clv) and the profit page's
 * per-customer profit (`profitTable`: customer_id, profit), either absent as null: where a
 * business's value sits by the one state definition, for the equity and profit pages.
 */
export function stateValueSql(
  dialect: Dialect,
  states: string,
  valueTable: string | null,
  profitTable: string | null
): string {
  const source = relation(states);
  const sum = (table: string | null, column: string, alias: string) =>
    table === null
      ? "CAST(NULL AS DOUBLE PRECISION)"
      : dialect.round(`coalesce(sum(CAST(${alias}.${column} AS DOUBLE PRECISION)), 0)`, 2);
  return `SELECT names.state, CAST(count(s.customer_id) AS INTEGER) AS customers,
       ${sum(valueTable, "clv", "v")} AS clv, ${sum(profitTable, "profit", "p")} AS profit
FROM ${stateNames} LEFT JOIN ${source} s ON s.state = names.state${
    valueTable === null
      ? ""
      : `
LEFT JOIN ${identifier(valueTable)} v ON v.customer_id = s.customer_id`
  }${
    profitTable === null
      ? ""
      : `
LEFT JOIN ${identifier(profitTable)} p ON p.customer_id = s.customer_id`
  }
GROUP BY names.state, names.position ORDER BY names.position`;
}

/** A row of rankWarningSql: a slipping customer's state row with their value at stake. */
export interface RankedWarningRow extends Omit<CustomerStateRow, "previous_state" | "first_purchase"> {
  /** P(active) × expected future margin if active (the customer's CLV); the past year's spend without a model. */
  value_at_stake: number;
  /** The date by which, if still active, they have an even chance of having bought again (customer_clv's next_purchase); null without a model. */
  next_purchase: string | null;
}

/** How the early-warning list is ranked: by value at stake from the model, or (without one) by the past year's spend. */
export type WarningRanking = "value" | "spend";

/**
 * The early-warning list ranked by value at stake, its columns in the order the page shows
 * them (reason first). `warning` is earlyWarningSql's query (or a table holding its rows);
 * `valueTable`, where the customer-equity model values customers, is a table of customer_id
 * and clv (customer_clv.csv.gz).
 *
 * Value at stake is the expected value lost if the customer goes: P(active) × the customer's
 * expected future margin if still active, over the CLV horizon. That product is the
 * customer's CLV as the equity page defines it (customerValuation: margin · spend · P(alive) ·
 * Σ discounted purchases if alive; Fader, Hardie & Lee 2005, "Counting your customers the
 * easy way", eq. 10 and 13), so the list reads it from the same per-customer CLV. A customer
 * with P(active) ≈ 0 is already gone and has next to nothing at stake. Without a model
 * (ranking "spend") it falls back to value_at_risk, the revenue of the year up to their last
 * purchase, and the page says so.
 */
export function rankWarningSql(dialect: Dialect, warning: string, valueTable: string | null): string {
  const source = relation(warning);
  const stake =
    valueTable === null ? "w.value_at_risk" : `${dialect.round("coalesce(CAST(v.clv AS DOUBLE PRECISION), 0)", 2)}`;
  const next = valueTable === null ? "CAST(NULL AS VARCHAR)" : dialect.dateText("CAST(v.next_purchase AS DATE)", "day");
  return `SELECT w.reason, w.new_since, w.customer_id, w.acquisition_channel, w.state, w.purchases, w.last_purchase, w.days_silent,
       w.usual_gap, w.overdue, ${next} AS next_purchase, w.p_alive, ${stake} AS value_at_stake, w.value_at_risk
FROM ${source} w${valueTable === null ? "" : ` LEFT JOIN ${identifier(valueTable)} v USING (customer_id)`}
ORDER BY value_at_stake DESC, w.customer_id`;
}
