// The SQL engines a query may run on: native DuckDB and DuckDB-WASM, and databases that
// speak PostgreSQL. Query builders write the SQL both engines share (explicit GROUP BY and
// ORDER BY columns, DOUBLE PRECISION, CAST rather than TRY_CAST, joins rather than
// correlated subqueries, quoted mixed-case names such as "T", which PostgreSQL would fold
// to lower case) and take from a dialect only what the two spell or mean differently.
import type {Period} from "../metrics/salesByPeriod.js";

export interface Dialect {
  /** The engine's name, for messages. */
  name: string;
  /** Whole quotient of non-negative integers: `/` of integers is exact in DuckDB, whole in PostgreSQL. */
  integerDivide(dividend: string, divisor: string): string;
  /** A date or timestamp as text: 'YYYY-MM-DD' (day), 'YYYY-MM' (month) or 'YYYY' (year). */
  dateText(expression: string, unit: "day" | "month" | "year"): string;
  /** Whole periods from one period start to a later one (both truncated to the period), as INTEGER. */
  periodsBetween(period: Period, from: string, to: string): string;
  /** A select-list item giving one row per DATE from `first` to `last` (inclusive) by `step` (an INTERVAL). */
  dateSeries(first: string, last: string, step: string): string;
  /** A select-list item giving one row per INTEGER from `first` to `last` (inclusive). */
  integerSeries(first: string, last: string): string;
  /** The continuous quantile q (type R-7) of an expression over a group, as DOUBLE PRECISION. */
  quantileCont(expression: string, q: string): string;
  /** An expression rounded half away from zero to `digits` decimals, as DOUBLE PRECISION, the same on both engines. */
  round(expression: string, digits: number): string;
  /** A DOUBLE PRECISION below 10^15 in magnitude as text, as DuckDB prints it: shortest form, a whole number with ".0" ("2.0", "0.25"). */
  doubleText(expression: string): string;
}

const checkDigits = (digits: number) => {
  if (!Number.isInteger(digits) || digits < 0 || digits > 10)
    throw new Error(`not a number of decimals: ${String(digits)}`);
  return digits;
};

export const duckdb: Dialect = {
  name: "DuckDB",
  integerDivide: (dividend, divisor) => `((${dividend}) // (${divisor}))`,
  dateText: (expression, unit) => `strftime(${expression}, '${{day: "%Y-%m-%d", month: "%Y-%m", year: "%Y"}[unit]}')`,
  periodsBetween: (period, from, to) => `date_diff('${period}', ${from}, ${to})::INTEGER`,
  dateSeries: (first, last, step) => `unnest(generate_series(${first}::DATE, ${last}::DATE, ${step}))::DATE`,
  integerSeries: (first, last) => `unnest(range(${first}, (${last}) + 1))::INTEGER`,
  quantileCont: (expression, q) => `quantile_cont(${expression}, ${q})::DOUBLE PRECISION`,
  round: (expression, digits) => `round(${expression}, ${checkDigits(digits)})::DOUBLE PRECISION`,
  doubleText: (expression) => `CAST(${expression} AS VARCHAR)`
};

export const postgres: Dialect = {
  name: "PostgreSQL",
  integerDivide: (dividend, divisor) => `div(${dividend}, ${divisor})`,
  dateText: (expression, unit) =>
    `to_char(${expression}, '${{day: "YYYY-MM-DD", month: "YYYY-MM", year: "YYYY"}[unit]}')`,
  periodsBetween: (period, from, to) =>
    period === "week"
      ? `((${to})::DATE - (${from})::DATE) / 7`
      : `(((extract(year FROM ${to}) - extract(year FROM ${from})) * 12 + extract(month FROM ${to}) - extract(month FROM ${from}))::INTEGER${period === "quarter" ? " / 3" : ""})`,
  // TIMESTAMP, not the TIMESTAMPTZ PostgreSQL would pick for dates, so no time zone shifts a day.
  dateSeries: (first, last, step) => `generate_series((${first})::TIMESTAMP, (${last})::TIMESTAMP, ${step})::DATE`,
  integerSeries: (first, last) => `generate_series(${first}, ${last})::INTEGER`,
  quantileCont: (expression, q) => `percentile_cont(${q}) WITHIN GROUP (ORDER BY ${expression})::DOUBLE PRECISION`,
  // Not round(): PostgreSQL's round of a DOUBLE PRECISION goes to the even neighbour on a
  // tie, DuckDB's away from zero; this formula gives DuckDB's result on both types.
  round: (expression, digits) => {
    const scale = 10 ** checkDigits(digits);
    return `(sign(${expression}) * floor(abs(${expression}) * ${scale} + 0.5) / ${scale})::DOUBLE PRECISION`;
  },
  // PostgreSQL prints a whole DOUBLE PRECISION without a fraction ("2"); otherwise both print the shortest form that reads back the same.
  doubleText: (expression) =>
    `(CASE WHEN (${expression}) = trunc(${expression}) THEN trunc(${expression})::NUMERIC::TEXT || '.0' ELSE (${expression})::TEXT END)`
};
