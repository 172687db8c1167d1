// Debian's chromium driven by playwright-core, with the flags this machine needs (no
// browser download, no background connections; scripts/test.sh finds the binary), and
// a way to open a page of a served site that records everything that must not happen.
import {chromium, type Browser, type BrowserContext, type Page} from "playwright-core";
import {afterAll, beforeAll} from "vitest";
import {serve} from "../scripts/serve.js";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    // playwright gives every launch a fresh, empty --user-data-dir of its own.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  });
}

/** How to open a page: the viewport's width, print media (for PDFs), the time allowed to render. */
export interface OpenOptions {
  width?: number;
  print?: boolean;
  timeout?: number;
}

/**
 * One context per browser, so that its pages share the HTTP cache as a reader's tabs do: DuckDB-WASM's module is
 * fetched and compiled once, not on every page the tests open (scripts/serve.ts answers a revalidation with 304).
 */
const contexts = new WeakMap<Browser, Promise<BrowserContext>>();
function sharedContext(browser: Browser): Promise<BrowserContext> {
  if (!contexts.has(browser)) contexts.set(browser, browser.newContext());
  return contexts.get(browser)!;
}

/**
 * Opens path of the site served at siteUrl and waits until it has rendered (no cell
 * still loading: Framework shows <observablehq-loading> until a cell settles), within
 * 30 s by default: generous, as the test run's browsers share two cores (bench/site.ts
 * measures how fast pages render). problems collects console errors, page errors, failed requests and
 * requests to any other host.
 */
export async function openPage(
  browser: Browser,
  siteUrl: string,
  path: string,
  {width = 1280, print = false, timeout = 30_000}: OpenOptions = {}
): Promise<{page: Page; problems: string[]}> {
  const page = await (await sharedContext(browser)).newPage();
  await page.setViewportSize({width, height: 900});
  // Print media from the start, so that charts are drawn once, at the width of the paper.
  if (print) await page.emulateMedia({media: "print", colorScheme: "light"});
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`)
  );
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(siteUrl) && !/^(data|blob):/.test(url)) problems.push(`request to another host: ${url}`);
  });
  await page.goto(new URL(path.slice(1), siteUrl).href);
  await rendered(page, timeout);
  return {page, problems};
}

/** Waits until the page has rendered: Framework shows <observablehq-loading> until a cell settles. */
export async function rendered(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll("observablehq-loading").length === 0 &&
      document.querySelector("#observablehq-main") !== null,
    null,
    {timeout}
  );
}

/** A served site in chromium: the browser, and the address the site is served at. */
export interface ServedSite {
  browser: Browser;
  url: string;
}

/**
 * Chromium and a server of the built site in dist, for the describe block that calls this: started by a beforeAll
 * hook, after the block's earlier ones (its build), and stopped after the block. The getter gives both once started.
 */
export function servedSite(dist: string): () => ServedSite {
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), serve(dist)]);
  });
  afterAll(async () => {
    await browser?.close();
    server?.server.close();
  });
  return () => ({browser: browser!, url: server!.url});
}
