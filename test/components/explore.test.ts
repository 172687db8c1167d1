import {describe, expect, it} from "vitest";
import {
  atSourceNote,
  cellValue,
  chartData,
  chartColumns,
  chartKinds,
  columnKind,
  defaultY,
  queryFromUrl,
  readLimited,
  refusal,
  resultTotal,
  runQuery,
  seriesColumn,
  timeBin,
  urlWithQuery,
  type Column,
  type QueryStream,
  type RowsQuery,
  withheldNote
} from "../../src/components/explore.js";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";

// Arrow type ids, from the Arrow format's Schema.fbs: Int 2, FloatingPoint 3, Utf8 5, Bool 6,
// Decimal 7, Date 8, Time 9, Timestamp 10, List 12, LargeUtf8 20.
describe("columnKind(typeId)", () => {
  it("reads numbers, text, times and the rest from Arrow type ids", () => {
    expect([2, 3, 7].map(columnKind)).toEqual(["number", "number", "number"]);
    expect([5, 20, 6].map(columnKind)).toEqual(["text", "text", "text"]);
    expect([8, 10].map(columnKind)).toEqual(["temporal", "temporal"]);
    expect([9, 12, 0].map(columnKind)).toEqual(["other", "other", "other"]);
  });
});

describe("cellValue(value, kind)", () => {
  it("turns epoch milliseconds into Dates, big integers into numbers, nested values into JSON text", () => {
    expect(cellValue(Date.UTC(2024, 1, 29), "temporal")).toEqual(new Date("2024-02-29T00:00:00Z"));
    expect(cellValue(12n, "number")).toBe(12);
    expect(cellValue({a: [1, 2n]}, "other")).toBe('{"a":[1,"2"]}');
    expect(cellValue("<b>x</b>", "text")).toBe("<b>x</b>");
    expect(cellValue(null, "number")).toBeNull();
    expect(cellValue(undefined, "temporal")).toBeNull();
  });
});

/** A stream like DuckDBClient.queryStream's: one number column n, batches of the given sizes; closed says whether it was stopped. */
function fakeStream(batchSizes: number[]): QueryStream & {closed: boolean} {
  const stream = {
    closed: false,
    schema: {fields: [{name: "n", type: {typeId: 2}}]},
    async *readRows() {
      let n = 0;
      try {
        for (const size of batchSizes) yield Array.from({length: size}, () => ({n: n++}));
      } finally {
        stream.closed = true;
      }
    }
  };
  return stream;
}

describe("readLimited(stream, limit)", () => {
  it("keeps the first `limit` rows of a longer result, says it is truncated, and stops the stream", async () => {
    const stream = fakeStream([3, 3, 3]);
    const result = await readLimited(stream, 4);
    expect(result.rows.map((r) => r.n)).toEqual([0, 1, 2, 3]);
    expect(result.truncated).toBe(true);
    expect(result.columns).toEqual([{name: "n", kind: "number"}]);
    expect(stream.closed).toBe(true);
  });
  it("keeps a result of exactly `limit` rows or fewer whole", async () => {
    expect(await readLimited(fakeStream([3, 3]), 6)).toMatchObject({
      truncated: false,
      rows: [{n: 0}, {n: 1}, {n: 2}, {n: 3}, {n: 4}, {n: 5}]
    });
    expect((await readLimited(fakeStream([2]), 10)).rows).toHaveLength(2);
  });
});

describe("runQuery(client, sql, limit)", () => {
  const failing = (message: string) => ({queryStream: () => Promise.reject(new Error(message))});
  it("returns DuckDB's words for a failed query instead of throwing", async () => {
    const message = 'Parser Error: syntax error at or near "SELEC"';
    expect(await runQuery(failing(message), "SELEC 1")).toEqual({
      columns: [],
      rows: [],
      truncated: false,
      error: message
    });
  });
  it("says to run one statement at a time where DuckDB-WASM refuses several", async () => {
    const message = "Invalid Error: PendingQuery can only take a single statement";
    expect((await runQuery(failing(message), "SELECT 1; SELECT 2")).error).toBe(
      `Run one statement at a time (a comment alone is none). ${message}`
    );
  });
  it("reads a statement without any result batch (SET, CREATE, an empty SELECT) as no rows, not as an error", async () => {
    expect(await runQuery(failing("missing first batch"), "CREATE TABLE t (x INT)")).toEqual({
      columns: [],
      rows: [],
      truncated: false
    });
  });
  it("reports an error raised while rows are read", async () => {
    const stream: QueryStream = {
      schema: {fields: []},
      async *readRows() {
        yield [];
        throw new Error("Out of Memory Error: failed to allocate");
      }
    };
    expect((await runQuery({queryStream: () => Promise.resolve(stream)}, "SELECT …")).error).toBe(
      "Out of Memory Error: failed to allocate"
    );
  });
});

describe("refusal(sql)", () => {
  it("refuses INSTALL and LOAD wherever they stand among statements and comments, before DuckDB sees them", async () => {
    for (const sql of [
      "INSTALL httpfs",
      "  force install httpfs from 'http://x'",
      "SELECT 1; LOAD httpfs;",
      "/* hi */ -- there\nload 'x.duckdb_extension'"
    ]) {
      expect(refusal(sql), sql).toMatch(/^Extensions cannot be installed or loaded here/);
    }
    const never = {queryStream: () => Promise.reject(new Error("DuckDB was asked"))};
    expect((await runQuery(never, "INSTALL httpfs")).error).toMatch(/^Extensions cannot be installed/);
  });
  it("lets through queries that only mention the words", () => {
    for (const sql of [
      "SELECT 'install httpfs' AS note",
      "SELECT load FROM t",
      "SELECT 1 -- then LOAD x",
      "SELECT * FROM loads"
    ])
      expect(refusal(sql), sql).toBeUndefined();
  });
});

const col = (name: string, kind: Column["kind"]): Column => ({name, kind});

describe("chartKinds(columns)", () => {
  it("proposes a line for a time and a number, then a histogram", () => {
    expect(chartKinds([col("month", "temporal"), col("revenue", "number")])).toEqual(["line", "histogram"]);
  });
  it("proposes bars for a category and a number, then a histogram and counts", () => {
    expect(chartKinds([col("channel", "text"), col("profit", "number")])).toEqual(["bar", "histogram", "count"]);
  });
  it("proposes dots for two numbers, a histogram for one, counts for a category alone, nothing for other types", () => {
    expect(chartKinds([col("a", "number"), col("b", "number")])).toEqual(["dot", "histogram"]);
    expect(chartKinds([col("a", "number")])).toEqual(["histogram"]);
    expect(chartKinds([col("day", "temporal")])).toEqual(["histogram"]);
    expect(chartKinds([col("segment", "text")])).toEqual(["count"]);
    expect(chartKinds([col("t", "other")])).toEqual([]);
    expect(chartKinds([])).toEqual([]);
  });
});

describe("chartColumns(kind, columns) and defaultY(kind, candidates)", () => {
  const columns = [
    col("id", "text"),
    col("first", "temporal"),
    col("orders", "number"),
    col("revenue", "number"),
    col("channel", "text")
  ];
  it("offers the columns of the right kinds on each axis, in the result's order", () => {
    expect(chartColumns("line", columns)).toEqual({x: ["first"], y: ["orders", "revenue"]});
    expect(chartColumns("bar", columns)).toEqual({x: ["id", "channel"], y: ["orders", "revenue"]});
    expect(chartColumns("histogram", columns)).toEqual({x: ["first", "orders", "revenue"], y: []});
  });
  it("puts the second number on y of a dot chart (the first is on x), else the first candidate", () => {
    expect(defaultY("dot", ["orders", "revenue"])).toBe("revenue");
    expect(defaultY("bar", ["orders", "revenue"])).toBe("orders");
    expect(defaultY("count", [])).toBeUndefined();
  });
});

describe("seriesColumn(rows, columns, max)", () => {
  it("splits a line by the first text column with few distinct values", () => {
    const rows = Array.from({length: 20}, (_, i) => ({id: `c${i}`, channel: ["web", "app", "shop"][i % 3], month: i}));
    const columns = [col("id", "text"), col("channel", "text"), col("month", "temporal")];
    expect(seriesColumn(rows, columns, 12)).toBe("channel");
    expect(seriesColumn(rows, columns, 2)).toBeUndefined();
  });
});

describe("timeBin(spanMs)", () => {
  const days = (n: number) => n * 864e5;
  it("picks the finest of minute, hour, day, week, month, quarter and year that makes at most 100 bins", () => {
    expect(timeBin(0)).toBe("minute");
    expect(timeBin(days(99))).toBe("day"); // 100 days
    expect(timeBin(days(100))).toBe("week"); // 101 days; 15 weeks
    expect(timeBin(days(365))).toBe("week"); // 53 weeks
    expect(timeBin(days(693))).toBe("week"); // floor(693 / 7) + 1 = 100 weeks
    expect(timeBin(days(700))).toBe("month"); // 101 weeks; 24 months
  });
});

// chartData runs its SQL in native DuckDB here, over small tables whose sums are written out by hand.
describe("chartData(query, sql, spec, result): the chart's data over the whole result", () => {
  /** Runs `work` with a DuckDB holding `setup`'s tables and a query function like the page's. */
  const withTables = <T>(setup: string[], work: (query: RowsQuery) => Promise<T>) =>
    withDuckDB(async (connection) => {
      for (const statement of setup) await connection.run(statement);
      return work((sql) => queryRows(connection, sql));
    });
  const num = (name: string): Column => ({name, kind: "number"});
  const txt = (name: string): Column => ({name, kind: "text"});
  const time = (name: string): Column => ({name, kind: "temporal"});
  /** A result cut after its first `shown` rows, as runQuery gives it (the rows' contents do not matter to the aggregates). */
  const cut = (columns: Column[], shown: number) => ({
    columns,
    rows: Array.from({length: shown}, () => ({})),
    truncated: true
  });

  // Category k (k = 1…25) has k rows of 10, so it sums to 10k; three rows without a category add 3 × 5 = 15.
  const categories = [
    "CREATE TABLE t (category VARCHAR, amount DOUBLE)",
    "INSERT INTO t SELECT printf('c%02d', k), 10 FROM range(1, 26) r(k), range(0, 25) s(j) WHERE j < k",
    "INSERT INTO t VALUES (NULL, 5), (NULL, 5), (NULL, 5)"
  ];

  it("sums every row per category, not only the rows shown, keeps the 20 largest and says how many there are", async () => {
    const data = await withTables(categories, (query) =>
      chartData(
        query,
        "SELECT category, amount FROM t;",
        {kind: "bar", x: "category", y: "amount"},
        cut([txt("category"), num("amount")], 50)
      )
    );
    // 1 + 2 + … + 25 = 325 rows with a category, 3 without: 328; the largest are c25 (250) down to c06 (60).
    expect(data.rows).toEqual(
      Array.from({length: 20}, (_, i) => ({category: `c${String(25 - i).padStart(2, "0")}`, value: 10 * (25 - i)}))
    );
    expect(data.note).toBe("All 328 rows: the 20 largest of 26 categories");
  });

  it("counts rows per category, a missing category as a bar of its own, and says nothing is left out when every category shows", async () => {
    const data = await withTables(categories, (query) =>
      chartData(
        query,
        "SELECT category FROM t WHERE category IS NULL OR category IN ('c01', 'c02') -- a comment",
        {kind: "count", x: "category"},
        {columns: [txt("category")], rows: [{}, {}, {}, {}, {}, {}], truncated: false}
      )
    );
    expect(data.rows).toEqual([
      {category: "(none)", value: 3},
      {category: "c02", value: 2},
      {category: "c01", value: 1}
    ]);
    expect(data.note).toBe("All 6 rows");
  });

  it("bins every value of a number into round bins, the largest value closing the last bin, as d3.bin does", async () => {
    // 0…100: Sturges gives 8 bins for 101 values, rounded to a width of 10; 100 falls in [90, 100].
    const data = await withTables(
      ["CREATE TABLE v AS SELECT range::INTEGER AS n FROM range(0, 101)", "INSERT INTO v VALUES (NULL)"],
      (query) => chartData(query, "SELECT n FROM v", {kind: "histogram", x: "n"}, cut([num("n")], 10))
    );
    expect(data.rows).toEqual(
      Array.from({length: 10}, (_, i) => ({x1: 10 * i, x2: 10 * i + 10, count: i === 9 ? 11 : 10}))
    );
    expect(data.note).toBe("All 102 rows (1 without n left out)");
  });

  it("bins times by month where weeks would make more than 100 bins", async () => {
    // One day a month, the 15th, from January 2020 to December 2024: 60 months, 256 weeks.
    const data = await withTables(
      ["CREATE TABLE d AS SELECT (DATE '2020-01-15' + INTERVAL (k) MONTH)::DATE AS day FROM range(0, 60) r(k)"],
      (query) => chartData(query, "SELECT day FROM d", {kind: "histogram", x: "day"}, cut([time("day")], 5))
    );
    expect(data.bin).toBe("month");
    expect(data.rows).toHaveLength(60);
    expect(data.rows[0]).toEqual({
      x1: new Date("2020-01-01T00:00:00Z"),
      x2: new Date("2020-02-01T00:00:00Z"),
      count: 1
    });
    expect(data.rows[59]).toEqual({
      x1: new Date("2024-12-01T00:00:00Z"),
      x2: new Date("2025-01-01T00:00:00Z"),
      count: 1
    });
    expect(data.note).toBe("All 60 rows");
  });

  const sales = [
    "CREATE TABLE s (day DATE, channel VARCHAR, revenue DOUBLE)",
    // Ten days of January 2024; each day web sells 1 and shop 2.
    "INSERT INTO s SELECT DATE '2024-01-01' + k::INTEGER, c, CASE c WHEN 'web' THEN 1 ELSE 2 END FROM range(0, 10) r(k), (VALUES ('web'), ('shop')) v(c)"
  ];

  it("draws a line through each series' times as they are where each time appears once a series", async () => {
    const data = await withTables(sales, (query) =>
      chartData(
        query,
        "SELECT day, channel, revenue FROM s",
        {kind: "line", x: "day", y: "revenue", series: "channel"},
        cut([time("day"), txt("channel"), num("revenue")], 4)
      )
    );
    expect(data.bin).toBeUndefined();
    expect(data.rows).toHaveLength(20);
    expect(data.rows.slice(0, 2)).toEqual([
      {x: new Date("2024-01-01T00:00:00Z"), series: "shop", y: 2},
      {x: new Date("2024-01-01T00:00:00Z"), series: "web", y: 1}
    ]);
    expect(data.note).toBe("All 20 rows");
  });

  it("sums a line's y per time bin where times repeat, or where there are more times than the result limit", async () => {
    const summed = await withTables(sales, (query) =>
      chartData(
        query,
        "SELECT day, revenue FROM s",
        {kind: "line", x: "day", y: "revenue"},
        cut([time("day"), num("revenue")], 4)
      )
    );
    expect(summed.bin).toBe("day");
    // Each day: web 1 + shop 2.
    expect(summed.rows).toEqual(
      Array.from({length: 10}, (_, k) => ({x: new Date(Date.UTC(2024, 0, 1 + k)), series: null, y: 3}))
    );
    const over = await withTables(sales, (query) =>
      chartData(
        query,
        "SELECT day, sum(revenue) AS revenue FROM s GROUP BY day",
        {kind: "line", x: "day", y: "revenue"},
        cut([time("day"), num("revenue")], 4),
        {limit: 4}
      )
    );
    expect(over.bin).toBe("day");
    expect(over.rows.map((r) => r.y)).toEqual(Array.from({length: 10}, () => 3));
  });

  it("draws the rows read as dots, and says so on the chart when the result had more", async () => {
    const rows = [
      {a: 1, b: 2},
      {a: 3, b: 4}
    ];
    const data = await withTables(["CREATE TABLE p AS SELECT range AS a, range * 2 AS b FROM range(0, 5)"], (query) =>
      chartData(
        query,
        "SELECT a, b FROM p",
        {kind: "dot", x: "a", y: "b"},
        {columns: [num("a"), num("b")], rows, truncated: true}
      )
    );
    expect(data.rows).toEqual(rows);
    expect(data.note).toBe("Showing the first 2 of 5 rows");
  });
});

describe("resultTotal(query, sql, result)", () => {
  it("counts the whole result where its rows were cut, and takes the rows read where they were not", async () => {
    const query: RowsQuery = (sql) => withDuckDB((connection) => queryRows(connection, sql));
    expect(await resultTotal(query, "SELECT * FROM range(0, 1234);\n", {rows: [1, 2], truncated: true})).toBe(1234);
    expect(
      await resultTotal(() => Promise.reject(new Error("not called")), "SELECT 1", {rows: [1], truncated: false})
    ).toBe(1);
  });
});

describe("queryFromUrl(href) and urlWithQuery(href, sql)", () => {
  it("writes the query as one escaped parameter, keeping the rest of the address", () => {
    expect(urlWithQuery("http://host/explore.html?x=1#top", "SELECT 'a&b#c' = 1")).toBe(
      "http://host/explore.html?x=1&sql=SELECT+%27a%26b%23c%27+%3D+1#top"
    );
    expect(urlWithQuery("http://host/explore.html?sql=old", "new")).toBe("http://host/explore.html?sql=new");
  });
  it("reads back exactly the query written, whatever it holds", () => {
    const sql = "SELECT '<script>&amp;</script>' AS \"x\", 1 + 2 -- 100 % ü\n;";
    expect(queryFromUrl(urlWithQuery("http://host/explore.html", sql))).toBe(sql);
    expect(queryFromUrl("http://host/explore.html?sql=SELECT%201%2B1")).toBe("SELECT 1+1");
    expect(queryFromUrl("http://host/explore.html")).toBeUndefined();
  });
});

describe("atSourceNote(tables)", () => {
  it("names the tables a warehouse keeps, and says which it lacks and the site derives there", () => {
    const shipped = {name: "feedback"};
    expect(atSourceNote([shipped])).toBeUndefined();
    expect(atSourceNote([{name: "transactions", atSource: true}, {name: "customers", atSource: true}, shipped])).toBe(
      "The transactions and customers tables stay in the warehouse this site is built from: query them there. Here are the tables computed from them (customer_summary, customer_clv) and the rest of the source."
    );
    expect(
      atSourceNote([
        {name: "transactions", atSource: true},
        {name: "customers", derivedAtSource: true}
      ])
    ).toBe(
      "The transactions table stays in the warehouse this site is built from: query it there. The warehouse has no customers table: the site derives it there from the transactions. Here are the tables computed from them (customer_summary, customer_clv) and the rest of the source."
    );
  });
});

describe("withheldNote(tables, maxBytes)", () => {
  it("names each table too large for the site, its rows and size, and the setting that would ship it", () => {
    const shipped = {name: "customers", rows: 6000};
    expect(withheldNote([shipped], 5e6)).toBeUndefined();
    expect(
      withheldNote(
        [
          shipped,
          {name: "transactions", rows: 994_725, withheldBytes: 7_412_345},
          {name: "feedback", rows: 2_000_000, withheldBytes: 5_000_001}
        ],
        5e6
      )
    ).toBe(
      "Not in this site, to keep it light: transactions (994,725 rows, 7.4 MB) and feedback (2,000,000 rows, 5.0 MB), larger than the 5.0 MB a raw table may take. Build the site with CUSTOMER_EQUITY_EXPLORE_MB=8 to include them."
    );
    expect(withheldNote([{name: "transactions", rows: 6919, withheldBytes: 69_383}], 50_000)).toBe(
      "Not in this site, to keep it light: transactions (6,919 rows, 69 kB), larger than the 50 kB a raw table may take. Build the site with CUSTOMER_EQUITY_EXPLORE_MB=1 to include it."
    );
  });

  it("says an estimated size is about that, and names a setting a tenth above it", () => {
    // 21.3 MB × 1.1 = 23.43 MB: 24.
    expect(
      withheldNote([{name: "transactions", rows: 993_223, withheldBytes: 21_300_000, withheldEstimated: true}], 5e6)
    ).toBe(
      "Not in this site, to keep it light: transactions (993,223 rows, about 21.3 MB), larger than the 5.0 MB a raw table may take. Build the site with CUSTOMER_EQUITY_EXPLORE_MB=24 to include it."
    );
  });
});
