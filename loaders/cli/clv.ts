// npm run clv -- <source> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--customers FILE.csv] [--table transactions=NAME]
//   [--channel NAME | --segment NAME | --cohort YEAR]
// Fits the customer-equity models (BG/NBD and Gamma-Gamma, and Pareto/NBD beside BG/NBD) to a
// source, a folder written by npm run ingest or a postgres:// URL (the SQL then runs in the
// warehouse). stdout gets the fit, each purchase model's holdout scorecard and the one chosen by it as
// JSON and nothing else; stderr a short summary in plain words; --customers writes each customer's value
// as CSV (loaders/customerClv.ts). With --channel, --segment or --cohort, only that slice's customers are fitted (as the
// equity page refits the slice a manager picks).
import {writeFileSync} from "node:fs";
import {parseArgs} from "node:util";
import {tableOrder, type TableName} from "../canonical.js";
import {printedClvFit, type ClvFit} from "../../src/core/models/clvSummaryFit.js";
import {fitClv} from "../clv.js";
import {clvHorizon, customerClvCsv, customerClvs, sourceMargin, type CustomerClv} from "../customerClv.js";
import {pseudonym, pseudonymKey} from "../pseudonym.js";
import {readSourceInfo} from "../source/folder/folder.js";
import {sourceKind, withSession} from "../source/source.js";
import {readSettings, SettingError} from "../settings.js";
import {QueryError, sliceSession, type CustomerSlice} from "../sqlSession.js";
import {sliceKinds, type SliceKind} from "../source/slices.js";
import {FatalInputError} from "../stage.js";
import {WarehouseError} from "../source/postgres/connection.js";
import {redact, secretsOf} from "../source/postgres/redact.js";
import {formatCount, formatMoney, formatPercent} from "../../src/core/format/format.js";
import {intervalLevel, type Interval} from "../../src/core/models/valueIntervals.js";

const usage = `usage: npm run clv -- <source folder | postgres://…> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD (default: the data's last day)]
  [--customers FILE.csv] (each customer's frequency, recency, age, P(active), expected purchases and spend, CLV, the 80 % ranges of both, next purchase, P(buying in 90 days) and overdue)
  [--table transactions=NAME] (a warehouse table not named like the canonical one)
  [--channel NAME | --segment NAME | --cohort YEAR] (only the customers of that acquisition channel or segment, or whose first purchase was in that year)
The fit goes to stdout as JSON; a summary to stderr.`;
const {values, positionals} = parseArgs({
  options: {
    "calibration-end": {type: "string"},
    "holdout-end": {type: "string"},
    customers: {type: "string"},
    table: {type: "string", multiple: true},
    channel: {type: "string"},
    segment: {type: "string"},
    cohort: {type: "string"},
    help: {type: "boolean"}
  },
  allowPositionals: true
});
const [source] = positionals;
if (values.help || !source || !values["calibration-end"]) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}
const calibrationEnd = values["calibration-end"];
const slices: CustomerSlice[] = (Object.keys(sliceKinds) as SliceKind[]).flatMap((kind) => {
  const value = values[kind];
  return value === undefined ? [] : [{column: sliceKinds[kind], value}];
});
if (values.cohort !== undefined) {
  if (!/^\d{4}$/.test(values.cohort)) {
    console.error(`clv: --cohort ${values.cohort}: expected a year, e.g. 2024\n${usage}`);
    process.exit(2);
  }
  slices.push({firstPurchaseYear: Number(values.cohort)});
}
if (slices.length > 1) {
  console.error(`clv: one slice at a time: --channel, --segment or --cohort\n${usage}`);
  process.exit(2);
}
const tables: Partial<Record<TableName, string>> = {};
for (const option of values.table ?? []) {
  const [table, name] = [option.slice(0, option.indexOf("=")), option.slice(option.indexOf("=") + 1)];
  if (!option.includes("=") || !(tableOrder as readonly string[]).includes(table) || !name) {
    console.error(
      `clv: --table ${option}: expected <canonical table>=<name>, the canonical tables being ${tableOrder.join(", ")}\n${usage}`
    );
    process.exit(2);
  }
  tables[table as TableName] = name;
}
try {
  const settings = readSettings(process.env, {source, tables});
  const warehouse = sourceKind(source) === "postgres";
  // The source's currency and the margin rate where no cost is known: a folder's source.json, else the settings.
  const {currency, marginRate} = warehouse
    ? settings.warehouse
    : (({currency, margin_rate}) => ({currency, marginRate: margin_rate}))(readSourceInfo(source));
  const {fit, customers, totalClv, margin} = await withSession(
    settings,
    async (whole) => {
      const session = slices[0] ? sliceSession(whole, slices[0]) : whole;
      // The whole source's last day, a slice's too: the site compares slices over the same period.
      const lastDay = async () => {
        const [last] = await whole.rows<{day: string | null}>(
          `SELECT max(occurred_at)::DATE::VARCHAR AS day FROM ${await whole.checked("transactions")}`,
          {what: "the data's last day", table: "transactions"}
        );
        return last?.day ?? calibrationEnd;
      };
      const fit = await fitClv(session, calibrationEnd, values["holdout-end"] ?? (await lastDay()), undefined, {
        paretoNbd: true
      });
      const margin = await sourceMargin(session, marginRate);
      return {fit, margin, ...(await customerClvs(session, fit, margin, {ids: !!values.customers}))};
    },
    (message) => console.error(`clv: ${message}`)
  );
  // A warehouse's ids arrive raw: pseudonymised as the site's are, then ordered by pseudonym.
  if (warehouse && values.customers) {
    const key = pseudonymKey(settings.pseudonymKey);
    for (const c of customers) c.customer_id = pseudonym(key, c.customer_id);
    customers.sort((a, b) => (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
  }
  if (values.customers) writeFileSync(values.customers, customerClvCsv(customers));
  process.stdout.write(`${JSON.stringify(printedClvFit(fit), null, 2)}\n`);
  for (const line of summary(fit, customers, {margin, currency, totalClv, customersFile: values.customers}))
    console.error(`clv: ${line}`);
} catch (error) {
  // Every message is redacted: a URL's password never reaches the terminal or a CI log.
  const message = redact(error instanceof Error ? error.message : String(error), secretsOf(source));
  if (
    error instanceof FatalInputError ||
    error instanceof WarehouseError ||
    error instanceof SettingError ||
    error instanceof QueryError ||
    /not a date|holdout end|no customer/.test(message)
  ) {
    console.error(`clv: ${message}`);
    process.exit(1);
  }
  console.error(redact(error instanceof Error ? (error.stack ?? message) : message, secretsOf(source)));
  process.exit(1);
}

/** The summary on stderr: who was fitted, how healthy the fits are, the holdout check, the value, what was written. */
function summary(
  fit: ClvFit,
  customers: readonly CustomerClv[],
  {
    margin,
    currency,
    totalClv,
    customersFile
  }: {margin: number; currency: string; totalClv: Interval; customersFile?: string}
): string[] {
  const repeat = customers.filter((c) => c.frequency > 0).length;
  const health = (name: string, model: {health: {ok: boolean; problems: string[]}} | null) =>
    !model
      ? `${name}: not fitted (fewer than 3 distinct repeat spends)`
      : model.health.ok
        ? `${name}: fits well`
        : `${name}: use with care, ${model.health.problems.join("; ")}`;
  const {actual, expected, error} = fit.holdout;
  const total = customers.reduce((sum, c) => sum + c.clv, 0);
  return [
    `${formatCount(fit.customers)} customers bought before ${fit.calibration_end}; ${formatCount(repeat)} of them came back (repeat buyers)`,
    health("purchases and dropout (BG/NBD)", fit.bgnbd),
    health("spend per purchase (Gamma-Gamma)", fit.gamma_gamma),
    fit.holdout_weeks > 0
      ? `check ${fit.calibration_end} to ${fit.holdout_end} (${fit.holdout_weeks.toFixed(1)} weeks): ${formatCount(Math.round(expected))} purchase days expected, ${formatCount(actual)} made (${Number.isFinite(error) ? `${formatPercent(Math.abs(error), 1)} ${error >= 0 ? "more" : "fewer"} expected` : "none made"})`
      : `no check period: the calibration ends on the holdout end ${fit.holdout_end}`,
    ...(fit.chosen_because ? [`model chosen by the check: ${fit.chosen_because}`] : []),
    `value of these customers over the next ${clvHorizon.years} years: ${formatMoney(total, currency)}${Number.isFinite(totalClv.low) ? `, ${formatPercent(intervalLevel)} range ${formatMoney(totalClv.low, currency)}–${formatMoney(totalClv.high, currency)} from the models' parameter uncertainty` : ""} (margin ${formatPercent(margin, 1)}, discounted at ${formatPercent(clvHorizon.annualDiscountRate)} a year)${fit.bgnbd.health.unidentified.includes("dropout") ? "; not to be relied on: the data cannot tell how customers drop out" : ""}`,
    `wrote the fit as JSON to stdout${customersFile ? `, and ${formatCount(customers.length)} customers' values to ${customersFile}` : " (add --customers FILE.csv for each customer's value)"}`
  ];
}
