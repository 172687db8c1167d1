// What each page of a built site costs a reader on first view: from navigation until the page has rendered (no cell
// still loading), in a cold browser cache, the bytes the server sent, split into the site's data (_file/data), the
// DuckDB-WASM engine and the rest (pages, Framework, libraries), and the same bytes gzipped as a static host that
// compresses its responses sends them (a file already gzipped, such as a raw table, as it is); and, gzipped, all that
// the page fetches until the network is idle (DuckDB-WASM's module where a cell queries it). Issue #24's target:
// every page's first view under 5 MB over the wire. Prints a table and writes bench/results/page-bytes.json.
// Usage: npx tsx bench/pageBytes.ts [dist]   (default dist: the demo's build)
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {gzipSync} from "node:zlib";
import {serve} from "../scripts/serve.js";
import {pages} from "../src/core/pages.js";
import {launchChromium, rendered} from "../test/browser.js";

const projectDir = join(import.meta.dirname, "..");
const dist = resolve(process.argv[2] ?? join(projectDir, "dist"));

/** Where a served file belongs: the site's data, DuckDB-WASM (its module, worker and wasm), or the rest. */
const partOf = (path: string) => (path.startsWith("_file/data/") ? "data" : /duckdb/i.test(path) ? "engine" : "code");

/** A file's bytes as a compressing host sends them: gzipped at level 6, unless it is gzip already. */
const gzipRatio = new Map<string, number>();
function wireBytes(path: string, bytes: number): number {
  if (path.endsWith(".gz")) return bytes;
  if (!gzipRatio.has(path)) {
    const file = readFileSync(join(dist, path));
    gzipRatio.set(path, gzipSync(file, {level: 6}).length / Math.max(file.length, 1));
  }
  // A range request (a part of a file) is counted at the file's ratio.
  return Math.round(gzipRatio.get(path)! * bytes);
}

let served: {path: string; bytes: number}[] = [];
const site = await serve(dist, 0, (path, bytes) => served.push({path: relative(dist, path), bytes}));
const browser = await launchChromium();
const rows = [];
for (const {path} of pages) {
  const context = await browser.newContext(); // a cold browser cache for every page
  const page = await context.newPage();
  served = [];
  const start = performance.now();
  await page.goto(new URL(path.slice(1), site.url).href);
  await rendered(page, 120_000);
  const ms = performance.now() - start;
  const firstView = [...served];
  // Then every request the page makes (DuckDB-WASM's module among them, where a cell queries it after rendering).
  await page.waitForLoadState("networkidle");
  const sum = (part: string | null, wire: boolean, files = firstView) =>
    files
      .filter((file) => part === null || partOf(file.path) === part)
      .reduce((total, file) => total + (wire ? wireBytes(file.path, file.bytes) : file.bytes), 0);
  const mb = (bytes: number) => Math.round(bytes / 10_000) / 100;
  const largest = firstView.filter((file) => partOf(file.path) === "data").sort((a, b) => b.bytes - a.bytes)[0];
  rows.push({
    page: path,
    "rendered (ms)": Math.round(ms),
    "data (MB)": mb(sum("data", false)),
    "engine (MB)": mb(sum("engine", false)),
    "code (MB)": mb(sum("code", false)),
    "all (MB)": mb(sum(null, false)),
    "all, gzipped (MB)": mb(sum(null, true)),
    "data, gzipped (MB)": mb(sum("data", true)),
    "all requests, gzipped (MB)": mb(sum(null, true, served)),
    "largest data file": largest ? `${largest.path.replace(/^_file\/data\/source\//, "")} ${mb(largest.bytes)} MB` : ""
  });
  await context.close();
}
await browser.close();
site.server.close();

console.table(rows);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "page-bytes.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", dist: relative(projectDir, dist), rows}, null, 2)}\n`
);
