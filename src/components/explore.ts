// The explore page's logic, apart from the DOM: DuckDB-WASM shut off from everything but
// its own tables, a query run that keeps at most a number of rows, what kind each result
// column is, which charts suit those kinds, the chart's data aggregated in DuckDB over the
// whole result, and the query kept in the page's URL.
import {tickIncrement} from "d3";
import {formatCount} from "../core/format/format.js";
import {identifier, numberLiteral} from "../core/sql/sql.js";

/**
 * Run once the tables are loaded: no file, URL or extension can be read or installed
 * (read_csv('https://…'), ATTACH, INSTALL, COPY), and no setting can be changed back.
 */
export const lockdownSql = [
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  "SET enable_external_access = false",
  "SET lock_configuration = true"
];

export type ColumnKind = "temporal" | "number" | "text" | "other";

export interface Column {
  name: string;
  kind: ColumnKind;
}

/** Arrow's type ids (Schema.fbs of the Arrow format), which DuckDB-WASM results carry. */
const arrowKinds: Record<number, ColumnKind> = {
  2: "number",
  3: "number",
  7: "number",
  5: "text",
  6: "text",
  20: "text",
  8: "temporal",
  10: "temporal"
};

/** The kind of a result column from its Arrow type id: time, number, text (and booleans) or other. */
export function columnKind(typeId: number): ColumnKind {
  return arrowKinds[typeId] ?? "other";
}

/** A value as the table and chart want it: times as Dates (Arrow gives epoch ms), numbers as numbers, the rest as text. */
export function cellValue(value: unknown, kind: ColumnKind): unknown {
  if (value == null) return null;
  if (kind === "temporal") return new Date(Number(value));
  if (kind === "number") return Number(value);
  if (kind === "text") return value;
  return typeof value === "object"
    ? JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))
    : String(value);
}

/** What Framework's DuckDBClient.queryStream gives (an Arrow schema and batches of rows). */
export interface QueryStream {
  schema: {fields: readonly {name: string; type: {typeId: number}}[]};
  readRows(): AsyncGenerator<Iterable<Record<string, unknown>>, void, unknown>;
}

export interface QueryResult {
  columns: Column[];
  rows: Record<string, unknown>[];
  /** The result had more than the limit's rows; only the first ones were read. */
  truncated: boolean;
}

/**
 * Reads at most `limit` rows of a query's stream, then stops it: a query that returns
 * millions of rows costs no more than one that returns the limit.
 */
export async function readLimited(stream: QueryStream, limit: number): Promise<QueryResult> {
  const columns = stream.schema.fields.map((f) => ({name: f.name, kind: columnKind(f.type.typeId)}));
  const rows: Record<string, unknown>[] = [];
  // Leaving the loop early closes the stream (and its connection).
  for await (const batch of stream.readRows()) {
    for (const row of batch) {
      if (rows.length === limit) return {columns, rows, truncated: true};
      rows.push(Object.fromEntries(columns.map(({name, kind}) => [name, cellValue(row[name], kind)])));
    }
  }
  return {columns, rows, truncated: false};
}

/** How many rows of a result the page keeps, shows, charts and downloads. */
export const resultRowLimit = 10_000;

/**
 * The page's own refusal of INSTALL and LOAD statements. DuckDB-WASM refuses LOAD once
 * external access is off, but accepts INSTALL silently (it downloads only on LOAD): say
 * plainly that extensions are out of reach instead of reporting success.
 */
export function refusal(sql: string): string | undefined {
  const statements = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ").split(";");
  if (statements.some((s) => /^\s*(force\s+)?(install|load)\b/i.test(s)))
    return "Extensions cannot be installed or loaded here: this page queries only its own tables, and nothing it runs reaches another host.";
  return undefined;
}

/**
 * Runs a query and reads at most `limit` rows. A failure comes back as `error`, in
 * DuckDB's words ("Parser Error: syntax error at or near …"), never as an exception.
 */
export async function runQuery(
  client: {queryStream(sql: string): Promise<QueryStream>},
  sql: string,
  limit = resultRowLimit
): Promise<QueryResult & {error?: string}> {
  const refused = refusal(sql);
  if (refused) return {columns: [], rows: [], truncated: false, error: refused};
  try {
    return await readLimited(await client.queryStream(sql), limit);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Framework's queryStream says this of a result without a single batch (an empty SELECT, SET, CREATE).
    if (message === "missing first batch") return {columns: [], rows: [], truncated: false};
    // DuckDB-WASM runs one statement a query; its own words for that say little to an analyst.
    const hint = /can only take a single statement/.test(message)
      ? "Run one statement at a time (a comment alone is none). "
      : "";
    return {columns: [], rows: [], truncated: false, error: `${hint}${message}`};
  }
}

/** Queries offered as links, one per kind of chart; each runs on the demo (test/loaders: exploreFiles). */
export const exploreExamples: readonly {label: string; sql: string; table: string}[] = [
  {
    label: "Revenue and customers by month",
    sql: "SELECT date_trunc('month', occurred_at) AS month,\n       sum(revenue) AS revenue,\n       count(DISTINCT customer_id) AS customers\nFROM transactions\nGROUP BY month\nORDER BY month",
    table: "transactions"
  },
  {
    label: "Customers and profit by channel",
    sql: "SELECT acquisition_channel, sum(profit) AS profit, count(*) AS customers\nFROM customer_summary\nGROUP BY acquisition_channel\nORDER BY profit DESC",
    table: "customer_summary"
  },
  {
    label: "Purchases against spend per purchase",
    sql: "SELECT frequency, monetary_value, customer_id\nFROM customer_summary\nWHERE frequency > 0",
    table: "customer_summary"
  },
  {
    label: "Most valuable customers",
    sql: "SELECT customer_id, clv, p_alive, acquisition_channel\nFROM customer_clv\nORDER BY clv DESC\nLIMIT 20",
    table: "customer_clv"
  },
  {
    label: "Days since last purchase",
    sql: "SELECT tenure_days - recency_days AS days_since_last_purchase\nFROM customer_summary\nWHERE first_purchase IS NOT NULL",
    table: "customer_summary"
  }
];

export type ChartKind = "line" | "bar" | "dot" | "histogram" | "count";

export const chartLabels: Record<ChartKind, string> = {
  line: "Line (a number over time)",
  bar: "Bars (sum of a number by category, top 20)",
  dot: "Dots (a number against another)",
  histogram: "Histogram (how a number or time is spread)",
  count: "Bars (rows per category, top 20)"
};

/** The columns each kind of chart can take on x and on y, by column kind. */
const chartAxes: Record<ChartKind, {x: ColumnKind[]; y: ColumnKind[]}> = {
  line: {x: ["temporal"], y: ["number"]},
  bar: {x: ["text"], y: ["number"]},
  dot: {x: ["number"], y: ["number"]},
  histogram: {x: ["number", "temporal"], y: []},
  count: {x: ["text"], y: []}
};

/** The columns a kind of chart can put on x and on y. */
export function chartColumns(kind: ChartKind, columns: readonly Column[]): {x: string[]; y: string[]} {
  const of = (kinds: ColumnKind[]) => columns.filter((c) => kinds.includes(c.kind)).map((c) => c.name);
  return {x: of(chartAxes[kind].x), y: of(chartAxes[kind].y)};
}

/**
 * The charts a result can have, the most telling first: time and a number → line; a category
 * and a number → bars; two numbers → dots (x the first, y the second); a number or a time
 * alone → histogram; a category alone → counts.
 */
export function chartKinds(columns: readonly Column[]): ChartKind[] {
  const order: ChartKind[] = ["line", "bar", "dot", "histogram", "count"];
  return order.filter((kind) => {
    const {x, y} = chartColumns(kind, columns);
    if (kind === "dot") return x.length >= 2;
    return x.length > 0 && (chartAxes[kind].y.length === 0 || y.length > 0);
  });
}

/** The default y of a chart: for dots, the second number (x is the first); else the first candidate. */
export function defaultY(kind: ChartKind, candidates: readonly string[]): string | undefined {
  return kind === "dot" ? candidates[1] : candidates[0];
}

/** A text column with at most `max` distinct values in rows, to split a line into series (or undefined). */
export function seriesColumn(
  rows: readonly Record<string, unknown>[],
  columns: readonly Column[],
  max = 12
): string | undefined {
  return columns.find((c) => c.kind === "text" && new Set(rows.map((r) => r[c.name])).size <= max)?.name;
}

/** The query in a page address (?sql=…), or undefined. */
export function queryFromUrl(href: string): string | undefined {
  return new URL(href).searchParams.get("sql") ?? undefined;
}

/** The page address with the query in it (everything else kept), for history.replaceState. */
export function urlWithQuery(href: string, sql: string): string {
  const url = new URL(href);
  url.searchParams.set("sql", sql);
  return url.href;
}

/** What explore.json says of a table that does not ship (loaders/site/explore.ts, ExploreTable). */
interface UnshippedTable {
  name: string;
  atSource?: true;
  derivedAtSource?: true;
}

/** The note on the tables a warehouse keeps, or derives, instead of shipping them; undefined when every table ships. */
export function atSourceNote(tables: readonly UnshippedTable[]): string | undefined {
  const kept = tables.filter((t) => t.atSource).map((t) => t.name);
  const derived = tables.filter((t) => t.derivedAtSource).map((t) => t.name);
  if (!kept.length && !derived.length) return undefined;
  const names = (list: string[]) => list.join(" and ");
  const keptText = kept.length
    ? `The ${names(kept)} ${kept.length > 1 ? "tables stay" : "table stays"} in the warehouse this site is built from: query ${kept.length > 1 ? "them" : "it"} there. `
    : "";
  const derivedText = derived.length
    ? `The warehouse has no ${names(derived)} table: the site derives ${derived.length > 1 ? "them" : "it"} there from the transactions. `
    : "";
  return `${keptText}${derivedText}Here are the tables computed from them (customer_summary, customer_clv) and the rest of the source.`;
}

/**
 * The note on the tables too large for the site (more than `maxBytes`, CUSTOMER_EQUITY_EXPLORE_MB), with the
 * setting that would ship them; undefined when none is. A size estimated from a table's first rows
 * (withheldEstimated) is "about" that, and the setting named leaves it a tenth more room.
 */
export function withheldNote(
  tables: readonly {name: string; rows: number; withheldBytes?: number; withheldEstimated?: boolean}[],
  maxBytes: number
): string | undefined {
  const withheld = tables.filter((t) => t.withheldBytes);
  if (!withheld.length) return undefined;
  const size = (bytes: number) => (bytes < 1e6 ? `${Math.round(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);
  const listed = withheld.map(
    (t) => `${t.name} (${formatCount(t.rows)} rows, ${t.withheldEstimated ? "about " : ""}${size(t.withheldBytes!)})`
  );
  const needed = Math.ceil(Math.max(...withheld.map((t) => t.withheldBytes! * (t.withheldEstimated ? 1.1 : 1))) / 1e6);
  return `Not in this site, to keep it light: ${listed.join(" and ")}, larger than the ${size(maxBytes)} a raw table may take. Build the site with CUSTOMER_EQUITY_EXPLORE_MB=${needed} to include ${withheld.length > 1 ? "them" : "it"}.`;
}

/** A bar chart's label for rows whose category is NULL. */
export const noCategory = "(none)";

/** How many categories a bar chart shows (the largest). */
export const topCategories = 20;

/** Runs a query and gives its rows as plain objects (DuckDBClient.query in the browser). */
export type RowsQuery = (sql: string) => Promise<Record<string, unknown>[]>;

/** The number of rows a result has in all: the rows read, or a count of the whole result where they were cut at the limit. */
export async function resultTotal(
  query: RowsQuery,
  sql: string,
  result: {rows: readonly unknown[]; truncated: boolean}
): Promise<number> {
  if (!result.truncated) return result.rows.length;
  const [row] = await query(`SELECT count(*)::DOUBLE AS n FROM ${resultFrom(sql)}`);
  return Number(row?.n);
}

/** The reader's query as a subquery (trailing semicolons dropped; a line break ends any trailing comment). */
export function resultFrom(sql: string): string {
  return `(${sql.replace(/[\s;]+$/, "")}\n) AS result`;
}

/** What the explore chart draws: rows aggregated over the whole result, and what of the result they cover. */
export interface ChartData {
  kind: ChartKind;
  /** The result's columns on x and y, and the series, as the reader picked them (axis labels). */
  x: string;
  y?: string;
  series?: string;
  /**
   * line: {x: Date, y, series?}; bar and count: {category, value} (largest first);
   * histogram: {x1, x2, count}; dot: the result's rows as read.
   */
  rows: Record<string, unknown>[];
  /** The time bin a line's y is summed over ("week"), when the result has several rows a time or too many times. */
  bin?: TimeBin;
  /** What the chart covers, said on the chart: "All 12,345 rows", "Showing 10,000 of 12,345 rows", … */
  note: string;
}

/** Time bins from the finest, with their length in milliseconds (month, quarter and year on average). */
const timeBins = [
  ["minute", 6e4],
  ["hour", 36e5],
  ["day", 864e5],
  ["week", 6048e5],
  ["month", 2_629_746e3],
  ["quarter", 7_889_238e3],
  ["year", 31_556_952e3]
] as const;

export type TimeBin = (typeof timeBins)[number][0];

/** How many bins a time histogram, or a binned line, may have at most. */
export const maxTimeBins = 100;

/** The finest time bin that cuts a span (milliseconds) into at most `maxTimeBins` bins. */
export function timeBin(spanMs: number): TimeBin {
  return (timeBins.find(([, ms]) => Math.floor(spanMs / ms) + 1 <= maxTimeBins) ?? timeBins.at(-1)!)[0];
}

/** A time bin's start in DuckDB SQL, as epoch milliseconds; the end is the next bin's start. */
const binStart = (bin: TimeBin, column: string) =>
  `epoch_ms(date_trunc('${bin}', CAST(${column} AS TIMESTAMP)))::DOUBLE`;
const binEnd = (bin: TimeBin, column: string) =>
  `epoch_ms(date_trunc('${bin}', CAST(${column} AS TIMESTAMP)) + INTERVAL ${bin === "quarter" ? "3 MONTH" : `1 ${bin}`})::DOUBLE`;

/** The number of bins a numeric histogram of `count` values gets: Sturges' rule, as d3.bin's default. */
const sturges = (count: number) => Math.max(1, Math.ceil(Math.log2(count)) + 1);

const rowsWord = (n: number) => `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;

/** "All 12,345 rows", or "All 12,345 rows (12 without month left out)". */
function allRows(total: number, charted: number, x: string): string {
  const missing = total - charted;
  return `All ${rowsWord(total)}${missing > 0 ? ` (${formatCount(missing)} without ${x} left out)` : ""}`;
}

/**
 * The explore chart's data, aggregated in DuckDB over the reader's whole query (not only the
 * rows the table shows): bars sum (or count) every row per category and keep the largest
 * `top`; a histogram counts every value per bin; a line sums y per time, per time bin where a
 * series repeats a time or has more times than the result limit. Dots cannot be aggregated:
 * they are the rows read, and say so when the result had more.
 */
export async function chartData(
  query: RowsQuery,
  sql: string,
  {kind, x, y, series}: {kind: ChartKind; x: string; y?: string; series?: string},
  result: {columns: readonly Column[]; rows: readonly Record<string, unknown>[]; truncated: boolean; total?: number},
  {limit = resultRowLimit, top = topCategories}: {limit?: number; top?: number} = {}
): Promise<ChartData> {
  const from = resultFrom(sql);
  const total = result.total ?? (await resultTotal(query, sql, result));
  const X = identifier(x);
  const Y = y === undefined ? "NULL" : identifier(y);
  const S = series === undefined ? undefined : identifier(series);
  const temporal = result.columns.find((c) => c.name === x)?.kind === "temporal";
  const base = {kind, x, y, series};
  const number = (value: unknown) => (value == null ? null : Number(value));
  switch (kind) {
    case "bar":
    case "count": {
      const value = kind === "bar" ? `coalesce(sum(${Y}), 0)` : "count(*)";
      const rows = await query(
        `WITH groups AS (SELECT CAST(${X} AS VARCHAR) AS category, ${value}::DOUBLE AS value FROM ${from} GROUP BY ALL)
        SELECT category, value, (SELECT count(*) FROM groups)::DOUBLE AS categories
        FROM groups ORDER BY value DESC, category NULLS LAST LIMIT ${numberLiteral(top)}`
      );
      const categories = Number(rows[0]?.categories ?? 0);
      return {
        ...base,
        rows: rows.map((row) => ({category: row.category ?? noCategory, value: Number(row.value)})),
        note: `All ${rowsWord(total)}${categories > top ? `: the ${top} largest of ${formatCount(categories)} categories` : ""}`
      };
    }
    case "histogram": {
      const bounds = temporal
        ? (v: string) => `epoch_ms(CAST(${v} AS TIMESTAMP))::DOUBLE`
        : (v: string) => `${v}::DOUBLE`;
      const [stats] = await query(
        `SELECT count(${X})::DOUBLE AS n, ${bounds(`min(${X})`)} AS lo, ${bounds(`max(${X})`)} AS hi FROM ${from}`
      );
      const [n, lo, hi] = [Number(stats?.n ?? 0), Number(stats?.lo), Number(stats?.hi)];
      const note = allRows(total, n, x);
      if (n === 0) return {...base, rows: [], note};
      if (temporal) {
        const bin = timeBin(hi - lo);
        const rows = await query(
          `SELECT ${binStart(bin, X)} AS x1, ${binEnd(bin, X)} AS x2, count(*)::DOUBLE AS count
          FROM ${from} WHERE ${X} IS NOT NULL GROUP BY ALL ORDER BY x1`
        );
        const date = (ms: unknown) => new Date(Number(ms));
        return {...base, bin, rows: rows.map((r) => ({x1: date(r.x1), x2: date(r.x2), count: Number(r.count)})), note};
      }
      if (lo === hi) return {...base, rows: [{x1: lo - 0.5, x2: hi + 0.5, count: n}], note};
      // Bins of a round width, as d3.bin's: tickIncrement gives the width, or its inverse when below 1 (exact in floating point).
      const increment = tickIncrement(lo, hi, sturges(n));
      const [scale, width] = increment < 0 ? [-increment, 1] : [1, increment];
      const index = (v: string) => `floor(${v}::DOUBLE * ${numberLiteral(scale)} / ${numberLiteral(width)})`;
      // The largest value closes the last bin (d3.bin's too) rather than opening a bin of its own.
      const last = Math.max(
        Math.floor((lo * scale) / width),
        Math.ceil(Math.round((hi * scale * 1e9) / width) / 1e9) - 1
      );
      const rows = await query(
        `SELECT least(${index(X)}, ${numberLiteral(last)})::DOUBLE AS i, count(*)::DOUBLE AS count
        FROM ${from} WHERE ${X} IS NOT NULL GROUP BY ALL ORDER BY i`
      );
      return {
        ...base,
        rows: rows.map((r) => ({
          x1: (Number(r.i) * width) / scale,
          x2: ((Number(r.i) + 1) * width) / scale,
          count: Number(r.count)
        })),
        note
      };
    }
    case "line": {
      const keys = S === undefined ? X : `${X}, ${S}`;
      const [stats] = await query(
        `SELECT count(*)::DOUBLE AS n, count(DISTINCT (${keys}))::DOUBLE AS points,
        epoch_ms(CAST(min(${X}) AS TIMESTAMP))::DOUBLE AS lo, epoch_ms(CAST(max(${X}) AS TIMESTAMP))::DOUBLE AS hi
        FROM ${from} WHERE ${X} IS NOT NULL`
      );
      const [n, points] = [Number(stats?.n ?? 0), Number(stats?.points ?? 0)];
      const bin = n > points || points > limit ? timeBin(Number(stats?.hi) - Number(stats?.lo)) : undefined;
      const time = bin ? binStart(bin, X) : `epoch_ms(CAST(${X} AS TIMESTAMP))::DOUBLE`;
      const rows = await query(
        `SELECT ${time} AS x, ${S ?? "NULL"} AS series, ${bin ? `sum(${Y})` : Y}::DOUBLE AS y
        FROM ${from} WHERE ${X} IS NOT NULL ${bin ? "GROUP BY ALL" : ""} ORDER BY x, series`
      );
      return {
        ...base,
        ...(bin ? {bin} : {}),
        rows: rows.map((r) => ({x: new Date(Number(r.x)), y: number(r.y), series: r.series})),
        note: allRows(total, n, x)
      };
    }
    case "dot":
      return {
        ...base,
        rows: [...result.rows],
        note: result.truncated
          ? `Showing the first ${formatCount(result.rows.length)} of ${rowsWord(total)}`
          : `All ${rowsWord(total)}`
      };
  }
}
