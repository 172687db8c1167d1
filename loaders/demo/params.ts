// The demo business's parameters: channels, categories, segments, SERVQUAL dimensions and their defaults.
import type {DeclaredBond} from "../../src/core/metrics/bonds.js";

export const DEFAULT_SEED = 20250630;
export const DEFAULT_CUSTOMERS = 6000;

export const CHANNELS = ["search", "social", "email", "referral"] as const;
export type Channel = (typeof CHANNELS)[number];
export const CATEGORIES = ["beans", "equipment", "accessories", "gift"] as const;
export type Category = (typeof CATEGORIES)[number];
export const SEGMENTS = ["home", "office", "café"] as const;
export type Segment = (typeof SEGMENTS)[number];
export const DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A bond the demo business offers, held from signup (mapping.json declares it on customers.csv). */
export interface BondParams extends DeclaredBond {
  /** customers.csv's yes/no column. */
  column: string;
  /** A holder's BG/NBD dropout probability p is multiplied by this (each bond held multiplies). */
  dropoutMultiplier: number;
}

/** A bond drawn for each customer at signup, from a stream of its own so that the other draws stay in order. */
export interface DrawnBondParams extends BondParams {
  /** Share of customers who hold it. */
  prevalence: number;
}

export interface ChannelParams {
  /** Mean acquisition cost in USD; each customer's cost is mean · Gamma(shape, 1/shape). */
  acquisitionCost: number;
  /** Shape of that Gamma; 0 means every customer costs exactly the mean (a fixed voucher). */
  acquisitionCostShape: number;
  /** BG/NBD purchase rate heterogeneity: λ ~ Gamma(shape r, rate alpha), per week. */
  r: number;
  alpha: number;
  /** BG/NBD baseline dropout heterogeneity: p ~ Beta(a, b). */
  a: number;
  b: number;
  /** Share of this channel's prospects who become customers. */
  conversionRate: number;
  /** Probability that a customer of this channel prefers the app to the web shop. */
  appShare: number;
  /** Added to every expectation of customers of this channel (ads raise expectations). */
  expectationShift: number;
}

export interface CategoryParams {
  grossMargin: number;
  /** Chance that an order line of this category is returned (before the gap effect). */
  returnRate: number;
  /** Typical unit price, to turn a line's revenue into a whole quantity. */
  unitPrice: number;
  /** Gamma shape of the line's share of the order value (bigger → larger lines). */
  valueShape: number;
  skus: string[];
}

export interface DemoParams {
  observationStart: string;
  observationEnd: string;
  /** Growth of acquisitions per month: the month-m weight is exp(growth · m). */
  monthlyGrowth: number;
  /** Seasonal index of acquisitions by calendar month, January first. */
  seasonality: number[];
  /** Share of referral among a month's acquisitions, rising linearly from the second month. */
  referralShareFirst: number;
  referralShareLast: number;
  /** Shares of the non-referral acquisitions. */
  paidShares: {search: number; social: number; email: number};
  channels: Record<Channel, ChannelParams>;
  /** Gamma-Gamma spend: z ~ Gamma(p, ν), ν ~ Gamma(q, rate gamma), USD per order. */
  spend: {p: number; q: number; gamma: number};
  /** Segment from the customer's mean order value m = p/ν: s = ln(m / pivot) + N(0, noise). */
  segmentRule: {pivot: number; noise: number; office: number; cafe: number};
  categoryMix: Record<Segment, Record<Category, number>>;
  /** Gift lines are this many times more likely in November and December. */
  giftSeasonBoost: number;
  categories: Record<Category, CategoryParams>;
  /** Probabilities of 1, 2 and 3 lines per order. */
  linesPerOrder: [number, number, number];
  /** Pick, pack and ship cost per order in USD, booked on the order's first line. */
  fulfilmentCost: number;
  /** Share of a returned line's cost of goods recovered (restocked); the rest is written off. */
  returnRecovery: number;
  /** Days after delivery within which a return arrives: uniform whole days. */
  returnDelayDays: [number, number];
  /** SERVQUAL: customer expectation means, business performance means, on a 1–7 scale. */
  expectationMean: Record<Dimension, number>;
  performanceMean: Record<Dimension, number>;
  segmentExpectationShift: Record<Segment, number>;
  /** SD of a customer's lasting expectation, of their lasting experience offset, and per purchase noise. */
  expectationCustomerSd: number;
  experienceCustomerSd: number;
  expectationPurchaseSd: number;
  perceptionPurchaseSd: number;
  /** Perception points lost on a late delivery. */
  lateHit: Record<Dimension, number>;
  /** satisfaction = round(base + slope · mean gap + N(0, sd)), clipped to 1–7; recommend likewise, 0–10. */
  satisfaction: {base: number; slope: number; sd: number};
  recommend: {base: number; slope: number; sd: number};
  surveyRate: number;
  /** Days after delivery a survey answer arrives: uniform whole days. */
  surveyDelayDays: [number, number];
  /** p_eff = min(1, p · (1 + gapDropoutK · G⁻) · (1 + lateDropoutFactor · late)). */
  gapDropoutK: number;
  lateDropoutFactor: number;
  /** Days from order to promised delivery (orders with equipment take one more day). */
  promiseDays: number;
  lateRate: number;
  lateRateDecember: number;
  /** A late parcel arrives 1 + floor(Exp(mean)) days after the promise. */
  lateDaysMean: number;
  /** service contacts ~ Poisson(base + perOrder·orders + perNegativeGap·ΣG⁻ + perLate·late + perReturn·returned lines). */
  contacts: {base: number; perOrder: number; perNegativeGap: number; perLate: number; perReturn: number};
  /** Cost of one service contact in USD (for profit; not used by the simulation itself). */
  contactCost: number;
  /** Relative chance of being named as referrer, by NPS class of a purchase's recommend score. */
  referralWeight: {promoter: number; passive: number; detractor: number};
  /** Prospects are first contacted up to this many days before the signup they lead to. */
  prospectLeadDays: number;
  /** Probability that an order uses the customer's preferred channel (web or app). */
  preferredChannelShare: number;
  /** Bonds: the loyalty scheme and the account manager drawn; the app account held by the customers who prefer the app (appShare). */
  bonds: {loyalty: DrawnBondParams; manager: DrawnBondParams; app: BondParams};
}

export const defaultParams: DemoParams = {
  observationStart: "2023-01-01",
  observationEnd: "2025-06-30",
  monthlyGrowth: 0.03,
  seasonality: [1.05, 0.9, 0.95, 0.9, 0.9, 0.85, 0.8, 0.85, 1.0, 1.05, 1.3, 1.45],
  referralShareFirst: 0.05,
  referralShareLast: 0.25,
  paidShares: {search: 0.45, social: 0.32, email: 0.23},
  channels: {
    search: {
      acquisitionCost: 45,
      acquisitionCostShape: 8,
      r: 1.5,
      alpha: 10,
      a: 1.0,
      b: 5.0,
      conversionRate: 0.3,
      appShare: 0.25,
      expectationShift: 0
    },
    social: {
      acquisitionCost: 30,
      acquisitionCostShape: 8,
      r: 1.0,
      alpha: 9,
      a: 1.2,
      b: 4.0,
      conversionRate: 0.25,
      appShare: 0.5,
      expectationShift: 0.3
    },
    email: {
      acquisitionCost: 60,
      acquisitionCostShape: 8,
      r: 2.0,
      alpha: 11,
      a: 1.0,
      b: 6.0,
      conversionRate: 0.35,
      appShare: 0.2,
      expectationShift: 0
    },
    referral: {
      acquisitionCost: 12,
      acquisitionCostShape: 0,
      r: 2.0,
      alpha: 10,
      a: 0.8,
      b: 6.0,
      conversionRate: 0.45,
      appShare: 0.3,
      expectationShift: -0.2
    }
  },
  spend: {p: 6, q: 4, gamma: 27.5},
  segmentRule: {pivot: 55, noise: 0.3, office: 0.25, cafe: 0.55},
  categoryMix: {
    home: {beans: 0.62, equipment: 0.1, accessories: 0.18, gift: 0.1},
    office: {beans: 0.7, equipment: 0.12, accessories: 0.15, gift: 0.03},
    café: {beans: 0.75, equipment: 0.15, accessories: 0.1, gift: 0}
  },
  giftSeasonBoost: 2,
  categories: {
    beans: {
      grossMargin: 0.65,
      returnRate: 0.01,
      unitPrice: 18,
      valueShape: 3,
      skus: [
        "BN-ETH-YIRGA",
        "BN-COL-HUILA",
        "BN-BRA-1KG",
        "BN-KEN-NYERI",
        "BN-GUA-ANTIG",
        "BN-ESPR-1KG",
        "BN-DECAF",
        "BN-SUMATRA"
      ]
    },
    equipment: {
      grossMargin: 0.3,
      returnRate: 0.08,
      unitPrice: 90,
      valueShape: 6,
      skus: ["EQ-GRINDER", "EQ-KETTLE", "EQ-V60", "EQ-PRESS", "EQ-ESPRESSO"]
    },
    accessories: {
      grossMargin: 0.5,
      returnRate: 0.03,
      unitPrice: 12,
      valueShape: 1.5,
      skus: ["AC-FILTERS", "AC-SCALE", "AC-MUG", "AC-CLEANER", "AC-TAMPER"]
    },
    gift: {
      grossMargin: 0.55,
      returnRate: 0.02,
      unitPrice: 30,
      valueShape: 2,
      skus: ["GF-CARD-25", "GF-TASTING", "GF-SUB-3M"]
    }
  },
  linesPerOrder: [0.7, 0.22, 0.08],
  fulfilmentCost: 4,
  returnRecovery: 0.8,
  returnDelayDays: [2, 21],
  expectationMean: {tangibles: 5.0, reliability: 5.8, responsiveness: 5.3, assurance: 5.4, empathy: 4.8},
  performanceMean: {tangibles: 5.5, reliability: 5.6, responsiveness: 4.9, assurance: 5.5, empathy: 5.0},
  segmentExpectationShift: {home: 0, office: 0.2, café: 0.5},
  expectationCustomerSd: 0.6,
  experienceCustomerSd: 0.5,
  expectationPurchaseSd: 0.4,
  perceptionPurchaseSd: 0.8,
  lateHit: {tangibles: 0, reliability: 2, responsiveness: 1, assurance: 0.3, empathy: 0},
  satisfaction: {base: 5, slope: 1, sd: 0.6},
  recommend: {base: 8.1, slope: 1.5, sd: 1.1},
  surveyRate: 0.3,
  surveyDelayDays: [1, 7],
  gapDropoutK: 0.5,
  lateDropoutFactor: 0.5,
  promiseDays: 3,
  lateRate: 0.05,
  lateRateDecember: 0.1,
  lateDaysMean: 1.5,
  contacts: {base: 0.05, perOrder: 0.03, perNegativeGap: 0.25, perLate: 0.4, perReturn: 0.5},
  contactCost: 8,
  referralWeight: {promoter: 4, passive: 1, detractor: 0.25},
  prospectLeadDays: 30,
  preferredChannelShare: 0.85,
  bonds: {
    loyalty: {
      column: "loyalty_member",
      name: "Loyalty member",
      kind: "financial",
      prevalence: 0.3,
      dropoutMultiplier: 0.6
    },
    manager: {
      column: "account_manager",
      name: "Account manager",
      kind: "social",
      prevalence: 0.12,
      dropoutMultiplier: 0.5
    },
    app: {column: "app_account", name: "App account", kind: "structural", dropoutMultiplier: 0.75}
  }
};
