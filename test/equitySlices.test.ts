// The equity page's refit inputs (equity_slices.json, loaders/site/equitySlices.ts) on the demo's folder, from the
// customers' calibration summaries as the equity loader keeps them: fitted by the core's fitClvSummary as the page's
// worker fits them, each slice's models equal npm run clv's on that slice (--channel; --segment and --cohort by the
// same sliceSession and fitClv in this process, as the command's spawn costs seconds) to 1e-6, and the channels'
// customers add up to the whole's.
import {spawnSync} from "node:child_process";
import {beforeAll, describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {equitySlices, type EquitySlices} from "../loaders/site/equitySlices.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {demoSource, withSession} from "../loaders/source/source.js";
import {fitClv} from "../loaders/clv.js";
import {sliceSession, type CustomerSlice} from "../loaders/sqlSession.js";
import {printedClvFit, refitSlice, type ClvFit, type PrintedClvFit} from "../src/core/models/clvSummaryFit.js";
import {customerValuation} from "../src/core/models/customerLifetimeValue.js";
import {monthlyRate, weeksPerMonth} from "../src/core/models/equity.js";
import {expectedSpendPerPurchase, newCustomerSpend} from "../src/core/models/gammaGammaExpectedSpend.js";
import {sliceValue} from "../src/core/models/sliceValue.js";
import {calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";
import {duckdb} from "../src/core/sql/sqlDialect.js";
import {testSettings} from "./settings.js";

/** What npm run clv fits on a slice (loaders/cli/clv.ts), in this process: its sliceSession and fitClv, as it prints them. */
async function sliceFit(
  dir: string,
  slice: CustomerSlice,
  calibrationEnd: string,
  holdoutEnd: string
): Promise<PrintedClvFit> {
  const fit = await withSession(testSettings(dir), (whole) =>
    fitClv(sliceSession(whole, slice), calibrationEnd, holdoutEnd, undefined, {paretoNbd: true})
  );
  return printedClvFit(fit);
}

/** npm run clv on the demo's folder, for one slice. */
function cli(dir: string, option: string, name: string, calibrationEnd: string, holdoutEnd: string): PrintedClvFit {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "loaders/cli/clv.ts",
      dir,
      option,
      name,
      "--calibration-end",
      calibrationEnd,
      "--holdout-end",
      holdoutEnd
    ],
    {encoding: "utf-8"}
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as PrintedClvFit;
}

/** Every parameter of both purchase models and Gamma-Gamma, and the check's scores, equal to 1e-6 relative. */
function expectSameFit(ours: ClvFit, theirs: PrintedClvFit) {
  expect(ours.customers).toBe(theirs.customers);
  const close = (a: number, b: number, what: string) => expect(Math.abs(a - b), what).toBeLessThan(1e-6 * Math.abs(b));
  // Pareto/NBD where the refit asked for it (the check's).
  for (const [model, params] of [
    ["bgnbd", ours.bgnbd.params],
    ["gamma_gamma", ours.gamma_gamma!.params],
    ...(ours.pareto_nbd ? [["pareto_nbd", ours.pareto_nbd.params] as const] : [])
  ] as const)
    for (const [k, v] of Object.entries(params))
      close(v, (theirs[model]!.params as unknown as Record<string, number>)[k]!, `${model}.${k}`);
  if (ours.holdout_weeks > 0) {
    close(ours.holdout.expected, theirs.holdout.expected, "holdout expected");
    expect(ours.holdout.actual).toBe(theirs.holdout.actual);
    close(ours.pareto_nbd!.holdout.rmse, theirs.pareto_nbd!.holdout.rmse, "Pareto/NBD RMSE");
    close(ours.gamma_gamma!.holdout!.rmse, theirs.gamma_gamma!.holdout!.rmse, "Gamma-Gamma RMSE");
    expect(ours.chosen_model).toBe(theirs.chosen_model);
  }
}

describe("equity_slices.json on the demo", () => {
  let slices: EquitySlices;
  let wholeCustomers: number;
  // The social channel's customers one by one, as the loader values each customer (customer_clv.csv).
  let socialCustomers: {x: number; t_x: number; T: number; spend: number | null}[];
  let dir: string;
  beforeAll(async () => {
    dir = await demoSource(testSettings(null));
    slices = await withDuckDB(async (connection) => {
      const {observation_end: end} = await openSourceFolder(connection, dir);
      // Each customer's channel and segment as the customers table has them, and their first purchase day (a day
      // returns cancel in full is none, as customer_summary counts them).
      await connection.run(
        `CREATE TEMP TABLE customer_summary AS SELECT customer_id, acquisition_channel, segment, first_purchase FROM canonical_customers
         LEFT JOIN (SELECT customer_id, min(day) AS first_purchase FROM (${purchaseDaysSql()}) GROUP BY customer_id) USING (customer_id)`
      );
      const dates = {end: end!, calibrationEnd: "2024-06-30"};
      for (const [table, from] of [
        ["calibration", dates.end],
        ["calibration_validation", dates.calibrationEnd]
      ] as const)
        await connection.run(`CREATE TEMP TABLE ${table} AS ${calibrationSummarySql(duckdb, from, dates.end)}`);
      const [count] = await queryRows<{n: number}>(connection, "SELECT count(*)::INTEGER AS n FROM calibration");
      wholeCustomers = count!.n;
      socialCustomers = await queryRows(
        connection,
        `SELECT x, t_x, "T", spend FROM calibration JOIN customer_summary USING (customer_id) WHERE acquisition_channel = 'social'`
      );
      return equitySlices(connection, {full: "calibration", validation: "calibration_validation"}, dates, 200_000);
    });
  }, 120_000);

  it("ships every channel and segment, and the channels' customers are the whole fit's", () => {
    expect(slices.rows).toBeLessThanOrEqual(slices.limit);
    // The demo's four channels and its segments (data/demo: the generator's).
    expect(slices.slices.filter((s) => s.kind === "channel").map((s) => s.name)).toEqual([
      "email",
      "referral",
      "search",
      "social"
    ]);
    expect(slices.slices.filter((s) => s.kind === "segment").length).toBeGreaterThan(1);
    // Cohorts: the years of the demo's first purchases (truth.json: 2023-01-01 to 2025-06-30).
    expect(slices.slices.filter((s) => s.kind === "cohort").map((s) => s.name)).toEqual(["2023", "2024", "2025"]);
    for (const kind of ["channel", "segment", "cohort"])
      expect(
        slices.slices.filter((s) => s.kind === kind).reduce((total, s) => total + s.customers, 0),
        kind
      ).toBe(wholeCustomers);
  });

  // As the page's worker refits a slice (refitSlice).
  const refit = (slice: EquitySlices["slices"][number]) =>
    refitSlice(slice, {end: slices.end, calibrationEnd: slices.calibration_end}, {paretoNbd: true, clock: () => 0});

  it("refits a channel as npm run clv -- --channel fits it, on all the data and before the cut-off", async () => {
    const {full, validation} = refit(slices.slices.find((s) => s.kind === "channel" && s.name === "social")!);
    expectSameFit(full, await sliceFit(dir, {column: "acquisition_channel", value: "social"}, slices.end, slices.end));
    expectSameFit(validation, cli(dir, "--channel", "social", slices.calibration_end, slices.end));
  }, 120_000);

  it("refits a segment as npm run clv -- --segment fits it", async () => {
    const segment = slices.slices.find((s) => s.kind === "segment")!;
    expectSameFit(
      refit(segment).validation,
      await sliceFit(dir, {column: "segment", value: segment.name}, slices.calibration_end, slices.end)
    );
  }, 120_000);

  it("refits a cohort as npm run clv -- --cohort fits it: the customers who first bought in that year", async () => {
    const cohort = slices.slices.find((s) => s.kind === "cohort" && s.name === "2024")!;
    expectSameFit(
      refit(cohort).validation,
      await sliceFit(dir, {firstPurchaseYear: 2024}, slices.calibration_end, slices.end)
    );
  }, 120_000);

  it("values a refitted channel's customers as the loader values each customer, summed", () => {
    const social = slices.slices.find((s) => s.kind === "channel" && s.name === "social")!;
    const {full} = refit(social);
    const settings = {margin: 0.3, annualDiscountRate: 0.1, years: 5};
    const ours = sliceValue(social.value, full, settings);
    // Customer by customer: the spend of a customer without repeat purchases is Gamma-Gamma's mean, else the repeat
    // buyers' mean spend (computed here from the rows).
    const gg = full.gamma_gamma?.params;
    const spenders = socialCustomers.filter((c) => c.x > 0 && c.spend != null && c.spend > 0);
    const newSpend = newCustomerSpend(gg, spenders.reduce((t, c) => t + c.spend!, 0) / spenders.length);
    const valuation = customerValuation(full.bgnbd.params, {
      margin: settings.margin,
      periodLength: weeksPerMonth,
      periods: 12 * settings.years,
      discountRate: monthlyRate(settings.annualDiscountRate)
    });
    const theirs = socialCustomers.reduce(
      (total, c) =>
        total +
        valuation.total({x: c.x, tx: c.t_x, T: c.T, spend: expectedSpendPerPurchase(gg, c.x, c.spend, newSpend)}),
      0
    );
    expect(ours.valuation.valued).toBe(true);
    expect(ours.customers).toBe(socialCustomers.length);
    expect(ours.repeatBuyers).toBe(socialCustomers.filter((c) => c.x > 0).length);
    expect(Math.abs(ours.value - theirs)).toBeLessThan(1e-9 * theirs);
  });
});
