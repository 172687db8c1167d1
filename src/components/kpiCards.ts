// The KPI cards: one card per page with its headline figure, a sentence, a sparkline and
// its change against the previous comparable period (figureChange), linking to the page. The overview shows the whole business's; a segment report shows a
// slice's beside the whole business's. Every text is set as text, never parsed as markup.
import {countOf, formatCount, formatMoney, formatPercent} from "../core/format/format.js";
import {figureChange, formatFigure, headlineMeasures, type FigureChange} from "../core/metrics/figureChange.js";
import {reconciliation, type Quality} from "../core/metrics/quality.js";
import type {FigurePage, SiteFigures} from "../core/pages.js";
import {addMonths, spanDates, windowDates} from "../core/sql/dataEdges.js";
import {sparkline} from "./sparkline.js";

/** A card's page: a page with a headline figure (src/core/pages.ts), or data quality, whose card reads quality.json. */
export type KpiPage = FigurePage | "quality";

/** A card's content: the figure as shown, the sentence that explains it, its trend, and its change against the previous comparable period (figureChange; none for data quality). */
export interface KpiFigure {
  page: KpiPage;
  /** The section of the page the card stands for (its element id), where a page has more than one card. */
  anchor?: string;
  title: string;
  value: string;
  text: string;
  trend?: {values: number[]; label: string};
  change?: FigureChange;
}

/**
 * Each page's card, in the overview's order. absent gives the sentence for a page whose
 * figure is missing (a slice too small for the equity models, say); quality, when given,
 * adds the data-quality card.
 */
export function kpiFigures(
  kpis: SiteFigures,
  {
    currency = "USD",
    quality,
    absent = {}
  }: {currency?: string; quality?: Quality; absent?: Partial<Record<KpiPage, string>>} = {}
): KpiFigure[] {
  const {profit, retention, satisfaction, equity, lifecycle} = kpis;
  const money = (value: number) => formatMoney(value, currency);
  const figures: KpiFigure[] = [
    {
      page: "profit",
      title: "Profit concentration",
      value: formatFigure(headlineMeasures.top20Share.unit, profit?.top20Share ?? null),
      text: profit
        ? `of the profit comes from the top 20 % of customers; ${formatPercent(profit.lossMakingShare ?? NaN)} of customers lose money.`
        : (absent.profit ?? "No profit figures for this data."),
      ...(profit && {
        trend: {
          values: profit.trend,
          label: `gross profit by month, last ${profit.trendMonths.months} complete months: ${spanDates(profit.trendMonths)}`
        }
      }),
      ...(profit && {change: figureChange(headlineMeasures.top20Share, profit.top20Share, profit.previous)})
    },
    {
      page: "retention",
      title: "Leaky bucket",
      value: formatFigure(headlineMeasures.quickRatio.unit, retention?.quickRatio ?? null),
      text: retention
        ? `quick ratio over the last ${countOf(retention.months, "complete month")}${retention.from && retention.to ? ` (${windowDates("month", retention.from, retention.to)})` : ""}: ${countOf(retention.new, "new customer")} won and ${formatCount(retention.reactivated)} won back for ${formatCount(retention.lost)} lost, each customer counted once, of ${countOf(retention.customers, "customer")}.`
        : (absent.retention ?? "No retention figures for this data."),
      ...(retention && {
        trend: {values: retention.trend.map((v) => v ?? NaN), label: "quick ratio by month"},
        change: figureChange(headlineMeasures.quickRatio, retention.quickRatio, retention.previous)
      })
    },
    {
      page: "retention",
      anchor: "warning",
      title: "At risk",
      value: retention ? formatCount(retention.states.slipping) : "–",
      text: retention
        ? atRiskText(retention.states, money)
        : (absent.retention ?? "No retention figures for this data."),
      ...(retention && {
        change: figureChange(headlineMeasures.atRisk, retention.states.slipping, {
          value: retention.states.previousSlipping,
          period: `the month end before (${retention.states.previousMonthEnd})`
        })
      })
    },
    {
      page: "satisfaction",
      title: "Net Promoter Score",
      value: formatFigure(headlineMeasures.netPromoterScore.unit, satisfaction?.nps ?? null),
      text:
        satisfaction?.nps == null
          ? (absent.satisfaction ?? "No survey responses in this data: the Satisfaction page says what it needs.")
          : `95 % CI ${Math.round(satisfaction.npsLow ?? NaN)} to ${Math.round(satisfaction.npsHigh ?? NaN)}; ${formatPercent(satisfaction.belowShare ?? NaN)} of survey answers fall below expectation.`,
      ...(satisfaction?.trend && {trend: {values: satisfaction.trend.map((v) => v ?? NaN), label: "NPS by quarter"}}),
      ...(satisfaction?.previous && {
        change: figureChange(headlineMeasures.netPromoterScore, satisfaction.nps ?? null, satisfaction.previous)
      })
    },
    {
      page: "equity",
      title: "Value of today's customers",
      value: formatFigure(headlineMeasures.customerValue.unit, equity?.currentValue ?? null, currency),
      text: equity?.withheld
        ? equity.withheld
        : equity
          ? `what the ${countOf(equity.customers, "customer")} who ${equity.customers === 1 ? "has made a purchase is" : "have made a purchase are"} worth over the next three years${equity.meanClv === null ? "" : ` (mean ${money(equity.meanClv)})`}.`
          : (absent.equity ?? "No customer-equity figures for this data."),
      ...(equity?.currentValue != null && {
        trend: {values: equity.trend, label: "their value in each year from today"}
      }),
      ...(equity && {
        change: figureChange(headlineMeasures.customerValue, equity.currentValue, equity.previous, currency)
      })
    },
    {
      page: "lifecycle",
      title: "Lifecycle",
      value: formatFigure(headlineMeasures.declineInflow.unit, lifecycle?.monthEnd ? lifecycle.newlyDeclined : null),
      text: lifecycle?.monthEnd
        ? `${lifecycle.newlyDeclined === 1 ? "customer" : "customers"} slipped into decline in the month to ${lifecycle.monthEnd} (the data's last month end). Of the ${countOf(lifecycle.customers, "customer")} who had bought by then, ${formatCount(lifecycle.counts.decline ?? 0)} (${lifecycle.declineShare == null ? "–" : formatPercent(lifecycle.declineShare)}) were in decline, ${formatCount(lifecycle.counts.lost ?? 0)} lost and ${formatCount((lifecycle.counts.development ?? 0) + (lifecycle.counts.stability ?? 0))} developing or stable.`
        : (absent.lifecycle ?? "No complete month in this data yet."),
      ...(lifecycle?.trend && {
        trend: {
          values: lifecycle.trend,
          label: lifecycle.monthEnd
            ? `customers slipping into decline in each of the last ${lifecycle.trend.length} months: ${windowDates("month", addMonths(lifecycle.monthEnd, 1 - lifecycle.trend.length), lifecycle.monthEnd)}`
            : "customers slipping into decline each month"
        }
      }),
      ...(lifecycle?.monthEnd && {
        change: figureChange(headlineMeasures.declineInflow, lifecycle.newlyDeclined, lifecycle.previous)
      })
    }
  ];
  if (quality) {
    const r = reconciliation(quality);
    figures.push({
      page: "quality",
      title: "Data quality",
      value: formatCount(r.rejected),
      text: `input ${r.rejected === 1 ? "row" : "rows"} set aside with a reason, of ${formatCount(r.input)}; ${r.balanced ? "every file reconciles" : "the counts do NOT add up"}.`
    });
  }
  return figures;
}

/** The at-risk card's sentence: who is slipping away, and what is at stake. */
function atRiskText(states: NonNullable<SiteFigures["retention"]>["states"], money: (value: number) => string): string {
  const {counts, slipping, monthEnd, valueAtStake, ranking} = states;
  return (
    `${slipping === 1 ? "customer" : "customers"} at risk (${formatCount(counts["at risk"] ?? 0)}) or lapsed (${formatCount(counts.lapsed ?? 0)}) at ${monthEnd}, not yet lost: the call list, ` +
    `${money(valueAtStake)} ${ranking === "value" ? "at stake" : "spent in their last year"}.`
  );
}

/**
 * The cards in a two-column grid, each linking to its page (base: the path from the
 * current page to the site's root). With compare, each card also names the same figure
 * for the whole business.
 */
export function kpiCards(
  figures: readonly KpiFigure[],
  {base = "./", compare}: {base?: string; compare?: readonly KpiFigure[]} = {}
): HTMLDivElement {
  const grid = document.createElement("div");
  grid.className = "grid grid-cols-2";
  const element = (tag: string, text: string, className?: string) => {
    const e = document.createElement(tag);
    e.textContent = text;
    if (className) e.className = className;
    return e;
  };
  for (const figure of figures) {
    const card = document.createElement("a");
    card.className = "card kpi";
    card.href = `${base}${figure.page}.html${figure.anchor ? `#${figure.anchor}` : ""}`;
    card.append(element("h2", figure.title), element("span", figure.value, "big"), element("p", figure.text));
    if (figure.trend) card.append(sparkline(figure.trend.values), element("p", figure.trend.label, "spark"));
    // The arrow says which way, the closing word and the colour whether for the better.
    if (figure.change) card.append(element("p", figure.change.text, `change ${figure.change.tone}`));
    const whole = compare?.find((f) => f.page === figure.page && f.anchor === figure.anchor);
    if (whole) card.append(element("p", `Whole business: ${whole.value}`, "whole"));
    grid.append(card);
  }
  return grid;
}
