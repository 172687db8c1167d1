// A headline figure against the same figure over the previous comparable period: how each
// kind of figure reads, which way is better for each headline, and the change as the
// overview's cards and the segment reports show it ("▲ 3.1 pts vs Dec 2010 – Nov 2011 (62.0 %), better").
import {formatCount, formatMoney, formatPercent} from "../format/format.js";

/**
 * A figure's value over the previous comparable period, as kpis.json holds it (its loader
 * computes it with the same function as the current value), or, where the data hold no
 * such period (too short, or it falls in the data's first month), why not in words.
 */
export type PreviousFigure = {value: number; period: string} | {value: null; none: string};

/** How a figure reads: a share (0–1, its change in percentage points), a ratio, a score such as NPS (−100…100), a count or money (in the source's currency). */
export type FigureUnit = "share" | "ratio" | "score" | "count" | "money";

/** A kind of headline figure: how it reads and which way it moves for the better ("neither": not good or bad in itself). */
export interface Measure {
  unit: FigureUnit;
  better: "up" | "down" | "neither";
}

/**
 * The overview's headline figures. Add a card's measure here: its unit gives the card's
 * number and its change, `better` the change's colour and word.
 */
export const headlineMeasures = {
  // Concentration is a fact to manage, not a score: it rises when the best customers grow and when the rest shrink.
  top20Share: {unit: "share", better: "neither"},
  // Above 1 the bucket fills: more won and won back for each customer lost.
  quickRatio: {unit: "ratio", better: "up"},
  netPromoterScore: {unit: "score", better: "up"},
  // Customers slipping into decline are customers the business is losing.
  declineInflow: {unit: "count", better: "down"},
  // Customers at risk or lapsed: the fewer, the better.
  atRisk: {unit: "count", better: "down"},
  customerValue: {unit: "money", better: "up"}
} as const satisfies Record<string, Measure>;

/** A figure as a card shows it (money in `currency`); "–" for no number. */
export function formatFigure(unit: FigureUnit, value: number | null, currency = "USD"): string {
  if (value === null || !Number.isFinite(value)) return "–";
  if (unit === "money") return formatMoney(value, currency);
  if (unit === "share") return formatPercent(value);
  if (unit === "ratio") return value.toFixed(2);
  if (unit === "score") return `${Math.round(value) < 0 ? "−" : "+"}${Math.abs(Math.round(value))}`;
  return formatCount(value);
}

/** A previous value as the change names it: shares to a tenth of a percent, so that a change in tenths of a point can be read off it. */
const previousText = (unit: FigureUnit, value: number, currency: string) =>
  unit === "share" ? formatPercent(value, 1) : formatFigure(unit, value, currency);

/**
 * The difference as shown, in the figure's own unit: of the values rounded as the change
 * names them (shares to a tenth of a percent, so in percentage points to a tenth; ratios to
 * hundredths; scores, counts and money to whole numbers), so that it is the difference a
 * reader would work out: +32 against +31 is 1, whatever the decimals behind them.
 */
function shownDifference(unit: FigureUnit, current: number, previous: number): number {
  // Shares in tenths of a percent (1,000ths), ratios in hundredths, the rest in units.
  const steps = unit === "share" ? 1000 : unit === "ratio" ? 100 : 1;
  const difference = Math.round(current * steps) - Math.round(previous * steps);
  return unit === "share" ? difference / 10 : difference / steps;
}

/** The equity card's previous figure: there is none without refitting the models at an earlier date. */
export const fittedOnce: PreviousFigure = {
  value: null,
  none: "No earlier figure: the model is fitted once, at the data's end."
};

/** A headline figure's change against its previous comparable period, or why there is none (previous: null). */
export type FigureChange =
  | {
      /** The previous value as shown. */
      previous: string;
      /** current − previous in the figure's unit (percentage points for shares), as shown. */
      difference: number;
      /** The difference's unit in words: "pts" for shares, "" otherwise. */
      unit: string;
      /** The previous period's dates in words. */
      period: string;
      /** better or worse by the measure's direction; neutral where it has none or nothing changed. */
      tone: "better" | "worse" | "neutral";
      /** What the card says: "▲ 3.1 pts vs Dec 2010 – Nov 2011 (62.0 %), better". */
      text: string;
    }
  | {previous: null; tone: "neutral"; text: string};

/** The change from `previous` to `current` for a figure of this measure (current null or not finite: there is no figure now). */
export function figureChange(
  measure: Measure,
  current: number | null,
  previous: PreviousFigure,
  currency = "USD"
): FigureChange {
  if (previous.value === null) return {previous: null, tone: "neutral", text: previous.none};
  const was = previousText(measure.unit, previous.value, currency);
  if (current === null || !Number.isFinite(current))
    return {previous: null, tone: "neutral", text: `No figure now to compare; ${previous.period}: ${was}.`};
  const difference = shownDifference(measure.unit, current, previous.value);
  const unit = measure.unit === "share" ? "pts" : "";
  const direction = Math.sign(difference);
  const tone =
    direction === 0 || measure.better === "neither"
      ? "neutral"
      : direction > 0 === (measure.better === "up")
        ? "better"
        : "worse";
  const size =
    measure.unit === "share"
      ? Math.abs(difference).toFixed(1)
      : measure.unit === "ratio"
        ? Math.abs(difference).toFixed(2)
        : measure.unit === "money"
          ? formatMoney(Math.abs(difference), currency)
          : formatCount(Math.abs(difference));
  const text =
    direction === 0
      ? `= no change vs ${previous.period} (${was})`
      : `${direction > 0 ? "▲" : "▼"} ${size}${unit ? ` ${unit}` : ""} vs ${previous.period} (${was})${tone === "neutral" ? "" : `, ${tone}`}`;
  return {previous: was, difference, unit, period: previous.period, tone, text};
}
