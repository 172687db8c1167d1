// The pages' tables: Observable Inputs' table, made to print. On screen it scrolls as
// usual; on paper it prints whole, or, when longer than a page holds, its first
// printedRows rows and a note saying how many are left out and where the whole table is.
import {table, type TableOptions} from "@observablehq/inputs";
import {cutTableNote} from "../core/format/format.js";

/**
 * Rows a table prints at most: about one A4 page at the print size (9 px). style.css hides
 * the rows after it (`tr:nth-child(n + 41)`, this plus one).
 */
export const printedRows = 40;

/** The height of an Inputs table's row in pixels (inputs/src/table.js), for the screen's scroll box. */
const rowHeight = 22;

/** A table of data as Inputs.table draws it (same options), printable. */
export function dataTable(data: readonly object[], {rows = 11.5, ...options}: TableOptions = {}): HTMLFormElement {
  // Inputs draws rows × 2 rows at first and the rest as one scrolls, and paper does not
  // scroll: ask for every row that prints, keeping the screen's scroll box as it was.
  const form = table(data, {
    maxHeight: (rows + 1) * rowHeight - 1,
    ...options,
    rows: Math.max(rows, Math.min(data.length, printedRows) / 2)
  });
  if (data.length > printedRows) {
    form.classList.add("print-cut");
    const note = document.createElement("p");
    note.className = "print-only table-note";
    note.textContent = cutTableNote(printedRows, data.length);
    form.append(note);
  }
  return form;
}
