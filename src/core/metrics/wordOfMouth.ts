// Word of mouth: a satisfied customer brings about 8 prospects, a dissatisfied one tells
// about 25 people (the relationship-marketing rule of thumb this site's design starts from;
// both figures are adjustable assumptions on the page, not measurements).
// Next to the estimate: the referrals actually recorded in the prospects table.
import {classifyGap} from "./gap.js";
import {npsGroup, type NpsGroup} from "./nps.js";
import type {SatisfactionResponse} from "../sql/satisfactionSql.js";

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
  perCustomer: number;
}

/**
 * Referrals recorded in the prospects table per NPS group of the referring customer's
 * latest answer: customers in the group, prospects they referred, how many of those
 * became customers, and referrals per customer.
 */
export function referralsByGroup(
  responses: readonly SatisfactionResponse[],
  referrals: readonly {customer_id: string; referrals: number; converted: number}[]
): ReferralRow[] {
  const byCustomer = new Map(referrals.map((r) => [r.customer_id, r]));
  const rows = new Map<NpsGroup, ReferralRow>();
  for (const r of latestByCustomer(responses)) {
    if (r.nps === null) continue;
    const group = npsGroup(r.nps);
    const row = rows.get(group) ?? {group, customers: 0, referrals: 0, converted: 0, perCustomer: 0};
    const referred = byCustomer.get(r.customer_id);
    row.customers++;
    row.referrals += referred?.referrals ?? 0;
    row.converted += referred?.converted ?? 0;
    rows.set(group, row);
  }
  return (["promoter", "passive", "detractor"] as const)
    .map((group) => rows.get(group) ?? {group, customers: 0, referrals: 0, converted: 0, perCustomer: 0})
    .map((row) => ({...row, perCustomer: row.customers ? row.referrals / row.customers : NaN}));
}
