// The two ways a value may enter SQL text shared by native DuckDB and DuckDB-WASM: a
// quoted literal or a quoted identifier. Numbers are checked to be finite first.

/** A SQL string literal: 'it''s'. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL identifier: "Customer ""ID""". */
export function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A finite number as SQL text; anything else is refused. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${String(value)}`);
  return String(value);
}

/** A date (YYYY-MM-DD) as a SQL DATE literal; anything else is refused. */
export function dateLiteral(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  return `DATE ${literal(date)}`;
}

/** A month (YYYY-MM) as a SQL string literal; anything else is refused. */
export function monthLiteral(month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
  return literal(month);
}

/** A whole number of days ≥ 1 as SQL text; `name` says which in the error. */
export function daysLiteral(days: number, name: string): string {
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`${name} must be a whole number of days ≥ 1: ${String(days)}`);
  return numberLiteral(days);
}

/**
 * The start of the week, month, quarter or year that holds a DATE, as a TIMESTAMP (date_trunc). The date is cast to
 * TIMESTAMP first: PostgreSQL would take a DATE as a TIMESTAMPTZ, through the session's time zone and back, several
 * times slower a row; DuckDB gives the same either way.
 */
export function periodStartSql(unit: "week" | "month" | "quarter" | "year", date: string): string {
  return `date_trunc('${unit}', CAST(${date} AS TIMESTAMP))`;
}
