// Ingest benchmark: the demo generator at 1M and 3M transaction lines, then `npm run ingest -- generic`
// on each, side by side with the floor (bench/ingestFloor.ts: the same files read, cleaned and summarised
// to Parquet and CSV by a plain native-DuckDB script) in the same run: wall time and peak RSS of each child
// process (native DuckDB included), and their ratio; then the site's data built from the ingested folder
// (src/data/source.zip.ts, what \`npm run build\` runs): time, against the same floor, peak RSS and size.
// Two sources per size: the demo's whole mapping (customers, transactions, feedback, deliveries,
// prospects) and its transactions alone.
// Prints a table and writes bench/results/ingest.json.
// Usage: npm run bench (BENCH_SIZES=100000,1000000 to choose sizes; BENCH_SITE_MAX=1000000 builds the site's data only
// up to that size)
import {spawnSync} from "node:child_process";
import {mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const projectDir = join(import.meta.dirname, "..");
const sizes = (process.env.BENCH_SIZES ?? "1000000,3000000").split(",").map(Number);
const work = join(projectDir, ".local", "bench");
const siteMax = Number(process.env.BENCH_SITE_MAX ?? Infinity);

/** A child process's wall time and its stderr and stdout. */
function run(args: string[], env: Record<string, string> = {}): {seconds: number; stderr: string; stdout: string} {
  const start = performance.now();
  const result = spawnSync(join(projectDir, "node_modules", ".bin", "tsx"), args, {
    cwd: projectDir,
    encoding: "utf-8",
    env: {...process.env, ...env},
    maxBuffer: 1 << 30
  });
  if (result.status !== 0) throw new Error(`tsx ${args.join(" ")} failed:\n${result.stderr}`);
  return {seconds: (performance.now() - start) / 1000, stderr: result.stderr, stdout: result.stdout};
}

/** The site's data from an ingested folder: what \`npm run build\` runs (its archive to a file, its peak RSS by GNU time). */
function siteData(folder: string, size: number): {seconds: number; peakMB: number; MB: number} {
  const archive = join(work, `site-${size}.zip`);
  const timing = join(work, `site-${size}.time`);
  const site = spawnSync(
    "sh",
    ["-c", `/usr/bin/time -o ${timing} -f '%e %M' node_modules/.bin/tsx src/data/source.zip.ts > ${archive}`],
    {cwd: projectDir, env: {...process.env, CUSTOMER_EQUITY_SOURCE: folder}, encoding: "utf-8"}
  );
  if (site.status !== 0) throw new Error(`the site's data from ${folder} failed:\n${site.stderr}`);
  const [seconds, kilobytes] = readFileSync(timing, "utf-8").trim().split("\n").at(-1)!.split(" ").map(Number);
  const MB = Number((statSync(archive).size / 1e6).toFixed(1));
  rmSync(archive, {force: true});
  rmSync(timing, {force: true});
  return {seconds: seconds!, peakMB: Math.round(kilobytes! / 1024), MB};
}

const rows = [];
for (const size of sizes) {
  const input = join(work, `demo-${size}`);
  rmSync(input, {recursive: true, force: true});
  const generated = run(["loaders/demo/cli.ts", "--out", input, "--transactions", String(size)]);
  // The transactions alone: the demo's mapping without its other tables.
  const mapping = JSON.parse(readFileSync(join(input, "mapping.json"), "utf-8")) as {tables: Record<string, unknown>};
  writeFileSync(
    join(input, "transactions-only.json"),
    JSON.stringify({...mapping, tables: {transactions: mapping.tables.transactions}})
  );
  for (const [source, mappingFile] of [
    ["transactions only", "transactions-only.json"],
    ["all tables", "mapping.json"]
  ] as const) {
    const output = join(work, `source-${size}`);
    const floor = run(["bench/ingestFloor.ts", join(input, mappingFile), join(work, `floor-${size}`)]);
    const ingested = run([
      "loaders/cli/ingest.ts",
      "generic",
      join(input, mappingFile),
      "--out",
      output,
      "--as-of",
      "2025-06-30"
    ]);
    const last = ingested.stderr.trim().split("\n").at(-1) ?? "";
    const floorRss = (JSON.parse(floor.stdout) as {peakRssMB: number}).peakRssMB;
    const site = size <= siteMax ? siteData(output, size) : null;
    rows.push({
      "target lines": size,
      source,
      "transactions loaded": Number(/(\d+) transactions/.exec(last)?.[1]),
      "generate (s)": Number(generated.seconds.toFixed(2)),
      "floor (s)": Number(floor.seconds.toFixed(2)),
      "ingest (s)": Number(ingested.seconds.toFixed(2)),
      "ingest / floor": Number((ingested.seconds / floor.seconds).toFixed(2)),
      "floor peak RSS (MB)": floorRss,
      "ingest peak RSS (MB)": Number(/peak RSS (\d+) MB/.exec(last)?.[1]),
      "site data (s)": site?.seconds ?? null,
      "site data / floor": site ? Number((site.seconds / floor.seconds).toFixed(1)) : null,
      "site data peak RSS (MB)": site?.peakMB ?? null,
      "site data (MB)": site?.MB ?? null
    });
    console.error(JSON.stringify(rows.at(-1)));
    rmSync(output, {recursive: true, force: true});
    rmSync(join(work, `floor-${size}`), {recursive: true, force: true});
  }
  rmSync(input, {recursive: true, force: true});
}
console.table(rows);
mkdirSync(join(projectDir, "bench", "results"), {recursive: true});
writeFileSync(
  join(projectDir, "bench", "results", "ingest.json"),
  `${JSON.stringify({date: new Date().toISOString().slice(0, 10), machine: "2 cores", rows}, null, 2)}\n`
);
