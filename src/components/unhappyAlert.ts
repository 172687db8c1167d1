// The "valuable but unhappy" alert, on the overview and the segment reports' index: the
// channels and segments worth more per customer than the business whose customers are
// unhappy (valuableButUnhappy), each with its figures and a link to its report.
import {formatMoney, formatPercent} from "../core/format/format.js";
import {formatFigure} from "../core/metrics/figureChange.js";
import {
  sliceLabel,
  valuableButUnhappy,
  type SliceSatisfaction,
  type SliceSummary,
  type SliceTotals
} from "../core/metrics/segmentReports.js";

/**
 * The alert as a note (id "unhappy"): a list of the slices with their profit per customer,
 * NPS and share of answers below expectation beside the business's; a one-line note when
 * none qualifies; nothing where no slice has survey answers (a source without feedback, or
 * without channels and segments). base: the path to the site's root. Names are set as text.
 */
export function unhappyAlert(
  {whole, slices}: {whole: SliceTotals & SliceSatisfaction; slices: readonly SliceSummary[]},
  {currency = "USD", base = "./"} = {}
): HTMLElement {
  const note = document.createElement("div");
  note.id = "unhappy";
  if (!slices.some((slice) => slice.nps != null || slice.belowShare != null)) return note;
  const money = (value: number) => formatMoney(value, currency);
  const average = whole.profit === null ? NaN : whole.profit / whole.customers;
  const nps = (value: number | null) => (value === null ? "no NPS answers" : `NPS ${formatFigure("score", value)}`);
  const below = (value: number | null) =>
    value === null ? "no gap answers" : `${formatPercent(value)} of survey answers below expectation`;
  const business = `the business as a whole: ${money(average)} profit per customer, ${nps(whole.nps ?? null)}, ${below(whole.belowShare ?? null)}`;
  const alerts = valuableButUnhappy(slices, whole);
  if (!alerts.length) {
    note.className = "note";
    note.textContent = `No acquisition channel or segment is both worth more per customer than the business and unhappy (NPS below zero, or more answers below expectation than the business's; ${business}).`;
    return note;
  }
  note.className = "note warning";
  note.setAttribute("label", "Valuable but unhappy");
  const heading = document.createElement("p");
  heading.textContent =
    "These customers are worth more than the average and are unhappy (NPS below zero, or more survey answers below expectation than the business's): the profit most at risk.";
  const list = document.createElement("ul");
  for (const alert of alerts) {
    const item = list.appendChild(document.createElement("li"));
    const link = item.appendChild(document.createElement("a"));
    link.href = `${base}${alert.slice.path.slice(1)}.html`;
    link.textContent = sliceLabel(alert.slice);
    item.append(`: ${money(alert.perCustomer)} profit per customer, ${nps(alert.nps)}, ${below(alert.belowShare)}.`);
  }
  const after = document.createElement("p");
  after.textContent = `For comparison, ${business}. Ask these customers what they expected and where it fell short, and fix that before spending to win more like them.`;
  note.append(heading, list, after);
  return note;
}
