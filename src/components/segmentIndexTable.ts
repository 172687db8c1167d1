// The segment reports' index: one table per kind of slice, each name linking to its report.
import {formatCount, formatMoney, formatPercent} from "../core/format/format.js";
import {formatFigure} from "../core/metrics/figureChange.js";
import {kindNames, type indexRows, type SliceKind} from "../core/metrics/segmentReports.js";

/**
 * The index table of one kind: each slice's name linking to its report (base: the path
 * to the site's root), its customers, revenue and profit with their shares of the whole,
 * its NPS and its share of survey answers below expectation ("–" without survey answers).
 * Names are set as text.
 */
export function indexTable(
  rows: ReturnType<typeof indexRows>,
  kind: SliceKind,
  {currency = "USD", base = "./"} = {}
): HTMLTableElement {
  const money = (value: number | null) => (value === null ? "–" : formatMoney(value, currency));
  const table = document.createElement("table");
  table.className = "advice";
  const cell = (tag: "th" | "td", content: string | Node, numeric = false) => {
    const element = document.createElement(tag);
    element.append(content);
    if (numeric) element.className = "number";
    return element;
  };
  const headers = [
    kindNames[kind].title.toLowerCase(),
    "customers",
    "of all",
    "revenue",
    "of all",
    "profit",
    "of all",
    "profit per customer",
    "NPS",
    // A soft hyphen: the channels' table fits its card only if the longest header word may break.
    "below expec\u00adtation"
  ];
  table
    .createTHead()
    .insertRow()
    .append(...headers.map((header, i) => cell("th", header, i > 0)));
  const body = table.createTBody();
  for (const row of rows) {
    const link = document.createElement("a");
    link.textContent = row.name;
    link.href = `${base}${row.path.slice(1)}.html`;
    body
      .insertRow()
      .append(
        cell("td", link),
        ...[
          formatCount(row.customers),
          formatPercent(row.customer_share),
          money(row.revenue),
          formatPercent(row.revenue_share),
          money(row.profit),
          formatPercent(row.profit_share),
          money(row.profit_per_customer),
          formatFigure("score", row.nps),
          row.below_share === null ? "–" : formatPercent(row.below_share)
        ].map((text) => cell("td", text, true))
      );
  }
  return table;
}
