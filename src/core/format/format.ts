// Number formats used across pages, so that a figure reads the same everywhere.
import {format} from "d3";

export const formatCount = format(",d");

/** A count with its noun, the singular for exactly one: countOf(1, "customer") → "1 customer", countOf(4362, "customer") → "4,362 customers". */
export const countOf = (count: number, singular: string, plural = `${singular}s`) =>
  `${formatCount(count)} ${count === 1 ? singular : plural}`;

/**
 * What a table cut short says on paper: cutTableNote(40, 6000) → "The first 40 of 6,000
 * rows are printed; 5,960 are left out. The whole table is its CSV download on the site."
 */
export const cutTableNote = (printed: number, total: number) =>
  `The first ${formatCount(printed)} of ${countOf(total, "row")} are printed; ${formatCount(total - printed)} ${total - printed === 1 ? "is" : "are"} left out. The whole table is its CSV download on the site.`;

/** Most decimals formatPercent adds to keep a share off 0 % or 100 %. */
const maxPercentDigits = 4;

/**
 * A share as a percentage with `digits` decimals, and more where rounding would hide the
 * point: a share that is not 0 or 1 never prints as 0 % or 100 % (0.9996 → "99.96 %",
 * 1.001 → "100.1 %", 0.0004 → "0.04 %"), up to four decimals. "–" for no number.
 */
export function formatPercent(share: number, digits = 0): string {
  if (!Number.isFinite(share)) return "–";
  const percent = share * 100;
  const landmark = (text: string) => Number(text) === 0 || Math.abs(Number(text)) === 100;
  let text = percent.toFixed(digits);
  // 1e-9: a share off 0 or 1 by floating-point noise alone (0.1 + 0.2 − 0.3) is 0 or 1.
  for (let d = digits; d < maxPercentDigits && landmark(text) && Math.abs(percent - Number(text)) > 1e-9;)
    text = percent.toFixed(++d);
  return `${Number(text) === 0 ? text.replace(/^-/, "") : text} %`;
}

/** A share as the percentage an input shows, to a tenth of a percent: asPercent(0.3) → 30. */
export const asPercent = (share: number) => Math.round(share * 1000) / 10;

/** A percentage typed into an input as the share the models take: fromPercent(30) → 0.3 (exactly the share asPercent came from). */
export const fromPercent = (percent: number) => Number((percent / 100).toPrecision(12));
export const formatMoney = (value: number, currency = "USD") =>
  new Intl.NumberFormat("en-US", {style: "currency", currency, maximumFractionDigits: 0}).format(value);

/** Every month (YYYY-MM) from the month of start to the month of end (dates as YYYY-MM-DD). */
export function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  let [year, month] = start.slice(0, 7).split("-").map(Number) as [number, number];
  const last = end.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, "0")}`;
    months.push(current);
    if (current >= last) return months;
    if (++month > 12) [year, month] = [year + 1, 1];
  }
}
