// The link from satisfaction to behaviour: of the customers in each group (gap band, NPS
// group, days late), the share who bought again within 90 and 180 days and what they
// spent; and from delivery to satisfaction: the scores of responses by their order's days late. These are associations in observational data, not effects: groups differ in
// other ways too (channel, segment, how often they buy).
import {meanInterval, type MeanInterval} from "./gap.js";
import {npsGroup} from "./nps.js";
import {horizons, type DeliveryLateness, type LateScore, type SatisfactionResponse} from "../sql/satisfactionSql.js";

export interface Proportion {
  n: number;
  k: number;
  share: number;
  low: number;
  high: number;
}

/**
 * k of n with its 95 % Wilson score interval (Wilson 1927, JASA 22(158)):
 * (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = 1.96. Example: 8 of 10 →
 * [0.490, 0.943]. n = 0 gives NaN.
 */
export function wilsonInterval(k: number, n: number, z = 1.96): Proportion {
  if (n === 0) return {n, k, share: NaN, low: NaN, high: NaN};
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return {n, k, share: p, low: (centre - spread) / scale, high: (centre + spread) / scale};
}

/**
 * The difference a − b of two independent proportions with its 95 % Wald interval,
 * ± 1.96 √(a(1 − a)/nₐ + b(1 − b)/n_b).
 */
export function proportionDifference(a: Proportion, b: Proportion): {difference: number; low: number; high: number} {
  const difference = a.share - b.share;
  const half = 1.96 * Math.sqrt((a.share * (1 - a.share)) / a.n + (b.share * (1 - b.share)) / b.n);
  return {difference, low: difference - half, high: difference + half};
}

/** A group's outcomes: responses, buying again within each horizon, and the 180-day spend. */
export interface GroupOutcome {
  group: string;
  responses: number;
  bought_90: Proportion;
  bought_180: Proportion;
  spend_180: MeanInterval;
}

/** Outcomes of responses grouped by groupOf (null leaves a response out), groups in the order given. */
export function outcomesBy(
  responses: readonly SatisfactionResponse[],
  groupOf: (r: SatisfactionResponse) => string | null,
  groups: readonly string[]
): GroupOutcome[] {
  return groups.map((group) => {
    const members = responses.filter((r) => groupOf(r) === group);
    const bought = (h: (typeof horizons)[number]) => {
      const followed = members.filter((r) => r[`bought_${h}`] !== null);
      return wilsonInterval(followed.filter((r) => r[`bought_${h}`]).length, followed.length);
    };
    const spend = meanInterval(members.filter((r) => r.spend_180 !== null).map((r) => ({value: r.spend_180!, n: 1})));
    return {group, responses: members.length, bought_90: bought(90), bought_180: bought(180), spend_180: spend};
  });
}

/** Days late grouped for the page: on time (or early), 1 day, 2–3 days, 4 or more. */
export const latenessBands = ["on time", "1 day late", "2–3 days late", "4+ days late"] as const;

export function latenessBand(daysLate: number): (typeof latenessBands)[number] {
  return daysLate <= 0 ? "on time" : daysLate === 1 ? "1 day late" : daysLate <= 3 ? "2–3 days late" : "4+ days late";
}

/** Deliveries and repeat purchase within each horizon, per lateness band (deliveriesSql rows). */
export function latenessOutcomes(
  rows: readonly DeliveryLateness[]
): {group: string; deliveries: number; bought_90: Proportion; bought_180: Proportion}[] {
  return latenessBands.map((group) => {
    const members = rows.filter((r) => latenessBand(r.days_late) === group);
    const total = (f: (r: DeliveryLateness) => number) => members.reduce((t, r) => t + f(r), 0);
    return {
      group,
      deliveries: total((r) => r.n),
      bought_90: wilsonInterval(
        total((r) => r.bought_90),
        total((r) => r.followed_90)
      ),
      bought_180: wilsonInterval(
        total((r) => r.bought_180),
        total((r) => r.followed_180)
      )
    };
  });
}

/** A group's scores: mean overall satisfaction and the shares of promoters (9–10) and detractors (0–6) among the 0–10 answers. */
export interface ScoreOutcome {
  group: string;
  responses: number;
  satisfaction: MeanInterval;
  promoters: Proportion;
  detractors: Proportion;
}

/**
 * Scores of responses about delivered orders (lateScoresSql rows), per group of days late
 * (default: the lateness bands): mean satisfaction with its normal 95 % interval, promoter
 * and detractor shares with Wilson intervals.
 */
export function scoresByLateness(
  rows: readonly LateScore[],
  groupOf: (daysLate: number) => string = latenessBand,
  groups: readonly string[] = latenessBands
): ScoreOutcome[] {
  return groups.map((group) => {
    const members = rows.filter((r) => groupOf(r.days_late) === group);
    const answers = members.filter((r) => r.nps !== null);
    const count = (g: string) => answers.filter((r) => npsGroup(r.nps!) === g).reduce((t, r) => t + r.n, 0);
    const answered = answers.reduce((t, r) => t + r.n, 0);
    return {
      group,
      responses: members.reduce((t, r) => t + r.n, 0),
      satisfaction: meanInterval(
        members.filter((r) => r.satisfaction !== null).map((r) => ({value: r.satisfaction!, n: r.n}))
      ),
      promoters: wilsonInterval(count("promoter"), answered),
      detractors: wilsonInterval(count("detractor"), answered)
    };
  });
}

/** Two groups: on time (or early) and late by any number of days. */
export const onTimeOrLate = (daysLate: number): string => (daysLate <= 0 ? "on time" : "late");
