// npm run clv -- <source> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--table transactions=NAME]
// Fits the customer-equity models (BG/NBD and Gamma-Gamma) to a source, a folder written
// by npm run ingest or a postgres:// URL (the SQL then runs in the warehouse), and prints
// the fit and the holdout comparison as JSON.
import {parseArgs} from "node:util";
import {tableOrder, type TableName} from "../canonical.js";
import {fitClv} from "../clv.js";
import {withSession} from "../source/source.js";
import {readSettings, SettingError} from "../settings.js";
import {QueryError} from "../sqlSession.js";
import {FatalInputError} from "../stage.js";
import {WarehouseError} from "../source/postgres/connection.js";
import {redact, secretsOf} from "../source/postgres/redact.js";

const usage = `usage: npm run clv -- <source folder | postgres://…> --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD (default: the data's last day)]
  [--table transactions=NAME] (a warehouse table not named like the canonical one)`;
const {values, positionals} = parseArgs({
  options: {
    "calibration-end": {type: "string"},
    "holdout-end": {type: "string"},
    table: {type: "string", multiple: true},
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
  const fit = await withSession(
    readSettings(process.env, {source, tables}),
    async (session) => {
      const lastDay = async () => {
        const [last] = await session.rows<{day: string | null}>(
          `SELECT max(occurred_at)::DATE::VARCHAR AS day FROM ${await session.checked("transactions")}`,
          {what: "the data's last day", table: "transactions"}
        );
        return last?.day ?? calibrationEnd;
      };
      return fitClv(session, calibrationEnd, values["holdout-end"] ?? (await lastDay()));
    },
    (message) => console.error(`clv: ${message}`)
  );
  console.log(JSON.stringify(fit, null, 2));
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
