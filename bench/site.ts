// Site benchmark: build time, and in chromium the time from navigation to the index
// page's first chart and to its weekly chart, with the bytes served (uncompressed).
// Prints a table and writes bench/results/site.json. Usage: npm run bench
import {spawnSync} from "node:child_process";
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {serve} from "../scripts/serve.js";
import {launchChromium} from "../test/browser.js";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const projectDir = join(import.meta.dirname, "..");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const buildSeconds: number[] = [];
for (let i = 0; i < Math.min(runs, 3); i++) {
  const start = performance.now();
  // A cold build: the data loaders run again.
  spawnSync("rm", ["-rf", "src/.observablehq/cache"], {cwd: projectDir});
  const result = spawnSync("npm", ["run", "build"], {cwd: projectDir, encoding: "utf-8"});
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  buildSeconds.push((performance.now() - start) / 1000);
}

let bytes = 0; // sent by the server, so DuckDB's worker and wasm count too
const site = await serve(join(projectDir, "dist"), 0, (_path, size) => (bytes += size));
const browser = await launchChromium();
const firstChart: number[] = [];
const firstQuery: number[] = [];
const bytesToChart: number[] = [];
const bytesTotal: number[] = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext(); // a cold browser cache every run
  const page = await context.newPage();
  bytes = 0;
  const start = performance.now();
  await page.goto(site.url);
  await page.waitForSelector("#sales svg g[aria-label='rect']");
  firstChart.push(performance.now() - start);
  bytesToChart.push(bytes);
  const bars = "document.querySelectorAll(\"#sales svg g[aria-label='rect'] rect\").length";
  const monthly = await page.evaluate(bars);
  await page.getByLabel("week").check(); // the weekly sums (a file of the loader's): the chart then has more bars
  await page.waitForFunction(`${bars} > ${monthly}`);
  firstQuery.push(performance.now() - start);
  await page.waitForLoadState("networkidle");
  bytesTotal.push(bytes);
  await context.close();
}
// The equity page's what-if: a slider move to the redrawn figures, timed inside the page.
const whatIf: number[] = [];
{
  const page = await browser.newPage();
  await page.goto(new URL("equity", site.url).href);
  await page.waitForSelector("#equity-cards .big");
  const slider = page.getByLabel("Fewer customers lost (share)");
  for (let i = 0; i < runs; i++) {
    const before = await page.locator("#equity-cards .big").nth(3).textContent();
    // From the input event to the first change of the cards (the what-if recomputes in between).
    const elapsed = await slider.evaluate(
      (input: HTMLInputElement, value) => {
        const cards = document.querySelector("#equity-cards")!;
        return new Promise<number>((resolve) => {
          const start = performance.now();
          new MutationObserver((_, observer) => {
            observer.disconnect();
            resolve(performance.now() - start);
          }).observe(cards, {subtree: true, childList: true, characterData: true});
          input.value = value;
          input.dispatchEvent(new Event("input", {bubbles: true}));
        });
      },
      String(0.1 + 0.05 * i)
    );
    whatIf.push(elapsed);
    await page.waitForFunction(
      (text) => document.querySelectorAll("#equity-cards .big")[3]?.textContent !== text,
      before
    );
  }
  await page.close();
}
await browser.close();
site.server.close();

const rows = [
  {measure: "build, cold (s)", median: median(buildSeconds), runs: buildSeconds.length},
  {measure: "index: navigation → first chart (ms)", median: median(firstChart), runs},
  {measure: "index: navigation → weekly chart (ms)", median: median(firstQuery), runs},
  {measure: "index: bytes before the first chart (kB)", median: median(bytesToChart) / 1000, runs},
  {measure: "index: bytes in all (kB)", median: median(bytesTotal) / 1000, runs},
  {measure: "equity: what-if slider move → redrawn figures (ms)", median: median(whatIf), runs}
];
console.table(rows.map((row) => ({...row, median: Number(row.median.toFixed(2))})));
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "site.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", runs: {buildSeconds, firstChart, firstQuery, bytesToChart, bytesTotal, whatIf}, rows}, null, 2)}\n`
);
