// Makes a built site depend only on its input. Framework writes each file attachment's
// modification time into the page (registerFile(..., {lastModified})), and a data
// loader's output is new at every build; this replaces those times with one fixed time:
// SOURCE_DATE_EPOCH (the reproducible-builds convention) or else the time of the last
// commit. Usage: tsx scripts/reproducible-dist.ts [dist]
import {execFileSync} from "node:child_process";
import {readFileSync, readdirSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

/** Seconds since 1970 that stand for "when this input was made". */
export function sourceDateEpoch(): number {
  const fromEnv = process.env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) return Number(fromEnv);
  try {
    return (
      Number(
        execFileSync("git", ["log", "-1", "--format=%ct"], {
          encoding: "utf-8",
          stdio: ["ignore", "pipe", "ignore"]
        }).trim()
      ) || 0
    );
  } catch {
    return 0; // not a git checkout
  }
}

/** Rewrites every lastModified in the HTML pages under dir; returns how many pages changed. */
export function fixLastModified(dir: string, epochSeconds: number): number {
  let changed = 0;
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const path = join(entry.parentPath, entry.name);
    const html = readFileSync(path, "utf-8");
    const fixed = html.replace(/"lastModified":\d+(\.\d+)?/g, `"lastModified":${epochSeconds * 1000}`);
    if (fixed !== html) {
      writeFileSync(path, fixed);
      changed++;
    }
  }
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.CUSTOMER_EQUITY_OUTPUT ?? "dist";
  const epoch = sourceDateEpoch();
  console.log(
    `reproducible-dist: file times in ${fixLastModified(dir, epoch)} pages set to ${new Date(epoch * 1000).toISOString()}`
  );
}
