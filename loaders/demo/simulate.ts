// The simulation run: customers month by month in signup order, with their prospects and referrers.
import {acquisitionPlan, type MonthPlan} from "./acquisition.js";
import {context, drawTraits, type Outcome, simulatePurchases, timeOfDay} from "./customer.js";
import {type BadRow, defectPlan} from "./defects.js";
import {countBelow, drawCumulative} from "./draws.js";
import {DAY, formatDate, padId} from "./format.js";
import {type Channel, CHANNELS, DEFAULT_CUSTOMERS, DEFAULT_SEED, defaultParams, type DemoParams} from "./params.js";
import {NPS_CLASSES} from "./satisfaction.js";
import {FILES, type Sinks, type Table} from "./tables.js";
import {writeCustomer, type Writer} from "./write.js";

export interface GenerateOptions {
  seed?: number;
  customers?: number;
  params?: DemoParams;
  /** Called after each tenth of the customers. */
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  plan: MonthPlan[];
  outcome: Outcome;
  badRows: BadRow[];
  rows: Record<string, number>;
}

/**
 * Simulates the business into the given sinks, customer by customer in signup order.
 * Every random number comes from one LCG seeded with `seed`, drawn in a fixed order.
 *
 * Output is written line by line as each customer is simulated, so memory stays flat however
 * many transactions are generated; only three numbers per customer are kept (signup time,
 * cumulative referral weight and NPS class, to draw referrers).
 */
export function simulate(sinks: Sinks, options: GenerateOptions = {}): GenerateResult {
  const n = options.customers ?? DEFAULT_CUSTOMERS;
  const params = options.params ?? defaultParams;
  const plan = acquisitionPlan(n, params);
  const ctx = context(options.seed ?? DEFAULT_SEED, params, plan);
  const {d, outcome} = ctx;
  const idWidth = Math.max(6, String(n + 1).length);
  const customerId = (k: number) => padId("C", k + 1, idWidth);
  const writer: Writer = {
    sinks,
    responses: 0,
    surveyDefectPending: false,
    badRows: [],
    orphanId: "C" + "9".repeat(idWidth)
  };
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
    const times = Array.from(
      {length: month.total},
      () => month.firstDay + Math.floor(d.uniform() * month.days) * DAY + timeOfDay(d)
    ).sort((a, b) => a - b);
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
        sinks.prospects.write(
          `${padId("P", ++prospects, 7)},${ctx.day(contact)},${channel},${converted ? id : ""},${referredBy}`
        );
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
