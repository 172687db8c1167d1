// The churn early-warning list, as the retention and lifecycle pages both show it: the top
// rows on screen (reason first, then the customer, state, last purchase, usual gap, expected
// next purchase, P(active), value at stake), a "new since the previous period" filter, and the
// whole list as a CSV download (with whether each is overdue: on screen it would say yes to
// everyone at risk by their rhythm, whose k is at least 1).
// Plain HTML with fixed column widths, so that the table fits its card without scrolling
// sideways; every value is set as text, never parsed as markup.
import {csvDownload} from "./csvDownload.js";
import {customerLink} from "./customerLink.js";

export interface WarningListRow {
  reason: string;
  new_since: boolean;
  customer_id: string;
  /** At risk or lapsed (src/core/sql/customerStates.ts). */
  state: string;
  last_purchase: string | Date;
  days_silent: number;
  usual_gap: number | null;
  /** The date by which, if still active, they have an even chance of having bought again; null without a model. */
  next_purchase: string | Date | null;
  p_alive: number | null;
  value_at_stake: number;
}

export interface WarningListOptions {
  /** The source's currency formatter. */
  money: (value: number) => string;
  /** How many rows show on screen. */
  top?: number;
  /** The file name of the download. */
  filename?: string;
  /** The last column's heading: "value at stake", or what stands in for it without a model. */
  valueLabel?: string;
}

const iso = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

/** The state a listed customer is in, and whether they are new on the list. */
export function warningState(row: Pick<WarningListRow, "state" | "new_since">): string {
  return `${row.state}${row.new_since ? ", new on the list" : ""}`;
}

/** The rows the filter keeps: all, or only those not on the list at the end of the previous period. */
export function warningRows<T extends Pick<WarningListRow, "new_since">>(rows: readonly T[], onlyNew: boolean): T[] {
  return onlyNew ? rows.filter((d) => d.new_since) : [...rows];
}

export function warningList(rows: readonly WarningListRow[], options: WarningListOptions): HTMLElement {
  const {money, top = 50, filename = "churn-early-warning.csv", valueLabel = "value at stake"} = options;
  const root = document.createElement("div");
  root.className = "warning-list";
  const controls = document.createElement("label");
  controls.className = "warning-filter";
  const checkbox = document.createElement("input");
  checkbox.type = "checkbox";
  checkbox.name = "new-since";
  controls.append(checkbox, " Only customers new on the list since the previous month");
  const caption = document.createElement("p");
  caption.className = "warning-caption";
  const table = document.createElement("table");
  table.className = "warning-table";
  table.style.cssText = "table-layout: fixed; width: 100%; max-width: 100%;";
  // Who to call comes right after why: the pseudonymous id the other tables and the CSV use.
  const columns: [string, string, boolean][] = [
    ["why", "24%", false],
    ["customer", "15%", false],
    ["state", "11%", false],
    ["last purchase", "10%", false],
    ["usual gap (days)", "9%", true],
    ["next purchase", "10%", false],
    ["P(active)", "9%", true],
    [valueLabel, "12%", true]
  ];
  const colgroup = document.createElement("colgroup");
  for (const [, width] of columns) {
    const col = document.createElement("col");
    col.style.width = width;
    colgroup.append(col);
  }
  table.append(colgroup);
  const cell = (tag: "th" | "td", text: string, numeric: boolean) => {
    const element = document.createElement(tag);
    element.textContent = text;
    element.style.cssText = `white-space: normal; overflow-wrap: anywhere; vertical-align: top;${numeric ? " text-align: right;" : ""}`;
    return element;
  };
  // The id opens the customer's profile.
  const customerCell = (customerId: string) => {
    const element = cell("td", "", false);
    element.append(customerLink(customerId));
    return element;
  };
  table
    .createTHead()
    .insertRow()
    .append(...columns.map(([name, , numeric]) => cell("th", name, numeric)));
  const body = table.createTBody();
  const download = document.createElement("span");
  const render = () => {
    const shown = warningRows(rows, checkbox.checked);
    caption.textContent = `${shown.length > top ? `The top ${top} of ${shown.length.toLocaleString("en-US")}` : `All ${shown.length.toLocaleString("en-US")}`}; the whole list is its CSV download.`;
    body.replaceChildren();
    for (const row of shown.slice(0, top)) {
      const tr = body.insertRow();
      tr.dataset.customer = row.customer_id;
      tr.append(
        cell("td", row.reason, false),
        customerCell(row.customer_id),
        cell("td", warningState(row), false),
        cell("td", iso(row.last_purchase), false),
        cell("td", row.usual_gap == null ? "–" : row.usual_gap.toFixed(0), true),
        cell("td", row.next_purchase == null ? "–" : iso(row.next_purchase), false),
        cell("td", row.p_alive == null ? "–" : row.p_alive.toFixed(2), true),
        cell("td", money(row.value_at_stake), true)
      );
    }
    download.replaceChildren(
      csvDownload(
        shown.map((d) => ({
          ...d,
          state: warningState(d),
          last_purchase: iso(d.last_purchase),
          next_purchase: d.next_purchase == null ? "" : iso(d.next_purchase)
        })),
        filename
      )
    );
  };
  checkbox.addEventListener("change", render);
  render();
  root.append(controls, caption, table, download);
  return root;
}
