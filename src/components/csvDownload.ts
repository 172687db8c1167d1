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

/** A link that downloads rows as a CSV file. */
export function csvDownload(
  rows: readonly Record<string, unknown>[],
  filename: string,
  label = "Download CSV"
): HTMLAnchorElement {
  const link = document.createElement("a");
  link.className = "csv-download";
  link.textContent = label;
  link.download = filename;
  link.href = URL.createObjectURL(new Blob([toCsv(rows)], {type: "text/csv;charset=utf-8"}));
  return link;
}
