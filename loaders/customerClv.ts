// Each customer's value from a customer-equity fit (npm run clv --customers): their
// calibration summary (x, t_x, T, mean repeat spend) from the source, valued with the fit's
// parameters as the equity page values its customers: the same CLV (customerValuation over
// the page's default horizon and discount rate, at the source's gross margin), the same
// expected spend (Gamma-Gamma's conditional mean, else the mean spend of a new customer), the
// same expected purchases in the next 52 weeks (P(active) × purchases if active), and the same
// next purchase (customerNextPurchase) and overdue flag (summaryOverdueSql).
import {bgnbdProbabilityAlive} from "../src/core/models/bgnbdProbabilityAlive.js";
import {customerValuation, memoizedDiscountedPurchases} from "../src/core/models/customerLifetimeValue.js";
import {customerNextPurchase} from "../src/core/models/customerNextPurchase.js";
import {monthlyRate, weeksPerMonth} from "../src/core/models/equity.js";
import {expectedSpendPerPurchase, newCustomerSpend} from "../src/core/models/gammaGammaExpectedSpend.js";
import {drawParameters} from "../src/core/models/parameterDraws.js";
import {customerValueDraws, drawInterval, type Interval} from "../src/core/models/valueIntervals.js";
import {calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {summaryOverdueSql} from "../src/core/sql/customerStates.js";
import {grossMarginSql} from "../src/core/sql/equitySql.js";
import {customerMonthsSql} from "../src/core/sql/profitSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import type {ClvFit} from "../src/core/models/clvSummaryFit.js";
import {equityDefaults} from "./site/equity.js";
import type {SqlSession} from "./sqlSession.js";

/** One customer's row of the per-customer CSV, its columns in order. */
export interface CustomerClv {
  customer_id: string;
  /** Repeat purchase days up to the calibration end. */
  frequency: number;
  /** Weeks from the first to the last purchase day (t_x). */
  recency_weeks: number;
  /** Weeks from the first purchase day to the calibration end (T). */
  age_weeks: number;
  p_alive: number;
  /** Purchase days expected in the 52 weeks after the calibration end. */
  expected_purchases_52_weeks: number;
  /** Expected spend per purchase day. */
  expected_spend: number;
  /** Discounted expected margin over the horizon. */
  clv: number;
  /** The 80 % range of the CLV and of the purchases next year from both models' parameter uncertainty (valueIntervals.ts). */
  clv_low: number;
  clv_high: number;
  expected_purchases_52_weeks_low: number;
  expected_purchases_52_weeks_high: number;
  /** The date by which, if still active, the customer has an even chance of having bought again. */
  next_purchase: string;
  /** P(at least one purchase in the 90 days after the calibration end). */
  p_buy_90_days: number;
  /** Silent longer than their usual gap between purchase days (at least three of them). */
  overdue: boolean;
}

export const customerClvColumns: readonly (keyof CustomerClv)[] = [
  "customer_id",
  "frequency",
  "recency_weeks",
  "age_weeks",
  "p_alive",
  "expected_purchases_52_weeks",
  "expected_spend",
  "clv",
  "clv_low",
  "clv_high",
  "expected_purchases_52_weeks_low",
  "expected_purchases_52_weeks_high",
  "next_purchase",
  "p_buy_90_days",
  "overdue"
];

/**
 * The source's gross margin, as the equity page takes it: gross profit over revenue of all
 * transactions, the cost where known and `marginRate` of the revenue where not, to a tenth of a percent.
 */
export async function sourceMargin(session: SqlSession, marginRate: number): Promise<number> {
  const months = customerMonthsSql(session.dialect, await session.checked("transactions"));
  const [row] = await session.rows<{margin: number | string | null}>(
    `WITH customer_months AS (${months}) ${grossMarginSql(session.dialect, marginRate)}`,
    {what: "the gross margin", table: "transactions"}
  );
  return Number(row?.margin ?? marginRate);
}

/** The horizon and discounting of every CLV here: the equity page's defaults. */
export const clvHorizon = {years: equityDefaults.years, annualDiscountRate: equityDefaults.annualDiscountRate};

/**
 * Every customer who bought before the fit's calibration end, valued at that date with the
 * fit's parameters, ordered by customer id, each with the 80 % ranges of their CLV and purchases
 * from both models' parameter draws (as the site's customer_clv.csv.gz), and the range of their
 * CLVs' total (the total at each draw); NaN ranges where a fit's covariance is not known.
 * The numbers come as columns (a million customers without a million objects); the ids only
 * when `ids` is set (else "").
 */
export async function customerClvs(
  session: SqlSession,
  fit: ClvFit,
  margin: number,
  {ids = true}: {ids?: boolean} = {}
): Promise<{customers: CustomerClv[]; totalClv: Interval}> {
  const days = purchaseDaysSql(await session.checked("transactions"));
  const summary = `(${calibrationSummarySql(session.dialect, fit.calibration_end, fit.calibration_end, days)}) c ORDER BY customer_id`;
  const purpose = {what: "each customer's purchases for the models", table: "transactions"} as const;
  const columns = await session.columns<"x" | "t_x" | "T" | "spend" | "overdue">(
    `SELECT x, t_x, "T", spend, CAST(${summaryOverdueSql()} AS INTEGER) AS overdue FROM ${summary}`,
    purpose
  );
  const names = ids
    ? (await session.rows<{customer_id: string}>(`SELECT customer_id FROM ${summary}`, purpose)).map(
        (r) => r.customer_id
      )
    : [];
  const params = fit.bgnbd.params;
  const gg = fit.gamma_gamma?.params;
  // A customer without repeat purchases spends what a new one does: Gamma-Gamma's mean, else the repeat buyers' mean.
  const spends = Array.from(columns.spend).filter((m) => m > 0);

  const repeatBuyersMean = spends.reduce((t, m) => t + m, 0) / (spends.length || 1);
  const clvOptions = {
    margin,
    periodLength: weeksPerMonth,
    periods: 12 * clvHorizon.years,
    discountRate: monthlyRate(clvHorizon.annualDiscountRate)
  };
  const valuation = customerValuation(params, clvOptions);
  const draws = drawParameters(fit.bgnbd, fit.gamma_gamma);
  const valueAtDraws = customerValueDraws(draws, clvOptions, repeatBuyersMean);
  const totalAtDraws = new Float64Array(draws.length);
  const range = (values: Float64Array) => (draws.length ? drawInterval(values) : {low: NaN, high: NaN});
  const nextYearIfAlive = memoizedDiscountedPurchases(params, {periodLength: 52, periods: 1, discountRate: 0});
  const newSpend = newCustomerSpend(gg, repeatBuyersMean);
  const customers = Array.from(columns.x, (x, i) => {
    const [tx, T, m] = [columns.t_x[i]!, columns.T[i]!, columns.spend[i]!];
    const spend = expectedSpendPerPurchase(gg, x, Number.isNaN(m) ? null : m, newSpend);
    const atDraws = valueAtDraws({x, tx, T, spend: Number.isNaN(m) ? null : m});
    atDraws.clv.forEach((clv, d) => (totalAtDraws[d]! += clv));
    const [clvRange, purchasesRange] = [range(atDraws.clv), range(atDraws.purchasesNextYear)];
    const pAlive = bgnbdProbabilityAlive(params, x, tx, T);
    const next = customerNextPurchase(params, {x, tx, T}, fit.calibration_end);
    return {
      customer_id: names[i] ?? "",
      frequency: x,
      recency_weeks: tx,
      age_weeks: T,
      p_alive: pAlive,
      expected_purchases_52_weeks: pAlive * nextYearIfAlive(x, T)[0]!,
      expected_spend: spend,
      clv: valuation.total({x, tx, T, spend}),
      clv_low: clvRange.low,
      clv_high: clvRange.high,
      expected_purchases_52_weeks_low: purchasesRange.low,
      expected_purchases_52_weeks_high: purchasesRange.high,
      next_purchase: next.date,
      p_buy_90_days: next.pBuyWithinWindow,
      overdue: columns.overdue[i] === 1
    };
  });
  return {customers, totalClv: range(totalAtDraws)};
}

/** The per-customer CSV: a header, then one line per customer, numbers rounded as the site's customer_clv.csv.gz rounds them. */
export function customerClvCsv(customers: readonly CustomerClv[]): string {
  const line = (c: CustomerClv) =>
    [
      c.customer_id,
      c.frequency,
      c.recency_weeks.toFixed(4),
      c.age_weeks.toFixed(4),
      c.p_alive.toFixed(4),
      c.expected_purchases_52_weeks.toFixed(3),
      c.expected_spend.toFixed(2),
      c.clv.toFixed(2),
      // Blank where a fit's covariance is not known.
      ...[c.clv_low, c.clv_high].map((v) => (Number.isFinite(v) ? v.toFixed(2) : "")),
      ...[c.expected_purchases_52_weeks_low, c.expected_purchases_52_weeks_high].map((v) =>
        Number.isFinite(v) ? v.toFixed(3) : ""
      ),
      c.next_purchase,
      c.p_buy_90_days.toFixed(4),
      c.overdue
    ].join(",");
  return `${[customerClvColumns.join(","), ...customers.map(line)].join("\n")}\n`;
}
