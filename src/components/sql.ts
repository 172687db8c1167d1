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
