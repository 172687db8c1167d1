// A tour of a served site in chromium. A page is checked as a reader first sees it, the
// first time a test opens it: every card shows something, every table can be downloaded,
// every chart says how to read it, no console error, nothing fetched from another host; and
// it is screenshotted to test/output/. renderTests then gives each page a test of its own
// that reads that check, opening only the pages no test has opened: a page renders once for
// the tour and its own tests, not twice.
import {join} from "node:path";
import type {Page} from "playwright-core";
import {expect, it} from "vitest";
import {openPage, type ServedSite} from "./browser.js";
import {outputDir} from "./site.js";

export interface Tour {
  /** Opens a page (a path such as "/profit", with a query if need be) once it has rendered, checking it the first time. */
  open: (path: string) => Promise<{page: Page; problems: string[]}>;
  /** A test per page of the tour: what its first opening found is nothing. */
  renderTests: () => void;
}

/**
 * A tour of paths on the site that site() serves; screenshots are named prefix-page.png (page.png without a prefix).
 * Pages outside paths are opened unchecked: another file's tour checks them.
 */
export function siteTour(
  site: () => ServedSite,
  {paths, prefix = ""}: {paths: readonly string[]; prefix?: string}
): Tour {
  const found = new Map<string, Promise<string[]>>();
  const open = async (path: string) => {
    const opened = await openPage(site().browser, site().url, path);
    // Pages also open by their built file's name (/customer.html?id=…).
    const pathname = new URL(path, "http://site").pathname.replace(/\.html$/, "");
    if (paths.includes(pathname) && !found.has(pathname))
      found.set(
        pathname,
        firstSight(opened, pathname, prefix).catch((error: Error) => [error.message])
      );
    await found.get(pathname);
    return opened;
  };
  const renderTests = () => {
    for (const path of paths)
      it(`renders ${path} with every card filled and explained, no console error and no request to another host`, async () => {
        if (!found.has(path)) await (await open(path)).page.close();
        expect(await found.get(path)).toEqual([]);
      });
  };
  return {open, renderTests};
}

/** What is wrong with a page as it first renders, after a screenshot of it. */
async function firstSight({page, problems}: {page: Page; problems: string[]}, path: string, prefix: string) {
  // The explore page loads its tables into DuckDB after it renders: seen with its answer.
  if (path === "/explore") await page.locator(".explore-status").waitFor({timeout: 60_000});
  const name = path === "/" ? "index" : path.slice(1).replaceAll("/", "-");
  await page.screenshot({path: join(outputDir, `${prefix ? `${prefix}-` : ""}${name}.png`), fullPage: true});
  return [...problems, ...(await page.evaluate(cardProblems)).map((problem) => `${path}: ${problem}`)];
}

/**
 * Runs in the page: a card that shows nothing (no chart, table, big figure or sentence), a table without a CSV download, a
 * chart (not a KPI card's sparkline) without a "how to read this" note.
 */
function cardProblems(): string[] {
  return [...document.querySelectorAll<HTMLElement>(".card")].flatMap((card) => {
    const title = card.querySelector("h2")?.textContent ?? "?";
    const problems: string[] = [];
    // A card may say in words what data would fill it (a source without channels, say).
    const says = [...card.querySelectorAll("p:not(.how-to-read)")].some((p) => p.textContent?.trim());
    if (!card.querySelector("svg, table, canvas, .big") && !says) problems.push(`an empty card: ${title}`);
    if (card.querySelector("table") && !card.querySelector(".csv-download"))
      problems.push(`a table without a CSV download: ${title}`);
    if (
      card.querySelector("svg[class^='plot']") &&
      !card.classList.contains("kpi") &&
      !card.querySelector(".how-to-read")
    )
      problems.push(`a chart without a "how to read this" note: ${title}`);
    return problems;
  });
}
