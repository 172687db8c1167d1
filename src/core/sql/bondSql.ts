// Value with and without each bond: for every bond a source declares (canonical_bonds:
// customer_id, bond, kind) and every customer (customer_summary), whether they hold it, and
// the sums from which the mean CLV and mean P(active) of holders and of the others, with their
// intervals, follow (metrics/bonds.ts). Portable SQL: the same on DuckDB and PostgreSQL.
import {identifier} from "./sql.js";

/** A row of bondValueSql: one bond, its holders (holds) or the other customers. */
export interface BondValueRow {
  bond: string;
  kind: string;
  holds: boolean;
  customers: number;
  /** Customers with a CLV, its sum and its sum of squares. */
  clv_n: number;
  clv_sum: number;
  clv_squares: number;
  /** Customers with a P(active), its sum and its sum of squares. */
  p_alive_n: number;
  p_alive_sum: number;
  p_alive_squares: number;
}

/**
 * Per bond, holders and other customers: their count and the sums of CLV and P(active) and of
 * their squares, from `values` (a relation with customer_id, clv and p_alive, either may be NULL,
 * such as customer_clv.csv.gz). A customer absent from `values` counts with neither figure. `bonds` is
 * the relation of who holds which bond (customer_id, bond, kind): the canonical table, or its rows
 * brought from a warehouse into the loaders' DuckDB.
 */
export function bondValueSql(values: string, bonds = "canonical_bonds"): string {
  const sums = (column: string) => {
    const x = `CAST(v.${column} AS DOUBLE PRECISION)`;
    return `count(${x}) AS ${column}_n, coalesce(sum(${x}), 0) AS ${column}_sum, coalesce(sum(${x} * ${x}), 0) AS ${column}_squares`;
  };
  return `WITH declared AS (SELECT bond, min(kind) AS kind FROM ${identifier(bonds)} GROUP BY bond),
held AS (SELECT DISTINCT bond, customer_id FROM ${identifier(bonds)})
SELECT d.bond, d.kind, h.customer_id IS NOT NULL AS holds, count(*) AS customers, ${sums("clv")}, ${sums("p_alive")}
FROM declared d CROSS JOIN customer_summary c
LEFT JOIN held h ON h.bond = d.bond AND h.customer_id = c.customer_id
LEFT JOIN ${identifier(values)} v ON v.customer_id = c.customer_id
GROUP BY d.bond, d.kind, h.customer_id IS NOT NULL
ORDER BY d.bond, holds DESC`;
}
