// A seeded demo business: a specialty coffee roaster selling online, simulated customer by
// customer with known ground truth (truth.json) so that models and pages can be checked
// against the parameters that made the data.
//
// Purchases follow BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
// way", Marketing Science 24(2)): λ ~ Gamma(r, α), p ~ Beta(a, b); interpurchase times are
// exponential(λ); after each repeat purchase the customer drops out with probability p
// (raised here by a negative SERVQUAL gap and by a late delivery). Order values follow
// Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4)):
// ν ~ Gamma(q, γ), each order's value z ~ Gamma(p, ν).
//
// Output is written line by line as each customer is simulated, so memory stays flat however
// many transactions are generated; only three numbers per customer are kept (signup time,
// cumulative referral weight and NPS class, to draw referrers).
import {closeSync, mkdirSync, openSync, writeFileSync, writeSync} from "node:fs";
import {join} from "node:path";
import {
  randomBeta,
  randomExponential,
  randomGamma,
  randomGeometric,
  randomLcg,
  randomNormal,
  randomPoisson
} from "d3";

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
    search: {acquisitionCost: 45, acquisitionCostShape: 8, r: 1.5, alpha: 10, a: 1.0, b: 5.0, conversionRate: 0.3, appShare: 0.25, expectationShift: 0},
    social: {acquisitionCost: 30, acquisitionCostShape: 8, r: 1.0, alpha: 9, a: 1.2, b: 4.0, conversionRate: 0.25, appShare: 0.5, expectationShift: 0.3},
    email: {acquisitionCost: 60, acquisitionCostShape: 8, r: 2.0, alpha: 11, a: 1.0, b: 6.0, conversionRate: 0.35, appShare: 0.2, expectationShift: 0},
    referral: {acquisitionCost: 12, acquisitionCostShape: 0, r: 2.0, alpha: 10, a: 0.8, b: 6.0, conversionRate: 0.45, appShare: 0.3, expectationShift: -0.2}
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
    beans: {grossMargin: 0.65, returnRate: 0.01, unitPrice: 18, valueShape: 3, skus: [
      "BN-ETH-YIRGA", "BN-COL-HUILA", "BN-BRA-1KG", "BN-KEN-NYERI", "BN-GUA-ANTIG", "BN-ESPR-1KG", "BN-DECAF", "BN-SUMATRA"]},
    equipment: {grossMargin: 0.3, returnRate: 0.08, unitPrice: 90, valueShape: 6, skus: [
      "EQ-GRINDER", "EQ-KETTLE", "EQ-V60", "EQ-PRESS", "EQ-ESPRESSO"]},
    accessories: {grossMargin: 0.5, returnRate: 0.03, unitPrice: 12, valueShape: 1.5, skus: [
      "AC-FILTERS", "AC-SCALE", "AC-MUG", "AC-CLEANER", "AC-TAMPER"]},
    gift: {grossMargin: 0.55, returnRate: 0.02, unitPrice: 30, valueShape: 2, skus: [
      "GF-CARD-25", "GF-TASTING", "GF-SUB-3M"]}
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
  preferredChannelShare: 0.85
};

// ---------------------------------------------------------------------------------------
// Formatting (deterministic, no locale, no time zone)

const DAY = 86_400;
const WEEK = 7 * DAY;

/** Days since 1970-01-01 → [year, month 1–12, day] (Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Seconds since the epoch of a "YYYY-MM-DD" date at midnight UTC. */
export function parseDate(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y!, m! - 1, d!) / 1000;
}

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** Seconds since the epoch → "YYYY-MM-DD". */
export function formatDate(seconds: number): string {
  const [y, m, d] = civilFromDays(Math.floor(seconds / DAY));
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Seconds since the epoch → "HH:MM:SS". */
export function formatTime(seconds: number): string {
  const s = Math.floor(seconds) % DAY;
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** Whole cents → "12.34" / "-0.05". */
export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)}.${rest < 10 ? "0" : ""}${rest}`;
}

/** RFC 4180: quote a field only if it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const padId = (prefix: string, n: number, width: number) => prefix + String(n).padStart(width, "0");

// ---------------------------------------------------------------------------------------
// Acquisition plan

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
  return params.referralShareFirst + ((params.referralShareLast - params.referralShareFirst) * (m - 1)) / Math.max(1, months - 2);
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
  const totals = largestRemainder(customers, months.map((m) => m.weight));
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

// ---------------------------------------------------------------------------------------
// Satisfaction and dropout

/** G⁻: mean over the dimensions of the shortfall max(0, expectation − perception). */
export function meanNegativeGap(expectation: number[], perception: number[]): number {
  let sum = 0;
  for (let d = 0; d < expectation.length; d++) sum += Math.max(0, expectation[d]! - perception[d]!);
  return sum / expectation.length;
}

/** The dropout probability after a repeat purchase: p_eff = min(1, p · (1 + k·G⁻) · (1 + L·late)). */
export function effectiveDropout(p: number, negativeGap: number, late: boolean, params: DemoParams): number {
  return Math.min(1, p * (1 + params.gapDropoutK * negativeGap) * (late ? 1 + params.lateDropoutFactor : 1));
}

/** NPS class of a 0–10 recommendation score. */
export function npsClass(score: number): "promoter" | "passive" | "detractor" {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------
// Personal data (fake)

const FIRST_NAMES = ["Ava", "Ben", "Chloé", "Daniel", "Emma", "Felix", "Grace", "Hiro", "Isabel", "Jack", "Kira", "Liam",
  "María", "Noah", "Olivia", "Priya", "Quinn", "Rafael", "Sofia", "Tom", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoë",
  "José", "Søren", "Aisha", "Mei"];
const LAST_NAMES = ["Anderson", "Brown", "Chen", "Dubois", "Evans", "Fischer", "García", "Hughes", "Ivanova", "Jones",
  "Kim", "López", "Müller", "Nguyen", "O'Brien", "Patel", "Rossi", "Smith", "Tanaka", "Usman", "Varga", "Wilson", "Xu",
  "Young", "Zimmermann"];

/** Lower-case ASCII letters of a name, for an e-mail address ("Søren" → "soren"). */
export function emailPart(name: string): string {
  return name.normalize("NFD").replace(/ø/gi, "o").toLowerCase().replace(/[^a-z]/g, "");
}

const FIRST_EMAIL = FIRST_NAMES.map(emailPart);
const LAST_EMAIL = LAST_NAMES.map(emailPart);

// ---------------------------------------------------------------------------------------
// Output

/** Where the generator writes one CSV table; write returns the 1-based file line (header = 1). */
export interface TableSink {
  write(line: string): number;
  close(): void;
  readonly rows: number;
}

/** A CSV file written in chunks with writeSync: bounded memory, no back-pressure to manage. */
export function fileSink(path: string, header: string): TableSink {
  const fd = openSync(path, "w");
  let buffer = header + "\n";
  let rows = 0;
  const flush = () => {
    writeSync(fd, buffer);
    buffer = "";
  };
  return {
    write(line) {
      buffer += line + "\n";
      if (buffer.length > 1 << 16) flush();
      return ++rows + 1;
    },
    close() {
      flush();
      closeSync(fd);
    },
    get rows() {
      return rows;
    }
  };
}

/** Counts lines without writing them (to size a run before making it). */
export function countingSink(): TableSink {
  let rows = 0;
  return {write: () => ++rows + 1, close: () => undefined, get rows() { return rows; }};
}

export const HEADERS = {
  customers: "customer_id,name,email,signup_date,acquisition_channel,acquisition_cost,segment,service_contacts",
  transactions: "order_id,line,customer_id,ordered_at,sku,category,quantity,revenue,cost,channel",
  survey: "response_id,customer_id,responded_at,order_id," +
    DIMENSIONS.map((d) => `exp_${d},perc_${d}`).join(",") + ",satisfaction,recommend",
  deliveries: "order_id,customer_id,promised_date,delivered_date",
  prospects: "prospect_id,first_contact_date,channel,converted_customer_id,referred_by",
  truthCustomers: "customer_id,lambda,p,nu,dropped_out_at"
} as const;
export type Table = keyof typeof HEADERS;
export const FILES: Record<Table, string> = {
  customers: "customers.csv",
  transactions: "transactions.csv",
  survey: "survey.csv",
  deliveries: "deliveries.csv",
  prospects: "prospects.csv",
  truthCustomers: "truth_customers.csv"
};

export const MAPPING = {
  name: "Demo coffee roaster (generated)",
  currency: "USD",
  tables: {
    customers: {file: "customers.csv", columns: {customer_id: "customer_id", first_seen: "signup_date", acquisition_channel: "acquisition_channel", acquisition_cost: "acquisition_cost", segment: "segment", service_contacts: "service_contacts"}, dateFormat: "%Y-%m-%d"},
    transactions: {file: "transactions.csv", columns: {order_id: "order_id", customer_id: "customer_id", occurred_at: "ordered_at", product: "sku", category: "category", quantity: "quantity", revenue: "revenue", cost: "cost", channel: "channel"}, dateFormat: "%Y-%m-%d %H:%M:%S"},
    feedback: {file: "survey.csv", columns: {customer_id: "customer_id", responded_at: "responded_at", satisfaction: "satisfaction", nps: "recommend"}, dimensions: {tangibles: {expectation: "exp_tangibles", perception: "perc_tangibles"}, reliability: {expectation: "exp_reliability", perception: "perc_reliability"}, responsiveness: {expectation: "exp_responsiveness", perception: "perc_responsiveness"}, assurance: {expectation: "exp_assurance", perception: "perc_assurance"}, empathy: {expectation: "exp_empathy", perception: "perc_empathy"}}, scale: [1, 7], dateFormat: "%Y-%m-%d"},
    deliveries: {file: "deliveries.csv", columns: {customer_id: "customer_id", order_id: "order_id", promised_at: "promised_date", delivered_at: "delivered_date"}, dateFormat: "%Y-%m-%d"},
    prospects: {file: "prospects.csv", columns: {prospect_id: "prospect_id", first_contact_at: "first_contact_date", channel: "channel", converted_customer_id: "converted_customer_id", referred_by: "referred_by"}, dateFormat: "%Y-%m-%d"}
  }
};

// ---------------------------------------------------------------------------------------
// Deliberately bad rows

export interface BadRow {
  file: string;
  line: number;
  column: string;
  reason: string;
  value: string;
}

export type Defect =
  | {kind: "date"; value: string}
  | {kind: "amount"; value: (revenue: string) => string}
  | {kind: "negative"}
  | {kind: "duplicate"}
  | {kind: "orphan"}
  | {kind: "survey"};

// Each defect lands on its own customer (spread evenly through the file); the orphan defect adds
// one two-line order of a customer id that customers.csv does not have.
const DEFECTS: Defect[] = [
  {kind: "date", value: "2024-13-07 10:22:31"},
  {kind: "date", value: "07/03/2024 10:22"},
  {kind: "date", value: "n/a"},
  {kind: "amount", value: (revenue) => revenue.replace(".", ",")},
  {kind: "amount", value: () => "N/A"},
  {kind: "negative"},
  {kind: "negative"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "orphan"},
  {kind: "survey"}
];

/** Customer index (0-based) → the defect injected at that customer. */
export function defectPlan(customers: number): Map<number, Defect> {
  const plan = new Map<number, Defect>();
  if (customers < DEFECTS.length + 1) return plan;
  DEFECTS.forEach((defect, i) => plan.set(Math.floor(((i + 1) * customers) / (DEFECTS.length + 1)), defect));
  return plan;
}

// ---------------------------------------------------------------------------------------
// Simulation

export interface GenerateOptions {
  seed?: number;
  customers?: number;
  params?: DemoParams;
  /** Called after each tenth of the customers. */
  onProgress?: (done: number, total: number) => void;
}

export interface Sinks {
  customers: TableSink;
  transactions: TableSink;
  survey: TableSink;
  deliveries: TableSink;
  prospects: TableSink;
  truthCustomers: TableSink;
}

interface Draws {
  uniform: () => number;
  normal: () => number;
  exponential: () => number;
  gamma: (shape: number) => () => number;
  beta: (a: number, b: number) => () => number;
  poisson: (mean: number) => number;
  geometric: (p: number) => () => number;
}

/** Every distribution the simulation uses, all fed by one seeded LCG. */
function draws(seed: number): Draws {
  const source = randomLcg(seed);
  const poisson = randomPoisson.source(source);
  return {
    uniform: source,
    normal: randomNormal.source(source)(0, 1),
    exponential: randomExponential.source(source)(1),
    gamma: (shape) => randomGamma.source(source)(shape, 1),
    beta: (a, b) => randomBeta.source(source)(a, b),
    poisson: (mean) => poisson(mean)(),
    geometric: (p) => randomGeometric.source(source)(p)
  };
}

/** Running sums of weights, for drawCumulative. */
export function cumulative(weights: number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** Index drawn from cumulative weights cum[0..n-1] (n ≥ 1) with probability proportional to each weight. */
export function drawCumulative(cum: ArrayLike<number>, n: number, u: number): number {
  const target = u * cum[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Number of entries of the ascending array a[0..n-1] that are < x. */
export function countBelow(a: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Order hours: quiet at night, peaks at breakfast and in the evening.
const HOUR_CUM = cumulative([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 3, 4, 4, 3.5, 3, 3.5, 3, 2.5, 2.5, 3, 3.5, 4, 4.5, 4.5, 3.5, 2.5, 1.5]);
const timeOfDay = (d: Draws) => drawCumulative(HOUR_CUM, 24, d.uniform()) * 3600 + Math.floor(d.uniform() * 3600);
const EARLY_CUM = [0.5, 0.8, 1]; // on-time parcels arrive 0, 1 or 2 days before the promise
const MIN_LINE_CENTS = 300; // an order is not split into lines under $3
const NPS_CLASSES = ["promoter", "passive", "detractor"] as const;

export interface Outcome {
  orders: number;
  orderLines: number;
  returnLines: number;
  lateDeliveries: number;
  ordersWithoutDeliveryRow: number;
  surveys: number;
  surveysCensored: number;
  aliveAtEnd: number;
  dropoutsByMonth: Record<string, number>;
  /** Mean of p_eff / p over every dropout trial (after each repeat purchase). */
  meanDropoutMultiplier: number;
  prospects: Record<Channel, {prospects: number; converted: number}>;
  referralsByReferrerClass: Record<(typeof NPS_CLASSES)[number], number>;
}

export interface GenerateResult {
  plan: MonthPlan[];
  outcome: Outcome;
  badRows: BadRow[];
  rows: Record<string, number>;
}

/** What every customer's simulation draws from, built once per run. */
interface Context {
  params: DemoParams;
  d: Draws;
  /** The last second of the observation window. */
  end: number;
  /** Per channel: λ·α, p, the acquisition cost as a multiple of the mean, the prospects per conversion. */
  channels: Record<Channel, {lambda: () => number; p: () => number; cost: () => number; geometric: () => number}>;
  nu: () => number;
  spend: () => number;
  share: Record<Category, () => number>;
  lineCum: number[];
  /** Cumulative category weights by segment, outside and inside the gift season. */
  categoryCum: Record<Segment, [number[], number[]]>;
  orderCounter: number;
  day: (seconds: number) => string;
  outcome: Outcome;
  multiplierSum: number;
  multiplierCount: number;
}

/** Gamma(shape, rate shape), mean 1; exactly 1 when shape is 0. */
function costMultiplier(d: Draws, shape: number): () => number {
  if (shape === 0) return () => 1;
  const g = d.gamma(shape);
  return () => g() / shape;
}

function context(seed: number, params: DemoParams, plan: MonthPlan[]): Context {
  const d = draws(seed);
  const days = new Map<number, string>(); // formatted dates, reused: few distinct days, many rows
  const outcome: Outcome = {
    orders: 0, orderLines: 0, returnLines: 0, lateDeliveries: 0, ordersWithoutDeliveryRow: 0, surveys: 0, surveysCensored: 0,
    aliveAtEnd: 0, dropoutsByMonth: Object.fromEntries(plan.map((m) => [m.month, 0])), meanDropoutMultiplier: 1,
    prospects: Object.fromEntries(CHANNELS.map((c) => [c, {prospects: 0, converted: 0}])) as Outcome["prospects"],
    referralsByReferrerClass: {promoter: 0, passive: 0, detractor: 0}
  };
  return {
    params,
    d,
    end: parseDate(params.observationEnd) + DAY - 1,
    channels: Object.fromEntries(CHANNELS.map((c) => {
      const cp = params.channels[c];
      return [c, {
        lambda: d.gamma(cp.r),
        p: d.beta(cp.a, cp.b),
        cost: costMultiplier(d, cp.acquisitionCostShape),
        geometric: d.geometric(cp.conversionRate)
      }];
    })) as Context["channels"],
    nu: d.gamma(params.spend.q),
    spend: d.gamma(params.spend.p),
    share: Object.fromEntries(CATEGORIES.map((c) => [c, d.gamma(params.categories[c].valueShape)])) as Context["share"],
    lineCum: cumulative(params.linesPerOrder),
    categoryCum: Object.fromEntries(SEGMENTS.map((s) => {
      const mix = params.categoryMix[s];
      const weights = CATEGORIES.map((c) => mix[c]);
      const season = CATEGORIES.map((c) => mix[c] * (c === "gift" ? params.giftSeasonBoost : 1));
      return [s, [cumulative(weights), cumulative(season)]];
    })) as Context["categoryCum"],
    orderCounter: 0,
    day(seconds) {
      const key = Math.floor(seconds / DAY);
      let text = days.get(key);
      if (text === undefined) days.set(key, (text = formatDate(seconds)));
      return text;
    },
    outcome,
    multiplierSum: 0,
    multiplierCount: 0
  };
}

/** A customer's lasting traits. */
interface Traits {
  id: string;
  channel: Channel;
  signup: number;
  lambda: number;
  p: number;
  nu: number;
  segment: Segment;
  expectation: number[];
  experience: number;
  prefersApp: boolean;
}

function drawTraits(ctx: Context, id: string, channel: Channel, signup: number): Traits {
  const {d, params} = ctx;
  const cp = params.channels[channel];
  const cd = ctx.channels[channel];
  const lambda = cd.lambda() / cp.alpha;
  const p = cd.p();
  const nu = ctx.nu() / params.spend.gamma;
  // Bigger spenders are more often offices and cafés; drawn from ν so Gamma-Gamma stays exact.
  const s = Math.log(params.spend.p / nu / params.segmentRule.pivot) + params.segmentRule.noise * d.normal();
  const segment: Segment = s > params.segmentRule.cafe ? "café" : s > params.segmentRule.office ? "office" : "home";
  const expectation = DIMENSIONS.map((dim) => params.expectationMean[dim] + params.segmentExpectationShift[segment] + cp.expectationShift + params.expectationCustomerSd * d.normal());
  const experience = params.experienceCustomerSd * d.normal();
  return {id, channel, signup, lambda, p, nu, segment, expectation, experience, prefersApp: d.uniform() < cp.appShare};
}

interface TimedLine {
  time: number;
  seq: number;
  line: string;
}

/** Everything that happened to one customer, ready to write. */
interface History {
  /** Sale and return lines; seq 0 is line 1 of the first order. */
  transactions: TimedLine[];
  /** Survey rows without their response id. */
  surveys: TimedLine[];
  deliveries: string[];
  purchases: number;
  negativeGapSum: number;
  lateCount: number;
  returnedLines: number;
  /** Time of the purchase after which the customer dropped out, or -1 if alive at the end. */
  droppedAt: number;
  /** Mean referral weight over the purchases' recommend classes, and the most common class. */
  referralWeight: number;
  npsClass: number;
}

/** The BG/NBD purchase process of one customer, with each purchase's lines, delivery, returns and survey. */
function simulatePurchases(ctx: Context, c: Traits): History {
  const {d, params, outcome, end} = ctx;
  const h: History = {transactions: [], surveys: [], deliveries: [], purchases: 0, negativeGapSum: 0, lateCount: 0, returnedLines: 0, droppedAt: -1, referralWeight: 0, npsClass: 0};
  const classCounts = [0, 0, 0];
  let weightSum = 0;
  let seq = 0;
  const horizon = (end - c.signup) / WEEK;
  const exp = new Array<number>(DIMENSIONS.length);
  const perc = new Array<number>(DIMENSIONS.length);
  for (let t = 0; t <= horizon; t += d.exponential() / c.lambda) {
    const at = c.signup + Math.round(t * WEEK);
    if (at > end) break;
    h.purchases++;
    outcome.orders++;
    const order = padId("O", ++ctx.orderCounter, 7);
    const orderDay = Math.floor(at / DAY) * DAY;
    const calMonth = civilFromDays(orderDay / DAY)[1];
    const stamp = `${ctx.day(at)} ${formatTime(at)}`;
    const channelName = (d.uniform() < params.preferredChannelShare) === c.prefersApp ? "app" : "web";

    // Lines: categories, then the order value z ~ Gamma(p, ν) split by Gamma shares.
    const catCum = ctx.categoryCum[c.segment][calMonth >= 11 ? 1 : 0];
    const totalCents = Math.max(1, Math.round((ctx.spend() / c.nu) * 100));
    const lines = Math.max(1, Math.min(drawCumulative(ctx.lineCum, 3, d.uniform()) + 1, Math.floor(totalCents / MIN_LINE_CENTS)));
    const cats: Category[] = [];
    const shares: number[] = [];
    let shareSum = 0;
    for (let l = 0; l < lines; l++) {
      const cat = CATEGORIES[drawCumulative(catCum, CATEGORIES.length, d.uniform())]!;
      cats.push(cat);
      shares.push(ctx.share[cat]());
      shareSum += shares[l]!;
    }

    // Delivery, then the experience of this purchase (a late parcel hurts reliability most).
    const promised = orderDay + (params.promiseDays + (cats.includes("equipment") ? 1 : 0)) * DAY;
    const late = d.uniform() < (calMonth === 12 ? params.lateRateDecember : params.lateRate);
    const delivered = late
      ? promised + (1 + Math.floor(d.exponential() * params.lateDaysMean)) * DAY
      : Math.max(orderDay + DAY, promised - drawCumulative(EARLY_CUM, 3, d.uniform()) * DAY);
    let gapSum = 0;
    for (let di = 0; di < DIMENSIONS.length; di++) {
      const dim = DIMENSIONS[di]!;
      exp[di] = clip(Math.round(c.expectation[di]! + params.expectationPurchaseSd * d.normal()), 1, 7);
      perc[di] = clip(Math.round(params.performanceMean[dim] + c.experience + params.perceptionPurchaseSd * d.normal() - (late ? params.lateHit[dim] : 0)), 1, 7);
      gapSum += perc[di]! - exp[di]!;
    }
    const meanGap = gapSum / DIMENSIONS.length;
    const negativeGap = meanNegativeGap(exp, perc);
    const satisfaction = clip(Math.round(params.satisfaction.base + params.satisfaction.slope * meanGap + params.satisfaction.sd * d.normal()), 1, 7);
    const recommend = clip(Math.round(params.recommend.base + params.recommend.slope * meanGap + params.recommend.sd * d.normal()), 0, 10);
    const cls = npsClass(recommend);
    classCounts[NPS_CLASSES.indexOf(cls)]!++;
    weightSum += params.referralWeight[cls];
    h.negativeGapSum += negativeGap;
    if (late) h.lateCount++;

    // Order lines (cost of goods per line, the fulfilment cost on line 1) and which come back.
    const returned: string[] = [];
    let centsLeft = totalCents;
    for (let l = 0; l < lines; l++) {
      const cat = cats[l]!;
      const cp = params.categories[cat];
      const cents = l === lines - 1 ? centsLeft : Math.max(1, Math.min(centsLeft - (lines - 1 - l), Math.round((totalCents * shares[l]!) / shareSum)));
      centsLeft -= cents;
      const quantity = clip(Math.round(cents / 100 / cp.unitPrice), 1, 20);
      const cogs = Math.round(cents * (1 - cp.grossMargin));
      const cost = cogs + (l === 0 ? Math.round(params.fulfilmentCost * 100) : 0);
      const sku = cp.skus[Math.floor(d.uniform() * cp.skus.length)]!;
      h.transactions.push({time: at, seq: seq++, line: `${order},${l + 1},${c.id},${stamp},${sku},${cat},${quantity},${formatCents(cents)},${formatCents(cost)},${channelName}`});
      outcome.orderLines++;
      if (d.uniform() < cp.returnRate * (1 + negativeGap)) {
        returned.push(`${l + 1},${c.id},%AT%,${sku},${cat},${-quantity},${formatCents(-cents)},${formatCents(-Math.round(cogs * params.returnRecovery))},${channelName}`);
      }
    }
    if (returned.length > 0) {
      const [lo, hi] = params.returnDelayDays;
      const returnAt = delivered + (lo + Math.floor(d.uniform() * (hi - lo + 1))) * DAY + timeOfDay(d);
      if (returnAt <= end) {
        const returnStamp = `${ctx.day(returnAt)} ${formatTime(returnAt)}`;
        for (const r of returned) h.transactions.push({time: returnAt, seq: seq++, line: `R${order},${r.replace("%AT%", returnStamp)}`});
        h.returnedLines += returned.length;
        outcome.returnLines += returned.length;
      }
    }

    // A delivery row once both dates have passed (never a date after the observation end).
    if (delivered <= end && promised <= end) h.deliveries.push(`${order},${c.id},${ctx.day(promised)},${ctx.day(delivered)}`);
    else outcome.ordersWithoutDeliveryRow++;
    if (late) outcome.lateDeliveries++;

    if (d.uniform() < params.surveyRate) {
      const [lo, hi] = params.surveyDelayDays;
      const respondedAt = delivered + (lo + Math.floor(d.uniform() * (hi - lo + 1))) * DAY;
      if (respondedAt <= end) {
        let scores = "";
        for (let di = 0; di < DIMENSIONS.length; di++) scores += `${exp[di]},${perc[di]},`;
        h.surveys.push({time: respondedAt, seq: seq++, line: `${c.id},${ctx.day(respondedAt)},${order},${scores}${satisfaction},${recommend}`});
        outcome.surveys++;
      } else {
        outcome.surveysCensored++;
      }
    }

    // BG/NBD: no dropout at the first purchase (time 0), only after repeat purchases.
    if (h.purchases > 1) {
      const pEff = effectiveDropout(c.p, negativeGap, late, params);
      ctx.multiplierSum += pEff / c.p;
      ctx.multiplierCount++;
      if (d.uniform() < pEff) {
        h.droppedAt = at;
        break;
      }
    }
  }
  h.referralWeight = weightSum / h.purchases;
  h.npsClass = classCounts.indexOf(Math.max(...classCounts));
  h.transactions.sort(byTime);
  h.surveys.sort(byTime);
  return h;
}

const byTime = (a: TimedLine, b: TimedLine) => a.time - b.time || a.seq - b.seq;

/** Run-wide state for writing rows: counters, and where the deliberate defects landed. */
interface Writer {
  sinks: Sinks;
  responses: number;
  surveyDefectPending: boolean;
  badRows: BadRow[];
  orphanId: string;
}

/** Writes one customer's rows, injecting the customer's defect if the plan has one. */
function writeCustomer(w: Writer, ctx: Context, c: Traits, h: History, defect: Defect | undefined): void {
  const {d, params} = ctx;
  const cp = params.channels[c.channel];
  const i = Math.floor(d.uniform() * FIRST_NAMES.length);
  const j = Math.floor(d.uniform() * LAST_NAMES.length);
  const [first, last] = [FIRST_NAMES[i]!, LAST_NAMES[j]!];
  const email = `${FIRST_EMAIL[i]}.${LAST_EMAIL[j]}${String(Math.floor(d.uniform() * 10_000)).padStart(4, "0")}@example.com`;
  const acquisitionCost = Math.round(cp.acquisitionCost * ctx.channels[c.channel].cost() * 100);
  const k = params.contacts;
  const contacts = d.poisson(k.base + k.perOrder * h.purchases + k.perNegativeGap * h.negativeGapSum + k.perLate * h.lateCount + k.perReturn * h.returnedLines);
  w.sinks.customers.write(`${c.id},${csvField(`${first} ${last}`)},${email},${ctx.day(c.signup)},${c.channel},${formatCents(acquisitionCost)},${c.segment},${contacts}`);
  w.sinks.truthCustomers.write(`${c.id},${c.lambda.toFixed(5)},${c.p.toFixed(5)},${c.nu.toFixed(5)},${h.droppedAt < 0 ? "" : ctx.day(h.droppedAt)}`);

  for (const e of h.transactions) {
    const line = defect && e.seq === 0 ? corruptLine(defect, e.line) : e.line;
    const lineNo = w.sinks.transactions.write(line);
    if (defect && e.seq === 0) recordTransactionDefect(w, defect, line, lineNo);
  }
  for (const e of h.deliveries) w.sinks.deliveries.write(e);
  if (defect?.kind === "survey") w.surveyDefectPending = true;
  for (const e of h.surveys) {
    let line = `${padId("S", ++w.responses, 7)},${e.line}`;
    if (w.surveyDefectPending) {
      const fields = line.split(",");
      fields[HEADERS.survey.split(",").indexOf("perc_reliability")] = "9";
      line = fields.join(",");
      w.badRows.push({file: FILES.survey, line: w.sinks.survey.write(line), column: "perc_reliability", reason: "perception 9 outside the 1–7 scale", value: "9"});
      w.surveyDefectPending = false;
    } else {
      w.sinks.survey.write(line);
    }
  }
}

/**
 * Simulates the business into the given sinks, customer by customer in signup order.
 * Every random number comes from one LCG seeded with `seed`, drawn in a fixed order.
 */
export function simulate(sinks: Sinks, options: GenerateOptions = {}): GenerateResult {
  const n = options.customers ?? DEFAULT_CUSTOMERS;
  const params = options.params ?? defaultParams;
  const plan = acquisitionPlan(n, params);
  const ctx = context(options.seed ?? DEFAULT_SEED, params, plan);
  const {d, outcome} = ctx;
  const idWidth = Math.max(6, String(n + 1).length);
  const customerId = (k: number) => padId("C", k + 1, idWidth);
  const writer: Writer = {sinks, responses: 0, surveyDefectPending: false, badRows: [], orphanId: "C" + "9".repeat(idWidth)};
  const defects = defectPlan(n);
  // Per customer, only what later referrals need: signup time, cumulative referral weight, NPS class.
  const signups = new Float64Array(n);
  const referralCum = new Float64Array(n);
  const classes = new Int8Array(n);
  let prospects = 0;

  let k = 0;
  let nextProgress = 1;
  for (const month of plan) {
    // Signup times of the month, ascending, and a shuffled channel for each.
    const times = Array.from({length: month.total}, () => month.firstDay + Math.floor(d.uniform() * month.days) * DAY + timeOfDay(d)).sort((a, b) => a - b);
    const channels = CHANNELS.flatMap((c) => Array<Channel>(month.byChannel[c]).fill(c));
    for (let i = channels.length - 1; i > 0; i--) {
      const j = Math.floor(d.uniform() * (i + 1));
      [channels[i], channels[j]] = [channels[j]!, channels[i]!];
    }

    for (let i = 0; i < month.total; i++, k++) {
      const signup = times[i]!;
      const channel = channels[i]!;
      const id = customerId(k);

      // The funnel: the prospect who converted plus Geometric(conversion rate) − 1 who did not,
      // first contacted within the lead window before signup (referrals: after the first signup,
      // so that a referrer exists).
      const lead = signup - params.prospectLeadDays * DAY;
      const earliest = channel === "referral" ? Math.max(signups[0]! + 1, lead) : lead;
      const count = ctx.channels[channel].geometric();
      for (let j = 0; j < count; j++) {
        const converted = j === count - 1;
        const contact = earliest + Math.floor(d.uniform() * (signup - earliest));
        let referredBy = "";
        if (channel === "referral") {
          const referrer = drawCumulative(referralCum, countBelow(signups, k, contact), d.uniform());
          referredBy = customerId(referrer);
          outcome.referralsByReferrerClass[NPS_CLASSES[classes[referrer]!]!]++;
        }
        sinks.prospects.write(`${padId("P", ++prospects, 7)},${ctx.day(contact)},${channel},${converted ? id : ""},${referredBy}`);
        outcome.prospects[channel].prospects++;
        if (converted) outcome.prospects[channel].converted++;
      }

      const traits = drawTraits(ctx, id, channel, signup);
      const history = simulatePurchases(ctx, traits);
      writeCustomer(writer, ctx, traits, history, defects.get(k));
      if (history.droppedAt < 0) outcome.aliveAtEnd++;
      else outcome.dropoutsByMonth[formatDate(history.droppedAt).slice(0, 7)]!++;

      signups[k] = signup;
      referralCum[k] = (k > 0 ? referralCum[k - 1]! : 0) + history.referralWeight;
      classes[k] = history.npsClass;
      if (options.onProgress && (k + 1) * 10 >= nextProgress * n) {
        options.onProgress(k + 1, n);
        while ((k + 1) * 10 >= nextProgress * n) nextProgress++;
      }
    }
  }
  outcome.meanDropoutMultiplier = ctx.multiplierCount > 0 ? ctx.multiplierSum / ctx.multiplierCount : 1;
  const rows = Object.fromEntries((Object.keys(sinks) as Table[]).map((t) => [FILES[t], sinks[t].rows]));
  return {plan, outcome, badRows: writer.badRows, rows};
}

/** The damaged form of a sale line, for the defects that change a value (quoted where needed). */
export function corruptLine(defect: Defect, line: string): string {
  const fields = line.split(","); // generated sale lines have no quoted fields
  if (defect.kind === "date") fields[3] = defect.value;
  else if (defect.kind === "amount") fields[7] = defect.value(fields[7]!);
  else if (defect.kind === "negative") fields[7] = `-${fields[7]}`;
  return fields.map(csvField).join(",");
}

/** Records where a transaction defect landed, writing the extra lines that some defects add. */
function recordTransactionDefect(w: Writer, defect: Defect, line: string, lineNo: number): void {
  const file = FILES.transactions;
  const sink = w.sinks.transactions;
  const fields = parseCsvLine(line);
  switch (defect.kind) {
    case "date":
      w.badRows.push({file, line: lineNo, column: "ordered_at", reason: "unparseable date", value: fields[3]!});
      break;
    case "amount":
      w.badRows.push({file, line: lineNo, column: "revenue", reason: "non-numeric amount", value: fields[7]!});
      break;
    case "negative":
      w.badRows.push({file, line: lineNo, column: "revenue", reason: "negative amount on a sale (not a return: no R order id, positive quantity)", value: fields[7]!});
      break;
    case "duplicate":
      w.badRows.push({file, line: sink.write(line), column: "", reason: `exact duplicate of line ${lineNo}`, value: ""});
      break;
    case "orphan":
      // A two-line order of an unknown customer, with this line's date and product.
      for (const l of [1, 2]) {
        const copy = [padId("O", 0, 7), String(l), w.orphanId, ...fields.slice(3)].join(","); // real order numbers start at 1
        w.badRows.push({file, line: sink.write(copy), column: "customer_id", reason: "customer id not in customers.csv", value: w.orphanId});
      }
      break;
    case "survey":
      break;
  }
}

/** Splits one CSV line (RFC 4180 quotes, no line breaks inside fields). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let value = "";
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') { value += '"'; i++; } else { i++; break; }
        } else value += line[i];
      }
    } else {
      const next = line.indexOf(",", i);
      value = line.slice(i, next < 0 ? line.length : next);
      i = next < 0 ? line.length : next;
    }
    out.push(value);
    if (line[i] !== ",") return out;
    i++;
  }
}

// ---------------------------------------------------------------------------------------
// Entry points

/** Writes the demo tables, truth.json and mapping.json into outDir; returns the truth. */
export function generateDemo(outDir: string, options: GenerateOptions = {}): Record<string, unknown> {
  mkdirSync(outDir, {recursive: true});
  const sinks = Object.fromEntries((Object.keys(HEADERS) as Table[]).map((t) => [t, fileSink(join(outDir, FILES[t]), HEADERS[t])])) as unknown as Sinks;
  const result = simulate(sinks, options);
  for (const sink of Object.values(sinks)) sink.close();
  const truth = truthJson(result, options);
  writeFileSync(join(outDir, "truth.json"), JSON.stringify(truth, null, 2) + "\n");
  writeFileSync(join(outDir, "mapping.json"), JSON.stringify(MAPPING, null, 2) + "\n");
  return truth;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The ground truth: every parameter, the rules, and what the run produced. */
export function truthJson(result: GenerateResult, options: GenerateOptions): Record<string, unknown> {
  const params = options.params ?? defaultParams;
  const {p, q, gamma} = params.spend;
  const o = result.outcome;
  return {
    generator: "loaders/demo/generate.ts",
    seed: options.seed ?? DEFAULT_SEED,
    customers: options.customers ?? DEFAULT_CUSTOMERS,
    observation: {start: params.observationStart, end: params.observationEnd, end_inclusive: true, time_unit: "week", dates: "naive (no time zone)"},
    purchase_model: {
      model: "BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2))",
      rate: "lambda ~ Gamma(shape r, rate alpha) per week; interpurchase times ~ Exponential(lambda)",
      dropout: "p ~ Beta(a, b); the first purchase is on the signup date (time 0) with no dropout; after each repeat purchase the customer drops out with probability p_eff",
      channels: Object.fromEntries(CHANNELS.map((c) => {
        const {r, alpha, a, b} = params.channels[c];
        return [c, {r, alpha, a, b, mean_lambda_per_week: round6(r / alpha), mean_p: round6(a / (a + b))}];
      }))
    },
    spend_model: {
      model: "Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, JMR 42(4))",
      rule: "nu ~ Gamma(shape q, rate gamma) per customer; each order's value z ~ Gamma(shape p, rate nu), USD, the sum of the order's sale lines",
      p, q, gamma,
      mean_order_value: round6((p * gamma) / (q - 1))
    },
    dropout_rules: {
      formula: "p_eff = min(1, p * (1 + k * G_minus) * (1 + late_factor * late))",
      k: params.gapDropoutK,
      late_factor: params.lateDropoutFactor,
      G_minus: "mean over the five SERVQUAL dimensions of max(0, expectation - perception), integer 1-7 scores of that purchase (every purchase has them; about surveyRate of them are reported in survey.csv)",
      late: "1 if that purchase's delivery arrived after the promised date, else 0",
      mean_multiplier_realised: round6(o.meanDropoutMultiplier)
    },
    satisfaction_rules: {
      expectation: "round(expectationMean[d] + segmentExpectationShift + channel expectationShift + customer N(0, expectationCustomerSd) + purchase N(0, expectationPurchaseSd)), clipped to 1-7",
      perception: "round(performanceMean[d] + customer N(0, experienceCustomerSd) + purchase N(0, perceptionPurchaseSd) - lateHit[d] * late), clipped to 1-7",
      satisfaction: "round(base + slope * mean gap + N(0, sd)), clipped to 1-7",
      recommend: "round(base + slope * mean gap + N(0, sd)), clipped to 0-10"
    },
    cost_rules: {
      revenue: "order value split over 1-3 lines by Gamma(valueShape) shares; quantity = clip(round(revenue / unitPrice), 1, 20)",
      cost: "round(revenue * (1 - grossMargin)) per line, plus fulfilmentCost on line 1 of each order",
      returns: "line returned with probability returnRate * (1 + G_minus), returnDelayDays after delivery (not if after the end); order id 'R' + original, same line number, negative quantity and revenue, cost = -round(cost of goods * returnRecovery)",
      service_contacts: "Poisson(base + perOrder * orders + perNegativeGap * sum of G_minus + perLate * late deliveries + perReturn * returned lines)",
      contact_cost: params.contactCost,
      acquisition_cost: "channel mean * Gamma(shape, rate shape) (mean 1), or exactly the mean when the shape is 0"
    },
    delivery_rules: {
      promised: "order date + promiseDays (+1 with equipment in the order)",
      delivered: "late with probability lateRate (lateRateDecember in December): promised + 1 + floor(Exp * lateDaysMean) days; otherwise 0, 1 or 2 days early (probabilities 0.5, 0.3, 0.2), never before the day after the order",
      not_in_file: "orders delivered or promised after the observation end have no deliveries.csv row; orders in transit at the end have no survey or return either"
    },
    prospect_rules: {
      funnel: "each customer comes from one converted prospect plus Geometric(conversionRate) - 1 unconverted prospects of the same channel, first contacted uniformly within prospectLeadDays before the signup",
      conversion_rates: Object.fromEntries(CHANNELS.map((c) => [c, params.channels[c].conversionRate])),
      referral: "every referral prospect names a referrer drawn among customers who signed up before the contact, with probability proportional to the referrer's mean referralWeight over their purchases' recommend class",
      referral_weight: params.referralWeight
    },
    truth_customers: "truth_customers.csv: per customer lambda (per week), p (baseline dropout), nu (Gamma-Gamma rate) and dropped_out_at (the date of the purchase after which the customer dropped out; empty = alive at the end)",
    params,
    acquisitions_by_month: result.plan.map((m) => ({month: m.month, total: m.total, ...m.byChannel, weight: round6(m.weight)})),
    outcome: {
      orders: o.orders,
      order_lines: o.orderLines,
      return_lines: o.returnLines,
      late_deliveries: o.lateDeliveries,
      orders_without_delivery_row: o.ordersWithoutDeliveryRow,
      surveys: o.surveys,
      surveys_after_end: o.surveysCensored,
      alive_at_end: o.aliveAtEnd,
      dropped_out: (options.customers ?? DEFAULT_CUSTOMERS) - o.aliveAtEnd,
      dropouts_by_month: o.dropoutsByMonth,
      prospects: o.prospects,
      referral_prospects_by_referrer_class: o.referralsByReferrerClass
    },
    rows: result.rows,
    bad_rows: result.badRows
  };
}

/** How many customers give roughly `transactions` transaction lines, from a 4,000-customer dry run. */
export function customersForTransactions(transactions: number, options: Omit<GenerateOptions, "customers" | "onProgress"> = {}): number {
  const sinks = Object.fromEntries((Object.keys(HEADERS) as Table[]).map((t) => [t, countingSink()])) as unknown as Sinks;
  const pilot = 4000;
  simulate(sinks, {...options, customers: pilot});
  return Math.max(1, Math.round((transactions * pilot) / sinks.transactions.rows));
}
