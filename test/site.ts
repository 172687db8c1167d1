// Builds the site as `npm run build` does, from a cleared cache, and keeps the log.
import {spawnSync} from "node:child_process";
import {mkdirSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {join, relative} from "node:path";

export const projectDir = join(import.meta.dirname, "..");
export const outputDir = join(projectDir, "test", "output");

/** Runs `npm run build` into `output` (relative to the project), with env added, and returns its log. */
export function buildSite(output: string, env: Record<string, string> = {}): string {
  // Framework reuses a loader's cached output while the loader file is unchanged, even
  // when code it imports has changed: start from nothing.
  rmSync(join(projectDir, "src", ".observablehq", "cache"), {recursive: true, force: true});
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

/** Every file under dir, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
