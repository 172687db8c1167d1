// The built demo site: offline build, nothing from another host, same files twice, and the
// overview, profit, lifecycle, retention and satisfaction pages in a real browser, each
// also toured (test/tour.ts; screenshots land in test/output/). The other pages and the
// printed reports: test/sitePages.test.ts, beside this file on the other core, from the same
// build (demoSite). The site on other sources: test/siteSources.test.ts.
import {spawnSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {networkInterfaces} from "node:os";
import {join} from "node:path";
import JSZip from "jszip";
import {beforeAll, describe, expect, it, vi} from "vitest";
import {demoDir} from "../loaders/demo/paths.js";
import {pages, sharedFiles} from "../src/core/pages.js";
import {sourceDateEpoch} from "../scripts/reproducible-dist.js";
import {servedSite} from "./browser.js";
import {indexPageTests} from "./pages/index.js";
import {lifecyclePageTests} from "./pages/lifecycle.js";
import {profitPageTests} from "./pages/profit.js";
import {retentionPageTests} from "./pages/retention.js";
import {satisfactionPageTests} from "./pages/satisfaction.js";
import {demoPagesOfSiteTest, demoSite, listFiles, projectDir} from "./site.js";
import {siteTour} from "./tour.js";

const dist = join(projectDir, "dist");
// A test that works a page's controls waits for DuckDB-WASM's answers, slower while the other test file's browser
// runs beside it on two cores (test/pages/context.ts: requery).
vi.setConfig({testTimeout: 120_000});
let buildLog = "";

beforeAll(() => {
  buildLog = demoSite();
});

describe.runIf(process.env.CUSTOMER_EQUITY_OFFLINE === "1")("the test run's network namespace", () => {
  it("has loopback and nothing else, so the build and the browser below ran offline", () => {
    expect(Object.keys(networkInterfaces())).toEqual(["lo"]);
  });
});

describe("the build", () => {
  it("fetched nothing: its log mentions no fetch, CDN, DuckDB extension site or registry", () => {
    expect(buildLog).toMatch(/render \/index → /);
    expect(buildLog).not.toMatch(
      /(?<![\w-])fetch|https?:\/\/|jsdelivr|\bcdn\b|extensions\.duckdb\.org|registry\.npmjs/i
    );
  });

  it("writes HTML and CSS that reference no other host", () => {
    // Library bundles and wasm hold URLs that are never requested, so only HTML and CSS are read.
    const files = listFiles(dist).filter((file) => /\.(html|css)$/.test(file));
    expect(files).toContain("index.html");
    for (const file of files) {
      const text = readFileSync(join(dist, file), "utf-8").replaceAll("http://www.w3.org/", "");
      expect(text.match(/(?:https?:)?\/\/[\w-]+(?:\.[\w-]+)+/gi) ?? [], file).toEqual([]);
    }
  });

  it("publishes no name, e-mail or raw customer id of the demo's input", () => {
    const customers = readFileSync(join(demoDir, "customers.csv"), "utf-8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const ids = new Set(customers.map(([id]) => id!));
    const emails = new Set(customers.map((fields) => fields[2]!));
    const names = new Set(customers.map((fields) => fields[1]!));
    expect(ids.size).toBe(6000);
    for (const file of listFiles(dist).filter((file) => !file.endsWith(".wasm"))) {
      const text = readFileSync(join(dist, file), "utf-8");
      // Demo ids look like C000123; e-mails and names are looked for by their own shape.
      for (const match of text.matchAll(/C\d{6}/g)) expect(ids.has(match[0]), `${match[0]} in ${file}`).toBe(false);
      for (const match of text.matchAll(/[\w.+-]+@example\.com/g))
        expect(emails.has(match[0]), `${match[0]} in ${file}`).toBe(false);
      for (const match of text.matchAll(/\b[A-Z][a-z]+ [A-Z][a-z]+\b/g))
        expect(names.has(match[0]), `${match[0]} in ${file}`).toBe(false);
    }
  });

  it("gives the same files for the same input: the data loader run again writes every data file the site ships, byte for byte, and no page holds the time it was built; the pages' specs name every file of its archive, and it holds every file they name", async () => {
    // The ingest's half is test/demoSource.test.ts's (every file of a fresh ingest, byte for byte). Framework names each
    // file by a hash of its bytes and writes its time into the pages, which scripts/reproducible-dist.ts fixes.
    const again = spawnSync("npx", ["tsx", join("src", "data", "source.zip.ts")], {
      cwd: projectDir,
      maxBuffer: 1 << 30
    });
    expect(again.status, again.stderr.toString()).toBe(0);
    const zip = await JSZip.loadAsync(again.stdout);
    // The pages' specs (src/core/pages.ts) against the archive: one report per channel and segment of the demo (four
    // channels, three segments), and every other file named by a spec.
    const members = Object.keys(zip.files);
    const named = new Set<string>([...sharedFiles, ...pages.flatMap((page) => page.files)]);
    const reports = members.filter((name) => /^report-(channel|segment)-[a-z0-9-]+\.json$/.test(name));
    expect(reports).toHaveLength(7);
    expect(members.filter((name) => !named.has(name) && !reports.includes(name))).toEqual([]);
    expect([...named].filter((name) => !members.includes(name))).toEqual([]);
    const shipped = join(dist, "_file", "data", "source");
    const files = listFiles(shipped);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const member = zip.file(file.replace(/\.[0-9a-f]{8}(\.\w+)$/, "$1"));
      expect(member, file).not.toBeNull();
      expect(Buffer.from(await member!.async("uint8array")).equals(readFileSync(join(shipped, file))), file).toBe(true);
    }
    const times = listFiles(dist)
      .filter((file) => file.endsWith(".html"))
      .flatMap((file) =>
        [...readFileSync(join(dist, file), "utf-8").matchAll(/"lastModified":(\d+)/g)].map((m) => m[1])
      );
    expect(times.length).toBeGreaterThan(20);
    expect(new Set(times)).toEqual(new Set([String(sourceDateEpoch() * 1000)]));
  });
});

describe("every page in chromium", () => {
  const site = servedSite(dist);

  const {open, renderTests} = siteTour(site, {paths: demoPagesOfSiteTest});

  indexPageTests({open});
  profitPageTests({open});
  lifecyclePageTests({open});
  retentionPageTests({open});
  satisfactionPageTests({open});
  renderTests();
});
