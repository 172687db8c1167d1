// The per-customer simulation: the run's context, a customer's traits, and their purchases with deliveries, returns and surveys.
import {civilFromDays, DAY, formatCents, formatDate, formatTime, padId, parseDate, WEEK} from "./format.js";
import type {MonthPlan} from "./acquisition.js";
import {cumulative, drawCumulative, draws, type Draws} from "./draws.js";
import {
  CATEGORIES,
  type Category,
  type Channel,
  CHANNELS,
  type DemoParams,
  DIMENSIONS,
  type Segment,
  SEGMENTS
} from "./params.js";
import {effectiveDropout, meanNegativeGap, NPS_CLASSES, npsClass} from "./satisfaction.js";

// Order hours: quiet at night, peaks at breakfast and in the evening.
const HOUR_CUM = cumulative([
  1, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 3, 4, 4, 3.5, 3, 3.5, 3, 2.5, 2.5, 3, 3.5, 4, 4.5, 4.5, 3.5, 2.5, 1.5
]);
export const timeOfDay = (d: Draws) =>
  drawCumulative(HOUR_CUM, 24, d.uniform()) * 3600 + Math.floor(d.uniform() * 3600);
const EARLY_CUM = [0.5, 0.8, 1]; // on-time parcels arrive 0, 1 or 2 days before the promise
const MIN_LINE_CENTS = 300; // an order is not split into lines under $3

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

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

/** What every customer's simulation draws from, built once per run. */
export interface Context {
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
  /** Uniforms for the drawn bonds (params.bonds), a stream apart from d. */
  bondUniform: () => number;
}

/** The bonds' stream's seed: another LCG state than the run's, from the same seed. */
const bondSeed = (seed: number) => (seed ^ 0x9e3779b9) >>> 0;

/** Gamma(shape, rate shape), mean 1; exactly 1 when shape is 0. */
function costMultiplier(d: Draws, shape: number): () => number {
  if (shape === 0) return () => 1;
  const g = d.gamma(shape);
  return () => g() / shape;
}

export function context(seed: number, params: DemoParams, plan: MonthPlan[]): Context {
  const d = draws(seed);
  const days = new Map<number, string>(); // formatted dates, reused: few distinct days, many rows
  const outcome: Outcome = {
    orders: 0,
    orderLines: 0,
    returnLines: 0,
    lateDeliveries: 0,
    ordersWithoutDeliveryRow: 0,
    surveys: 0,
    surveysCensored: 0,
    aliveAtEnd: 0,
    dropoutsByMonth: Object.fromEntries(plan.map((m) => [m.month, 0])),
    meanDropoutMultiplier: 1,
    prospects: Object.fromEntries(CHANNELS.map((c) => [c, {prospects: 0, converted: 0}])) as Outcome["prospects"],
    referralsByReferrerClass: {promoter: 0, passive: 0, detractor: 0}
  };
  return {
    params,
    d,
    end: parseDate(params.observationEnd) + DAY - 1,
    channels: Object.fromEntries(
      CHANNELS.map((c) => {
        const cp = params.channels[c];
        return [
          c,
          {
            lambda: d.gamma(cp.r),
            p: d.beta(cp.a, cp.b),
            cost: costMultiplier(d, cp.acquisitionCostShape),
            geometric: d.geometric(cp.conversionRate)
          }
        ];
      })
    ) as Context["channels"],
    nu: d.gamma(params.spend.q),
    spend: d.gamma(params.spend.p),
    share: Object.fromEntries(CATEGORIES.map((c) => [c, d.gamma(params.categories[c].valueShape)])) as Context["share"],
    lineCum: cumulative(params.linesPerOrder),
    categoryCum: Object.fromEntries(
      SEGMENTS.map((s) => {
        const mix = params.categoryMix[s];
        const weights = CATEGORIES.map((c) => mix[c]);
        const season = CATEGORIES.map((c) => mix[c] * (c === "gift" ? params.giftSeasonBoost : 1));
        return [s, [cumulative(weights), cumulative(season)]];
      })
    ) as Context["categoryCum"],
    orderCounter: 0,
    day(seconds) {
      const key = Math.floor(seconds / DAY);
      let text = days.get(key);
      if (text === undefined) days.set(key, (text = formatDate(seconds)));
      return text;
    },
    outcome,
    multiplierSum: 0,
    multiplierCount: 0,
    bondUniform: draws(bondSeed(seed)).uniform
  };
}

/** A customer's lasting traits. */
export interface Traits {
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
  loyaltyMember: boolean;
  accountManager: boolean;
}

export function drawTraits(ctx: Context, id: string, channel: Channel, signup: number): Traits {
  const {d, params} = ctx;
  const cp = params.channels[channel];
  const cd = ctx.channels[channel];
  const lambda = cd.lambda() / cp.alpha;
  const baseP = cd.p();
  const nu = ctx.nu() / params.spend.gamma;
  // Bigger spenders are more often offices and cafés; drawn from ν so Gamma-Gamma stays exact.
  const s = Math.log(params.spend.p / nu / params.segmentRule.pivot) + params.segmentRule.noise * d.normal();
  const segment: Segment = s > params.segmentRule.cafe ? "café" : s > params.segmentRule.office ? "office" : "home";
  const expectation = DIMENSIONS.map(
    (dim) =>
      params.expectationMean[dim] +
      params.segmentExpectationShift[segment] +
      cp.expectationShift +
      params.expectationCustomerSd * d.normal()
  );
  const experience = params.experienceCustomerSd * d.normal();
  const prefersApp = d.uniform() < cp.appShare;
  const {loyalty, manager, app} = params.bonds;
  const loyaltyMember = ctx.bondUniform() < loyalty.prevalence;
  const accountManager = ctx.bondUniform() < manager.prevalence;
  // Bonds lower the dropout probability (the demo's known effect, truth.json bond_rules).
  const p =
    baseP *
    (loyaltyMember ? loyalty.dropoutMultiplier : 1) *
    (accountManager ? manager.dropoutMultiplier : 1) *
    (prefersApp ? app.dropoutMultiplier : 1);
  return {
    id,
    channel,
    signup,
    lambda,
    p,
    nu,
    segment,
    expectation,
    experience,
    prefersApp,
    loyaltyMember,
    accountManager
  };
}

interface TimedLine {
  time: number;
  seq: number;
  line: string;
}

/** Everything that happened to one customer, ready to write. */
export interface History {
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

/**
 * The BG/NBD purchase process of one customer, with each purchase's lines, delivery, returns and survey.
 *
 * Purchases follow BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way", Marketing Science 24(2)): λ ~ Gamma(r, α), p ~ Beta(a, b); interpurchase times are
 * exponential(λ); after each repeat purchase the customer drops out with probability p
 * (raised here by a negative SERVQUAL gap and by a late delivery). Order values follow
 * Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, "RFM and CLV", JMR 42(4)):
 * ν ~ Gamma(q, γ), each order's value z ~ Gamma(p, ν).
 */
export function simulatePurchases(ctx: Context, c: Traits): History {
  const {d, params, outcome, end} = ctx;
  const h: History = {
    transactions: [],
    surveys: [],
    deliveries: [],
    purchases: 0,
    negativeGapSum: 0,
    lateCount: 0,
    returnedLines: 0,
    droppedAt: -1,
    referralWeight: 0,
    npsClass: 0
  };
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
    const channelName = d.uniform() < params.preferredChannelShare === c.prefersApp ? "app" : "web";

    // Lines: categories, then the order value z ~ Gamma(p, ν) split by Gamma shares.
    const catCum = ctx.categoryCum[c.segment][calMonth >= 11 ? 1 : 0];
    const totalCents = Math.max(1, Math.round((ctx.spend() / c.nu) * 100));
    const lines = Math.max(
      1,
      Math.min(drawCumulative(ctx.lineCum, 3, d.uniform()) + 1, Math.floor(totalCents / MIN_LINE_CENTS))
    );
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
      perc[di] = clip(
        Math.round(
          params.performanceMean[dim] +
            c.experience +
            params.perceptionPurchaseSd * d.normal() -
            (late ? params.lateHit[dim] : 0)
        ),
        1,
        7
      );
      gapSum += perc[di]! - exp[di]!;
    }
    const meanGap = gapSum / DIMENSIONS.length;
    const negativeGap = meanNegativeGap(exp, perc);
    const satisfaction = clip(
      Math.round(params.satisfaction.base + params.satisfaction.slope * meanGap + params.satisfaction.sd * d.normal()),
      1,
      7
    );
    const recommend = clip(
      Math.round(params.recommend.base + params.recommend.slope * meanGap + params.recommend.sd * d.normal()),
      0,
      10
    );
    const cls = npsClass(recommend);
    classCounts[NPS_CLASSES.indexOf(cls)]!++;
    weightSum += params.referralWeight[cls];
    h.negativeGapSum += negativeGap;
    if (late) h.lateCount++;

    // Order lines (cost of goods per line, the fulfilment cost on line 1) and which come back. A
    // line equal to an earlier one of the order (same product, quantity, revenue and cost) is added
    // to it, as a shop's basket does: two equal lines in one order read as a duplicate order line.
    const orderLines: {sku: string; cat: Category; quantity: number; cents: number; cost: number}[] = [];
    const returnedLines = new Map<number, {quantity: number; cents: number; recovered: number}>();
    let centsLeft = totalCents;
    for (let l = 0; l < lines; l++) {
      const cat = cats[l]!;
      const cp = params.categories[cat];
      const cents =
        l === lines - 1
          ? centsLeft
          : Math.max(1, Math.min(centsLeft - (lines - 1 - l), Math.round((totalCents * shares[l]!) / shareSum)));
      centsLeft -= cents;
      const quantity = clip(Math.round(cents / 100 / cp.unitPrice), 1, 20);
      const cogs = Math.round(cents * (1 - cp.grossMargin));
      const cost = cogs + (l === 0 ? Math.round(params.fulfilmentCost * 100) : 0);
      const sku = cp.skus[Math.floor(d.uniform() * cp.skus.length)]!;
      let index = orderLines.findIndex(
        (e) => e.sku === sku && e.quantity === quantity && e.cents === cents && e.cost === cost
      );
      if (index < 0) index = orderLines.push({sku, cat, quantity: 0, cents: 0, cost: 0}) - 1;
      const merged = orderLines[index]!;
      merged.quantity += quantity;
      merged.cents += cents;
      merged.cost += cost;
      if (d.uniform() < cp.returnRate * (1 + negativeGap)) {
        const back = returnedLines.get(index) ?? {quantity: 0, cents: 0, recovered: 0};
        back.quantity += quantity;
        back.cents += cents;
        back.recovered += Math.round(cogs * params.returnRecovery);
        returnedLines.set(index, back);
      }
    }
    const returned: string[] = [];
    for (const [index, {sku, cat, quantity, cents, cost}] of orderLines.entries()) {
      h.transactions.push({
        time: at,
        seq: seq++,
        line: `${order},${index + 1},${c.id},${stamp},${sku},${cat},${quantity},${formatCents(cents)},${formatCents(cost)},${channelName}`
      });
      outcome.orderLines++;
      const back = returnedLines.get(index);
      if (back) {
        returned.push(
          `${index + 1},${c.id},%AT%,${sku},${cat},${-back.quantity},${formatCents(-back.cents)},${formatCents(-back.recovered)},${channelName}`
        );
      }
    }
    if (returned.length > 0) {
      const [lo, hi] = params.returnDelayDays;
      const returnAt = delivered + (lo + Math.floor(d.uniform() * (hi - lo + 1))) * DAY + timeOfDay(d);
      if (returnAt <= end) {
        const returnStamp = `${ctx.day(returnAt)} ${formatTime(returnAt)}`;
        for (const r of returned)
          h.transactions.push({time: returnAt, seq: seq++, line: `R${order},${r.replace("%AT%", returnStamp)}`});
        h.returnedLines += returned.length;
        outcome.returnLines += returned.length;
      }
    }

    // A delivery row once both dates have passed (never a date after the observation end).
    if (delivered <= end && promised <= end)
      h.deliveries.push(`${order},${c.id},${ctx.day(promised)},${ctx.day(delivered)}`);
    else outcome.ordersWithoutDeliveryRow++;
    if (late) outcome.lateDeliveries++;

    if (d.uniform() < params.surveyRate) {
      const [lo, hi] = params.surveyDelayDays;
      const respondedAt = delivered + (lo + Math.floor(d.uniform() * (hi - lo + 1))) * DAY;
      if (respondedAt <= end) {
        let scores = "";
        for (let di = 0; di < DIMENSIONS.length; di++) scores += `${exp[di]},${perc[di]},`;
        h.surveys.push({
          time: respondedAt,
          seq: seq++,
          line: `${c.id},${ctx.day(respondedAt)},${order},${scores}${satisfaction},${recommend}`
        });
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
