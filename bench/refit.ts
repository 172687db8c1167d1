// The equity page's live refit at CDNOW-master size (23,570 customers; ../shared/datasets): a site built from the
// master, its equity page opened in chromium, and the slice of every customer (the 1997 cohort: all first bought in
// Q1 1997) picked again and again. Timed inside the page: from the pick to the redrawn figures (the refit's value and
// parameters: the worker's first reply), and to the check chart and scorecard (its second reply, with Pareto/NBD);
// the worker's own time as the page states it; and the longest task on the main thread meanwhile (the issue's
// targets: under 150 ms to the redraw, no task over 200 ms). Median of BENCH_RUNS runs (9 unless set) after a warm-up
// pick. Prints a table and writes bench/results/refit.json. Usage: npx tsx bench/refit.ts
import {median} from "d3";
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {loadavg, tmpdir} from "node:os";
import {join} from "node:path";
import {ingest} from "../loaders/ingest.js";
import {serve} from "../scripts/serve.js";
import {launchChromium} from "../test/browser.js";
import {buildSite} from "../test/site.js";

const projectDir = join(import.meta.dirname, "..");
const master = join(projectDir, "..", "shared", "datasets", "cdnow_master.txt.gz");
if (!existsSync(master)) {
  console.log(`bench/refit: skipped, ${master} is absent`);
  process.exit(0);
}
const runs = Number(process.env.BENCH_RUNS ?? 9);
const slice = "the 1997 cohort";
const output = "dist-bench-refit";

const load = [loadavg()[0]!];
const source = mkdtempSync(join(tmpdir(), "bench-refit-"));
await ingest("cdnow", [master], source, {asOf: "2000-01-01", key: "bench"});
buildSite(output, {CUSTOMER_EQUITY_SOURCE: source});
rmSync(source, {recursive: true, force: true});

const site = await serve(join(projectDir, output), 0);
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(new URL("equity", site.url).href);
await page.waitForSelector("#slice-pick select");
await page.evaluate(() => {
  const scope = window as unknown as {longTasks: number[]};
  scope.longTasks = [];
  new PerformanceObserver((list) => scope.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
    type: "longtask"
  });
});

/** Picks a slice by its label: ms to the redrawn figures and to the scorecard, and the worker's ms the page states. */
function pick(label: string): Promise<{redrawn: number; scored: number; worker: number}> {
  return page.evaluate((label) => {
    const select = document.querySelector<HTMLSelectElement>("#slice-pick select")!;
    const root = document.querySelector("#observablehq-main")!;
    return new Promise((resolve) => {
      let redrawn = NaN;
      const start = performance.now();
      const observer = new MutationObserver(() => {
        const status = document.querySelector("#slice-status")?.textContent ?? "";
        if (
          Number.isNaN(redrawn) &&
          status.startsWith("Refitted") &&
          document.querySelector("#slice-parameters tbody tr")
        )
          redrawn = performance.now() - start;
        if (!Number.isNaN(redrawn) && document.querySelectorAll("#slice-scorecard tbody tr").length === 2) {
          observer.disconnect();
          const worker = Number(/in (\d+) ms/.exec(status)![1]);
          // The redrawn frame painted: the next animation frame after the figures changed.
          requestAnimationFrame(() => resolve({redrawn, scored: performance.now() - start, worker}));
        }
      });
      observer.observe(root, {subtree: true, childList: true, characterData: true});
      select.selectedIndex = [...select.options].findIndex((option) => option.text === label);
      select.dispatchEvent(new Event("input", {bubbles: true}));
    });
  }, label);
}

/** Back to all customers (no refit), waiting for its figures. */
async function reset() {
  await page.locator("#slice-pick select").selectOption({label: "All customers"});
  await page.waitForFunction(() => document.querySelector("#slice-status")?.textContent?.startsWith("All customers"));
}

const customers = await (async () => {
  await pick(slice); // warm-up: the worker's code compiled
  return /Refitted on ([\d,]+) customers/.exec((await page.locator("#slice-status").textContent())!)![1]!;
})();
const timings: {redrawn: number; scored: number; worker: number}[] = [];
for (let i = 0; i < runs; i++) {
  await reset();
  timings.push(await pick(slice));
}
const longTasks = await page.evaluate(() => (window as unknown as {longTasks: number[]}).longTasks);
// The figures as the page shows them, for a recomputation elsewhere.
const shown = {
  value: await page.locator("#slice-value .big").textContent(),
  valueNote: await page.locator("#slice-value p").first().textContent(),
  parameters: await page.locator("#slice-parameters tbody tr").allTextContents()
};
await page.locator("#slice-pick").evaluate((pick) => pick.scrollIntoView());
await page.screenshot({path: join(projectDir, "bench", "results", "refit.png")});
await browser.close();
site.server.close();
rmSync(join(projectDir, output), {recursive: true, force: true});
load.push(loadavg()[0]!);

const column = (key: keyof (typeof timings)[number]) => timings.map((t) => t[key]);
const rows = [
  {
    measure: `pick → redrawn figures (ms; target < 150)`,
    median: median(column("redrawn")),
    max: Math.max(...column("redrawn"))
  },
  {
    measure: "  of which the worker's refit and value (ms)",
    median: median(column("worker")),
    max: Math.max(...column("worker"))
  },
  {
    measure: "pick → check chart and scorecard, with Pareto/NBD (ms)",
    median: median(column("scored")),
    max: Math.max(...column("scored"))
  },
  {measure: "longest main-thread task (ms; target < 200)", median: NaN, max: Math.max(0, ...longTasks)}
];
console.log(
  `bench/refit: ${slice}, ${customers} customers, ${runs} runs; load ${load.map((l) => l.toFixed(1)).join(" → ")}`
);
console.table(
  rows.map((row) => ({...row, median: Number((row.median ?? NaN).toFixed(1)), max: Number(row.max.toFixed(1))}))
);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "refit.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", load, slice, customers, shown, runs: timings, longTasks, rows}, null, 2)}\n`
);
