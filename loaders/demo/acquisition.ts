// Acquisition plan: how many customers sign up in each month and through each channel.
import {civilFromDays, DAY, pad2, parseDate} from "./format.js";
import type {Channel, DemoParams} from "./params.js";

/** Splits total into integer parts proportional to weights (Hamilton's largest remainder); ties go to the earlier part. */
export function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({i, frac: x - Math.floor(x)})).sort((u, v) => v.frac - u.frac || u.i - v.i);
  let left = total - parts.reduce((s, x) => s + x, 0);
  for (const {i} of order) {
    if (left-- <= 0) break;
    parts[i]! += 1;
  }
  return parts;
}

export interface MonthPlan {
  /** "YYYY-MM" */
  month: string;
  /** Seconds since the epoch of the month's first and last day (midnight). */
  firstDay: number;
  days: number;
  weight: number;
  byChannel: Record<Channel, number>;
  total: number;
}

/** Share of referral among month m's acquisitions (0 in the first month: nobody could refer yet). */
export function referralShare(m: number, months: number, params: DemoParams): number {
  if (m === 0) return 0;
  return (
    params.referralShareFirst +
    ((params.referralShareLast - params.referralShareFirst) * (m - 1)) / Math.max(1, months - 2)
  );
}

/** Acquisitions per month and channel: weight_m = exp(growth · m) · seasonality[calendar month]. */
export function acquisitionPlan(customers: number, params: DemoParams): MonthPlan[] {
  const start = parseDate(params.observationStart);
  const end = parseDate(params.observationEnd);
  const months: Omit<MonthPlan, "byChannel" | "total">[] = [];
  for (let [y, mo] = civilFromDays(start / DAY), m = 0; ; m++) {
    const firstDay = Date.UTC(y, mo - 1, 1) / 1000;
    if (firstDay > end) break;
    const lastDay = Math.min(end, Date.UTC(y, mo, 0) / 1000);
    const from = Math.max(firstDay, start);
    months.push({
      month: `${y}-${pad2(mo)}`,
      firstDay: from,
      days: (lastDay - from) / DAY + 1,
      weight: Math.exp(params.monthlyGrowth * m) * params.seasonality[mo - 1]!
    });
    if (++mo > 12) [y, mo] = [y + 1, 1];
  }
  const totals = largestRemainder(
    customers,
    months.map((m) => m.weight)
  );
  let before = 0;
  return months.map((month, m) => {
    const total = totals[m]!;
    // Nobody can refer before the first customer (matters only for tiny runs).
    const referral = before > 0 ? referralShare(m, months.length, params) : 0;
    before += total;
    const {search, social, email} = params.paidShares;
    const paid = search + social + email;
    const [s, so, e, r] = largestRemainder(total, [
      ((1 - referral) * search) / paid,
      ((1 - referral) * social) / paid,
      ((1 - referral) * email) / paid,
      referral
    ]);
    return {...month, total, byChannel: {search: s!, social: so!, email: e!, referral: r!}};
  });
}
