// Word of mouth from data: the referrals recorded in the prospects table, per NPS group of
// the referring customer, how many became customers, and what those customers are worth
// (margin to date + CLV, the equity page's figures) against customers won through other
// channels. Observed referrals are an association with the referrer's answer, and only the
// referrals someone recorded. Beside them, as a comparison only, the textbook rule of thumb:
// a satisfied customer brings about 8 prospects, a dissatisfied one tells about 25 people.
import {classifyGap, meanIntervalFromSums, type MeanInterval} from "./gap.js";
import {npsGroup, npsGroups, type NpsGroup} from "./nps.js";
import {poissonInterval, type PoissonRate} from "./poissonInterval.js";
import {wilsonInterval, type Proportion} from "./satisfactionLink.js";
import type {AcquisitionValue, Referrer, SatisfactionResponse} from "../sql/satisfactionSql.js";

/** The textbook's multipliers (a comparison on the page, not an estimate). */
export const defaultWordOfMouth = {perSatisfied: 8, perDissatisfied: 25};

/** Each customer's latest response (responses ordered by customer and month, as responsesSql gives them). */
export function latestByCustomer(responses: readonly SatisfactionResponse[]): SatisfactionResponse[] {
  const latest = new Map<string, SatisfactionResponse>();
  for (const r of responses) latest.set(r.customer_id, r);
  return [...latest.values()];
}

export interface WordOfMouth {
  satisfied: number;
  dissatisfied: number;
  /** People reached by satisfied customers (satisfied × perSatisfied) and by dissatisfied ones. */
  positive: number;
  negative: number;
}

/**
 * Customers satisfied (latest response meets or exceeds expectation) and dissatisfied
 * (below it), and the people each group reaches: satisfied × perSatisfied and
 * dissatisfied × perDissatisfied. Example: 10 satisfied and 2 dissatisfied at 8 and 25 →
 * 80 people hear good things, 50 bad ones.
 */
export function wordOfMouth(
  responses: readonly SatisfactionResponse[],
  tolerance: number,
  {perSatisfied, perDissatisfied} = defaultWordOfMouth
): WordOfMouth {
  let [satisfied, dissatisfied] = [0, 0];
  for (const r of latestByCustomer(responses)) {
    if (r.gap === null) continue;
    if (classifyGap(r.gap, tolerance) === "below") dissatisfied++;
    else satisfied++;
  }
  return {satisfied, dissatisfied, positive: satisfied * perSatisfied, negative: dissatisfied * perDissatisfied};
}

export interface ReferralRow {
  group: NpsGroup;
  customers: number;
  referrals: number;
  converted: number;
  /** Referrals per customer, with Garwood's exact 95 % interval. */
  perCustomer: PoissonRate;
  /** Share of the referrals who became customers, with the 95 % Wilson interval. */
  conversion: Proportion;
}

/**
 * Referrals recorded in the prospects table per NPS group of the referring customer's
 * latest answer: customers in the group, prospects they referred, how many of those became
 * customers; referrals per customer (poissonInterval) and their conversion (wilsonInterval).
 * Example: two promoters who referred 3 prospects, 2 of whom converted → 1.5 a promoter
 * (95 % CI 0.31–4.38), conversion 2 of 3 (0.21–0.94).
 */
export function referralsByGroup(
  responses: readonly SatisfactionResponse[],
  referrers: readonly Referrer[]
): ReferralRow[] {
  const byCustomer = new Map(referrers.map((r) => [r.customer_id, r]));
  const sums = new Map(npsGroups.map((group) => [group, {customers: 0, referrals: 0, converted: 0}]));
  for (const r of latestByCustomer(responses)) {
    if (r.nps === null) continue;
    const sum = sums.get(npsGroup(r.nps))!;
    const referred = byCustomer.get(r.customer_id);
    sum.customers++;
    sum.referrals += referred?.referrals ?? 0;
    sum.converted += referred?.converted ?? 0;
  }
  return npsGroups.map((group) => {
    const {customers, referrals, converted} = sums.get(group)!;
    return {
      group,
      customers,
      referrals,
      converted,
      perCustomer: poissonInterval(referrals, customers),
      conversion: wilsonInterval(converted, referrals)
    };
  });
}

/**
 * The customer equity a group's customer brings through referrals: referrals per customer ×
 * their conversion × the equity of a referred customer, which is converted / customers ×
 * that equity. Example: 2 of 3 referrals by two promoters converted, a referred customer
 * worth $150 → $150 a promoter. No customers gives NaN.
 */
export function referralWorth(row: Pick<ReferralRow, "customers" | "converted">, referredEquity: number): number {
  return row.customers ? (row.converted / row.customers) * referredEquity : NaN;
}

/** How customers were won and what they are worth on average: the rows of acquisitionValueSql as means. */
export interface AcquisitionMeans {
  referred: boolean;
  channel: string | null;
  customers: number;
  /** Mean acquisition cost of the customers with one (NaN without any). */
  cost: number;
  /** Mean margin to date. */
  margin: number;
  /** Customers the model values, and their mean CLV and mean equity (margin + CLV, with its normal 95 % interval). */
  valued: number;
  clv: number;
  equity: MeanInterval;
}

/** Means per way of winning customers (acquisitionValueSql's sums): cost, margin to date, CLV and equity = margin + CLV. */
export function acquisitionMeans(rows: readonly AcquisitionValue[]): AcquisitionMeans[] {
  const mean = (sum: number | null, n: number) => (n ? (sum ?? 0) / n : NaN);
  return rows.map((r) => ({
    referred: r.referred,
    channel: r.channel,
    customers: r.customers,
    cost: mean(r.cost_sum, r.costed),
    margin: mean(r.margin_sum, r.customers),
    valued: r.valued,
    clv: mean(r.clv_sum, r.valued),
    equity: meanIntervalFromSums(r.valued, r.equity_sum ?? 0, r.equity_squares ?? 0)
  }));
}

/**
 * The referred customers' equity in all: how many customers the referrals became × the mean
 * equity of those the site values (every one, unless it ships a sample of customers: then the
 * sample's mean stands for all). Example: 970 referred customers at $323.25 each → $313,552.50.
 */
export function referredEquityTotal(referredCustomers: number, equity: Pick<MeanInterval, "mean">): number {
  return referredCustomers * equity.mean;
}
