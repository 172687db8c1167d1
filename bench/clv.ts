// Customer-equity benchmark on the full CDNOW master (23,570 customers; ../shared/datasets),
// calibration to 1997-09-30: each step timed alone (the calibration summary in SQL, the BG/NBD
// fit, the Gamma-Gamma fit, the Pareto/NBD fit, CLV for every customer, and the equity page's refit of a slice the
// size of the whole master from its shipped summaries, as its Web Worker runs it), the median of BENCH_RUNS runs (21 unless
// set, at least 15) after warm-up runs, beside lifetimes' figures for the same work. Prints a
// table and writes bench/results/clv.json. A new step is one more entry in `steps`.
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {loadavg, tmpdir} from "node:os";
import {join} from "node:path";
import {readClvSummary, readClvSummaryColumns} from "../loaders/clv.js";
import {clvFitOptions, refitSlice, shipClvSummary} from "../src/core/models/clvSummaryFit.js";
import {ingest} from "../loaders/ingest.js";
import {withSession} from "../loaders/source/source.js";
import {readSettings} from "../loaders/settings.js";
import {fitBgNbd} from "../src/core/models/bgnbdFit.js";
import {customerValuation} from "../src/core/models/customerLifetimeValue.js";
import {monthlyRate, weeksPerMonth} from "../src/core/models/equity.js";
import {expectedSpendPerPurchase, newCustomerSpend} from "../src/core/models/gammaGammaExpectedSpend.js";
import {fitGammaGamma} from "../src/core/models/gammaGammaFit.js";
import {fitParetoNbd} from "../src/core/models/paretoNbdFit.js";
import {calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {purchaseDaysSql} from "../src/core/sql/purchaseDays.js";

/**
 * lifetimes (BetaGeoFitter, GammaGammaFitter, customer_lifetime_value) on the CDNOW master,
 * measured on this machine for issue #22. lifetimes cannot be installed here now, so these
 * are the figures, not rerun by this script.
 */
const lifetimesNote =
  "lifetimes: figures measured on this machine for issue #22 (lifetimes cannot be installed here, so not rerun)";

const projectDir = join(import.meta.dirname, "..");
const master = join(projectDir, "..", "shared", "datasets", "cdnow_master.txt.gz");
if (!existsSync(master)) {
  console.log(`bench/clv: skipped, ${master} is absent`);
  process.exit(0);
}
const runs = Math.max(15, Number(process.env.BENCH_RUNS ?? 21));
const warmup = 3;
const calibrationEnd = "1997-09-30";
const holdoutEnd = "1998-06-30";

/** One step to time: what it is, lifetimes' time for the same work (ms) where known, and the work. */
interface Step {
  measure: string;
  lifetimesMs?: number;
  run: () => unknown;
}

/**
 * The step's wall times and this process's CPU times (ms) over `runs` runs after `warmup`
 * untimed ones. Where other jobs share the cores, the wall time grows and the CPU time hardly
 * does; for the fits, which run on one thread, CPU time is what an idle machine's wall time would be.
 */
async function timeRuns({run}: Step): Promise<{wall: number[]; cpu: number[]}> {
  for (let i = 0; i < warmup; i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await run();
    const {user, system} = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((user + system) / 1000);
  }
  return {wall, cpu};
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// The machine is shared: the load average, before and after, says how far to trust the medians.
const load = [loadavg()[0]!];
const dir = mkdtempSync(join(tmpdir(), "bench-clv-"));
await ingest("cdnow", [master], dir, {asOf: "2000-01-01", key: "bench"});
const results = await withSession(readSettings(process.env, {source: dir}), async (session) => {
  const summary = await readClvSummary(session, calibrationEnd, holdoutEnd);
  const bgnbd = fitBgNbd(summary.triples, clvFitOptions);
  const gammaGamma = fitGammaGamma(summary.spends, clvFitOptions);
  if (!bgnbd.convergence.converged || !gammaGamma.convergence.converged) throw new Error("a fit did not converge");
  // Every customer's (x, t_x, T, mean repeat spend), as npm run clv --customers values them.
  const customers = await session.columns<"x" | "t_x" | "T" | "spend">(
    `SELECT x, t_x, "T", spend FROM (${calibrationSummarySql(session.dialect, calibrationEnd, holdoutEnd, purchaseDaysSql(session.table("transactions")))}) c`,
    {what: "every customer's calibration summary", table: "transactions"}
  );
  const gg = gammaGamma.params;
  const repeatSpends = Array.from(customers.spend).filter((m) => m > 0);
  const newSpend = newCustomerSpend(gg, repeatSpends.reduce((t, m) => t + m, 0) / repeatSpends.length);
  const horizon = {periodLength: weeksPerMonth, periods: 36, discountRate: monthlyRate(0.1)};
  const valueAll = () => {
    // A valuation per run, so that no run reuses another's cached discounted purchases.
    const valuation = customerValuation(bgnbd.params, horizon);
    let total = 0;
    for (let i = 0; i < customers.x.length; i++) {
      const [x, tx, T, m] = [customers.x[i]!, customers.t_x[i]!, customers.T[i]!, customers.spend[i]!];
      total += valuation.total({
        x,
        tx,
        T,
        spend: expectedSpendPerPurchase(gg, x, Number.isNaN(m) ? null : m, newSpend)
      });
    }
    if (!(total > 0)) throw new Error("no value");
    return total;
  };
  // A slice the size of the master as equity_slices.json.gz ships it: at the data's end, and at the cut-off.
  const shipped = {
    full: shipClvSummary(await readClvSummaryColumns(session, holdoutEnd, holdoutEnd)),
    validation: shipClvSummary(await readClvSummaryColumns(session, calibrationEnd, holdoutEnd))
  };
  const dates = {end: holdoutEnd, calibrationEnd};
  const clock = () => performance.now();
  const steps: Step[] = [
    {
      measure: `calibration summary in SQL (${summary.triples.size} distinct (x, t_x, T), ${summary.spends.length} (x, spend))`,
      run: () => readClvSummary(session, calibrationEnd, holdoutEnd)
    },
    {
      measure: `BG/NBD fit (${bgnbd.customers} customers, ${bgnbd.convergence.iterations} iterations)`,
      lifetimesMs: 87,
      run: () => fitBgNbd(summary.triples, clvFitOptions)
    },
    {
      measure: `Gamma-Gamma fit (${gammaGamma.customers} repeat buyers, ${gammaGamma.convergence.iterations} iterations)`,
      lifetimesMs: 57,
      run: () => fitGammaGamma(summary.spends, clvFitOptions)
    },
    {
      measure: `Pareto/NBD fit (${bgnbd.customers} customers)`,
      lifetimesMs: 3600,
      run: () => fitParetoNbd(summary.triples, clvFitOptions)
    },
    {measure: `CLV for all ${customers.x.length} customers, 36 monthly periods`, lifetimesMs: 177, run: valueAll},
    {
      measure: `equity page's refit of a slice (refitSlice: BG/NBD and Gamma-Gamma to ${holdoutEnd} and to ${calibrationEnd}, with the check's scores)`,
      run: () => refitSlice(shipped, dates, {clock})
    },
    {
      measure: "the same refit with Pareto/NBD beside BG/NBD in the check",
      run: () => refitSlice(shipped, dates, {paretoNbd: true, clock})
    }
  ];
  const timed = [];
  for (const step of steps)
    timed.push({measure: step.measure, lifetimesMs: step.lifetimesMs, ...(await timeRuns(step))});
  return timed;
});
rmSync(dir, {recursive: true, force: true});
load.push(loadavg()[0]!);

const rows = results.map(({measure, lifetimesMs, wall, cpu}) => ({
  measure,
  "ours (ms)": Number(median(wall).toFixed(1)),
  "ours, CPU (ms)": Number(median(cpu).toFixed(1)),
  "lifetimes (ms)": lifetimesMs ?? "",
  "lifetimes / ours": lifetimesMs ? Number((lifetimesMs / median(wall)).toFixed(1)) : "",
  runs: wall.length
}));
console.table(rows);
console.log(
  `Medians after ${warmup} warm-up runs (the ratio on wall time); load average ${load.map((l) => l.toFixed(1)).join(" → ")} on 2 cores. ${lifetimesNote}.`
);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "clv.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", loadAverage: load, note: lifetimesNote, warmup, rows, runs: results}, null, 2)}\n`
);
