// The CLV models on the CDNOW data (Fader & Hardie; ../shared/datasets, PROVENANCE.md)
// against published values. Skipped, with a message, where ../shared/datasets is absent.
import {describe, expect, it} from "vitest";
import {bgnbdConditionalExpectedPurchases} from "../../../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {fitBgNbd} from "../../../src/core/models/bgnbdFit.js";
import {bgnbdProbabilityAlive} from "../../../src/core/models/bgnbdProbabilityAlive.js";
import {customerValuation} from "../../../src/core/models/customerLifetimeValue.js";
import {gammaGammaExpectedSpend} from "../../../src/core/models/gammaGammaExpectedSpend.js";
import {fitGammaGamma} from "../../../src/core/models/gammaGammaFit.js";
import {paretoNbdConditionalExpectedPurchases} from "../../../src/core/models/paretoNbdConditionalExpectedPurchases.js";
import {paretoNbdExpectedPurchases} from "../../../src/core/models/paretoNbdExpectedPurchases.js";
import {fitParetoNbd} from "../../../src/core/models/paretoNbdFit.js";
import {paretoNbdTotalLogLikelihood} from "../../../src/core/models/paretoNbdLikelihood.js";
import {paretoNbdProbabilityAlive} from "../../../src/core/models/paretoNbdProbabilityAlive.js";
import {groupRfm} from "../../../src/core/models/rfmGroups.js";
import {readFileSync} from "node:fs";
import {
  datasetsPresent,
  readCdnowMasterRows,
  readCdnowSampleRows,
  readCdnowSummary,
  summariseCalibration,
  type CdnowSummaryRow
} from "./cdnowData.js";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
const time = <T>(f: () => T): [T, number] => {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
};

describe.skipIf(!datasetsPresent)("CLV models on the CDNOW sample (2,357 customers, calibration to 1997-09-30)", () => {
  const summary = datasetsPresent ? readCdnowSummary() : [];
  const byId = new Map(summary.map((row) => [row.id, row]));
  const repeatBuyers = summary.filter((row) => row.x > 0).map((row) => ({x: row.x, m: row.zbar}));

  it("the summary file is what our own builder makes from cdnow_sample.txt (same-day rows aggregated)", () => {
    const built = summariseCalibration(readCdnowSampleRows());
    expect(built).toHaveLength(2357);
    expect(summary).toHaveLength(2357);
    built.forEach((row, i) => {
      const ref = summary[i]!;
      expect(row.id).toBe(ref.id);
      expect(row.x).toBe(ref.x);
      expect(Math.abs(row.tx - ref.tx)).toBeLessThanOrEqual(0.0051); // the file rounds to 2 decimals
      expect(Math.abs(row.T - ref.T)).toBeLessThanOrEqual(0.0051);
      expect(Math.abs(row.zbar - ref.zbar)).toBeLessThanOrEqual(0.0051);
    });
  });

  it("BG/NBD fit: r 0.243, α 4.414, a 0.793, b 2.426, ln L −9582.4 (FHL 2005), SEs as lifetimes reports, its time printed (bench/clv.ts measures speed)", () => {
    const [fit, ms] = time(() => fitBgNbd(groupRfm(summary)));
    console.log(`BG/NBD fit, CDNOW sample: ${ms.toFixed(1)} ms`, JSON.stringify({...fit, covariance: undefined}));
    expect(fit.convergence.converged).toBe(true);
    expect(fit.health).toEqual({ok: true, problems: [], unidentified: []});
    // Fader, Hardie & Lee (2005), Marketing Science 24(2), §4 (CDNOW): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 3);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    // lifetimes docs/Quickstart.md@4f2833f (BetaGeoFitter on the same file): coef and se(coef)
    // r 0.242593 (0.012557), alpha 4.413532 (0.378221), a 0.792886 (0.185719), b 2.425752 (0.705345).
    const lifetimes = {
      r: [0.242593, 0.012557],
      alpha: [4.413532, 0.378221],
      a: [0.792886, 0.185719],
      b: [2.425752, 0.705345]
    } as const;
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(relative(fit.params[k], lifetimes[k][0])).toBeLessThan(2e-5);
      expect(relative(fit.standardErrors[k], lifetimes[k][1])).toBeLessThan(1e-3);
    }
  });

  it("BG/NBD predictions: 1.226 purchases in 39 weeks for x = 2, t_x = 30.43, T = 38.86, and lifetimes' top five", () => {
    const {params} = fitBgNbd(groupRfm(summary));
    // FHL 2005 §5; lifetimes test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet (|error| < 0.001).
    expect(Math.abs(bgnbdConditionalExpectedPurchases(params, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(1e-3);
    // lifetimes docs/Quickstart.md@4f2833f, "Ranking customers from best to worst": t = 1, the five highest, ascending.
    const top: [number, number][] = [
      [509, 0.424877],
      [841, 0.474738],
      [1981, 0.486526],
      [157, 0.662396],
      [1516, 0.710623]
    ];
    for (const [id, expected] of top) {
      const c = byId.get(id)!;
      expect(relative(bgnbdConditionalExpectedPurchases(params, 1, c.x, c.tx, c.T), expected)).toBeLessThan(1e-4);
    }
    const ranked = summary
      .map((c) => ({id: c.id, v: bgnbdConditionalExpectedPurchases(params, 1, c.x, c.tx, c.T)}))
      .sort((a, b) => a.v - b.v)
      .slice(-5)
      .map((c) => c.id);
    expect(ranked).toEqual(top.map(([id]) => id));
    // P(alive) stays a probability over every customer.
    for (const c of summary) {
      const p = bgnbdProbabilityAlive(params, c.x, c.tx, c.T);
      expect(p >= 0 && p <= 1).toBe(true);
    }
  });

  it("Pareto/NBD fit: r 0.5533, α 10.578, s 0.6063, β 11.669, ln L −9594.98 (Fader & Hardie 2005), its time printed (bench/clv.ts measures speed)", () => {
    const [fit, ms] = time(() => fitParetoNbd(groupRfm(summary)));
    console.log(`Pareto/NBD fit, CDNOW sample: ${ms.toFixed(1)} ms`, JSON.stringify({...fit, covariance: undefined}));
    expect(fit.convergence.converged).toBe(true);
    expect(fit.health).toEqual({ok: true, problems: [], unidentified: []});
    // Fader & Hardie (2005), "Implementing the Pareto/NBD model given interval-censored data", CDNOW sample.
    const published = {r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669};
    for (const k of ["r", "alpha", "s", "beta"] as const)
      expect(relative(fit.params[k], published[k])).toBeLessThan(1e-3);
    expect(relative(fit.logLikelihood, -9594.98)).toBeLessThan(1e-3);
    expect(Math.abs(fit.logLikelihood - -9594.98)).toBeLessThan(0.01);
  });

  it("Pareto/NBD likelihood, P(alive) and expected purchases agree with an mpmath implementation of lifetimes' formulas", () => {
    // test/fixtures/reference/pareto_nbd.json is what test/fixtures/reference/pareto_nbd.py printed: FHL 2005 note
    // eqs. 18–20, 27, 36–37 and 41 as lifetimes' ParetoNBDFitter writes them, in mpmath at 30 digits, on this summary.
    const reference = JSON.parse(
      readFileSync(new URL("../../fixtures/reference/pareto_nbd.json", import.meta.url), "utf-8")
    ) as {
      params: Record<string, [number, number, number, number]>;
      total_log_likelihood: Record<string, number>;
      expected_purchases: Record<string, number>;
      horizon: number;
      customers: [number, number, number][];
    };
    const groups = groupRfm(summary);
    for (const [name, [r, alpha, s, beta]] of Object.entries(reference.params))
      expect(
        relative(paretoNbdTotalLogLikelihood({r, alpha, s, beta}, groups), reference.total_log_likelihood[name]!)
      ).toBeLessThan(1e-12);
    const [r, alpha, s, beta] = reference.params.published!;
    const params = {r, alpha, s, beta};
    for (const [t, expected] of Object.entries(reference.expected_purchases))
      expect(relative(paretoNbdExpectedPurchases(params, Number(t)), expected)).toBeLessThan(1e-12);
    expect(reference.customers).toHaveLength(2357);
    for (const [id, pAlive, purchases] of reference.customers) {
      const c = byId.get(id)!;
      expect(relative(paretoNbdProbabilityAlive(params, c.x, c.tx, c.T), pAlive), `customer ${id}`).toBeLessThan(1e-11);
      expect(
        relative(paretoNbdConditionalExpectedPurchases(params, reference.horizon, c.x, c.tx, c.T), purchases),
        `customer ${id}`
      ).toBeLessThan(1e-11);
    }
  });

  it("Gamma-Gamma fit on the 946 repeat buyers: p 6.25, q 3.74, γ 15.44 (FHL 2005 JMR; lifetimes 6.25, 3.74, 15.45)", () => {
    expect(repeatBuyers).toHaveLength(946);
    const [fit, ms] = time(() => fitGammaGamma(repeatBuyers));
    console.log(`Gamma-Gamma fit, CDNOW sample: ${ms.toFixed(1)} ms`, JSON.stringify({...fit, covariance: undefined}));
    expect(fit.convergence.converged).toBe(true);
    expect(fit.health).toEqual({ok: true, problems: [], unidentified: []});
    expect(Math.abs(fit.params.p - 6.25)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.q - 3.74)).toBeLessThan(0.005);
    expect(Math.abs(fit.params.gamma - 15.44)).toBeLessThan(0.01);
    expect(Math.abs(fit.params.gamma - 15.45)).toBeLessThan(0.005);
    // lifetimes docs/Quickstart.md@4f2833f, conditional_expected_average_profit for customers 1, 2, 3, 6, 9,
    // and its mean over all 2,357 customers, 35.2529588256.
    for (const [id, expected] of [
      [1, 24.658619],
      [2, 18.911489],
      [3, 35.170981],
      [6, 71.462843],
      [9, 27.282408]
    ] as const) {
      const c = byId.get(id)!;
      expect(Math.abs(gammaGammaExpectedSpend(fit.params, c.x, c.zbar) - expected)).toBeLessThan(0.01);
    }
    const mean = summary.reduce((s, c) => s + gammaGammaExpectedSpend(fit.params, c.x, c.zbar), 0) / summary.length;
    expect(Math.abs(mean - 35.2529588256)).toBeLessThan(0.01);
  });

  it("CLV per customer matches lifetimes' docs example (12 periods of 30 weeks, 1 % a period), and all 2,357 valued, their time printed (bench/clv.ts measures speed)", () => {
    const bg = fitBgNbd(groupRfm(summary)).params;
    const gg = fitGammaGamma(repeatBuyers).params;
    // lifetimes docs/Quickstart.md@4f2833f: ggf.customer_lifetime_value(bgf, …, time=12, discount_rate=0.01) with the
    // default freq "D" (a factor of 30 time units per period) applied to these weekly data, so periods of 30 weeks.
    const options = {periodLength: 30, periods: 12, discountRate: 0.01};
    const valuation = customerValuation(bg, options);
    const clvOf = (c: CdnowSummaryRow) => valuation.total({...c, spend: gammaGammaExpectedSpend(gg, c.x, c.zbar)});
    for (const [id, expected] of [
      [1, 140.096211],
      [2, 18.943467],
      [3, 38.180574],
      [6, 1003.868107],
      [7, 28.109683],
      [9, 167.418216]
    ] as const)
      expect(relative(clvOf(byId.get(id)!), expected)).toBeLessThan(1e-3);
    // Monthly periods (4.345 weeks) over 3 years at 1 % a month, 30 % margin: the whole base.
    const monthly = {periodLength: 4.345, periods: 36, discountRate: 0.01, margin: 0.3};
    const monthlyValuation = customerValuation(bg, monthly);
    const [equity, ms] = time(() =>
      summary.reduce((s, c) => s + monthlyValuation.total({...c, spend: gammaGammaExpectedSpend(gg, c.x, c.zbar)}), 0)
    );
    console.log(
      `CLV of 2,357 customers over 36 monthly periods: ${ms.toFixed(1)} ms, customer equity ${equity.toFixed(2)}`
    );
    expect(equity).toBeGreaterThan(0);
  });
});

describe.skipIf(!datasetsPresent)(
  "CLV models on the CDNOW master (23,570 customers, built from cdnow_master.txt)",
  () => {
    it("fits BG/NBD and Gamma-Gamma, close to the 1/10 sample's estimates", () => {
      const master = summariseCalibration(readCdnowMasterRows());
      expect(master).toHaveLength(23570);
      const groups = groupRfm(master);
      const [fit, ms] = time(() => fitBgNbd(groups));
      console.log(
        `BG/NBD fit, CDNOW master (${groups.size} distinct (x, t_x, T)): ${ms.toFixed(1)} ms`,
        JSON.stringify({...fit, covariance: undefined})
      );
      expect(fit.convergence.converged).toBe(true);
      expect(fit.health).toEqual({ok: true, problems: [], unidentified: []});
      const sample = fitBgNbd(groupRfm(readCdnowSummary()));
      // The sample is 1/10 of the master: the estimates agree within the sample's standard errors.
      for (const k of ["r", "alpha", "a", "b"] as const)
        expect(Math.abs(fit.params[k] - sample.params[k])).toBeLessThan(2 * sample.standardErrors[k]);
      const repeat = master.filter((c) => c.x > 0 && c.zbar > 0).map((c) => ({x: c.x, m: c.zbar}));
      const [gg, ggMs] = time(() => fitGammaGamma(repeat));
      console.log(
        `Gamma-Gamma fit, CDNOW master (${repeat.length} repeat buyers with spend > 0): ${ggMs.toFixed(1)} ms`,
        JSON.stringify({...gg, covariance: undefined})
      );
      expect(gg.convergence.converged).toBe(true);
      expect(gg.health).toEqual({ok: true, problems: [], unidentified: []});
      const monthly = {periodLength: 4.345, periods: 36, discountRate: 0.01, margin: 0.3};
      const masterValuation = customerValuation(fit.params, monthly);
      const [, clvMs] = time(() =>
        master.reduce(
          (s, c) => s + masterValuation.total({...c, spend: gammaGammaExpectedSpend(gg.params, c.x, c.zbar)}),
          0
        )
      );
      console.log(`CLV of 23,570 customers over 36 monthly periods: ${clvMs.toFixed(1)} ms`);
    });
  }
);
