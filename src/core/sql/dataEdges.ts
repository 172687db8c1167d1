// The data's two edges, defined once for every page (in SQL for the loaders, the warehouse
// and DuckDB-WASM, and in TypeScript for what pages and loaders say about them).
//
// The first edge: a log starts on some day, and the customers who buy in its first days
// were, for the most part, customers already; their first purchase in the data is not their
// first purchase. Rule: the data's first month is the calendar month of the first purchase
// day in the data (its start); a customer whose first purchase in the data falls in it was
// ALREADY A CUSTOMER when the data start, and is not counted as newly won on any page. The
// grain is the month whatever a page sums by (week, month, quarter), so that a customer is
// new on one page exactly when on every other: a week is too short to tell an existing
// customer (a monthly buyer seen on day 20 was there on day 1), and a quarter's first
// month already holds most of them.
//
// The second edge: a log ends on some day (the observation end), usually within a period.
// Rule: a period is COMPLETE when its last day is on or before the observation end. An
// incomplete last period is left out of every chart, card and sparkline that counts by
// period (its few days would look like a collapse), and the page names what was left out.
import type {Period} from "../metrics/salesByPeriod.js";
import {dateLiteral} from "./sql.js";

/** The INTERVAL of one period, as both engines spell it. */
export const periodStep: Record<Period, string> = {
  week: "INTERVAL '7 days'",
  month: "INTERVAL '1 month'",
  quarter: "INTERVAL '3 months'"
};

/**
 * SQL: the first day after the data's first month, given the data's first purchase day
 * (a DATE expression). A customer whose first purchase is before it was already a customer.
 */
export function afterFirstMonthSql(dataStart: string): string {
  return `(date_trunc('month', ${dataStart}) + INTERVAL '1 month')::DATE`;
}

/**
 * The day from which a customer's first purchase in the data is when they were won
 * (newCustomersFrom): a date (YYYY-MM-DD); null where every customer was won within the
 * data (a source that knows it, such as CDNOW's cohort of first-time buyers); undefined for
 * the rule itself, the first day after the data's first month, taken from the data.
 */
export type NewFrom = string | null | undefined;

/** SQL: the day from which customers are new, as a DATE expression (NULL: all are), the rule's taken from `relation`'s first `day`. */
export function newFromSql(newFrom: NewFrom, relation: string, day: string): string {
  if (newFrom === null) return "CAST(NULL AS DATE)";
  if (newFrom !== undefined) return dateLiteral(newFrom);
  return `(SELECT ${afterFirstMonthSql(`min(${day})`)} FROM ${relation})`;
}

/** SQL: whether a customer whose first purchase day is `firstPurchase` was already a customer when the data start (newFrom: a DATE expression, newFromSql). */
export function alreadyCustomerSql(firstPurchase: string, newFrom: string): string {
  return `coalesce(${firstPurchase} < ${newFrom}, false)`;
}

/**
 * The day from which the source's customers are new (NewFrom, never undefined): what the
 * source says (new_customers_from, ingest), else the first day after its first month.
 */
export function newCustomersFrom(source: {
  observation_start: string | null;
  new_customers_from?: string | null;
}): string | null {
  if (source.new_customers_from !== undefined) return source.new_customers_from;
  return source.observation_start ? afterFirstMonth(source.observation_start) : null;
}

/** SQL: whether the period starting at `periodStart` (a DATE expression) is complete at the observation end `end` (YYYY-MM-DD). */
export function completePeriodSql(period: Period, periodStart: string, end: string): string {
  return `(${periodStart} + ${periodStep[period]} <= ${dateLiteral(end)} + INTERVAL '1 day')`;
}

const day = 86_400_000;
const parse = (date: string) => {
  if (!/^\d{4}-\d{2}-\d{2}/.test(date)) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  return new Date(`${date.slice(0, 10)}T00:00:00Z`);
};
const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The first day of the period (weeks start on Monday, as date_trunc('week')) that holds `date`. */
export function periodStart(period: Period, date: string): string {
  const d = parse(date);
  if (period === "week") return iso(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * day));
  const month = period === "quarter" ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth();
  return iso(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** The first day after the period that starts on `start`. */
export function nextPeriodStart(period: Period, start: string): string {
  const d = parse(start);
  if (period === "week") return iso(new Date(d.getTime() + 7 * day));
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (period === "quarter" ? 3 : 1), 1)));
}

/** The last day of the period that starts on `start`. */
export function periodLastDay(period: Period, start: string): string {
  return iso(new Date(parse(nextPeriodStart(period, start)).getTime() - day));
}

/** Whether the period starting on `start` is complete: its last day is on or before the observation end. */
export function isCompletePeriod(period: Period, start: string, end: string): boolean {
  return periodLastDay(period, start) <= end.slice(0, 10);
}

/** The first day after the data's first month (data start: the first purchase day). */
export function afterFirstMonth(dataStart: string): string {
  return nextPeriodStart("month", periodStart("month", dataStart));
}

/** Whether a customer whose first purchase in the data is on `firstPurchase` was already a customer when the data start (newFrom: newCustomersFrom). */
export function isAlreadyCustomer(firstPurchase: string, newFrom: string | null): boolean {
  return newFrom !== null && firstPurchase.slice(0, 10) < newFrom;
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const longMonths = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
];

/** A month in words: "Dec 2010" (short) or "December 2010". */
export function monthName(date: string, long = false): string {
  const d = parse(date);
  return `${(long ? longMonths : monthNames)[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** A period in words, by its first day: "week of 2011-11-28", "Dec 2010", "Q4 2010". */
export function periodName(period: Period, start: string): string {
  const d = parse(start);
  if (period === "week") return `week of ${start.slice(0, 10)}`;
  if (period === "quarter") return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
  return monthName(start);
}

/** The dates a window of periods covers, by the first and last period's first days: "Dec 2010 – Nov 2011". */
export function windowDates(period: Period, first: string, last: string): string {
  return first.slice(0, 10) === last.slice(0, 10)
    ? periodName(period, first)
    : `${periodName(period, first)} – ${periodName(period, last)}`;
}

/**
 * The note naming an incomplete last period left out, or null when the period holding the
 * observation end is complete: "December 2011 (1–9 Dec) left out: incomplete".
 */
export function incompleteNote(period: Period, end: string): string | null {
  const start = periodStart(period, end);
  if (isCompletePeriod(period, start, end)) return null;
  const s = parse(start);
  const e = parse(end);
  const days =
    s.getUTCMonth() === e.getUTCMonth()
      ? `${s.getUTCDate()}–${e.getUTCDate()} ${monthNames[e.getUTCMonth()]}`
      : `${s.getUTCDate()} ${monthNames[s.getUTCMonth()]} – ${e.getUTCDate()} ${monthNames[e.getUTCMonth()]}`;
  const name = period === "month" ? monthName(start, true) : periodName(period, start);
  return `${name} (${days}) left out: incomplete.`;
}

/**
 * The sentence saying who is not counted as new: "Customers who bought in Dec 2010, the
 * data's first month, were already customers when the data start and are not counted as
 * new."; null where every customer was won within the data (newFrom null or at the start).
 */
export function alreadyCustomersNote(dataStart: string | null, newFrom: string | null): string | null {
  if (dataStart === null || newFrom === null || newFrom <= dataStart.slice(0, 10)) return null;
  return `Customers who bought in ${monthName(dataStart)}, the data's first month, were already customers when the data start and are not counted as new.`;
}

/** The first day of the last complete period at the observation end `end`. */
export function lastCompletePeriodStart(period: Period, end: string): string {
  const start = periodStart(period, end);
  if (isCompletePeriod(period, start, end)) return start;
  return periodStart(period, iso(new Date(parse(start).getTime() - day)));
}

/** A span of whole months: its first day, the day after its last, and how many months. */
export interface MonthSpan {
  from: string;
  to: string;
  months: number;
}

/** The first day of the month `months` months after (before, if negative) the month holding `date`. */
export const addMonths = (date: string, months: number): string => {
  const d = parse(date);
  return iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)));
};
const monthsBetween = (from: string, to: string) => {
  const a = parse(from);
  const b = parse(to);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
};

/** The windows the equity page's defaults and its closed-form cross-check are measured over (recentWindows). */
export interface RecentWindows {
  /** The last 12 complete months (fewer where the data hold fewer). */
  year: MonthSpan;
  /** The same without the data's first month: where customers won are counted (new customers a month). */
  acquisition: MonthSpan;
  /**
   * Retention: of the customers who bought in `previous`, the share who bought again in
   * `current`, two consecutive spans of the same number of complete months, the longest up
   * to 12 that the data hold (a year only where 24 complete months are there); null with
   * fewer than 2 complete months.
   */
  retention: {previous: MonthSpan; current: MonthSpan} | null;
}

/**
 * The recent windows over complete months (dataStart: the data's first purchase day; end:
 * the observation end; newFrom: the day from which customers are new, newCustomersFrom). Example: data from 2010-12-01 to 2011-12-09 → year Dec 2010 – Nov
 * 2011 (12 months), acquisition Jan – Nov 2011 (11), retention Dec 2010 – May 2011 then
 * Jun – Nov 2011 (6 each).
 */
export function recentWindows(
  dataStart: string,
  end: string,
  newFrom: string | null = afterFirstMonth(dataStart)
): RecentWindows {
  const to = nextPeriodStart("month", lastCompletePeriodStart("month", end));
  const first = periodStart("month", dataStart);
  const available = Math.max(0, monthsBetween(first, to));
  const span = (from: string, until: string): MonthSpan => ({from, to: until, months: monthsBetween(from, until)});
  const yearMonths = Math.min(12, available);
  const year = span(addMonths(to, -yearMonths), to);
  // Customers are won from newFrom on, counted over whole months: from the month start on or after it.
  const wholeFrom =
    newFrom === null || periodStart("month", newFrom) === newFrom.slice(0, 10)
      ? newFrom
      : nextPeriodStart("month", periodStart("month", newFrom));
  const acquisition = wholeFrom !== null && wholeFrom > year.from ? span(wholeFrom, to) : year;
  const half = Math.min(12, Math.floor(available / 2));
  const retention =
    half >= 1
      ? {previous: span(addMonths(to, -2 * half), addMonths(to, -half)), current: span(addMonths(to, -half), to)}
      : null;
  return {year, acquisition: acquisition.months < 0 ? span(to, to) : acquisition, retention};
}

/** The dates a span of months covers: "Jan 2011 – Nov 2011" ("" when empty). */
export function spanDates(s: MonthSpan): string {
  return s.months <= 0 ? "" : windowDates("month", s.from, addMonths(s.to, -1));
}

/** Whether every customer was won within the data (newFrom: newCustomersFrom): nobody bought before the data start. */
export const allWonWithinData = (dataStart: string, newFrom: string | null): boolean =>
  newFrom === null || newFrom <= dataStart.slice(0, 10);

/**
 * The data as they stood a year earlier, for a figure over all the data (the profit page's
 * concentration, NPS): the months before the last 12 complete ones (recentWindows().year),
 * whose figure is the one the page showed then; or why there is none, where those months
 * hold nothing but the data's first month (data of 13 complete months or fewer). Example:
 * data from 2023-01-01 to 2025-06-30 → Jan 2023 – Jun 2024 (18 months), "the data to Jun 2024".
 */
export function dataYearEarlier(
  dataStart: string,
  end: string
): {span: MonthSpan; period: string} | {span: null; none: string} {
  const {year} = recentWindows(dataStart, end);
  const first = periodStart("month", dataStart);
  const months = monthsBetween(first, year.from);
  if (months < 2)
    return {
      span: null,
      none: `No earlier figure to compare: the data start in ${monthName(first)}, ${months === 0 ? "within" : "a month before"} the last ${countMonths(year.months)}.`
    };
  return {span: {from: first, to: year.from, months}, period: `the data to ${monthName(addMonths(year.from, -1))}`};
}

const countMonths = (months: number) => (months === 1 ? "complete month" : `${months} complete months`);
