import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {csvParse, type DSVRowString} from "d3";
import {beforeAll, describe, expect, it} from "vitest";
import {acquisitionPlan, largestRemainder} from "../loaders/demo/acquisition.js";
import type {BadRow} from "../loaders/demo/defects.js";
import {csvField, formatCents, formatDate, formatTime, parseCsvLine} from "../loaders/demo/format.js";
import {generateDemo} from "../loaders/demo/generate.js";
import {
  CHANNELS,
  type Channel,
  DEFAULT_CUSTOMERS,
  DEFAULT_SEED,
  defaultParams,
  type DemoParams,
  DIMENSIONS
} from "../loaders/demo/params.js";
import {meanNegativeGap} from "../loaders/demo/satisfaction.js";
import {temporaryDirectory} from "./tempDir.js";

const committed = fileURLToPath(new URL("../data/demo/", import.meta.url));
/** The parts of truth.json these tests read (loaders/demo/generate.ts writes it). */
interface Truth {
  rows: Record<string, number>;
  params: DemoParams;
  acquisitions_by_month: ({month: string; total: number} & Record<Channel, number>)[];
  spend_model: {p: number; q: number; gamma: number};
  observation: {start: string; end: string};
  bad_rows: BadRow[];
}

const tempDir = () => temporaryDirectory("demo-");

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf-8");
const table = (dir: string, file: string) => csvParse(read(dir, file));
const WEEK_MS = 7 * 86_400_000;
const parseStamp = (s: string) => Date.parse(s.replace(" ", "T") + "Z");
const isStamp = (s: string) =>
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(s) &&
  !Number.isNaN(parseStamp(s)) &&
  new Date(parseStamp(s)).toISOString().slice(0, 19) === s.replace(" ", "T");
const isAmount = (s: string) => /^-?\d+\.\d{2}$/.test(s);

describe("formatting helpers", () => {
  it("formats cents, timestamps and CSV fields by hand-checked examples", () => {
    expect([formatCents(0), formatCents(5), formatCents(-5), formatCents(123456)]).toEqual([
      "0.00",
      "0.05",
      "-0.05",
      "1234.56"
    ]);
    const leapNight = Date.UTC(2024, 1, 29, 23, 59, 58) / 1000;
    expect(`${formatDate(leapNight)} ${formatTime(leapNight)}`).toBe("2024-02-29 23:59:58");
    expect(formatDate(Date.UTC(1999, 11, 31) / 1000)).toBe("1999-12-31");
    expect([csvField("plain"), csvField("12,50"), csvField('say "hi"')]).toEqual(["plain", '"12,50"', '"say ""hi"""']);
    expect(parseCsvLine('a,"12,50",,"x""y"')).toEqual(["a", "12,50", "", 'x"y']);
  });

  it("splits a total by largest remainder: 10 over weights 1, 1, 1 gives 4, 3, 3", () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 3.5, 1.75, 1.75 → floors 3, 1, 1; the two units left go to the largest remainders (0.75, 0.75)
    expect(largestRemainder(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
  });

  it("takes the mean shortfall over the dimensions as G⁻", () => {
    // shortfalls 2, 0, 1, 0, 0 → 3 / 5
    expect(meanNegativeGap([6, 5, 5, 4, 4], [4, 7, 4, 4, 6])).toBeCloseTo(0.6, 12);
  });
});

describe("determinism", () => {
  it("gives byte-identical files for the same seed and size, and different ones for another seed", () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    generateDemo(a, {customers: 600, seed: 7});
    generateDemo(b, {customers: 600, seed: 7});
    generateDemo(c, {customers: 600, seed: 8});
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true);
    expect(read(c, "transactions.csv")).not.toBe(read(a, "transactions.csv"));
  });

  it("matches the committed data/demo (regenerate with: tsx loaders/demo/cli.ts --out data/demo)", () => {
    const fresh = tempDir();
    generateDemo(fresh, {seed: DEFAULT_SEED, customers: DEFAULT_CUSTOMERS});
    const files = readdirSync(fresh).sort();
    expect(
      readdirSync(committed)
        .filter((f) => f !== "README.md")
        .sort()
    ).toEqual(files);
    for (const file of files)
      expect(readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file))), file).toBe(true);
  });
});

describe("a 20,000-customer run reproduces its own parameters", () => {
  const customersN = 20_000;
  let dir = "";
  let truth: Truth;
  let customers: DSVRowString[];
  let transactions: DSVRowString[];
  let survey: DSVRowString[];
  let prospects: DSVRowString[];
  let deliveries: DSVRowString[];
  let truthCustomers: DSVRowString[];
  let badLines: Set<number>;

  beforeAll(() => {
    dir = tempDir();
    generateDemo(dir, {customers: customersN, seed: 12345});
    truth = JSON.parse(read(dir, "truth.json"));
    customers = table(dir, "customers.csv");
    transactions = table(dir, "transactions.csv");
    survey = table(dir, "survey.csv");
    prospects = table(dir, "prospects.csv");
    deliveries = table(dir, "deliveries.csv");
    truthCustomers = table(dir, "truth_customers.csv");
    badLines = new Set(truth.bad_rows.filter((b) => b.file === "transactions.csv").map((b) => b.line));
  });

  // Sale lines that are well-formed (file line = index + 2).
  const saleLines = () => transactions.filter((t, i) => !badLines.has(i + 2) && !t.order_id!.startsWith("R"));

  it("has as many rows in every file as truth.json says", () => {
    for (const [file, rows] of Object.entries(truth.rows as Record<string, number>)) {
      const text = read(dir, file);
      expect(text.endsWith("\n") && !text.includes("\r"), file).toBe(true);
      expect(text.split("\n").length - 2, file).toBe(rows);
    }
    expect(customers.length).toBe(customersN);
  });

  it("acquires customers per month and channel as truth.json records, following growth × seasonality", () => {
    const counted = new Map<string, number>();
    for (const c of customers) {
      const key = `${c.signup_date!.slice(0, 7)} ${c.acquisition_channel}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    const params = truth.params;
    const weights = truth.acquisitions_by_month.map(
      (_, m) => Math.exp(params.monthlyGrowth * m) * params.seasonality[m % 12]!
    );
    const sum = weights.reduce((a, b) => a + b, 0);
    truth.acquisitions_by_month.forEach((month, m) => {
      expect(Math.abs(month.total - (customersN * weights[m]!) / sum), month.month).toBeLessThan(1); // largest remainder
      for (const ch of CHANNELS)
        expect(counted.get(`${month.month} ${ch}`) ?? 0, `${month.month} ${ch}`).toBe(month[ch]);
    });
    // Seasonality: December 2024 (index 1.45) beats July 2024 (0.80) despite five months less growth.
    const total = (month: string) => truth.acquisitions_by_month.find((m) => m.month === month)!.total;
    expect(total("2024-12")).toBeGreaterThan(total("2024-07") * 1.6);
  });

  it("has a mean order value equal to the Gamma-Gamma mean p·γ/(q − 1)", () => {
    // z | ν ~ Gamma(p, ν) has mean p/ν; ν ~ Gamma(q, γ) gives E[1/ν] = γ/(q − 1) (q > 1), so
    // E[z] = p·γ/(q − 1) (Fader, Hardie & Lee 2005, "RFM and CLV", eq. 3). Order counts are
    // independent of ν, so the mean over orders is unbiased; its standard error is clustered by customer.
    const {p, q, gamma} = truth.spend_model;
    const expected = (p * gamma) / (q - 1);
    expect(expected).toBeCloseTo(55, 10); // 6 · 27.5 / 3
    const orders = new Map<string, {customer: string; value: number}>();
    const duplicates = new Set(truth.bad_rows.filter((b) => b.reason.startsWith("exact duplicate")).map((b) => b.line));
    const damagedOrders = new Set(
      transactions.filter((_, i) => badLines.has(i + 2) && !duplicates.has(i + 2)).map((t) => t.order_id)
    );
    for (const t of saleLines()) {
      if (damagedOrders.has(t.order_id)) continue;
      const o = orders.get(t.order_id!) ?? {customer: t.customer_id!, value: 0};
      o.value += Number(t.revenue);
      orders.set(t.order_id!, o);
    }
    const values = [...orders.values()];
    const mean = values.reduce((s, o) => s + o.value, 0) / values.length;
    const byCustomer = new Map<string, {sum: number; n: number}>();
    for (const o of values) {
      const c = byCustomer.get(o.customer) ?? {sum: 0, n: 0};
      c.sum += o.value;
      c.n++;
      byCustomer.set(o.customer, c);
    }
    let v = 0;
    for (const c of byCustomer.values()) v += (c.sum - mean * c.n) ** 2;
    const se = Math.sqrt(v) / values.length;
    expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
  });

  it("makes each customer's first purchase on the signup date", () => {
    const first = new Map<string, string>();
    for (const t of transactions.filter((x) => !x.order_id!.startsWith("R") && isStamp(x.ordered_at!))) {
      const prev = first.get(t.customer_id!);
      if (prev === undefined || t.ordered_at! < prev) first.set(t.customer_id!, t.ordered_at!);
    }
    const mismatched = customers.filter((c) => first.get(c.customer_id!)?.slice(0, 10) !== c.signup_date);
    // Only a customer whose first order lost its date can differ (3 unparseable dates in truth.json).
    expect(mismatched.length).toBeLessThanOrEqual(3);
  });

  it("drops customers out more often after a purchase with a negative SERVQUAL gap", () => {
    // Truth: a customer who dropped out did so right after their last purchase (truth_customers.csv).
    const dropped = new Map(truthCustomers.map((c) => [c.customer_id!, c.dropped_out_at!]));
    const orders = new Map<string, {first: string; last: string; lastOrder: string}>();
    for (const t of saleLines()) {
      const o = orders.get(t.customer_id!);
      if (!o) orders.set(t.customer_id!, {first: t.order_id!, last: t.ordered_at!, lastOrder: t.order_id!});
      else if (t.ordered_at! >= o.last) Object.assign(o, {last: t.ordered_at!, lastOrder: t.order_id!});
    }
    const tally = {negative: {n: 0, dropped: 0}, nonNegative: {n: 0, dropped: 0}};
    for (const s of survey) {
      const o = orders.get(s.customer_id!);
      if (!o || o.first === s.order_id) continue; // BG/NBD: no dropout after the first purchase
      const exp = DIMENSIONS.map((d) => Number(s[`exp_${d}`]));
      const perc = DIMENSIONS.map((d) => Number(s[`perc_${d}`]));
      if (perc.some((x) => x > 7)) continue;
      const group = meanNegativeGap(exp, perc) > 0 ? tally.negative : tally.nonNegative;
      group.n++;
      if (o.lastOrder === s.order_id && dropped.get(s.customer_id!) !== "") group.dropped++;
    }
    const rate = (g: {n: number; dropped: number}) => g.dropped / g.n;
    expect(tally.negative.n).toBeGreaterThan(1000);
    expect(tally.nonNegative.n).toBeGreaterThan(1000);
    expect(rate(tally.negative)).toBeGreaterThan(rate(tally.nonNegative) * 1.1);
  });

  it("gives each bond to its share of customers, and its holders drop out less", () => {
    const orders = new Map<string, Set<string>>();
    for (const t of saleLines()) orders.set(t.customer_id!, (orders.get(t.customer_id!) ?? new Set()).add(t.order_id!));
    const dropped = new Map(truthCustomers.map((c) => [c.customer_id!, c.dropped_out_at !== ""]));
    const {loyalty, manager, app} = defaultParams.bonds;
    // Customers' expected share preferring the app: appShare by channel, over the channels' customers.
    const channelCounts = customers.reduce(
      (n, c) => n.set(c.acquisition_channel!, (n.get(c.acquisition_channel!) ?? 0) + 1),
      new Map<string, number>()
    );
    const appShare =
      CHANNELS.reduce((sum, ch) => sum + (channelCounts.get(ch) ?? 0) * defaultParams.channels[ch].appShare, 0) /
      customers.length;
    for (const bond of [loyalty, manager, app]) {
      const values = customers.map((c) => c[bond.column]);
      expect(new Set(values), bond.column).toEqual(new Set(["yes", "no"]));
      // Drawn at their prevalence; the app account held by the customers who prefer the app.
      const held = values.filter((v) => v === "yes").length / customers.length;
      const prevalence = bond === app ? appShare : (bond as typeof loyalty).prevalence;
      const se = Math.sqrt((prevalence * (1 - prevalence)) / customers.length);
      expect(Math.abs(held - prevalence), bond.column).toBeLessThan(4 * se);
      // Of the customers who bought again (only a repeat purchase can be followed by dropout), the share who dropped out.
      const droppedShare = (holds: boolean) => {
        const group = customers.filter(
          (c) => (c[bond.column] === "yes") === holds && (orders.get(c.customer_id!)?.size ?? 0) >= 2
        );
        return group.filter((c) => dropped.get(c.customer_id!)).length / group.length;
      };
      // In direction only: app users come more from social, whose customers drop out more (an association, not the effect).
      expect(droppedShare(true), bond.column).toBeLessThan(droppedShare(false));
    }
  });

  it("has the deliberately bad rows exactly where truth.json says, and no others", () => {
    const lines = read(dir, "transactions.csv").split("\n");
    const ids = new Set(customers.map((c) => c.customer_id));
    const found: {line: number; column: string}[] = [];
    const seen = new Map<string, number>();
    lines.slice(1, -1).forEach((text, i) => {
      const line = i + 2;
      const fields = parseCsvLine(text);
      const [order, , customer, at, , , quantity, revenue] = fields;
      // A line equal to another in every column but the line number repeats it, for ingest and a warehouse alike.
      const canonical = fields.filter((_, i) => i !== 1).join(",");
      if (seen.has(canonical)) found.push({line, column: ""});
      else seen.set(canonical, line);
      if (!ids.has(customer)) found.push({line, column: "customer_id"});
      if (!isStamp(at!)) found.push({line, column: "ordered_at"});
      if (!isAmount(revenue!)) found.push({line, column: "revenue"});
      else if (Number(revenue) < 0 && (!order!.startsWith("R") || Number(quantity) > 0))
        found.push({line, column: "revenue"});
    });
    const surveyLines = read(dir, "survey.csv").split("\n");
    surveyLines.slice(1, -1).forEach((text, i) => {
      const fields = text.split(",");
      fields.slice(4, 14).forEach((x, j) => {
        if (!(Number(x) >= 1 && Number(x) <= 7)) found.push({line: i + 2, column: surveyLines[0]!.split(",")[4 + j]!});
      });
    });
    const expected = truth.bad_rows.map((b) => ({line: b.line, column: b.column}));
    expect(found).toEqual(
      expected
        .filter((_, i) => truth.bad_rows[i]!.file === "transactions.csv")
        .concat(expected.filter((_, i) => truth.bad_rows[i]!.file === "survey.csv"))
    );
    const reasons = truth.bad_rows.map((b) => b.reason.split(" (")[0]!.replace(/ of line \d+$/, ""));
    expect(reasons.sort()).toEqual([
      "customer id not in customers.csv",
      "customer id not in customers.csv",
      "exact duplicate",
      "exact duplicate",
      "exact duplicate",
      "exact duplicate",
      "negative amount on a sale",
      "negative amount on a sale",
      "non-numeric amount",
      "non-numeric amount",
      "perception 9 outside the 1–7 scale",
      "unparseable date",
      "unparseable date",
      "unparseable date"
    ]);
  });

  it("has no date after the observation end", () => {
    const end = truth.observation.end;
    const late = [
      ...customers.filter((c) => c.signup_date! > end || c.signup_date! < truth.observation.start),
      ...transactions.filter((t) => isStamp(t.ordered_at!) && t.ordered_at! > `${end} 23:59:59`),
      ...survey.filter((s) => s.responded_at! > end),
      ...deliveries.filter((d) => d.promised_date! > end || d.delivered_date! > end),
      ...prospects.filter((p) => p.first_contact_date! > end)
    ];
    expect(late).toEqual([]);
  });

  it("names only existing customers in prospects, each customer converted once from their own channel", () => {
    const signup = new Map(customers.map((c) => [c.customer_id!, c]));
    const conversions = new Map<string, number>();
    for (const p of prospects) {
      if (p.referred_by) {
        expect(signup.has(p.referred_by)).toBe(true);
        expect(signup.get(p.referred_by)!.signup_date! <= p.first_contact_date!).toBe(true);
      }
      expect(p.referred_by !== "").toBe(p.channel === "referral");
      if (p.converted_customer_id) {
        const c = signup.get(p.converted_customer_id);
        expect(c?.acquisition_channel).toBe(p.channel);
        expect(c!.signup_date! >= p.first_contact_date!).toBe(true);
        conversions.set(p.converted_customer_id, (conversions.get(p.converted_customer_id) ?? 0) + 1);
      }
    }
    expect(conversions.size).toBe(customersN);
    expect([...conversions.values()].every((n) => n === 1)).toBe(true);
  });

  it("converts prospects at each channel's rate", () => {
    // Per conversion, the prospects needed are Geometric(c): c = conversions / prospects, with
    // standard error about c·√((1 − c)/conversions).
    for (const ch of CHANNELS) {
      const rows = prospects.filter((p) => p.channel === ch);
      const converted = rows.filter((p) => p.converted_customer_id).length;
      const c = truth.params.channels[ch].conversionRate;
      expect(Math.abs(converted / rows.length - c), ch).toBeLessThan(4 * c * Math.sqrt((1 - c) / converted));
    }
  });

  it("gets more referrals from promoters (recommend 9–10) than from detractors (0–6)", () => {
    const referrals = new Map<string, number>();
    for (const p of prospects) if (p.referred_by) referrals.set(p.referred_by, (referrals.get(p.referred_by) ?? 0) + 1);
    const scores = new Map<string, number[]>();
    for (const s of survey) scores.set(s.customer_id!, [...(scores.get(s.customer_id!) ?? []), Number(s.recommend)]);
    const mean = (ids: string[]) => ids.reduce((sum, id) => sum + (referrals.get(id) ?? 0), 0) / ids.length;
    const promoters = [...scores].filter(([, r]) => r.every((x) => x >= 9)).map(([id]) => id);
    const detractors = [...scores].filter(([, r]) => r.every((x) => x <= 6)).map(([id]) => id);
    expect(promoters.length).toBeGreaterThan(200);
    expect(detractors.length).toBeGreaterThan(200);
    expect(mean(promoters)).toBeGreaterThan(2 * mean(detractors));
  });

  it("records returns as R-orders of earlier sale lines, more often for equipment", () => {
    const sales = new Map<string, DSVRowString>();
    for (const t of saleLines()) sales.set(`${t.order_id} ${t.line}`, t);
    const returned = {equipment: 0, beans: 0};
    for (const t of transactions.filter((x) => x.order_id!.startsWith("R"))) {
      const sale = sales.get(`${t.order_id!.slice(1)} ${t.line}`);
      expect(sale).toBeDefined();
      expect([t.customer_id, t.sku, Number(t.quantity), Number(t.revenue)]).toEqual([
        sale!.customer_id,
        sale!.sku,
        -Number(sale!.quantity),
        -Number(sale!.revenue)
      ]);
      expect(Number(t.cost)).toBeLessThanOrEqual(0);
      expect(t.ordered_at! > sale!.ordered_at!).toBe(true);
      if (t.category === "equipment" || t.category === "beans") returned[t.category]++;
    }
    const sold = (cat: string) => saleLines().filter((t) => t.category === cat).length;
    expect(returned.equipment / sold("equipment")).toBeGreaterThan(3 * (returned.beans / sold("beans")));
  });

  it("delivers late at the configured rate outside December", () => {
    const orderedAt = new Map(saleLines().map((t) => [t.order_id!, t.ordered_at!]));
    let n = 0;
    let late = 0;
    for (const d of deliveries) {
      const at = orderedAt.get(d.order_id!);
      if (!at || at.slice(5, 7) === "12") continue;
      expect(d.promised_date! > at.slice(0, 10)).toBe(true);
      n++;
      if (d.delivered_date! > d.promised_date!) late++;
    }
    const r = defaultParams.lateRate;
    expect(Math.abs(late / n - r)).toBeLessThan(4 * Math.sqrt((r * (1 - r)) / n));
  });

  it("has a visible minority of loss-making customers once acquisition and service costs count", () => {
    const profit = new Map(
      customers.map((c) => [
        c.customer_id!,
        -Number(c.acquisition_cost) - truth.params.contactCost * Number(c.service_contacts)
      ])
    );
    transactions.forEach((t, i) => {
      if (!badLines.has(i + 2) && profit.has(t.customer_id!))
        profit.set(t.customer_id!, profit.get(t.customer_id!)! + Number(t.revenue) - Number(t.cost));
    });
    const losing = [...profit.values()].filter((p) => p < 0).length / customersN;
    expect(losing).toBeGreaterThan(0.1);
    expect(losing).toBeLessThan(0.5);
  });

  it("keeps personal data in customers.csv only: fake names and example.com e-mails", () => {
    expect(
      customers.every(
        (c) =>
          /^C\d{6}$/.test(c.customer_id!) &&
          /^[a-z]+\.[a-z]+\d{4}@example\.com$/.test(c.email!) &&
          c.name!.includes(" ")
      )
    ).toBe(true);
  });
});

describe("the purchase process without the satisfaction and delivery effects is BG/NBD", () => {
  // With k = 0 and no late-delivery effect, repeat purchases in (0, t] follow FHL (2005) eq. 7:
  // E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r · 2F1(r, b; a + b − 1; t/(α + t))], a > 1.
  const hyp2f1 = (a: number, b: number, c: number, z: number) => {
    let term = 1;
    let sum = 1;
    for (let j = 0; j < 10_000 && Math.abs(term) > 1e-15 * Math.abs(sum); j++) {
      term *= (((a + j) * (b + j)) / ((c + j) * (j + 1))) * z;
      sum += term;
    }
    return sum;
  };
  const expectedRepeats = (r: number, alpha: number, a: number, b: number, t: number) =>
    ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));

  it("matches E[X(26 weeks)] per channel", () => {
    const channels = Object.fromEntries(
      CHANNELS.map((c, i) => [c, {...defaultParams.channels[c], r: 1 + 0.5 * i, alpha: 8, a: 2, b: 6 + i}])
    ) as DemoParams["channels"];
    const bonds = Object.fromEntries(
      Object.entries(defaultParams.bonds).map(([key, bond]) => [key, {...bond, dropoutMultiplier: 1}])
    ) as DemoParams["bonds"];
    const params: DemoParams = {...defaultParams, gapDropoutK: 0, lateDropoutFactor: 0, channels, bonds};
    const dir = tempDir();
    generateDemo(dir, {customers: 20_000, seed: 99, params});
    const customers = table(dir, "customers.csv");
    const channelOf = new Map(customers.map((c) => [c.customer_id!, c.acquisition_channel!]));
    const t = 26;
    const cutoff = Date.parse(`${params.observationEnd}T23:59:59Z`) - t * WEEK_MS;
    const firstAt = new Map<string, number>();
    const orderTimes = new Map<string, number[]>();
    const seenOrders = new Set<string>();
    for (const row of table(dir, "transactions.csv")) {
      if (
        row.order_id!.startsWith("R") ||
        seenOrders.has(row.order_id!) ||
        !channelOf.has(row.customer_id!) ||
        !isStamp(row.ordered_at!)
      )
        continue;
      seenOrders.add(row.order_id!);
      const at = parseStamp(row.ordered_at!);
      orderTimes.set(row.customer_id!, [...(orderTimes.get(row.customer_id!) ?? []), at]);
      firstAt.set(row.customer_id!, Math.min(firstAt.get(row.customer_id!) ?? Infinity, at));
    }
    for (const ch of CHANNELS) {
      const xs: number[] = [];
      for (const c of customers) {
        const start = firstAt.get(c.customer_id!);
        if (c.acquisition_channel !== ch || start === undefined || start > cutoff) continue;
        xs.push(orderTimes.get(c.customer_id!)!.filter((at) => at > start && at <= start + t * WEEK_MS).length);
      }
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
      const {r, alpha, a, b} = channels[ch];
      expect(Math.abs(mean - expectedRepeats(r, alpha, a, b, t)), ch).toBeLessThan((4 * sd) / Math.sqrt(xs.length));
    }
  });
});

describe("acquisitionPlan", () => {
  it("allocates every customer and no referral in the first month", () => {
    const plan = acquisitionPlan(1000, defaultParams);
    expect(plan.length).toBe(30);
    expect(plan.reduce((s, m) => s + m.total, 0)).toBe(1000);
    expect(plan[0]!.byChannel.referral).toBe(0);
    for (const m of plan) expect(CHANNELS.reduce((s, c) => s + m.byChannel[c], 0)).toBe(m.total);
  });
});
