// npm run ingest -- <kind> <files…> --out <dir> [--as-of YYYY-MM-DD]
// kind: generic (one mapping file), cdnow, online-retail, demo (the bundled demo business).
import {parseArgs} from "node:util";
import {demoMapping} from "../demo/paths.js";
import {ingest, sourceKinds, TooFewRowsError, type Quality, type SourceKind} from "../ingest.js";
import {pseudonymKey} from "../pseudonym.js";
import {readSettings} from "../settings.js";
import {FatalInputError} from "../stage.js";

const usage = `usage: npm run ingest -- <kind> <files…> --out <dir> [--as-of YYYY-MM-DD]
  kind: generic <mapping.json> | cdnow <log files…> | online-retail <csv files…> | demo`;

const {values, positionals} = parseArgs({
  options: {out: {type: "string"}, "as-of": {type: "string"}, help: {type: "boolean"}},
  allowPositionals: true
});
const [kind, ...files] = positionals;
if (values.help || !kind || !values.out) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
const isDemo = kind === "demo";
if (!isDemo && !(sourceKinds as readonly string[]).includes(kind)) {
  console.error(`unknown kind "${kind}"\n${usage}`);
  process.exit(2);
}
const start = performance.now();

/** One line per table: input = loaded + rejected, with the count per reason. */
function printReconciliation(quality: Quality): void {
  for (const [table, t] of Object.entries(quality.tables)) {
    const reasons = Object.entries(t.rejected_by_reason)
      .map(([reason, n]) => `${n} ${reason}`)
      .join(", ");
    console.error(
      `ingest: ${table}: ${t.input_rows} input = ${t.loaded_rows} loaded + ${t.rejected_rows} rejected${reasons ? ` (${reasons})` : ""}`
    );
  }
}

const settings = readSettings();
try {
  const {quality, source} = await ingest(
    isDemo ? "generic" : (kind as SourceKind),
    isDemo ? [demoMapping] : files,
    values.out,
    {
      ...(values["as-of"] ? {asOf: values["as-of"]} : {}),
      key: pseudonymKey(settings.pseudonymKey),
      duckdbMemory: settings.duckdbMemory,
      progress: (message) => console.error(`ingest: ${message} (${((performance.now() - start) / 1000).toFixed(1)} s)`)
    }
  );
  printReconciliation(quality);
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  const peakMegabytes = Math.round(process.resourceUsage().maxRSS / 1024);
  console.error(
    `ingest: ${source.customers} customers, ${source.transactions} transactions, ${source.observation_start} to ${source.observation_end} → ${values.out} in ${seconds} s, peak RSS ${peakMegabytes} MB`
  );
} catch (error) {
  if (error instanceof FatalInputError) {
    if (error instanceof TooFewRowsError) printReconciliation(error.quality);
    console.error(`ingest: ${error.message.replaceAll("\n", "\ningest: ")}`);
    process.exit(1);
  }
  throw error;
}
