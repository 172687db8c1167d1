// CSV downloads of page tables. A cell a spreadsheet would read as a formula (=, +, −,
// @, tab, carriage return first) gets a leading apostrophe, so it opens as inert text
// (OWASP, "CSV Injection").
import {csvFormat} from "d3";

export function inertCell(value: unknown): unknown {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV text of rows, every string cell made inert. */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  const safe = rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, inertCell(v instanceof Date ? v.toISOString() : v)]))
  );
  return csvFormat(safe as Record<string, string>[], columns);
}

/**
 * A link that downloads rows as a CSV file. The file is written when the link is first pointed at, focused or
 * clicked (a click's listener sets the address before the browser follows it), not when the page draws the table:
 * a table of thousands of rows would otherwise cost its page a few hundred milliseconds at every redraw.
 */
export function csvDownload(
  rows: readonly Record<string, unknown>[],
  filename: string,
  label = "Download CSV"
): HTMLAnchorElement {
  const link = document.createElement("a");
  link.className = "csv-download";
  link.textContent = label;
  link.download = filename;
  // An address from the start, so that the link is focusable and looks like one.
  link.href = "#";
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    link.href = URL.createObjectURL(new Blob([toCsv(rows)], {type: "text/csv;charset=utf-8"}));
  };
  for (const type of ["pointerdown", "focus", "click"]) link.addEventListener(type, write);
  return link;
}
