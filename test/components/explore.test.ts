import {describe, expect, it} from "vitest";
import {
  atSourceNote,
  cellValue,
  chartColumns,
  chartKinds,
  columnKind,
  defaultY,
  lineNeedsBinning,
  queryFromUrl,
  readLimited,
  refusal,
  runQuery,
  seriesColumn,
  urlWithQuery,
  type Column,
  type QueryStream
} from "../../src/components/explore.js";

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

describe("lineNeedsBinning(rows, x, series)", () => {
  const day = (d: number) => new Date(Date.UTC(2024, 0, d));
  it("is false when every time appears once per series, true when a series repeats a time", () => {
    expect(lineNeedsBinning([{t: day(1)}, {t: day(2)}], "t")).toBe(false);
    expect(
      lineNeedsBinning(
        [
          {t: day(1), s: "a"},
          {t: day(1), s: "b"}
        ],
        "t",
        "s"
      )
    ).toBe(false);
    expect(
      lineNeedsBinning(
        [
          {t: day(1), s: "a"},
          {t: day(1), s: "b"}
        ],
        "t"
      )
    ).toBe(true);
    expect(lineNeedsBinning([{t: day(1)}, {t: day(2)}, {t: day(1)}], "t")).toBe(true);
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
