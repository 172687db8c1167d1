// Builds the site as `npm run build` does, from a cleared cache, and keeps the log.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";
import {gunzipSync} from "node:zlib";
import JSZip from "jszip";

export const projectDir = join(import.meta.dirname, "..");
export const outputDir = join(projectDir, "test", "output");

/** The lock a build holds (test/output/.build-lock): scripts/test.sh clears one a killed run left. */
const buildLock = join(outputDir, ".build-lock");

/**
 * Runs `run` (a build) holding the project's build lock, waiting for it where another test file's
 * build holds it. Test files run two at a time, and Framework's builds share
 * src/.observablehq/cache, which each clears and writes: two at once remove each other's files.
 */
export function withBuildLock<T>(run: () => T): T {
  mkdirSync(outputDir, {recursive: true});
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(buildLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // The builds run synchronously (spawnSync), so the wait is a synchronous sleep.
      Atomics.wait(pause, 0, 0, 250);
    }
  }
  try {
    return run();
  } finally {
    rmSync(buildLock, {recursive: true, force: true});
  }
}

/**
 * Runs `npm run build` into `output` (relative to the project), with env added, and returns its log. It keeps the npm
 * modules Framework bundled (about 10 s to redo), which depend on node_modules alone; the rest of Framework's cache
 * goes. The demo's own build starts from nothing (demoSite).
 */
export function buildSite(output: string, env: Record<string, string> = {}): string {
  return withBuildLock(() => runBuild(output, env, false));
}

/**
 * The demo site in dist/, built from nothing once per test run: the test files that tour it (site.test.ts,
 * sitePages.test.ts) run side by side, and whichever asks first builds it while the other waits for the lock. A
 * marker names the run (CUSTOMER_EQUITY_TEST_RUN, vitest.config.ts); returns the build's log.
 */
export function demoSite(): string {
  const marker = join(outputDir, "build-dist.run");
  const run = process.env.CUSTOMER_EQUITY_TEST_RUN ?? "";
  return withBuildLock(() => {
    if (run && existsSync(marker) && readFileSync(marker, "utf-8") === run)
      return readFileSync(join(outputDir, "build-dist.log"), "utf-8");
    const log = runBuild("dist", {}, true);
    writeFileSync(marker, run);
    return log;
  });
}

function runBuild(output: string, env: Record<string, string>, fresh: boolean): string {
  // Framework reuses a loader's cached output while the loader file is unchanged, even
  // when code it imports has changed: start from nothing.
  const cache = join(projectDir, "src", ".observablehq", "cache");
  if (fresh) rmSync(cache, {recursive: true, force: true});
  else
    for (const entry of existsSync(cache) ? readdirSync(cache) : []) {
      if (entry !== "_node") rmSync(join(cache, entry), {recursive: true, force: true});
    }
  rmSync(join(projectDir, output), {recursive: true, force: true});
  const result = spawnSync("npm", ["run", "build"], {
    cwd: projectDir,
    env: {...process.env, ...env, CUSTOMER_EQUITY_OUTPUT: output},
    encoding: "utf-8"
  });
  // Without colour codes, which Framework prints where CI=true.
  const log = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  mkdirSync(outputDir, {recursive: true});
  writeFileSync(join(outputDir, `build-${output.replace(/\W/g, "_")}.log`), log);
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${log.slice(-4000)}`);
  return log;
}

/** The demo's pages whose tests (and tour: test/tour.ts) are in test/site.test.ts; test/sitePages.test.ts has the rest. */
export const demoPagesOfSiteTest = ["/", "/profit", "/lifecycle", "/retention", "/satisfaction"];

/** Every file under dir, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A data file of a built site, as text: `name` as the archive holds it, found by the name Framework gives it, its hash
 * before the last extension (dist/_file/data/source/explore.<hash>.json). A file that ships gzipped is gunzipped,
 * whether `name` says so (customer_clv.csv.gz) or not (customer_clv.csv: then the file is customer_clv.csv.<hash>.gz).
 */
export function builtData(dist: string, name: string): string {
  const dir = join(dist, "_file", "data", "source");
  const entries = readdirSync(dir);
  const find = (name: string) => {
    const last = name.lastIndexOf(".");
    const hashed = `${name.slice(0, last)}.`;
    const extension = name.slice(last);
    return entries.find(
      (entry) =>
        entry.startsWith(hashed) &&
        entry.endsWith(extension) &&
        /^[0-9a-f]{8}$/.test(entry.slice(hashed.length, -extension.length))
    );
  };
  const file = find(name) ?? (name.endsWith(".gz") ? undefined : find(`${name}.gz`));
  if (!file) throw new Error(`${name} is not in ${dir}`);
  const bytes = readFileSync(join(dir, file));
  return (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf-8");
}

/** The members of a site archive (loaders/site/archive.ts) as text, by name, a gzipped one (<name>.gz) gunzipped. */
export async function archiveMembers(archive: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(archive);
  const files = new Map<string, string>();
  for (const name of Object.keys(zip.files)) {
    const bytes = await zip.file(name)!.async("nodebuffer");
    files.set(name, (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf-8"));
  }
  return files;
}
