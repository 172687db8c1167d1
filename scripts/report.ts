// npm run report: prints the built site's pages to PDF in chromium, for readers on paper:
// one PDF per page and one combined, each page headed by the data source and its date
// range. Usage: tsx scripts/report.ts [page paths…] [--out dir] [--no-build]
import {execFileSync, spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import type {Browser, Page} from "playwright-core";
import config from "../observablehq.config.js";
import {launchChromium, openPage} from "../test/browser.js";
import {pdfPageFills} from "./pageFill.js";
import {serve} from "./serve.js";

const projectDir = join(import.meta.dirname, "..");

/** The file name of the combined report. */
export const combinedName = "customer-equity.pdf";

/** What the report reads of Framework's config: its pages (sections allowed) and dynamic paths, in any form Framework takes. */
export interface ReportConfig {
  root: string;
  pages?: readonly {path?: string; pages?: readonly {path?: string}[]}[];
  dynamicPaths?: Iterable<string> | (() => Iterable<string> | AsyncIterable<string>);
}

/**
 * The pages a report prints, in the site's order: the overview, the config's pages, then
 * its dynamic paths (such as per-segment pages), leaving out any page whose Markdown
 * source says `report: false` in its front matter (an interactive page that means
 * nothing on paper).
 */
export async function reportPaths({root, pages = [], dynamicPaths = []}: ReportConfig): Promise<string[]> {
  const paths = ["/", ...pages.flatMap((page) => [page.path, ...(page.pages ?? []).map((child) => child.path)])];
  for await (const path of typeof dynamicPaths === "function" ? dynamicPaths() : dynamicPaths) paths.push(path);
  const unique = [
    ...new Set(paths.filter((path): path is string => path !== undefined).map((path) => path.replace(/\.html$/, "")))
  ];
  return unique.filter((path) => {
    const source = pageSource(resolve(projectDir, root), path);
    return source === undefined || !/^report:\s*false\s*$/m.test(frontMatter(readFileSync(source, "utf-8")));
  });
}

/** The front matter of a Markdown page (the text between its opening --- lines), or "". */
function frontMatter(markdown: string): string {
  return /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown)?.[1] ?? "";
}

/**
 * The Markdown file under root that serves a path, routed as Framework routes it:
 * exact names first, then parameterized ones ([name].md, [kind]/…).
 */
export function pageSource(root: string, path: string): string | undefined {
  const parts = (path.endsWith("/") ? `${path}index` : path).split("/").filter(Boolean);
  return findSource(root, parts.length ? parts : ["index"]);
}

function findSource(dir: string, [segment, ...rest]: string[]): string | undefined {
  if (segment === undefined || !existsSync(dir)) return undefined;
  const entries = readdirSync(dir, {withFileTypes: true}).sort(
    (a, b) => Number(a.name.includes("[")) - Number(b.name.includes("["))
  );
  for (const entry of entries) {
    if (
      rest.length === 0 &&
      entry.isFile() &&
      entry.name.endsWith(".md") &&
      routes(entry.name.slice(0, -".md".length), segment)
    )
      return join(dir, entry.name);
    if (rest.length > 0 && entry.isDirectory() && routes(entry.name, segment)) {
      const found = findSource(join(dir, entry.name), rest);
      if (found) return found;
    }
  }
  return undefined;
}

/** Whether a file or folder name (with [param] parts, or none) serves a path segment. */
function routes(name: string, segment: string): boolean {
  const pattern = name
    .split(/\[[a-z_]\w*\]/i)
    .map((part) => part.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${pattern}$`).test(segment);
}

/** The source description the built site carries (data/source/source.json of the archive). */
export function siteSource(dist: string): {name: string; observation_start: string; observation_end: string} {
  const dir = join(dist, "_file", "data", "source");
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /^source\.[0-9a-f]+\.json$/.test(name)) : [];
  if (files.length !== 1)
    throw new Error(
      `${dir}: expected one source.<hash>.json, found ${files.length}; build the site first (npm run build)`
    );
  return JSON.parse(readFileSync(join(dir, files[0]!), "utf-8"));
}

/** The file name of a page's PDF: "/" → index.pdf, "/report/channel/email" → report-channel-email.pdf. */
export function pdfName(path: string): string {
  return `${path === "/" ? "index" : path.slice(1).replace(/\/$/, "/index").replaceAll("/", "-")}.pdf`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Pages in a PDF, as poppler's pdfinfo counts them. */
export function pdfPages(file: string): number {
  const pages = /^Pages:\s+(\d+)$/m.exec(execFileSync("pdfinfo", [file], {encoding: "utf-8"}))?.[1];
  if (pages === undefined) throw new Error(`${file}: pdfinfo gives no page count`);
  return Number(pages);
}

/** The paper's margins in millimetres (src/style.css's @page gives the browser's own Print the same): the header and footer sit in the top and bottom ones. */
export const pageMargins = {top: 16, bottom: 14, left: 12, right: 12};
const margin = Object.fromEntries(Object.entries(pageMargins).map(([side, mm]) => [side, `${mm}mm`]));
// A4 less the side margins leaves 186 mm = 703 CSS px: the viewport the charts are drawn at.
const printWidth = Math.floor(((210 - pageMargins.left - pageMargins.right) / 25.4) * 96);

/** A printed page is full enough when its printed extent reaches a third of its printable height (scripts/pageFill.ts). */
export const minimumFill = 1 / 3;

/**
 * The scales a page is printed at, in turn, while its PDF's last page is less full than
 * minimumFill: the page is laid out wider (charts redrawn at the new width) and printed
 * smaller, as a word processor shrinks a letter to keep its last lines off a page of their
 * own. If none helps, it is printed at full size.
 */
const shrinkScales = [1, 0.93, 0.86];

export interface ReportRow {
  path: string;
  file: string;
  pages: number;
  bytes: number;
  seconds: number;
  /** The scale it was printed at (1 = full size; see shrinkScales). */
  scale: number;
  /** How full each page is (scripts/pageFill.ts). */
  fills: number[];
}

export interface ReportOptions {
  browser: Browser;
  siteUrl: string;
  dist: string;
  paths: string[];
  outDir: string;
  log?: (line: string) => void;
  /** Called with each page as it is about to be printed (the test reads its figures there, saving a second visit). */
  beforePrint?: (path: string, page: Page) => Promise<void>;
}

/**
 * Prints each path of the site served at siteUrl (built into dist) to outDir, one PDF per
 * page, then unites them into customer-equity.pdf. A page that logs an error or asks
 * another host fails the report. Returns one row per page, the combined file last.
 */
export async function printReports({
  browser,
  siteUrl,
  dist,
  paths,
  outDir,
  log = () => {},
  beforePrint
}: ReportOptions): Promise<ReportRow[]> {
  const source = siteSource(dist);
  const header = `<div style="font: 8px sans-serif; color: #555; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between"><span>${escapeHtml(`${source.name} · ${source.observation_start} to ${source.observation_end}`)}</span><span class="title"></span></div>`;
  const footer = `<div style="font: 8px sans-serif; color: #555; width: 100%; margin: 0 12mm; text-align: right">page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`;
  mkdirSync(outDir, {recursive: true});
  const rows: ReportRow[] = [];
  for (const [i, path] of paths.entries()) {
    const started = performance.now();
    const file = join(outDir, pdfName(path));
    log(`report: [${i + 1}/${paths.length}] ${path} → ${file}`);
    const {page, problems} = await openPage(browser, siteUrl, path, {
      width: printWidth,
      print: true,
      timeout: 60_000
    }).catch((error: Error) => {
      throw new Error(`${path}: did not finish rendering (${error.message.split("\n")[0]})`);
    });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    if (problems.length) throw new Error(`${path}: ${problems.join("; ")}`);
    await beforePrint?.(path, page);
    const print = async (scale: number) => {
      const width = Math.floor(printWidth / scale);
      if (width !== page.viewportSize()?.width) await layOut(page, width);
      await page.pdf({
        path: file,
        format: "A4",
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: header,
        footerTemplate: footer,
        margin,
        scale
      });
      return pdfPageFills(file, pageMargins);
    };
    let scale = 1;
    let fills = await print(scale);
    for (const smaller of shrinkScales.slice(1)) {
      if (fills.length === 1 || fills.at(-1)! >= minimumFill) break;
      fills = await print((scale = smaller));
    }
    if (fills.length > 1 && fills.at(-1)! < minimumFill && scale !== 1) fills = await print((scale = 1));
    await page.close();
    rows.push({
      path,
      file,
      pages: fills.length,
      bytes: statSync(file).size,
      seconds: (performance.now() - started) / 1000,
      scale,
      fills
    });
  }
  const started = performance.now();
  const combined = join(outDir, combinedName);
  execFileSync("pdfunite", [...rows.map((row) => row.file), combined]);
  rows.push({
    path: "(all)",
    file: combined,
    pages: pdfPages(combined),
    bytes: statSync(combined).size,
    seconds: (performance.now() - started) / 1000,
    scale: Math.min(...rows.map((row) => row.scale)),
    fills: rows.flatMap((row) => row.fills)
  });
  return rows;
}

/** Lays the page out at a new width and waits until its charts, drawn for the width by Framework's resize(), are redrawn. */
async function layOut(page: Page, width: number): Promise<void> {
  await page.setViewportSize({width, height: 900});
  await page.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())))
  );
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0);
}

/** The rows as an aligned text table: page, PDF pages, bytes, seconds, the scale printed at and the least full page. */
export function summaryTable(rows: ReportRow[]): string {
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  const lines = [
    ["page", "PDF pages", "bytes", "seconds", "scale", "least full page"],
    ...rows.map((row) => [
      row.path,
      String(row.pages),
      String(row.bytes),
      row.seconds.toFixed(1),
      percent(row.scale),
      percent(Math.min(...row.fills))
    ])
  ];
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines
    .map((line) =>
      line
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join("  ")
    )
    .join("\n");
}

/** Runs a command with its output shown; fails with its name. */
function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {cwd: projectDir, stdio: ["ignore", "inherit", "inherit"]});
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
}

/** The command line: page paths, --out <dir> (default reports/), --no-build. */
function parseArgs(args: string[]): {named: string[]; outDir: string; build: boolean} {
  const options = {named: [] as string[], outDir: resolve("reports"), build: true};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--out") {
      const dir = args[++i];
      if (!dir) throw new Error("--out needs a folder");
      options.outDir = resolve(dir);
    } else if (arg === "--no-build") options.build = false;
    else if (arg.startsWith("--"))
      throw new Error(`unknown option ${arg}; usage: npm run report [-- <page paths…>] [--out <dir>] [--no-build]`);
    else options.named.push(arg.startsWith("/") ? arg : `/${arg}`);
  }
  return options;
}

async function main(args: string[]): Promise<void> {
  const {named, outDir, build} = parseArgs(args);
  const all = await reportPaths(config);
  const paths = named.length ? named : all;
  const unknown = paths.filter((path) => !all.includes(path));
  if (unknown.length) throw new Error(`not a printed page: ${unknown.join(", ")}; the pages are ${all.join(", ")}`);
  if (build) run("npm", ["run", "build"]);
  run("bash", ["scripts/ensure-poppler.sh"]);
  process.env.CHROMIUM_PATH ??= execFileSync("bash", ["scripts/ensure-chromium.sh"], {
    cwd: projectDir,
    encoding: "utf-8"
  }).trim();
  const dist = resolve(projectDir, config.output);
  const started = performance.now();
  const [browser, site] = await Promise.all([launchChromium(), serve(dist)]);
  try {
    const rows = await printReports({browser, siteUrl: site.url, dist, paths, outDir, log: console.log});
    console.log(
      `\n${summaryTable(rows)}\n\nreport: ${paths.length} pages printed to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`
    );
  } finally {
    await browser.close();
    site.server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`report: ${error.message}`);
    process.exit(1);
  });
}
