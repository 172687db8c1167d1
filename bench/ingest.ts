// Ingest benchmark: the demo generator at 100k, 1M and 3M transaction lines, then
// `npm run ingest -- generic` on each: time and peak RSS (the child process's own, native
// DuckDB included). Prints a table and writes bench/results/ingest.json.
// Usage: npm run bench (BENCH_SIZES=100000,1000000 to choose sizes)
import {spawnSync} from "node:child_process";
import {mkdirSync, rmSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const projectDir = join(import.meta.dirname, "..");
const sizes = (process.env.BENCH_SIZES ?? "100000,1000000,3000000").split(",").map(Number);
const work = join(projectDir, ".local", "bench");

function run(args: string[]): {seconds: number; output: string} {
  const start = performance.now();
  const result = spawnSync(join(projectDir, "node_modules", ".bin", "tsx"), args, {cwd: projectDir, encoding: "utf-8"});
  if (result.status !== 0) throw new Error(`tsx ${args.join(" ")} failed:\n${result.stderr}`);
  return {seconds: (performance.now() - start) / 1000, output: result.stderr};
}

const rows = [];
for (const size of sizes) {
  const input = join(work, `demo-${size}`);
  const output = join(work, `source-${size}`);
  rmSync(input, {recursive: true, force: true});
  const generated = run(["loaders/demo/cli.ts", "--out", input, "--transactions", String(size)]);
  const ingested = run([
    "loaders/cli/ingest.ts",
    "generic",
    join(input, "mapping.json"),
    "--out",
    output,
    "--as-of",
    "2025-06-30"
  ]);
  const last = ingested.output.trim().split("\n").at(-1) ?? "";
  const transactions = Number(/(\d+) transactions/.exec(last)?.[1]);
  const peak = Number(/peak RSS (\d+) MB/.exec(last)?.[1]);
  rows.push({
    "target lines": size,
    "transactions loaded": transactions,
    "generate (s)": Number(generated.seconds.toFixed(2)),
    "ingest (s)": Number(ingested.seconds.toFixed(2)),
    "ingest per 1M lines (s)": Number(((ingested.seconds / transactions) * 1e6).toFixed(2)),
    "ingest peak RSS (MB)": peak
  });
  rmSync(input, {recursive: true, force: true});
  rmSync(output, {recursive: true, force: true});
}
console.table(rows);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "ingest.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", rows}, null, 2)}\n`
);
