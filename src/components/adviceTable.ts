// A small table of groups with their figures and the advice for each, as plain HTML so
// that the advice wraps. Every value is set as text, never parsed as markup.

export interface AdviceRow {
  group: string;
  customers: number;
  profit: string;
  share: string;
  advice: string;
}

export function adviceTable(rows: readonly AdviceRow[], {groupLabel = "group"} = {}): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "advice";
  const cell = (tag: "th" | "td", text: string, numeric = false) => {
    const element = document.createElement(tag);
    element.textContent = text;
    if (numeric) element.className = "number";
    return element;
  };
  const head = table.createTHead().insertRow();
  head.append(
    cell("th", groupLabel),
    cell("th", "customers", true),
    cell("th", "profit", true),
    cell("th", "share", true),
    cell("th", "what to do")
  );
  const body = table.createTBody();
  for (const row of rows) {
    body
      .insertRow()
      .append(
        cell("td", row.group),
        cell("td", row.customers.toLocaleString("en-US"), true),
        cell("td", row.profit, true),
        cell("td", row.share, true),
        cell("td", row.advice)
      );
  }
  return table;
}
