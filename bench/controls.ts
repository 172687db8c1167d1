// How fast each page of a built site answers its controls. For every page: the time from navigation to its first
// chart (the first Plot svg or figure) and until it has settled (as below), with the longest main-thread task
// meanwhile. Then every Observable Inputs control on it (select, radio, range, number, checkbox, button; found in the
// DOM, so a new control is covered), moved a few times and back: the time from the input event until the page
// settles (no cell of Framework's runtime pending, and neither the DOM nor a worker's replies changing for quietMs),
// and the longest main-thread task (PerformanceObserver "longtask") in between. Issue #24's targets: every control
// redraws in under 300 ms at p95, with no task over 200 ms, and every page's first chart under 1 s. Each page in a
// cold browser cache, and its first chart again when it is opened after another page (the overview; the overview after
// the profit page), as a reader goes from page to page, with the files both share kept by the browser. Prints both
// tables and writes bench/results/controls.json.
// Usage: npx tsx bench/controls.ts [dist]   (default dist: the demo's build; BENCH_ROUNDS: how often each control goes
// through its values, 2 unless set; BENCH_PAGES: the paths to measure, comma-separated, every page unless set)
import {mkdirSync, writeFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import type {BrowserContext, Page} from "playwright-core";
import {serve} from "../scripts/serve.js";
import {pages} from "../src/core/pages.js";
import {launchChromium, rendered} from "../test/browser.js";

const projectDir = join(import.meta.dirname, "..");
const dist = resolve(process.argv[2] ?? join(projectDir, "dist"));
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const paths = process.env.BENCH_PAGES?.split(",") ?? pages.map((page) => page.path);
/** The DOM and the cells must stay still this long for a change to count as settled. */
const quietMs = 200;

/** A control as the page describes it: its kind, its label, and the values it is moved through (back to its own last). */
interface Control {
  kind: string;
  label: string;
  targets: string[];
}

/**
 * Installed in the page before any script: long tasks, the first chart, the last DOM mutation, and (once the runtime
 * is patched, see runtimeProbe) the cells pending. Also the functions that list and move the controls.
 */
function pageProbe(quiet: number) {
  const bench = {
    longTasks: [] as {start: number; end: number}[],
    firstChart: null as number | null,
    mutated: 0,
    cells: {pending: new Set<{_reachable?: boolean}>(), computing: 0, changed: 0},
    controls,
    move,
    settled
  };
  (window as unknown as {__bench: typeof bench}).__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      bench.longTasks.push({start: entry.startTime, end: entry.startTime + entry.duration});
  }).observe({type: "longtask", buffered: true});
  // A worker's reply is work going on too (DuckDB-WASM's answers, the equity page's valuations and refits).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener("message", () => (bench.cells.changed = performance.now()));
    }
  };
  new MutationObserver(() => {
    bench.mutated = performance.now();
    if (bench.firstChart === null && document.querySelector("#observablehq-main [class^='plot-']"))
      bench.firstChart = bench.mutated;
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});

  /** Observable Inputs' forms that a reader moves; text boxes, text areas and tables are left out. */
  function forms(): HTMLFormElement[] {
    return [...document.querySelectorAll<HTMLFormElement>("#observablehq-main form[class^='inputs-']")].filter(
      (form) =>
        !form.querySelector("table, textarea, input[type=text], input[type=search], select[multiple]") &&
        !form.querySelector("input:disabled, select:disabled, button:disabled") &&
        kindOf(form) !== null
    );
  }
  function kindOf(form: HTMLFormElement) {
    if (form.querySelector("select")) return "select";
    if (form.querySelector("input[type=radio]")) return "radio";
    if (form.querySelector("input[type=range]")) return "range";
    if (form.querySelector("input[type=checkbox]")) return "checkbox";
    if (form.querySelector("input[type=number]")) return "number";
    if (form.querySelector("button")) return "button";
    return null;
  }
  /** Up to three values other than the current one, spread over the choices, then the current one again. */
  function spread<T>(choices: T[], current: T): T[] {
    const others = choices.filter((choice) => choice !== current);
    const picked = [...new Set([others.at(-1), others[others.length >> 1], others[0]])].filter((x) => x !== undefined);
    return picked.length ? [...(picked as T[]), current] : [];
  }
  function controls() {
    return forms().map((form) => {
      const kind = kindOf(form)!;
      const label = (form.querySelector("label")?.textContent ?? "").trim() || `(${kind})`;
      let targets: string[] = [];
      if (kind === "select") {
        const select = form.querySelector("select")!;
        targets = spread(
          [...select.options].map((_, i) => String(i)),
          String(select.selectedIndex)
        );
      } else if (kind === "radio") {
        const radios = [...form.querySelectorAll<HTMLInputElement>("input[type=radio]")];
        targets = spread(
          radios.map((_, i) => String(i)),
          String(radios.findIndex((radio) => radio.checked))
        );
      } else if (kind === "range") {
        const range = form.querySelector<HTMLInputElement>("input[type=range]")!;
        const [min, max, now] = [Number(range.min), Number(range.max), range.valueAsNumber];
        targets = spread([String(max), String((min + max) / 2), String(min)], range.value);
        if (targets.at(-1) !== range.value) targets.push(range.value);
        if (!Number.isFinite(now)) targets = [];
      } else if (kind === "number") {
        const number = form.querySelector<HTMLInputElement>("input[type=number]")!;
        const now = number.valueAsNumber;
        const clamp = (x: number) =>
          Math.min(number.max === "" ? Infinity : Number(number.max), Math.max(Number(number.min || -Infinity), x));
        targets = Number.isFinite(now)
          ? [String(clamp(now ? now * 2 : 10)), String(clamp(Math.round(now / 2))), number.value]
          : [];
      } else {
        targets = ["", "", "", ""]; // a checkbox toggled four times, a button clicked four times
      }
      return {kind, label, targets};
    });
  }
  function apply(form: HTMLFormElement, kind: string, target: string) {
    let input: HTMLInputElement | HTMLSelectElement;
    if (kind === "select") {
      input = form.querySelector("select")!;
      input.selectedIndex = Number(target);
    } else if (kind === "radio") {
      input = form.querySelectorAll<HTMLInputElement>("input[type=radio]")[Number(target)]!;
      input.checked = true;
    } else if (kind === "range" || kind === "number") {
      input = form.querySelector<HTMLInputElement>(`input[type=${kind}]`)!;
      input.value = target;
    } else if (kind === "checkbox") {
      input = form.querySelector<HTMLInputElement>("input[type=checkbox]")!;
      input.checked = !input.checked;
    } else {
      form.querySelector("button")!.click();
      return;
    }
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
  /** Moves control index (in controls()'s order) to target; resolves when the page has settled. */
  function move(index: number, target: string) {
    const form = forms()[index]!;
    const start = performance.now();
    apply(form, kindOf(form)!, target);
    return settled(start);
  }
  /**
   * Resolves when no cell is pending and nothing has changed for quiet ms: the time from start to the last change,
   * and the longest main-thread task in between.
   */
  async function settled(start: number) {
    const {cells} = bench;
    const busy = () => cells.computing > 0 || [...cells.pending].some((cell) => cell._reachable !== false);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = performance.now();
      const end = Math.max(start, bench.mutated, cells.changed);
      const timedOut = now - start > 60_000;
      if ((!busy() && now - end >= quiet) || timedOut) {
        await new Promise((resolve) => setTimeout(resolve, 50)); // long-task entries are delivered after the task
        const during = bench.longTasks.filter((task) => task.end > start && task.start < end);
        return {ms: end - start, longest: Math.max(0, ...during.map((task) => task.end - task.start)), timedOut};
      }
    }
  }
}

/**
 * Appended to Framework's runtime module (runtimeName: its local name for Runtime): counts the variables whose
 * computation is under way (pending, not yet fulfilled or rejected) and the runtime's scheduled computations.
 */
const runtimeProbe = (runtimeName: string) => `
;{
  const Runtime = ${runtimeName};
  const probe = new Runtime();
  const Variable = Object.getPrototypeOf(probe.module().variable());
  probe.dispose();
  const cells = globalThis.__bench.cells;
  const {_pending: pending, _fulfilled: fulfilled, _rejected: rejected} = Variable;
  Variable._pending = function () { cells.pending.add(this); cells.changed = performance.now(); return pending.call(this); };
  Variable._fulfilled = function (value) { cells.pending.delete(this); cells.changed = performance.now(); return fulfilled.call(this, value); };
  Variable._rejected = function (error) { cells.pending.delete(this); cells.changed = performance.now(); return rejected.call(this, error); };
  const soon = Runtime.prototype._computeSoon;
  Runtime.prototype._computeSoon = function () {
    cells.computing++;
    const done = () => { cells.computing--; cells.changed = performance.now(); };
    const promise = soon.call(this);
    promise.then(done, done);
    return promise;
  };
}
`;

async function openProbed(context: BrowserContext, url: string): Promise<Page> {
  // tsx keeps functions' names with a helper, __name, that the page lacks.
  await context.addInitScript({content: `var __name = (f) => f; (${pageProbe})(${quietMs});`});
  await context.route(/\/_observablehq\/runtime\.[0-9a-f]+\.js$/, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    const name = /export\s*\{[^}]*?\b([\w$]+) as Runtime\b/.exec(body)?.[1];
    if (!name) throw new Error("Framework's runtime does not export Runtime as expected");
    await route.fulfill({response, body: body + runtimeProbe(name)});
  });
  const page = await context.newPage();
  await page.setViewportSize({width: 1280, height: 900});
  page.on("pageerror", (error) => console.error(`${url}: page error: ${error.message}`));
  await page.goto(url);
  return page;
}

/** A page's first chart (ms from its navigation) when it is opened after `previous` in the same browser. */
async function firstChartAfter(context: BrowserContext, previous: string, url: string): Promise<number | null> {
  // Only the probe: a routed request would bypass the browser's cache (so no runtime probe, and no settling).
  await context.addInitScript({content: `var __name = (f) => f; (${pageProbe})(${quietMs});`});
  const page = await context.newPage();
  await page.setViewportSize({width: 1280, height: 900});
  for (const next of [previous, url]) {
    await page.goto(next);
    await rendered(page, 120_000);
  }
  return page.evaluate(() => (window as any).__bench.firstChart as number | null);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (x: number) => Math.round(x);

const site = await serve(dist, 0);
const browser = await launchChromium();
const firstViews = [];
const rows = [];
for (const path of paths) {
  const context = await browser.newContext(); // a cold browser cache for every page
  const page = await openProbed(context, new URL(path.slice(1), site.url).href);
  await rendered(page, 120_000);
  // Then until it has settled as after a control's move (cells that query DuckDB-WASM after the first render).
  const view = await page.evaluate(async () => {
    const bench = (window as any).__bench;
    return {firstChart: bench.firstChart as number | null, ...(await bench.settled(0))};
  });
  const after = await browser.newContext();
  const previous = path === "/" ? "/profit" : "/";
  const firstChartNext = await firstChartAfter(after, new URL(previous.slice(1), site.url).href, page.url());
  await after.close();
  firstViews.push({
    page: path,
    "first chart (ms)": view.firstChart === null ? null : round(view.firstChart),
    "first chart after another page (ms)": firstChartNext === null ? null : round(firstChartNext),
    "settled (ms)": round(view.ms),
    "longest task (ms)": round(view.longest)
  });
  const controls: Control[] = await page.evaluate(() => (window as any).__bench.controls());
  for (const [index, control] of controls.entries()) {
    const ms: number[] = [];
    const longest: number[] = [];
    let timedOut = false;
    for (let r = 0; r < rounds; r++)
      for (const target of control.targets) {
        const result = await page.evaluate(([i, t]) => (window as any).__bench.move(i, t), [index, target] as const);
        ms.push(result.ms);
        longest.push(result.longest);
        timedOut ||= result.timedOut;
      }
    if (!ms.length) continue;
    const row = {
      page: path,
      control: `${control.kind}: ${control.label.slice(0, 48)}${timedOut ? " (timed out)" : ""}`,
      n: ms.length,
      "median (ms)": round(percentile(ms, 50)),
      "p95 (ms)": round(percentile(ms, 95)),
      "longest task (ms)": round(Math.max(...longest))
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  await context.close();
}
await browser.close();
site.server.close();

console.table(firstViews);
console.table(rows);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "controls.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", dist: relative(projectDir, dist), rounds, quietMs, firstViews, rows}, null, 2)}\n`
);
