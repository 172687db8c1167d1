// The SQL engines a query may run on: native DuckDB and DuckDB-WASM, and databases that
// speak PostgreSQL. Query builders write the SQL both engines share (explicit GROUP BY,
// DOUBLE PRECISION, quoted mixed-case names such as "T", which PostgreSQL would fold to
// lower case) and take from a dialect only what the two spell or mean differently.

export interface Dialect {
  /** The engine's name, for messages. */
  name: string;
  /** Whole quotient of non-negative integers: `/` of integers is exact in DuckDB, whole in PostgreSQL. */
  integerDivide(dividend: string, divisor: string): string;
  /** A date or timestamp as text: 'YYYY-MM-DD' (day) or 'YYYY-MM' (month). */
  dateText(expression: string, unit: "day" | "month"): string;
}

export const duckdb: Dialect = {
  name: "DuckDB",
  integerDivide: (dividend, divisor) => `((${dividend}) // (${divisor}))`,
  dateText: (expression, unit) => `strftime(${expression}, '${unit === "day" ? "%Y-%m-%d" : "%Y-%m"}')`
};

export const postgres: Dialect = {
  name: "PostgreSQL",
  integerDivide: (dividend, divisor) => `div(${dividend}, ${divisor})`,
  dateText: (expression, unit) => `to_char(${expression}, '${unit === "day" ? "YYYY-MM-DD" : "YYYY-MM"}')`
};
