// npm run clv on Fader & Hardie's CDNOW sample (../shared/datasets; skipped where absent):
// stdout is the fit as JSON and nothing else, stderr a summary in plain words, and
// --customers writes one CSV row per customer, in pseudonym order, whose P(active) is FHL
// 2005's eq. 13 (written out here) at the printed parameters.
import {spawnSync} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {csvParse} from "d3";
import {describe, expect, it} from "vitest";
import {gunzipSync} from "node:zlib";
import type {PrintedClvFit} from "../src/core/models/clvSummaryFit.js";
import {clvFitWithoutTime} from "./clvOutput.js";
import {runIngest, testKey} from "./ingestHelpers.js";
import {temporaryDirectory} from "./tempDir.js";

const datasets = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));
const present = existsSync(datasets);
if (!present) console.warn(`skipping the npm run clv tests: ${datasets} is absent`);

const clv = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "loaders/cli/clv.ts", ...args], {
    encoding: "utf-8",
    env: {...process.env, CUSTOMER_EQUITY_PSEUDONYM_KEY: testKey}
  });

describe.skipIf(!present)("npm run clv on the CDNOW sample, calibration to 1997-09-30", () => {
  const ingested = runIngest("cdnow", [`${datasets}cdnow_sample.txt.gz`], {asOf: "2000-01-01"});

  it("prints the fit as JSON alone on stdout, a plain summary on stderr, and each customer's value as CSV", async () => {
    const {dir} = await ingested;
    const csv = join(temporaryDirectory("clv-cli-"), "customers.csv");
    const result = clv([dir, "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--customers", csv]);
    expect(result.status, result.stderr).toBe(0);
    // The whole of stdout parses as JSON: no progress line or summary mixed in.
    const fit = JSON.parse(result.stdout) as PrintedClvFit;
    // Every model under its own key, each with the same figures, in snake case alone.
    const keys = ["params", "standard_errors", "covariance", "log_likelihood", "customers", "fit_ms", "holdout"];
    for (const model of ["bgnbd", "pareto_nbd", "gamma_gamma"] as const) {
      expect(Object.keys(fit[model]!), model).toEqual(expect.arrayContaining(keys));
      expect(
        Object.keys(fit[model]!).filter((key) => /[A-Z]/.test(key)),
        model
      ).toEqual([]);
    }
    // Fader, Hardie & Lee (2005), Marketing Science 24(2): r = 0.243, α = 4.414, a = 0.793, b = 2.426.
    const {r, alpha, a, b} = fit.bgnbd.params;
    expect([r, alpha, a, b].map((v) => Number(v.toFixed(3)))).toEqual([0.243, 4.414, 0.793, 2.426]);
    // Pareto/NBD beside it, Fader & Hardie (2005, "Implementing the Pareto/NBD model"): r = 0.5533, α = 10.578,
    // s = 0.6063, β = 11.669, ln L = −9594.98 (their times are rounded to 2 decimals, ours are days / 7).
    const pareto = fit.pareto_nbd!;
    const published = {r: 0.5533, alpha: 10.578, s: 0.6063, beta: 11.669};
    for (const k of ["r", "alpha", "s", "beta"] as const) {
      expect(Math.abs(pareto.params[k] / published[k] - 1), k).toBeLessThan(1e-3);
      expect(pareto.standard_errors[k]).toBeGreaterThan(0);
    }
    expect(Math.abs(pareto.log_likelihood / -9594.98 - 1)).toBeLessThan(1e-3);
    expect(pareto.fit_ms).toBeGreaterThan(0);
    expect(pareto.converged).toBe(true);
    expect(pareto.health.ok).toBe(true);
    // Both purchase models' holdout scorecards (test/holdoutScorecard.test.ts checks their figures) and the choice.
    for (const model of [fit.bgnbd, pareto]) {
      expect(model.fit_ms).toBeGreaterThan(0);
      expect(model.holdout!.actual).toBe(1882);
      expect(model.holdout!.deciles).toHaveLength(10);
    }
    expect(fit.bgnbd.standard_errors.r).toBeGreaterThan(0);
    expect(fit.bgnbd.log_likelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.chosen_model).toBe("bgnbd");
    // Gamma-Gamma (FHL 2005 JMR: p 6.25, q 3.74, γ 15.44), and its check: each repeat buyer who bought in the
    // holdout, E[M | x, m_x] = (γ + m_x x) p / (p x + q − 1) against their mean spend per purchase day then, from the
    // raw file (columns: master id, sample id, yyyymmdd, quantity, dollars; a customer's purchases of one day are one).
    const gg = fit.gamma_gamma!;
    expect([gg.params.p, gg.params.q, gg.params.gamma].map((v) => Number(v.toFixed(2)))).toEqual([6.25, 3.74, 15.44]);
    expect(gg.fit_ms).toBeGreaterThan(0);
    expect(gg.log_likelihood).toBeCloseTo(-4055.92, 1);
    const days = new Map<string, Map<string, number>>();
    for (const line of gunzipSync(readFileSync(`${datasets}cdnow_sample.txt.gz`))
      .toString()
      .trim()
      .split("\n")) {
      const [, id, ymd, , dollars] = line.trim().split(/\s+/);
      const day = `${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6)}`;
      const customer = days.get(id!) ?? days.set(id!, new Map()).get(id!)!;
      customer.set(day, (customer.get(day) ?? 0) + Number(dollars));
    }
    const errors: number[] = [];
    for (const customer of days.values()) {
      const first = [...customer.keys()].sort()[0]!;
      const repeat = [...customer].filter(([day]) => day > first && day <= "1997-09-30").map(([, v]) => v);
      const holdout = [...customer].filter(([day]) => day > "1997-09-30" && day <= "1998-06-30").map(([, v]) => v);
      if (first > "1997-09-30" || !repeat.length || !holdout.length) continue;
      const [x, m] = [repeat.length, repeat.reduce((a, b) => a + b) / repeat.length];
      const expected = ((gg.params.gamma + m * x) * gg.params.p) / (gg.params.p * x + gg.params.q - 1);
      errors.push(expected - holdout.reduce((a, b) => a + b) / holdout.length);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(gg.holdout!.customers).toBe(errors.length);
    expect(gg.holdout!.mae).toBeCloseTo(mean(errors.map(Math.abs)), 6);
    expect(gg.holdout!.rmse).toBeCloseTo(Math.sqrt(mean(errors.map((e) => e * e))), 6);
    expect(gg.holdout!.bias).toBeCloseTo(mean(errors), 6);

    const lines = result.stderr.trim().split("\n");
    expect(lines.every((line) => line.startsWith("clv: "))).toBe(true);
    // 2,357 sampled customers, 946 of them repeat buyers in the calibration period (FHL 2005; Fader & Hardie's Gamma-Gamma note).
    expect(lines[0]).toBe("clv: 2,357 customers bought before 1997-09-30; 946 of them came back (repeat buyers)");
    expect(lines[1]).toBe("clv: purchases and dropout (BG/NBD): fits well");
    expect(lines[2]).toBe("clv: spend per purchase (Gamma-Gamma): fits well");
    expect(lines[3]).toMatch(
      /^clv: check 1997-09-30 to 1998-06-30 \(39\.0 weeks\): [\d,]+ purchase days expected, [\d,]+ made/
    );
    expect(lines[4]).toBe(`clv: model chosen by the check: ${fit.chosen_because}`);
    expect(lines.at(-1)).toBe(`clv: wrote the fit as JSON to stdout, and 2,357 customers' values to ${csv}`);

    const text = readFileSync(csv, "utf-8");
    expect(text.split("\n")[0]).toBe(
      "customer_id,frequency,recency_weeks,age_weeks,p_alive,expected_purchases_52_weeks,expected_spend,clv,clv_low,clv_high,expected_purchases_52_weeks_low,expected_purchases_52_weeks_high,next_purchase,p_buy_90_days,overdue"
    );
    const rows = csvParse(text);
    expect(rows).toHaveLength(2357);
    const ids = rows.map((row) => row.customer_id!);
    expect(ids.every((id, i) => /^c[0-9a-f]{16}$/.test(id) && (i === 0 || ids[i - 1]! < id))).toBe(true);
    expect(rows.filter((row) => Number(row.frequency) > 0)).toHaveLength(946);
    // FHL 2005 eq. 13: P(alive) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
    for (const row of rows) {
      const [x, tx, T] = [Number(row.frequency), Number(row.recency_weeks), Number(row.age_weeks)];
      const pAlive = x > 0 ? 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x)) : 1;
      expect(Math.abs(Number(row.p_alive) - pAlive), row.customer_id).toBeLessThan(2e-4);
      // Active, the wait to the next purchase is Lomax: P(none within t) = ((α+T)/(α+T+t))^(r+x); 90 days = 90/7 weeks,
      // and the median wait solves ((α+T)/(α+T+w))^(r+x) = 1/2, counted in days from the calibration end.
      const pBuy = pAlive * (1 - ((alpha + T) / (alpha + T + 90 / 7)) ** (r + x));
      expect(Math.abs(Number(row.p_buy_90_days) - pBuy), row.customer_id).toBeLessThan(2e-4);
      const waitDays = 7 * (alpha + T) * (2 ** (1 / (r + x)) - 1);
      const shown = (Date.parse(row.next_purchase!) - Date.parse("1997-09-30")) / 86_400_000;
      expect(Math.abs(shown - waitDays), row.customer_id).toBeLessThanOrEqual(0.5 + 1e-6);
      // Overdue: at least three purchase days and silent (T − t_x) longer than the usual gap t_x / x, in whole days.
      const [silent, span] = [Math.round(7 * (T - tx)), Math.round(7 * tx)];
      expect(row.overdue, row.customer_id).toBe(String(x >= 2 && silent > span / x));
    }
    // Some are overdue and some not: the flag tells customers apart.
    expect(new Set(rows.map((row) => row.overdue))).toEqual(new Set(["true", "false"]));
    // The summary's value is the customers' CLVs added up.
    const total = rows.reduce((sum, row) => sum + Number(row.clv), 0);
    const printed = /value of these customers over the next 3 years: \$([\d,]+)/.exec(result.stderr)?.[1];
    expect(Math.abs(Number(printed?.replaceAll(",", "")) - total)).toBeLessThan(1 + rows.length * 0.005);
    // Each customer's ranges hold their figures, and the total's range, the models' draws added up, holds the total.
    for (const [figure, low, high] of [
      ["clv", "clv_low", "clv_high"],
      ["expected_purchases_52_weeks", "expected_purchases_52_weeks_low", "expected_purchases_52_weeks_high"]
    ] as const)
      expect(
        rows.filter((r) => !(Number(r[low]) <= Number(r[figure]) && Number(r[figure]) <= Number(r[high])))
      ).toEqual([]);
    const range = /80 % range \$([\d,]+)–\$([\d,]+) from the models' parameter uncertainty/
      .exec(result.stderr)
      ?.slice(1)
      .map((d) => Number(d.replaceAll(",", "")));
    expect(range![0]).toBeLessThan(total);
    expect(range![1]).toBeGreaterThan(total);
  });

  it("without --customers writes no file and says how to get one; the same run gives the same JSON but for the fit's time", async () => {
    const {dir} = await ingested;
    const [first, second] = [1, 2].map(() => clv([dir, "--calibration-end", "1997-09-30"]));
    expect(first!.status).toBe(0);
    expect(first!.stderr.trim().split("\n").at(-1)).toBe(
      "clv: wrote the fit as JSON to stdout (add --customers FILE.csv for each customer's value)"
    );
    // bgnbd.fit_ms and pareto_nbd.fit_ms are measured times: the rest is the same.
    expect(clvFitWithoutTime(second!.stdout)).toEqual(clvFitWithoutTime(first!.stdout));
  });
});
