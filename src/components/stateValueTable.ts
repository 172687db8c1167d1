// Customers, and what they are worth or have made, by customer state at the last complete month
// end (retention_state_value.csv; the states of src/core/sql/customerStates.ts), as the equity
// and profit pages show them: one row per state with its share of the total. Every value is
// set as text, never parsed as markup.
import {formatCount, formatPercent} from "../core/format/format.js";
import type {StateValueRow} from "../core/sql/retentionSql.js";

export interface StateValueOptions {
  /** The column shown: the customers' CLV (equity) or their profit to date (profit). */
  column: "clv" | "profit";
  /** Its heading. */
  label: string;
  /** The source's currency formatter. */
  money: (value: number) => string;
}

/** The table, or null where the column has no figures (no model's values, or no profit). */
export function stateValueTable(rows: readonly StateValueRow[], {column, label, money}: StateValueOptions) {
  if (!rows.length || rows.every((r) => r[column] === null)) return null;
  const total = rows.reduce((s, r) => s + (r[column] ?? 0), 0);
  const table = document.createElement("table");
  const row = (tag: "th" | "td", cells: string[]) => {
    const tr = document.createElement("tr");
    cells.forEach((text, i) => {
      const cell = document.createElement(tag);
      cell.textContent = text;
      if (i > 0) cell.style.textAlign = "right";
      tr.append(cell);
    });
    return tr;
  };
  const head = document.createElement("thead");
  head.append(row("th", ["state", "customers", label, "share"]));
  const body = document.createElement("tbody");
  for (const r of rows)
    body.append(
      row("td", [
        r.state,
        formatCount(r.customers),
        money(r[column] ?? 0),
        total !== 0 ? formatPercent((r[column] ?? 0) / total) : "–"
      ])
    );
  table.append(head, body);
  return table;
}
