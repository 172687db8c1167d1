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

/** SQL: whether a customer whose first purchase day is `firstPurchase` was already a customer when the data (starting `dataStart`) start. */
export function alreadyCustomerSql(firstPurchase: string, dataStart: string): string {
  return `(${firstPurchase} < ${afterFirstMonthSql(dataStart)})`;
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

/** Whether a customer whose first purchase in the data is on `firstPurchase` was already a customer when the data start. */
export function isAlreadyCustomer(firstPurchase: string, dataStart: string): boolean {
  return firstPurchase.slice(0, 10) < afterFirstMonth(dataStart);
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

/** The sentence saying who is not counted as new: "Customers who bought in Dec 2010, the data's first month, were already customers and are not counted as new." */
export function alreadyCustomersNote(dataStart: string): string {
  return `Customers who bought in ${monthName(dataStart)}, the data's first month, were already customers when the data start and are not counted as new.`;
}
