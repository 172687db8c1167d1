// Every setting of the loaders in one object, read and checked once where a command starts
// (src/data/source.zip.ts, the CLIs, the config's dynamicPaths, the benchmarks) and passed
// down: from the environment, and for npm run clv from its arguments as well. No other
// module of loaders/ reads process.env (but for PGPASSWORD, the driver's own, which
// loaders/source/postgres/redact.ts keeps out of messages).
import type {TableName} from "./canonical.js";
import {defaultMarginRate} from "./formats/staged.js";
import {defaultScale} from "./rules.js";

/** The environment variables, by setting. */
export const settingVariables = {
  source: "CUSTOMER_EQUITY_SOURCE",
  name: "CUSTOMER_EQUITY_NAME",
  currency: "CUSTOMER_EQUITY_CURRENCY",
  marginRate: "CUSTOMER_EQUITY_MARGIN_RATE",
  statementTimeout: "CUSTOMER_EQUITY_STATEMENT_TIMEOUT",
  asOf: "CUSTOMER_EQUITY_AS_OF",
  surveyScale: "CUSTOMER_EQUITY_SURVEY_SCALE",
  duckdbMemory: "CUSTOMER_EQUITY_DUCKDB_MEMORY",
  browserRows: "CUSTOMER_EQUITY_BROWSER_ROWS",
  exploreMegabytes: "CUSTOMER_EQUITY_EXPLORE_MB",
  pseudonymKey: "CUSTOMER_EQUITY_PSEUDONYM_KEY"
} as const;

/** What a warehouse does not say of itself, and how the loaders treat it. */
export interface WarehouseSettings {
  /** The site's title; null: the database's name. */
  name: string | null;
  currency: string;
  /** The margin assumed where transactions have no cost. */
  marginRate: number;
  /** Every statement's time limit, as PostgreSQL writes it (500ms, 30s, 10min, 1h; 0 = none). */
  statementTimeout: string;
  /** The day after which a date counts as future; null: the server's current date. */
  asOf: string | null;
  /** The survey scores' range (a mapping's `scale` for ingest). */
  surveyScale: readonly [number, number];
  /** The table holding each canonical table, where it is not named like it; quoted, never parsed. */
  tables: Partial<Record<TableName, string>>;
}

export interface Settings {
  /** A folder written by npm run ingest, or a postgres:// URL; null: the bundled demo business. */
  source: string | null;
  warehouse: WarehouseSettings;
  /** DuckDB's memory budget (e.g. "4GB"); null: each database's default (loaders/duckdb.ts). */
  duckdbMemory: string | null;
  /** The most rows any per-customer file ships to the browser. */
  browserRows: number;
  /** The largest raw table the explore page ships, in bytes of its gzipped file; a larger one stays out of the site. */
  exploreBytes: number;
  /** The pseudonym key; null: the key file's (loaders/pseudonym.ts). */
  pseudonymKey: string | null;
}

/** A setting whose value cannot be used: one line naming the variable. */
export class SettingError extends Error {}

/** Settings from the environment; `cli` (a command's arguments) wins over it. */
export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  cli: {source?: string; tables?: Partial<Record<TableName, string>>} = {}
): Settings {
  const value = (name: keyof typeof settingVariables) => env[settingVariables[name]] || undefined;
  return {
    source: cli.source ?? value("source") ?? null,
    warehouse: {
      name: value("name") ?? null,
      currency: value("currency") ?? "USD",
      marginRate: marginRate(env[settingVariables.marginRate]),
      statementTimeout: statementTimeout(value("statementTimeout")),
      asOf: checksAsOf(value("asOf")),
      surveyScale: surveyScale(value("surveyScale")),
      tables: cli.tables ?? {}
    },
    duckdbMemory: env[settingVariables.duckdbMemory] ?? null,
    browserRows: browserRows(value("browserRows")),
    exploreBytes: exploreBytes(value("exploreMegabytes")),
    pseudonymKey: value("pseudonymKey") ?? null
  };
}

function marginRate(text: string | undefined): number {
  const rate = text === undefined || text === "" ? defaultMarginRate : Number(text);
  if (!(rate >= 0 && rate <= 1))
    throw new SettingError(`${settingVariables.marginRate}=${text}: expected a number between 0 and 1`);
  return rate;
}

/** The statement timeout: the value, else 10min (long enough for a summary over tens of millions of rows, short enough to stop a runaway query); checked. */
function statementTimeout(value = "10min"): string {
  if (!/^\d+(ms|s|min|h)?$/.test(value))
    throw new SettingError(
      `statement timeout "${value}" (${settingVariables.statementTimeout}): expected a whole number with ms, s, min or h, such as 30s or 10min`
    );
  return value;
}

/** The as-of day of a warehouse's checks (checked), or null for the server's current date. */
function checksAsOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new SettingError(`${settingVariables.asOf}=${value}: expected a day as YYYY-MM-DD`);
  return value;
}

/** The survey scores' range: low-high (checked), or 1-7. */
export function surveyScale(value: string | undefined): readonly [number, number] {
  if (value === undefined || value === "") return defaultScale;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
  const [low, high] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(low < high))
    throw new SettingError(
      `${settingVariables.surveyScale}=${value}: expected the lowest and highest score as low-high, low below high, e.g. 1-5`
    );
  return [low, high];
}

/** The most rows any per-customer file ships: the value, else a million (what DuckDB-WASM and a laptop's tab take in comfortably). */
function browserRows(text: string | undefined): number {
  if (text === undefined) return 1_000_000;
  const cap = Number(text);
  if (!Number.isInteger(cap) || cap < 1)
    throw new SettingError(`${settingVariables.browserRows}=${text}: expected a whole number of rows, at least 1`);
  return cap;
}

/**
 * The largest raw table the explore page ships: the value in MB (10^6 bytes), else 5 MB
 * gzipped, about 550,000 of the demo's transaction lines, so that a large source's site stays light; 0 ships none.
 */
function exploreBytes(text: string | undefined): number {
  if (text === undefined) return 5e6;
  const megabytes = Number(text);
  if (!(Number.isFinite(megabytes) && megabytes >= 0))
    throw new SettingError(`${settingVariables.exploreMegabytes}=${text}: expected a number of megabytes, 0 or more`);
  return megabytes * 1e6;
}
