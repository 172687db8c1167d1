// Number formats used across pages, so that a figure reads the same everywhere.
import {format} from "d3";

export const formatCount = format(",d");
export const formatPercent = (share: number, digits = 0) =>
  Number.isFinite(share) ? `${(share * 100).toFixed(digits)} %` : "–";
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
