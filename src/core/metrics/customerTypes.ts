// "Special customers, special treatment": value tiers by profit, and the four customer
// types of profitability × expected loyalty (Reinartz & Kumar 2002, "The Mismanagement of
// Customer Loyalty", Harvard Business Review: strangers, butterflies, true friends, barnacles).

/**
 * Expected loyalty from behaviour alone, 0–1: the share of a customer's purchases that
 * were repeats, x/(x + 1), times how much of their own usual rhythm they still keep up,
 * exp(−(days since the last purchase) / (their mean days between purchases)). A one-time
 * buyer scores 0. For sources where the model's figures are missing, and as a check on them.
 */
export function behaviouralLoyalty({
  frequency,
  recency_days,
  tenure_days
}: {
  frequency: number;
  recency_days: number;
  tenure_days: number;
}): number {
  if (!(frequency > 0) || !(recency_days > 0)) return 0;
  const meanGap = recency_days / frequency;
  const sinceLast = Math.max(0, tenure_days - recency_days);
  return (frequency / (frequency + 1)) * Math.exp(-sinceLast / meanGap);
}

/** The model's figures for a customer (loader: customer_clv.csv.gz); either may be missing. */
export interface ModelLoyalty {
  p_alive?: number | null;
  purchases_next_year?: number | null;
}

/**
 * The ways the page measures expected loyalty: the axis label, the axis domain (null:
 * from the data) and a starting threshold. "purchases" is the model's expected purchases
 * in the next 52 weeks (BG/NBD, FHL 2005 eq. 10) = P(active) × purchases if active: unlike
 * P(active) alone, which BG/NBD sets to 1 for every one-time buyer (they cannot have dropped
 * out before a repeat purchase), it falls for a one-time buyer who has been silent long.
 */
export const loyaltyMeasures = {
  purchases: {
    label: "Model: expected purchases next year",
    axis: "Expected purchases next year",
    domain: null,
    threshold: 1
  },
  p_alive: {label: "Model: P(active)", axis: "P(active)", domain: [0, 1], threshold: 0.5},
  behaviour: {label: "Behaviour: repeats and rhythm", axis: "Expected loyalty", domain: [0, 1], threshold: 0.25}
} as const;
export type LoyaltyMeasure = keyof typeof loyaltyMeasures;

/** A customer's expected loyalty by a measure; NaN where the model has no figure for them. */
export function loyaltyOf(
  measure: LoyaltyMeasure,
  customer: {frequency: number; recency_days: number; tenure_days: number},
  model: ModelLoyalty | undefined
): number {
  if (measure === "behaviour") return behaviouralLoyalty(customer);
  const value = measure === "p_alive" ? model?.p_alive : model?.purchases_next_year;
  return value == null ? NaN : value;
}

export const customerTypes = ["true friends", "butterflies", "barnacles", "strangers"] as const;
export type CustomerType = (typeof customerTypes)[number];

/** What the seeds advise for each type. */
export const typeStrategy: Record<CustomerType, string> = {
  "true friends":
    "Highly profitable and loyal: communicate consistently but not too often, reward them, and turn them into advocates.",
  butterflies: "Profitable but not loyal: enjoy them while they buy, then stop investing in them once they go quiet.",
  barnacles:
    "Loyal but not profitable: find out whether their share of wallet can grow (up- and cross-selling); if not, serve them at lower cost.",
  strangers: "Neither profitable nor loyal: do not invest in them; earn money on every transaction."
};

/** The type of a customer, given the thresholds: profit above `profit`, loyalty above `loyalty`. */
export function customerType(
  profit: number,
  loyalty: number,
  thresholds: {profit: number; loyalty: number}
): CustomerType {
  const profitable = profit > thresholds.profit;
  const loyal = loyalty > thresholds.loyalty;
  return profitable ? (loyal ? "true friends" : "butterflies") : loyal ? "barnacles" : "strangers";
}

export const valueTiers = ["top 1 %", "next 4 %", "next 15 %", "the rest", "loss-making"] as const;
export type ValueTier = (typeof valueTiers)[number];

/** What the seeds advise for each tier. */
export const tierTreatment: Record<ValueTier, string> = {
  "top 1 %": "Know them by name: a personal contact, early access, service without waiting.",
  "next 4 %": "Priority service and recognition; ask what would make them buy more.",
  "next 15 %": "Grow them: the next tier up is within reach through cross-selling.",
  "the rest": "Serve them well and efficiently, through low-cost channels.",
  "loss-making": "Find the cause (returns, service contacts, discounts) and change the terms, or let them go."
};

/**
 * Value tier of each customer by profit rank (most first): the top 1 %, next 4 % and next
 * 15 % of all customers (by count, rounded to whole customers), then the rest; a customer
 * who loses money is "loss-making" whatever the rank. Ties keep input order.
 */
export function valueTierOf(profits: ArrayLike<number>): ValueTier[] {
  const n = profits.length;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => profits[b]! - profits[a]! || a - b);
  const bounds = [0.01, 0.05, 0.2].map((share) => Math.round(share * n));
  const tiers: ValueTier[] = new Array(n);
  order.forEach((index, rank) => {
    tiers[index] =
      profits[index]! < 0
        ? "loss-making"
        : rank < bounds[0]!
          ? "top 1 %"
          : rank < bounds[1]!
            ? "next 4 %"
            : rank < bounds[2]!
              ? "next 15 %"
              : "the rest";
  });
  return tiers;
}
