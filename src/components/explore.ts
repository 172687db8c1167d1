// The explore page's logic, apart from the DOM: DuckDB-WASM shut off from everything but
// its own tables, a query run that keeps at most a number of rows, what kind each result
// column is, which charts suit those kinds, and the query kept in the page's URL.

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

/** Whether a line needs its y summed per time bin: some series has two rows at the same x. */
export function lineNeedsBinning(rows: readonly Record<string, unknown>[], x: string, series?: string): boolean {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${String(series === undefined ? "" : row[series])}\u0000${+(row[x] as Date)}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
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
