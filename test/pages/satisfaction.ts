// The satisfaction page on the demo data, registered inside site.test.ts's "every page in
// chromium". Expected figures come from an independent DuckDB query of the demo's raw
// survey.csv (less the answer its truth.json lists as bad), and the generator's known
// effect (a negative gap raises dropout) from its truth: truth.json's rule and
// truth_customers.csv's per-customer purchase rate and dropout probability.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {expect, it} from "vitest";
import {defaultParams} from "../../loaders/demo/params.js";
import {demoDir} from "../../loaders/demo/paths.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {pseudonym, pseudonymKey} from "../../loaders/pseudonym.js";
import {readSettings} from "../../loaders/settings.js";
import {outputDir} from "../site.js";
import {builtCsv, demoTruth, pageAtDefaults, type PageTestContext, requery, tableCells} from "./context.js";

const dimensions = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"];
const end = "2025-06-30";
const badSurveyAnswers = demoTruth.bad_rows.filter((row) => row.file === "survey.csv");
const csv = (file: string) => `read_csv('${join(demoDir, file)}', all_varchar = true, header = true)`;
/** Survey lines (line 1 is the header) with the customer's channel, as the page's filter sees them. */
const survey = `(SELECT row_number() OVER () + 1 AS line, * FROM ${csv("survey.csv")}) s JOIN (SELECT customer_id, acquisition_channel FROM ${csv("customers.csv")}) USING (customer_id)`;
/** One row per answer: line, dimension, gap (perception − expectation), leaving out the planted bad answer. */
const answers = `SELECT line, acquisition_channel, dimension, gap FROM (${dimensions.map((d) => `SELECT line, acquisition_channel, '${d}' AS dimension, perc_${d}::DOUBLE - exp_${d}::DOUBLE AS gap FROM ${survey}`).join(" UNION ALL ")})
  WHERE NOT (${badSurveyAnswers.map((b) => `(line = ${b.line} AND dimension = '${b.column.replace("perc_", "").replace("exp_", "")}')`).join(" OR ") || "false"})`;

const signed = (x: number, digits: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

/** The page's headline, computed from the raw survey: share of answers below −0.5, widest mean shortfall, NPS with Rocks's adjusted-Wald interval. */
export async function expectedSatisfactionHeadline(channel: string | null): Promise<string> {
  return withDuckDB(async (connection) => {
    const where = channel ? `WHERE acquisition_channel = '${channel}'` : "";
    const [below] = await queryRows<{share: number}>(
      connection,
      `SELECT avg((gap < -0.5)::INT)::DOUBLE AS share FROM (${answers}) ${where}`
    );
    const [widest] = await queryRows<{dimension: string; mean: number; sd: number; n: number}>(
      connection,
      `SELECT dimension, avg(gap)::DOUBLE AS mean, stddev_samp(gap)::DOUBLE AS sd, count(*)::INT AS n FROM (${answers}) ${where} GROUP BY ALL ORDER BY mean LIMIT 1`
    );
    const [nps] = await queryRows<{n: number; promoters: number; detractors: number}>(
      connection,
      `SELECT count(*)::INT AS n, count(*) FILTER (WHERE recommend::INT >= 9)::INT AS promoters, count(*) FILTER (WHERE recommend::INT <= 6)::INT AS detractors FROM ${survey} ${where}`
    );
    const half = (1.96 * widest!.sd) / Math.sqrt(widest!.n);
    const [pP, pD] = [(nps!.promoters + 0.75) / (nps!.n + 3), (nps!.detractors + 0.75) / (nps!.n + 3)];
    const nHalf = 1.96 * Math.sqrt((pP + pD - (pP - pD) ** 2) / (nps!.n + 3));
    return `${Math.round(below!.share * 100)} % of survey answers fell below what customers expected; the widest shortfall is on ${widest!.dimension} (mean gap ${signed(widest!.mean, 2)} points, 95 % CI ${signed(widest!.mean - half, 2)} to ${signed(widest!.mean + half, 2)}). Net Promoter Score ${signed((100 * (nps!.promoters - nps!.detractors)) / nps!.n, 0)} (95 % CI ${signed(100 * (pP - pD - nHalf), 0)} to ${signed(100 * (pP - pD + nHalf), 0)}).`;
  });
}

/**
 * What the generator's rule implies for the share of responses followed by no purchase in
 * 180 days, by the response's gap band (mean gap below −0.5 / within ±0.5), with its standard
 * error. After a repeat purchase the customer drops out with p_eff = p (1 + k G₋)(1 + late_factor · late)
 * (truth.json dropout_rules; no dropout after the first purchase). The 180 days start at the end
 * of the day they answered, Δ days after the order: a customer still active buys in the meantime
 * at rate λ/week and drops out after each such purchase with p times the run's mean multiplier m
 * (dropout_rules.mean_multiplier_realised), so survives Δ with probability exp(−λ p m Δ/7)
 * (Poisson thinning); then buys again within 180 days unless an exponential wait exceeds it:
 *   P(lost) = 1 − (1 − p_eff) exp(−λ p m Δ/7) (1 − exp(−λ 180/7)).
 * The observed share is a mean of independent Bernoulli outcomes with these probabilities q, so
 * its standard error is √(Σ q (1 − q)) / n. k = 0 gives the same without the gap's effect (what
 * confounding alone would show).
 */
async function truthImpliedLost(k: number): Promise<Record<"below" | "meets", {share: number; standardError: number}>> {
  const {late_factor: lateFactor, mean_multiplier_realised: meanMultiplier} = (
    demoTruth as unknown as {dropout_rules: {late_factor: number; mean_multiplier_realised: number}}
  ).dropout_rules;
  return withDuckDB(async (connection) => {
    const rows = await queryRows<{band: string; lost: number; se: number}>(
      connection,
      `WITH
      s AS (SELECT row_number() OVER () + 1 AS line, * FROM ${csv("survey.csv")}),
      orders AS (SELECT order_id, min(ordered_at::TIMESTAMP) AS at, min(ordered_at::TIMESTAMP::DATE) AS day FROM ${csv("transactions.csv")} WHERE try_cast(ordered_at AS TIMESTAMP) IS NOT NULL AND NOT starts_with(order_id, 'R') GROUP BY ALL),
      firsts AS (SELECT customer_id, min(try_cast(ordered_at AS TIMESTAMP)::DATE) AS day FROM ${csv("transactions.csv")} GROUP BY ALL),
      late AS (SELECT order_id, (delivered_date::DATE > promised_date::DATE)::INT AS late FROM ${csv("deliveries.csv")}),
      truth AS (SELECT customer_id, "lambda"::DOUBLE AS rate, p::DOUBLE AS p FROM ${csv("truth_customers.csv")}),
      r AS (SELECT (${dimensions.map((d) => `perc_${d}::DOUBLE - exp_${d}::DOUBLE`).join(" + ")}) / 5 AS gap,
                   (${dimensions.map((d) => `greatest(0, exp_${d}::DOUBLE - perc_${d}::DOUBLE)`).join(" + ")}) / 5 AS g_minus,
                   epoch(s.responded_at::DATE + INTERVAL 1 DAY - o.at) / 86400 AS delta,
                   o.day = f.day AS first, coalesce(late.late, 0) AS late, truth.rate, truth.p
            FROM s JOIN orders o USING (order_id) JOIN firsts f ON f.customer_id = s.customer_id LEFT JOIN late USING (order_id) JOIN truth ON truth.customer_id = s.customer_id
            WHERE DATE '${end}' - s.responded_at::DATE >= 180 AND s.line NOT IN (${badSurveyAnswers.map((b) => b.line).join(", ") || 0})),
      e AS (SELECT *, CASE WHEN first THEN 0 ELSE least(1, p * (1 + ${k} * g_minus) * (1 + ${lateFactor} * late)) END AS p_eff FROM r)
      SELECT CASE WHEN gap < -0.5 THEN 'below' WHEN gap > 0.5 THEN 'exceeds' ELSE 'meets' END AS band,
             avg(q)::DOUBLE AS lost, (sqrt(sum(q * (1 - q))) / count(*))::DOUBLE AS se
      FROM (SELECT *, 1 - (1 - p_eff) * exp(-rate * p * ${meanMultiplier} * delta / 7) * (1 - exp(-rate * 180 / 7)) AS q FROM e)
      GROUP BY ALL`
    );
    const of = (band: string) => {
      const row = rows.find((r) => r.band === band)!;
      return {share: row.lost, standardError: row.se};
    };
    return {below: of("below"), meets: of("meets")};
  });
}

/**
 * Mean overall satisfaction, response count and share of detractors (0–6) of survey responses
 * about late orders and about orders on time or early, from the raw survey.csv joined to
 * deliveries.csv by order id (less the survey's planted bad line).
 */
async function expectedLateScores(): Promise<
  Record<"late" | "on time", {mean: number; n: number; detractors: number}>
> {
  return withDuckDB(async (connection) => {
    const rows = await queryRows<{group: "late" | "on time"; mean: number; n: number; detractors: number}>(
      connection,
      `
      SELECT CASE WHEN d.delivered_date::DATE > d.promised_date::DATE THEN 'late' ELSE 'on time' END AS "group",
             avg(s.satisfaction::DOUBLE)::DOUBLE AS mean, count(s.satisfaction)::INT AS n, avg((s.recommend::INT <= 6)::INT)::DOUBLE AS detractors
      FROM (SELECT row_number() OVER () + 1 AS line, * FROM ${csv("survey.csv")}) s JOIN ${csv("deliveries.csv")} d USING (order_id)
      WHERE s.line NOT IN (${badSurveyAnswers.map((b) => b.line).join(", ") || 0})
      GROUP BY ALL`
    );
    const of = (group: "late" | "on time") => rows.find((r) => r.group === group)!;
    return {late: of("late"), "on time": of("on time")};
  });
}

interface ExpectedWordOfMouth {
  /** Per NPS group of the referrer's latest answer: customers, prospects they referred, how many converted. */
  groups: {group: string; customers: number; referrals: number; converted: number}[];
  /** Prospects naming a customer of the channel, and the customers they became (raw ids). */
  referrals: number;
  referred: string[];
  /** Mean acquisition cost of the referred customers, from customers.csv. */
  referredCost: number;
}

/** The page's word-of-mouth filters: the referrers' channel and segment, and the first month of answers and referrals. */
interface WordOfMouthFilter {
  channel: string | null;
  segment: string | null;
  from: string | null;
}

/**
 * Referrals by the referring customer's NPS group, from the raw survey.csv, customers.csv and
 * prospects.csv: each customer's latest answer from `from` on (the latest day; of two on one day,
 * the higher mean gap, then satisfaction, then the 0–10 answer; less the survey line that ingest
 * rejects), the prospects first contacted from `from` on naming them as referrer and how many
 * became customers; for the customers of the filter's channel and segment.
 */
async function expectedWordOfMouth({channel, segment, from}: WordOfMouthFilter): Promise<ExpectedWordOfMouth> {
  const conditions = [channel && `acquisition_channel = '${channel}'`, segment && `segment = '${segment}'`];
  const selected = `(SELECT customer_id FROM ${csv("customers.csv")} WHERE ${conditions.filter(Boolean).join(" AND ") || "true"})`;
  const since = (column: string) => (from ? `${column}::DATE >= DATE '${from}-01'` : "true");
  const gap = `(${dimensions.map((d) => `perc_${d}::DOUBLE - exp_${d}::DOUBLE`).join(" + ")}) / ${dimensions.length}`;
  return withDuckDB(async (connection) => {
    const groups = await queryRows<ExpectedWordOfMouth["groups"][number]>(
      connection,
      `WITH ranked AS (
        SELECT customer_id, recommend::INT AS nps,
               row_number() OVER (PARTITION BY customer_id ORDER BY responded_at::DATE DESC, ${gap} DESC, satisfaction::DOUBLE DESC, recommend::INT DESC) AS k
        FROM (SELECT row_number() OVER () + 1 AS line, * FROM ${csv("survey.csv")})
        WHERE customer_id IN ${selected} AND ${since("responded_at")} AND line NOT IN (${badSurveyAnswers.map((b) => b.line).join(", ") || 0})),
      refs AS (SELECT referred_by AS customer_id, count(*) AS referrals, count(converted_customer_id) AS converted FROM ${csv("prospects.csv")}
               WHERE referred_by IS NOT NULL AND ${since("first_contact_date")} GROUP BY ALL)
      SELECT CASE WHEN nps >= 9 THEN 'promoters' WHEN nps >= 7 THEN 'passives' ELSE 'detractors' END AS "group",
             count(*)::INT AS customers, coalesce(sum(referrals), 0)::INT AS referrals, coalesce(sum(converted), 0)::INT AS converted
      FROM ranked LEFT JOIN refs USING (customer_id) WHERE k = 1 GROUP BY ALL ORDER BY min(nps) DESC`
    );
    const prospects = await queryRows<{converted: string | null}>(
      connection,
      `SELECT converted_customer_id AS converted FROM ${csv("prospects.csv")}
       WHERE referred_by IN ${selected} AND ${since("first_contact_date")}`
    );
    const referred = prospects.flatMap((p) => (p.converted ? [p.converted] : []));
    const [cost] = await queryRows<{cost: number}>(
      connection,
      `SELECT avg(acquisition_cost::DOUBLE)::DOUBLE AS cost FROM ${csv("customers.csv")} WHERE customer_id IN (${referred.map((id) => `'${id}'`).join(", ")})`
    );
    return {groups, referrals: prospects.length, referred, referredCost: cost!.cost};
  });
}

/** The equity page's margin to date + CLV of each customer (its customer_clv.csv.gz in the built site), by raw id. */
function builtEquity(ids: readonly string[]): number[] {
  const equity = new Map(
    builtCsv("customer_clv").map((r) => [r.customer_id!, Number(r.margin_to_date) + Number(r.clv)])
  );
  const key = pseudonymKey(readSettings(process.env).pseudonymKey);
  return ids.map((id) => equity.get(pseudonym(key, id)) ?? NaN);
}

const dollars = (x: number) =>
  new Intl.NumberFormat("en-US", {style: "currency", currency: "USD", maximumFractionDigits: 0}).format(x);
const count = (text: string) => Number(text.replaceAll(",", ""));

/** A screenshot of the word-of-mouth section alone, from its heading to the textbook comparison. */
async function screenshotWordOfMouth(page: Page, name: string): Promise<void> {
  const top = (await page.locator("h2", {hasText: "Word of mouth"}).boundingBox())!;
  const bottom = (await page.locator(".textbook").boundingBox())!;
  const y = top.y - 10;
  await page.screenshot({
    path: join(outputDir, name),
    fullPage: true,
    clip: {x: 0, y, width: page.viewportSize()!.width, height: bottom.y + bottom.height + 10 - y}
  });
}

/** The word-of-mouth cards and table against expectedWordOfMouth and builtEquity. */
async function checkWordOfMouth(page: Page, filter: WordOfMouthFilter): Promise<void> {
  const expected = await expectedWordOfMouth(filter);
  // Those the equity page values (a customer without a purchase has no CLV) stand for all referred customers.
  const equity = builtEquity(expected.referred).filter(Number.isFinite);
  const mean = equity.reduce((t, e) => t + e, 0) / equity.length;
  const total = expected.referred.length * mean;
  await expect
    .poll(() => page.locator("#referrals-observed").textContent(), requery)
    .toBe(expected.referrals.toLocaleString("en-US"));
  const table = page.locator(".card", {hasText: "Referrals by the referrer's NPS group"}).locator("tbody tr");
  // The first cell of a row is the table's (empty) selection column.
  const cells = (await tableCells(table)).map((row) => row.slice(1));
  expect(cells.map((c) => [c[0], count(c[1]!), count(c[2]!), count(c[5]!)])).toEqual(
    expected.groups.map((g) => [g.group, g.customers, g.referrals, g.converted])
  );
  expect(await page.locator("#referred-cost").textContent()).toBe(dollars(expected.referredCost));
  expect(await page.locator("#referred-equity").textContent()).toBe(dollars(total));
  const promoters = expected.groups.find((g) => g.group === "promoters")!;
  expect(await page.locator("#promoter-worth").textContent()).toBe(
    dollars((promoters.converted / promoters.customers) * mean)
  );
}

/**
 * The importance–performance table from the raw survey less its planted bad line (ingest
 * sets the whole line aside, so all its answers go): per dimension Pearson's r of
 * perception with the same line's satisfaction and Fisher's 95 % interval
 * tanh(atanh r ± 1.959964/√(n − 3)), the mean gap with its normal 95 % interval, the share
 * below −0.5, and the quadrant: important when r is at least the mean r, met when the mean
 * gap is at least 0. Also the pairs whose importance intervals do not overlap.
 */
async function expectedImportance(): Promise<{rows: string[][]; apart: string[]; span: [number, number]}> {
  const stats = await withDuckDB((connection) =>
    queryRows<{dimension: string; r: number; n: number; mean: number; sd: number; gaps: number; below: number}>(
      connection,
      `WITH p AS (SELECT line, dimension, perc, perc - expected AS gap, sat FROM (${dimensions.map((d) => `SELECT line, '${d}' AS dimension, exp_${d}::DOUBLE AS expected, perc_${d}::DOUBLE AS perc, satisfaction::DOUBLE AS sat FROM ${survey}`).join(" UNION ALL ")})
               WHERE line NOT IN (${badSurveyAnswers.map((b) => b.line).join(", ") || 0}))
      SELECT dimension, corr(perc, sat)::DOUBLE AS r, count(sat)::INT AS n, any_value(g.mean) AS mean, any_value(g.sd) AS sd, any_value(g.n) AS gaps, any_value(g.below) AS below
      FROM p JOIN (SELECT dimension, avg(gap)::DOUBLE AS mean, stddev_samp(gap)::DOUBLE AS sd, count(*)::INT AS n, avg((gap < -0.5)::INT)::DOUBLE AS below FROM p GROUP BY ALL) g USING (dimension)
      WHERE sat IS NOT NULL GROUP BY dimension`
    )
  );
  const meanR = stats.reduce((t, d) => t + d.r, 0) / stats.length;
  const fisher = (d: (typeof stats)[number]) =>
    [-1, 1].map((sign) => Math.tanh(Math.atanh(d.r) + (sign * 1.959963984540054) / Math.sqrt(d.n - 3))) as [
      number,
      number
    ];
  const rows = stats
    .sort((a, b) => dimensions.indexOf(a.dimension) - dimensions.indexOf(b.dimension))
    .map((d) => {
      const [low, high] = fisher(d);
      const half = (1.96 * d.sd) / Math.sqrt(d.gaps);
      const quadrant =
        d.r >= meanR
          ? d.mean >= 0
            ? "Keep up the good work"
            : "Concentrate here"
          : d.mean >= 0
            ? "Possible overkill"
            : "Low priority";
      return [
        d.dimension,
        `${d.r.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`,
        `${signed(d.mean, 2)} (${signed(d.mean - half, 2)} to ${signed(d.mean + half, 2)})`,
        `${(100 * d.below).toFixed(1)} %`,
        quadrant
      ];
    });
  const byR = [...stats].sort((a, b) => b.r - a.r);
  const apart = byR.flatMap((a, i) =>
    byR
      .slice(i + 1)
      .flatMap((b) => (fisher(a)[0] > fisher(b)[1] ? [`${a.dimension} matters more than ${b.dimension}`] : []))
  );
  return {rows, apart, span: [Math.min(...stats.map((d) => d.r)), Math.max(...stats.map((d) => d.r))]};
}

export function satisfactionPageTests({open}: PageTestContext): void {
  // The tests that only read the page at its defaults share one opening of it.
  const openAtDefaults = pageAtDefaults(open, "/satisfaction");
  it("satisfaction: word of mouth equals an independent query of the demo's raw files, and follows the channel, segment and period filters", async () => {
    const {page, problems} = await open("/satisfaction");
    await checkWordOfMouth(page, {channel: null, segment: null, from: null});
    await screenshotWordOfMouth(page, "satisfaction-word-of-mouth.png");
    await page.getByLabel("Channel").selectOption("social");
    await checkWordOfMouth(page, {channel: "social", segment: null, from: null});
    // Segment and period: social customers of the office segment, answers and referrals from July 2024 on.
    await page.getByLabel("Segment").selectOption("office");
    await page.getByLabel("From").selectOption("2024-07");
    await checkWordOfMouth(page, {channel: "social", segment: "office", from: "2024-07"});
    await screenshotWordOfMouth(page, "satisfaction-word-of-mouth-social.png");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("satisfaction: word of mouth recovers the demo generator's referral parameters", async () => {
    const {page, problems} = await openAtDefaults("/satisfaction");
    const text = (await page.locator(".word-of-mouth").textContent()) ?? "";
    const conversion = /; ([\d.]+) % became customers \(95 % CI ([\d.]+) % to ([\d.]+) %\)/.exec(text);
    expect(conversion, text).not.toBeNull();
    // Every referral customer comes with Geometric(0.45) prospects, one of whom converts: 45 % convert.
    const {referral, search} = defaultParams.channels;
    const [low, high] = [Number(conversion![2]) / 100, Number(conversion![3]) / 100];
    expect(low).toBeLessThan(referral.conversionRate);
    expect(high).toBeGreaterThan(referral.conversionRate);
    // A referred customer costs exactly $12 (Gamma shape 0); search's mean $45 (shape 8: sd 45/√8), within 3 standard errors.
    expect(await page.locator("#referred-cost").textContent()).toBe(dollars(referral.acquisitionCost));
    const searchCost = /\$(\d+) through search/.exec(text);
    expect(searchCost, text).not.toBeNull();
    const {outcome} = demoTruth as unknown as {outcome: {prospects: Record<string, {converted: number}>}};
    const searchCustomers = outcome.prospects.search!.converted;
    const standardError = search.acquisitionCost / Math.sqrt(search.acquisitionCostShape) / Math.sqrt(searchCustomers);
    expect(Math.abs(Number(searchCost![1]) - search.acquisitionCost)).toBeLessThan(3 * standardError + 0.5);
    // Referrers are drawn in proportion to weights 4 (promoter), 1 (passive), 0.25 (detractor): promoters refer
    // more than passives, passives more than detractors, and the promoters' interval lies above the detractors'.
    const rows = await tableCells(
      page.locator(".card", {hasText: "Referrals by the referrer's NPS group"}).locator("tbody tr")
    );
    const [promoter, passive, detractor] = rows.map((r) => ({
      rate: Number(r[4]),
      low: Number(r[5]!.split(" – ")[0]),
      high: Number(r[5]!.split(" – ")[1])
    }));
    expect(promoter!.rate).toBeGreaterThan(passive!.rate);
    expect(passive!.rate).toBeGreaterThan(detractor!.rate);
    expect(promoter!.low).toBeGreaterThan(detractor!.high);
    // The textbook's multipliers appear only as a labelled comparison.
    await expect
      .poll(() => page.locator(".textbook b").textContent())
      .toBe("For comparison only: the textbook rule of thumb.");
    expect(problems).toEqual([]);
  });

  it("satisfaction: the headline equals an independent query of the demo's survey.csv, and the channel filter re-queries it", async () => {
    const {page, problems} = await open("/satisfaction");
    await expect.poll(() => page.locator(".headline").textContent()).toBe(await expectedSatisfactionHeadline(null));
    await page.getByLabel("Channel").selectOption("social");
    await expect
      .poll(() => page.locator(".headline").textContent(), requery)
      .toBe(await expectedSatisfactionHeadline("social"));
    await page.screenshot({path: join(outputDir, "satisfaction-social.png"), fullPage: true});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("satisfaction: recovers the generator's effect of a negative gap on dropout, in direction and roughly in size", async () => {
    const {k} = (demoTruth as unknown as {dropout_rules: {k: number}}).dropout_rules;
    const [implied, confoundingOnly] = [await truthImpliedLost(k), await truthImpliedLost(0)];
    const {page, problems} = await openAtDefaults("/satisfaction");
    const text = (await page.locator(".effect").textContent()) ?? "";
    const match =
      /, ([\d.]+) % bought nothing in the 180 days after they answered, against ([\d.]+) % of those whose expectation was met: a difference of (-?[\d.]+) points/.exec(
        text
      );
    expect(match, text).not.toBeNull();
    const [below, meets, difference] = [Number(match![1]) / 100, Number(match![2]) / 100, Number(match![3]) / 100];
    // Each share within three standard errors of what the rule implies for these very responses.
    expect(Math.abs(below - implied.below.share)).toBeLessThan(3 * implied.below.standardError);
    expect(Math.abs(meets - implied.meets.share)).toBeLessThan(3 * implied.meets.standardError);
    // The difference: positive, within three standard errors of the implied one (the bands' responses are
    // independent: the variances add), and beyond what confounding alone would give.
    const impliedDifference = implied.below.share - implied.meets.share;
    expect(difference).toBeGreaterThan(0);
    expect(Math.abs(difference - impliedDifference)).toBeLessThan(
      3 * Math.hypot(implied.below.standardError, implied.meets.standardError)
    );
    expect(difference).toBeGreaterThan(confoundingOnly.below.share - confoundingOnly.meets.share);
    expect(problems).toEqual([]);
  });

  it("satisfaction: satisfaction after late deliveries equals an independent join of survey.csv and deliveries.csv, and is lower, as the generator's lateness rule implies", async () => {
    const expected = await expectedLateScores();
    const {page, problems} = await openAtDefaults("/satisfaction");
    const text = (await page.locator(".late-effect").textContent()) ?? "";
    const match =
      /arrived late rated their overall satisfaction ([\d.]+) out of 7 on average \(95 % CI [\d.]+ – [\d.]+, ([\d,]+) responses\), against ([\d.]+) \(95 % CI [\d.]+ – [\d.]+, ([\d,]+) responses\) when it came on time or early; ([\d.]+) % of them were detractors, against ([\d.]+) %/.exec(
        text
      );
    expect(match, text).not.toBeNull();
    const [late, lateN, onTime, onTimeN, lateDetractors, onTimeDetractors] = match!
      .slice(1)
      .map((x) => Number(x.replaceAll(",", "")));
    expect([late, lateN, onTime, onTimeN]).toEqual([
      Number(expected.late.mean.toFixed(2)),
      expected.late.n,
      Number(expected["on time"].mean.toFixed(2)),
      expected["on time"].n
    ]);
    expect([lateDetractors, onTimeDetractors]).toEqual([
      Number((100 * expected.late.detractors).toFixed(1)),
      Number((100 * expected["on time"].detractors).toFixed(1))
    ]);
    // truth.json: a late delivery lowers perception (lateHit), and satisfaction rises with the mean gap.
    expect(late).toBeLessThan(onTime!);
    expect(lateDetractors).toBeGreaterThan(onTimeDetractors!);
    expect(await page.locator(".late-missing").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("satisfaction: the importance grid's table equals an independent query of survey.csv: importance with Fisher's interval, mean gap, quadrant by the gap", async () => {
    const expected = await expectedImportance();
    const {page, problems} = await openAtDefaults("/satisfaction");
    const card = page.locator(".card", {has: page.locator("h2", {hasText: "What to do per dimension"})});
    await expect.poll(() => card.locator("tbody tr").count()).toBe(dimensions.length);
    // Columns: (empty), dimension, importance (95 % CI), mean gap (95 % CI), below expectation, quadrant, advice.
    const shown = (await tableCells(card.locator("tbody tr"))).map((cells) => cells.slice(1, 6));
    expect(shown).toEqual(expected.rows);
    // The grid draws a dot and two interval bars per dimension.
    const grid = page.locator(".card", {has: page.locator("h2", {hasText: "Importance–performance grid"})});
    expect(await grid.locator("svg g[aria-label='dot'] circle").count()).toBe(dimensions.length);
    expect(await grid.locator("svg g[aria-label='rule'] line").count()).toBe(2 + 2 * dimensions.length);
    const apart = (await page.locator(".importance-apart").textContent()) ?? "";
    if (expected.apart.length) expect(apart).toContain(expected.apart.join("; "));
    else
      expect(apart).toContain(
        `The importances (${expected.span[0].toFixed(2)} to ${expected.span[1].toFixed(2)}) cannot be told apart`
      );
    // The section as a manager reads it: from its heading to the end of the table.
    const [top, bottom] = [
      await page.locator("h2", {hasText: "Which gaps matter most"}).boundingBox(),
      await card.boundingBox()
    ];
    await page.screenshot({
      path: join(outputDir, "satisfaction-grid.png"),
      fullPage: true,
      clip: {x: 0, y: top!.y - 10, width: page.viewportSize()!.width, height: bottom!.y + bottom!.height - top!.y + 20}
    });
    expect(problems).toEqual([]);
  });
}

/** On a source without feedback or prospects (CDNOW), the page says what data it needs. */
export function satisfactionWithoutFeedbackTest(open: PageTestContext["open"]): void {
  it("satisfaction: on a source without feedback, says which data would enable the page", async () => {
    const {page, problems} = await open("/satisfaction");
    await expect.poll(() => page.locator(".note.missing").textContent()).toContain("This source has no feedback");
    expect(await page.locator(".card").count()).toBe(0);
    // Word of mouth says quietly that it needs prospects naming their referrer.
    expect(await page.locator(".word-of-mouth-missing").textContent()).toContain("This source has no prospects table");
    expect(problems).toEqual([]);
    await page.close();
  });
}
