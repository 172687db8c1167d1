// The demo coffee roaster's entry points: generate into a folder (tables, truth.json, mapping.json) and size a run.
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {CHANNELS, DEFAULT_CUSTOMERS, DEFAULT_SEED, defaultParams} from "./params.js";
import {type GenerateOptions, type GenerateResult, simulate} from "./simulate.js";
import {countingSink, FILES, fileSink, HEADERS, MAPPING, type Sinks, type Table} from "./tables.js";

/**
 * Writes the demo tables, truth.json and mapping.json into outDir; returns the truth (what the
 * run was made from and produced, so that models and pages can be checked against it).
 */
export function generateDemo(outDir: string, options: GenerateOptions = {}): Record<string, unknown> {
  mkdirSync(outDir, {recursive: true});
  const sinks = Object.fromEntries(
    (Object.keys(HEADERS) as Table[]).map((t) => [t, fileSink(join(outDir, FILES[t]), HEADERS[t])])
  ) as unknown as Sinks;
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
    observation: {
      start: params.observationStart,
      end: params.observationEnd,
      end_inclusive: true,
      time_unit: "week",
      dates: "naive (no time zone)"
    },
    purchase_model: {
      model: "BG/NBD (Fader, Hardie & Lee 2005, Marketing Science 24(2))",
      rate: "lambda ~ Gamma(shape r, rate alpha) per week; interpurchase times ~ Exponential(lambda)",
      dropout:
        "p ~ Beta(a, b), times the multipliers of the bonds held (bond_rules); the first purchase is on the signup date (time 0) with no dropout; after each repeat purchase the customer drops out with probability p_eff",
      channels: Object.fromEntries(
        CHANNELS.map((c) => {
          const {r, alpha, a, b} = params.channels[c];
          return [c, {r, alpha, a, b, mean_lambda_per_week: round6(r / alpha), mean_p: round6(a / (a + b))}];
        })
      )
    },
    spend_model: {
      model: "Gamma-Gamma (Colombo & Jiang 1999; Fader, Hardie & Lee 2005, JMR 42(4))",
      rule: "nu ~ Gamma(shape q, rate gamma) per customer; each order's value z ~ Gamma(shape p, rate nu), USD, the sum of the order's sale lines",
      p,
      q,
      gamma,
      mean_order_value: round6((p * gamma) / (q - 1))
    },
    dropout_rules: {
      formula: "p_eff = min(1, p * (1 + k * G_minus) * (1 + late_factor * late))",
      k: params.gapDropoutK,
      late_factor: params.lateDropoutFactor,
      G_minus:
        "mean over the five SERVQUAL dimensions of max(0, expectation - perception), integer 1-7 scores of that purchase (every purchase has them; about surveyRate of them are reported in survey.csv)",
      late: "1 if that purchase's delivery arrived after the promised date, else 0",
      mean_multiplier_realised: round6(o.meanDropoutMultiplier)
    },
    bond_rules: {
      formula:
        "p = p_channel * loyalty_multiplier^loyalty_member * manager_multiplier^account_manager * app_multiplier^app_account, where p_channel ~ Beta(a, b) of the channel; held from signup",
      loyalty_member: params.bonds.loyalty,
      account_manager: params.bonds.manager,
      app_account: {
        ...params.bonds.app,
        held_by: "customers who prefer the app (channel appShare); their orders mostly use channel 'app'"
      },
      drawn:
        "loyalty_member and account_manager: uniform < prevalence, from a second LCG seeded (seed XOR 0x9e3779b9), so the other draws keep their order"
    },
    satisfaction_rules: {
      expectation:
        "round(expectationMean[d] + segmentExpectationShift + channel expectationShift + customer N(0, expectationCustomerSd) + purchase N(0, expectationPurchaseSd)), clipped to 1-7",
      perception:
        "round(performanceMean[d] + customer N(0, experienceCustomerSd) + purchase N(0, perceptionPurchaseSd) - lateHit[d] * late), clipped to 1-7",
      satisfaction: "round(base + slope * mean gap + N(0, sd)), clipped to 1-7",
      recommend: "round(base + slope * mean gap + N(0, sd)), clipped to 0-10"
    },
    cost_rules: {
      revenue:
        "order value split over 1-3 lines by Gamma(valueShape) shares; quantity = clip(round(revenue / unitPrice), 1, 20)",
      cost: "round(revenue * (1 - grossMargin)) per line, plus fulfilmentCost on line 1 of each order",
      returns:
        "line returned with probability returnRate * (1 + G_minus), returnDelayDays after delivery (not if after the end); order id 'R' + original, same line number, negative quantity and revenue, cost = -round(cost of goods * returnRecovery)",
      service_contacts:
        "Poisson(base + perOrder * orders + perNegativeGap * sum of G_minus + perLate * late deliveries + perReturn * returned lines)",
      contact_cost: params.contactCost,
      acquisition_cost: "channel mean * Gamma(shape, rate shape) (mean 1), or exactly the mean when the shape is 0"
    },
    delivery_rules: {
      promised: "order date + promiseDays (+1 with equipment in the order)",
      delivered:
        "late with probability lateRate (lateRateDecember in December): promised + 1 + floor(Exp * lateDaysMean) days; otherwise 0, 1 or 2 days early (probabilities 0.5, 0.3, 0.2), never before the day after the order",
      not_in_file:
        "orders delivered or promised after the observation end have no deliveries.csv row; orders in transit at the end have no survey or return either"
    },
    prospect_rules: {
      funnel:
        "each customer comes from one converted prospect plus Geometric(conversionRate) - 1 unconverted prospects of the same channel, first contacted uniformly within prospectLeadDays before the signup",
      conversion_rates: Object.fromEntries(CHANNELS.map((c) => [c, params.channels[c].conversionRate])),
      referral:
        "every referral prospect names a referrer drawn among customers who signed up before the contact, with probability proportional to the referrer's mean referralWeight over their purchases' recommend class",
      referral_weight: params.referralWeight
    },
    truth_customers:
      "truth_customers.csv: per customer lambda (per week), p (baseline dropout, the bonds' multipliers applied: bond_rules), nu (Gamma-Gamma rate) and dropped_out_at (the date of the purchase after which the customer dropped out; empty = alive at the end)",
    params,
    acquisitions_by_month: result.plan.map((m) => ({
      month: m.month,
      total: m.total,
      ...m.byChannel,
      weight: round6(m.weight)
    })),
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
export function customersForTransactions(
  transactions: number,
  options: Omit<GenerateOptions, "customers" | "onProgress"> = {}
): number {
  const sinks = Object.fromEntries(
    (Object.keys(HEADERS) as Table[]).map((t) => [t, countingSink()])
  ) as unknown as Sinks;
  const pilot = 4000;
  simulate(sinks, {...options, customers: pilot});
  return Math.max(1, Math.round((transactions * pilot) / sinks.transactions.rows));
}
