// tsx loaders/demo/cli.ts --out <dir> [--seed N] [--customers N | --transactions N]
// Writes the demo coffee roaster's tables, truth.json and mapping.json into <dir>.
import {parseArgs} from "node:util";
import {customersForTransactions, generateDemo} from "./generate.js";
import {DEFAULT_CUSTOMERS, DEFAULT_SEED} from "./params.js";

const usage = "usage: tsx loaders/demo/cli.ts --out <dir> [--seed N] [--customers N | --transactions N]";

/** A whole number ≥ min from a command-line option, or an error naming the option. */
function wholeNumber(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  return value;
}

function main(argv: string[]): void {
  const {values} = parseArgs({
    args: argv,
    options: {
      out: {type: "string"},
      seed: {type: "string"},
      customers: {type: "string"},
      transactions: {type: "string"}
    }
  });
  if (!values.out) throw new Error(usage);
  if (values.customers !== undefined && values.transactions !== undefined)
    throw new Error("give --customers or --transactions, not both");
  const seed = wholeNumber("seed", values.seed, DEFAULT_SEED, 0);
  const started = performance.now();
  const customers =
    values.transactions !== undefined
      ? customersForTransactions(wholeNumber("transactions", values.transactions, 0, 1), {seed})
      : wholeNumber("customers", values.customers, DEFAULT_CUSTOMERS, 1);
  // Progress only where it helps: runs that take more than a moment.
  const onProgress =
    customers >= 50_000
      ? (done: number, total: number) =>
          process.stderr.write(
            `demo: ${Math.round((100 * done) / total)} % (${done} of ${total} customers), ${((performance.now() - started) / 1000).toFixed(1)} s\n`
          )
      : undefined;
  const truth = generateDemo(values.out, {seed, customers, onProgress});
  const rows = truth.rows as Record<string, number>;
  process.stderr.write(
    `demo: wrote ${values.out}: ${rows["customers.csv"]} customers, ${rows["transactions.csv"]} transaction lines, ` +
      `${rows["survey.csv"]} survey responses, ${rows["deliveries.csv"]} deliveries, ${rows["prospects.csv"]} prospects (seed ${seed}) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s\n`
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
