// The customer-equity page's files: the models fitted on the first two thirds of the data
// and checked on the rest (tracking and holdout), the models refitted on all of it, every
// customer's P(active) and CLV, and the groups the page's what-if recomputes.
import {fittedOnce} from "../../src/core/metrics/figureChange.js";
import {asPercent, fromPercent} from "../../src/core/format/format.js";
import {autoType, csvFormat, csvFormatBody, csvParse} from "d3";
import {bgnbdExpectedPurchases} from "../../src/core/models/bgnbdExpectedPurchases.js";
import {bgnbdProbabilityAliveSql} from "../../src/core/models/bgnbdProbabilityAlive.js";
import {customerNextPurchase} from "../../src/core/models/customerNextPurchase.js";
import {
  customerValuation,
  memoizedDiscountedPurchases,
  type CustomerGroup
} from "../../src/core/models/customerLifetimeValue.js";
import {
  expectedSpendPerPurchase,
  newCustomerSpend as newCustomerSpendOf
} from "../../src/core/models/gammaGammaExpectedSpend.js";
import type {HoldoutModel} from "../../src/core/models/holdoutScorecard.js";
import {drawParameters, type ParameterDraw} from "../../src/core/models/parameterDraws.js";
import {paretoNbdExpectedPurchases} from "../../src/core/models/paretoNbdExpectedPurchases.js";
import {
  acquisitionPeriod,
  addToGroup,
  clvBins,
  coarsenGroups,
  currentCustomersValueByYear,
  defaultRetentionGain,
  equityScenario,
  equityValuation,
  groupValues,
  horizonMaxYears,
  mergeGroups,
  monthlyRate,
  scenarioKey,
  weeksPerMonth,
  type EquityInputs,
  type GroupTotals
} from "../../src/core/models/equity.js";
import {
  currentValueByYearDraws,
  customerValueDraws,
  drawInterval,
  intervalLevel
} from "../../src/core/models/valueIntervals.js";
import {calibrationColumns, calibrationWithCheckSql} from "../../src/core/sql/clvSql.js";
import {summaryOverdueSql} from "../../src/core/sql/customerStates.js";
import {writeCustomerModel} from "./customerModel.js";
import {isAlreadyCustomer, newCustomersFrom, recentWindows, spanDates} from "../../src/core/sql/dataEdges.js";
import {alreadyCustomersGroup} from "../../src/core/sql/retentionSql.js";
import {
  grossMarginSql,
  recentActivitySql,
  trackingCountsSql,
  type RecentActivity,
  type TrackingCount
} from "../../src/core/sql/equitySql.js";
import {clvFitSummary, holdoutComparison} from "../../src/core/models/clvSummaryFit.js";
import {fitClv} from "../clv.js";
import {appendRows, queryRows} from "../duckdb.js";
import {splitEarlierReading} from "../source/derived.js";
import {duckdbSession} from "../sqlSession.js";
import type {PageFiles, PageFilesContext} from "./pageFiles.js";
import {equitySlices} from "./equitySlices.js";
import {browserCustomers} from "./tables.js";

/** customer_clv.csv.gz's columns, in order. */
const customerClvColumns = [
  "customer_id",
  "acquisition_channel",
  "cohort",
  "acquisition_cost",
  "margin_to_date",
  "first_purchase",
  "last_purchase",
  "x",
  "p_alive",
  "purchases_next_year",
  "p_buy_90_days",
  "next_purchase",
  "overdue",
  "expected_spend",
  "clv",
  "clv_low",
  "clv_high",
  "purchases_next_year_low",
  "purchases_next_year_high"
] as const;

/** The page's starting assumptions (inputs on the page). */
export const equityDefaults = {annualDiscountRate: 0.1, years: 3};

const addDays = (date: string, days: number) =>
  new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * Weekly cumulative repeat purchases of the customers acquired before the calibration end:
 * observed, and expected by each model, Σ over acquisition days d of n_d · E[X(t − d)]
 * (FHL 2005 eq. 7), as in Fader, Hardie & Lee's tracking plots. Purchase days from retention_days.
 */
async function tracking(
  {connection, derived}: PageFilesContext,
  start: string,
  end: string,
  calibrationEnd: string,
  models: Record<HoldoutModel, (weeks: number) => number>
) {
  await derived.derive("equity_tracking", (dialect) => trackingCountsSql(dialect, start, calibrationEnd), {
    what: "repeat purchases by week and customers by first day",
    order: "kind, period"
  });
  const counts = await queryRows<TrackingCount>(connection, "SELECT * FROM equity_tracking");
  const cohorts = counts.filter((c) => c.kind === "acquired").map((c) => ({offset: c.period, n: c.n}));
  const weeks = Math.floor(daysBetween(start, end) / 7) + 1;
  const repeatsByWeek = new Map(counts.filter((c) => c.kind === "repeats").map((c) => [c.period, c.n]));
  const expectedBy = (endDay: number, expected: (weeks: number) => number) => {
    let total = 0;
    for (const {offset, n} of cohorts) if (offset < endDay) total += n * expected((endDay - offset) / 7);
    return Math.round(total * 10) / 10;
  };
  let actual = 0;
  return Array.from({length: weeks}, (_, week) => {
    actual += repeatsByWeek.get(week) ?? 0;
    const endDay = 7 * (week + 1);
    return {
      week,
      date: addDays(start, 7 * week),
      actual,
      bgnbd: expectedBy(endDay, models.bgnbd),
      pareto_nbd: expectedBy(endDay, models.pareto_nbd)
    };
  });
}

/** The most customer groups the page's what-if values at each move of a slider (coarsenGroups). */
export const whatIfGroupLimit = 20_000;

/**
 * Current customers' value by year at the estimates, and its band (intervalLevel) from both models'
 * parameter draws (parameterDraws.ts, valueIntervals.ts): the value by year at each draw, and each
 * year's and each horizon's (the years up to it, cumulated) central quantiles.
 */
function projectCurrentValue(
  groups: readonly CustomerGroup[],
  repeatBuyers: readonly CustomerGroup[],
  inputs: EquityInputs,
  draws: readonly ParameterDraw[],
  repeatBuyersMean: number
) {
  const value = currentCustomersValueByYear(groups, inputs);
  const years = value.map((_, i) => i + 1);
  if (!draws.length)
    return {years, value, low: null, high: null, cumulative_low: null, cumulative_high: null, draws: 0, level: null};
  const byDraw = currentValueByYearDraws(groups, repeatBuyers, inputs, draws, repeatBuyersMean);
  const cumulative = byDraw.map((draw) => draw.map((_, year) => draw.slice(0, year + 1).reduce((a, b) => a + b, 0)));
  const band = (values: number[][]) => value.map((_, year) => drawInterval(values.map((draw) => draw[year]!)));
  const [perYear, upTo] = [band(byDraw), band(cumulative)];
  return {
    years,
    value,
    low: perYear.map((i) => i.low),
    high: perYear.map((i) => i.high),
    cumulative_low: upTo.map((i) => i.low),
    cumulative_high: upTo.map((i) => i.high),
    draws: draws.length,
    level: intervalLevel
  };
}

export const equityFiles: PageFiles<"equity"> = async (context) => {
  const {connection, source, derived, writeFile, appendFile, figuresOnly} = context;
  const start = source.observation_start;
  const end = source.observation_end;
  // Nothing kept from an earlier source or slice: the states judge by this source's model or by silence alone.
  await writeCustomerModel(connection, null);
  // customer_clv.csv.gz's money columns as a table of the loaders' DuckDB too, row for row, so that a page's query
  // reads the same values here as from the file in the browser (the satisfaction page's referred customers).
  await connection.run(
    "CREATE OR REPLACE TEMP TABLE customer_clv (customer_id VARCHAR, acquisition_cost DOUBLE, margin_to_date DOUBLE, clv DOUBLE)"
  );
  if (!start || !end) {
    writeFile("customer_clv.csv.gz", `${customerClvColumns.join(",")}\n`);
    return undefined;
  }
  // The models fitted on everything, for the customers' values. The fits and the summaries
  // read the purchase days next to the data (raw transactions may stay in a warehouse).
  const days = "SELECT customer_id, day, revenue FROM retention_days";
  // Calibrate on the first two thirds of the data, check on the rest (the page's default).
  const calibrationEnd = addDays(start, Math.round((2 / 3) * daysBetween(start, end)));
  // Every customer's summary at the end, for their values (the models fitted on everything from its distinct rows
  // here), and at the cut-off, for the check's fit and each slice's (equitySlices): one query, a row a customer.
  await derived.derive("calibrations", (dialect) => calibrationWithCheckSql(dialect, calibrationEnd, end, days), {
    what: "each customer's purchases for the models, and before the cut-off for their check",
    order: "customer_id",
    personal: ["customer_id"],
    perCustomer: true
  });
  await splitEarlierReading(
    connection,
    "calibrations",
    "customer_id",
    {now: "calibration", earlier: "calibration_validation"},
    {prefix: "check_", columns: calibrationColumns, present: "x", kept: ["first_week"]}
  );
  const full = await fitClv(duckdbSession(connection), end, end, {summary: "calibration"});
  // Whether the data suffice to value anyone (minimumFit) and what the fits cannot tell:
  // the page withholds the value, or P(active), where they rest on it.
  const [counts] = (await queryRows<{customers: number; repeatBuyers: number}>(
    connection,
    `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE frequency > 0)::INTEGER AS "repeatBuyers"
     FROM customer_summary WHERE purchase_days > 0`
  )) as [{customers: number; repeatBuyers: number}];
  const unidentified = [...full.bgnbd.health.unidentified, ...(full.gamma_gamma?.health.unidentified ?? [])];
  // Before any value is known (0 stands in for it); checked again with the value below.
  const fitted = equityValuation({...counts, unidentified, value: 0});
  // P(active) rests on dropout: without it (or without a valuation) no page ranks or flags customers by it.
  const pAliveTold = fitted.valued && !unidentified.includes("dropout");
  // The margin to a tenth of a percent: the page's margin slider has that step, so the
  // page and the overview value customers with the same margin.
  await derived.derive("equity_margin", (dialect) => grossMarginSql(dialect, source.margin_rate), {
    what: "the gross margin",
    order: "margin"
  });
  const [{margin}] = (await queryRows<{margin: number}>(connection, "SELECT margin FROM equity_margin")) as [
    {margin: number}
  ];
  const gg = full.gamma_gamma?.params;
  // Gamma-Gamma's mean spend, else the repeat buyers' (from the calibration table here, so both sources sum in the same order;
  // not needed, 0, where Gamma-Gamma's mean exists, as it does at every parameter draw then).
  const repeatBuyersMean =
    gg && gg.q > 1
      ? 0
      : ((
          await queryRows<{m: number}>(connection, "SELECT avg(spend)::DOUBLE AS m FROM calibration WHERE spend > 0")
        )[0]?.m ?? 0);
  const newCustomerSpend = newCustomerSpendOf(gg, repeatBuyersMean);
  // Both models' parameters drawn from their estimates' uncertainty, for every interval of the page (seeded).
  const draws = fitted.valued ? drawParameters(full.bgnbd, full.gamma_gamma) : [];
  // The model's parameters, where it can tell who is still a customer: the customer states judge P(active) by them
  // at every month end (src/core/sql/customerStates.ts), so equity runs before the retention and lifecycle pages.
  if (pAliveTold) await writeCustomerModel(connection, full.bgnbd.params);
  const pAlive = (prefix: string) =>
    bgnbdProbabilityAliveSql(full.bgnbd.params, {x: `${prefix}x`, tx: `${prefix}t_x`, T: `${prefix}"T"`});
  type Customer = {
    customer_id: string;
    x: number;
    t_x: number;
    T: number;
    spend: number | null;
    p_alive: number;
    acquisition_channel: string | null;
    acquisition_cost: number | null;
    margin_to_date: number;
    cohort: string;
    first_purchase: string;
    last_purchase: string;
    overdue: boolean;
    shipped: boolean;
  };
  // Every customer who has bought: one whose first purchase is on the last day is not in
  // the calibration table (T = 0 adds nothing to a fit) and is valued as a new customer.
  // Streamed a chunk at a time, so that a million customers never sit in memory at once;
  // the file gets the customers who ship (all of them unless there are too many for a browser).
  const customers = await connection.stream(
    `SELECT s.customer_id, coalesce(c.x, 0) AS x, coalesce(c.t_x, 0) AS t_x, coalesce(c.T, 0) AS T, c.spend, coalesce(${pAlive("c.")}, 1) AS p_alive,
            s.acquisition_channel, TRY_CAST(s.acquisition_cost AS DOUBLE) AS acquisition_cost,
            s.profit::DOUBLE AS margin_to_date, strftime(s.first_purchase, '%Y-%m') AS cohort,
            strftime(s.first_purchase, '%Y-%m-%d') AS first_purchase, strftime(s.last_purchase, '%Y-%m-%d') AS last_purchase,
            ${summaryOverdueSql({x: "c.x", tx: "c.t_x", T: 'c."T"'})} AS overdue,
            ${figuresOnly ? "false" : `s.customer_id IN (SELECT customer_id FROM ${browserCustomers})`} AS shipped
     FROM customer_summary s LEFT JOIN calibration c USING (customer_id)
     WHERE s.purchase_days > 0 ORDER BY s.customer_id`
  );
  // Every customer valued as a group of one, as the page's what-if values its groups.
  const clvOptions = {
    margin,
    periodLength: weeksPerMonth,
    periods: 12 * equityDefaults.years,
    discountRate: monthlyRate(equityDefaults.annualDiscountRate)
  };
  const valuation = customerValuation(full.bgnbd.params, clvOptions);
  // The same CLV and purchases next year at each draw, for the shipped customers' intervals.
  const valueAtDraws = customerValueDraws(draws, clvOptions, repeatBuyersMean);
  // Expected purchases in the next 52 weeks if still active: one undiscounted period of a year.
  const nextYearIfAlive = memoizedDiscountedPurchases(full.bgnbd.params, {
    periodLength: 52,
    periods: 1,
    discountRate: 0
  });
  // Each customer's (x, t_x, T) and expected spend, for the what-if's groups (coarsenGroups), and whether they have a
  // mean repeat spend and what it is, for the same groups' spend at each draw (currentValueByYearDraws).
  const whatIf = {x: [] as number[], tx: [] as number[], T: [] as number[], spend: [] as number[]};
  const repeat = {spend: [] as number[], customers: [] as number[]};
  const value = (c: Customer) => {
    const pAlive = c.p_alive;
    const spend = expectedSpendPerPurchase(gg, c.x, c.spend, newCustomerSpend);
    whatIf.x.push(c.x);
    whatIf.tx.push(c.t_x);
    whatIf.T.push(c.T);
    whatIf.spend.push(spend);
    const repeatBuyer = c.x > 0 && c.spend !== null && c.spend > 0;
    repeat.spend.push(repeatBuyer ? c.spend! : 0);
    repeat.customers.push(repeatBuyer ? 1 : 0);
    const clv = valuation.total({x: c.x, tx: c.t_x, T: c.T, spend});
    const next = customerNextPurchase(full.bgnbd.params, {x: c.x, tx: c.t_x, T: c.T}, end);
    // Only the customers who ship: their intervals cost a valuation at every draw.
    const atDraws = c.shipped && draws.length ? valueAtDraws({x: c.x, tx: c.t_x, T: c.T, spend: c.spend}) : null;
    const clvShown = fitted.valued && Number.isFinite(clv);
    const clvInterval = atDraws && clvShown ? drawInterval(atDraws.clv) : null;
    const purchasesInterval = atDraws && pAliveTold ? drawInterval(atDraws.purchasesNextYear) : null;
    const row = {
      customer_id: c.customer_id,
      acquisition_channel: c.acquisition_channel ?? "",
      cohort: c.cohort,
      acquisition_cost: c.acquisition_cost ?? "",
      // Revenue less cost of goods so far: with the CLV, what the customer is worth in all.
      margin_to_date: c.margin_to_date.toFixed(2),
      first_purchase: c.first_purchase,
      last_purchase: c.last_purchase,
      x: c.x,
      // Blank where the data cannot tell dropout, which both rest on.
      p_alive: pAliveTold ? pAlive.toFixed(4) : "",
      // Eq. 10 of FHL 2005: P(active) × expected purchases if active.
      purchases_next_year: pAliveTold ? (pAlive * nextYearIfAlive(c.x, c.T)[0]!).toFixed(3) : "",
      // P(alive) × P(a purchase within 90 days if active): blank where P(alive) is.
      p_buy_90_days: pAliveTold ? next.pBuyWithinWindow.toFixed(4) : "",
      // If still active, an even chance of a purchase by then; rests on the purchase rates alone, not on dropout.
      next_purchase: fitted.valued ? next.date : "",
      // Silent longer than their usual gap (summaryOverdueSql): the data's, no model's.
      overdue: c.overdue,
      expected_spend: spend.toFixed(2),
      // Blank where the models cannot value the customers.
      clv: clvShown ? clv.toFixed(2) : "",
      // The intervals (intervalLevel) from both models' parameter uncertainty; blank where the figure is, or where it cannot be measured.
      clv_low: clvInterval ? clvInterval.low.toFixed(2) : "",
      clv_high: clvInterval ? clvInterval.high.toFixed(2) : "",
      purchases_next_year_low: purchasesInterval ? purchasesInterval.low.toFixed(3) : "",
      purchases_next_year_high: purchasesInterval ? purchasesInterval.high.toFixed(3) : ""
    };
    return {row, clv};
  };
  // The file's columns, each a key of the row (else this does not compile).
  const clvColumns: (keyof ReturnType<typeof value>["row"])[] = [...customerClvColumns];
  if (!figuresOnly) writeFile("customer_clv.csv.gz", clvColumns.join(","));
  // Over every customer, whichever ship: the CLVs for the histogram and what each channel's and month's customers are worth.
  const clvs: number[] = [];
  const byChannel = new Map<string, GroupTotals>();
  const byMonth = new Map<string, GroupTotals>();
  let currentValue = 0;
  // Each customer's CLV, next purchase and P(active) where the model can tell P(active): the early warning's value at
  // stake and expected next purchase (rankWarningSql), and the retention page's bonds (bondValueSql), as table
  // customer_value in the loaders' DuckDB once the stream is read.
  const valueIds: string[] = [];
  const nextPurchases: string[] = [];
  const pAlives: number[] = [];
  // customer_clv's rows, for the table of the same name.
  const shippedValues: [string, number | null, number, number | null][] = [];
  for await (const batch of customers.yieldRowObjectJson()) {
    const shipped = [];
    for (const customer of batch as Customer[]) {
      const {row, clv} = value(customer);
      const worth = {
        margin_to_date: Number(row.margin_to_date),
        clv: row.clv === "" ? NaN : Number(row.clv),
        acquisition_cost: customer.acquisition_cost
      };
      clvs.push(worth.clv);
      // Unrounded, as the page's what-if adds its groups: the overview and the page give one figure.
      currentValue += clv;
      addToGroup(byChannel, customer.acquisition_channel, worth);
      addToGroup(byMonth, customer.cohort, worth);
      if (customer.shipped) shipped.push(row);
      if (pAliveTold) {
        nextPurchases.push(row.next_purchase);
        pAlives.push(customer.p_alive);
      }
    }
    if (shipped.length) appendFile("customer_clv.csv.gz", `\n${csvFormatBody(shipped, clvColumns)}`);
    // Appended once the stream is read: a query on the connection would end the stream.
    const number = (text: string | number) => (text === "" ? null : Number(text));
    for (const r of shipped)
      shippedValues.push([r.customer_id, number(r.acquisition_cost), Number(r.margin_to_date), number(r.clv)]);
    if (pAliveTold) for (const customer of batch as Customer[]) valueIds.push(String(customer.customer_id));
  }
  await appendRows(connection, "customer_clv", shippedValues);
  if (pAliveTold) {
    await connection.run(
      "CREATE OR REPLACE TEMP TABLE customer_value (customer_id VARCHAR, clv DOUBLE, next_purchase VARCHAR, p_alive DOUBLE)"
    );
    const values = valueIds.flatMap((id, i) =>
      Number.isFinite(clvs[i])
        ? [[id, clvs[i]!, nextPurchases[i] || null, Number.isFinite(pAlives[i]) ? pAlives[i]! : null] as const]
        : []
    );
    await appendRows(connection, "customer_value", values);
  }
  const valued = clvs.length;
  const verdict = equityValuation({...counts, unidentified, value: currentValue});
  const monthStart = (month: string) => new Date(`${month}-01`);
  const periodOf = acquisitionPeriod([...byMonth.keys()].map(monthStart));
  const {groups: sortedGroups, weeks: groupWeeks} = coarsenGroups(whatIf, whatIfGroupLimit);
  // The same groups (their rounding depends on (x, t_x, T) alone) counting and summing only the repeat buyers' mean spend.
  const repeatBuyerGroups = coarsenGroups({...whatIf, ...repeat}, whatIfGroupLimit).groups;
  const inputs: EquityInputs = {
    params: full.bgnbd.params,
    margin,
    ...equityDefaults,
    retentionGain: 0,
    acquisitionsPerMonth: 0,
    acquisitionCost: 0,
    newCustomerSpend
  };
  const kpi = verdict.valued
    ? {
        customers: valued,
        currentValue,
        meanClv: valued ? currentValue / valued : NaN,
        trend: currentCustomersValueByYear(sortedGroups, inputs),
        previous: fittedOnce
      }
    : {
        customers: valued,
        currentValue: null,
        meanClv: null,
        trend: [],
        withheld: verdict.sentence,
        previous: fittedOnce
      };
  if (figuresOnly) return kpi;

  const groupsCsv = csvFormat(sortedGroups.map((g) => ({...g, spend: g.spend.toFixed(4)})));
  writeFile("equity_groups.csv.gz", groupsCsv);
  const validation = await fitClv(
    duckdbSession(connection),
    calibrationEnd,
    end,
    {summary: "calibration_validation"},
    {paretoNbd: true}
  );
  // What the page's refit of a channel or segment in the browser fits, as npm run clv -- --channel would.
  const slices = await equitySlices(
    connection,
    {full: "calibration", validation: "calibration_validation"},
    {end, calibrationEnd},
    context.browserRows
  );
  writeFile("equity_slices.json.gz", `${JSON.stringify(slices)}\n`);
  const track = await tracking(context, start, end, calibrationEnd, {
    bgnbd: (weeks) => bgnbdExpectedPurchases(validation.bgnbd.params, weeks),
    pareto_nbd: (weeks) => paretoNbdExpectedPurchases(validation.pareto_nbd!.params, weeks)
  });

  // Inputs for the what-if and the closed-form cross-check, from the recent complete months
  // (the data's first month's customers were already customers: not counted as won).
  const windows = recentWindows(start, end, newCustomersFrom(source));
  await derived.derive("equity_recent", (dialect) => recentActivitySql(dialect, windows), {
    what: "the recent months' customers",
    order: "acquired"
  });
  const [recent] = await queryRows<RecentActivity>(connection, "SELECT * FROM equity_recent");
  const defaults = {
    ...equityDefaults,
    acquisitionsPerMonth:
      windows.acquisition.months > 0 ? Math.round(((recent?.acquired ?? 0) / windows.acquisition.months) * 10) / 10 : 0,
    acquisitionCost: Math.round((recent?.cac ?? 0) * 100) / 100,
    retentionGain: defaultRetentionGain
  };
  // The what-if's first view (today's value, and with the default retention gain), valued here as the page's worker
  // would value it: on its groups as the page reads them (spend to 4 places, d3.autoType) and at its controls'
  // defaults (percentages to a tenth). The page shows them without waiting for its worker (equityScenarios).
  const pageGroups = csvParse(groupsCsv, autoType) as unknown as CustomerGroup[];
  const firstScenarios = verdict.valued
    ? [0, defaults.retentionGain].map((retentionGain) => {
        const pageInputs: EquityInputs = {
          ...defaults,
          params: full.bgnbd.params,
          margin: fromPercent(asPercent(margin)),
          annualDiscountRate: fromPercent(asPercent(defaults.annualDiscountRate)),
          retentionGain: fromPercent(asPercent(retentionGain)),
          newCustomerSpend
        };
        return {key: scenarioKey(pageInputs), scenario: equityScenario(pageGroups, pageInputs)};
      })
    : [];
  // Over the longest horizon the page offers, so that its band covers every horizon chosen.
  const projection = verdict.valued
    ? projectCurrentValue(sortedGroups, repeatBuyerGroups, {...inputs, years: horizonMaxYears}, draws, repeatBuyersMean)
    : null;
  writeFile(
    "equity.json",
    `${JSON.stringify(
      {
        calibration_end: calibrationEnd,
        validation: {
          ...clvFitSummary(validation),
          holdout: validation.holdout,
          holdout_weeks: validation.holdout_weeks,
          ...holdoutComparison(validation)
        },
        tracking: track,
        full: clvFitSummary(full),
        margin,
        new_customer_spend: newCustomerSpend,
        defaults,
        first_scenarios: firstScenarios,
        // The months each default and figure is measured over (dataEdges.ts), for the page to state.
        windows,
        // Per period of the retention spans' length (a year where the data hold two complete years).
        gupta_lehmann: {
          months: windows.retention?.current.months ?? null,
          margin: recent && recent.active > 0 ? (margin * recent.revenue) / recent.active : null,
          retention: recent && recent.previous > 0 ? recent.retained / recent.previous : null
        },
        // Whether the models value the customers (else why, and what the data say instead).
        valuation: verdict,
        // Over the retention spans' recent one (recentActivitySql counts its customers and revenue).
        observed: {
          active: recent?.active ?? 0,
          revenue: recent?.revenue ?? 0,
          margin: margin * (recent?.revenue ?? 0),
          months: windows.retention?.current.months ?? 0,
          dates: windows.retention ? spanDates(windows.retention.current) : ""
        },
        // Whether P(active) (and expected purchases next year) can be shown: dropout told.
        p_active_told: pAliveTold,
        current_value: verdict.valued ? currentValue : null,
        customers: valued,
        // 0: the what-if's groups are exact; else t_x and T rounded to this many weeks.
        groups_rounded_to_weeks: groupWeeks,
        clv_histogram: verdict.valued ? clvBins(clvs) : [],
        value_by_channel: groupValues(byChannel),
        // Customers of the data's first month were already customers: a group of their own, not a cohort.
        value_by_cohort: groupValues(
          mergeGroups(byMonth, (month) =>
            isAlreadyCustomer(`${month}-01`, newCustomersFrom(source))
              ? alreadyCustomersGroup
              : periodOf(monthStart(month))
          )
        ),
        projection
      },
      null,
      2
    )}\n`
  );
  return kpi;
};
