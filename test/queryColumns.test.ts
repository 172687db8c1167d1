import {describe, expect, it} from "vitest";
import {queryColumns, withDuckDB} from "../loaders/duckdb.js";

describe("queryColumns(connection, sql)", () => {
  it("gives each numeric column as a Float64Array, NULL as NaN, in the query's order", async () => {
    const columns = await withDuckDB((connection) =>
      queryColumns(connection, "SELECT * FROM (VALUES (1, 2.5::DOUBLE), (NULL, -1), (3, 0)) t(a, b)")
    );
    expect(columns).toEqual({a: Float64Array.of(1, NaN, 3), b: Float64Array.of(2.5, -1, 0)});
  });
  it("joins a result of several chunks (DuckDB's are 2,048 rows) and an empty one", async () => {
    const [many, none] = await withDuckDB(async (connection) => [
      await queryColumns<"i">(connection, "SELECT range::DOUBLE AS i FROM range(5000) ORDER BY range"),
      await queryColumns<"i">(connection, "SELECT 1::DOUBLE AS i WHERE false")
    ]);
    expect(many.i.length).toBe(5000);
    expect([many.i[0], many.i[2047], many.i[2048], many.i[4999]]).toEqual([0, 2047, 2048, 4999]);
    expect(none.i).toEqual(new Float64Array(0));
  });
  it("refuses a column that is not a number, naming it", async () => {
    await expect(withDuckDB((connection) => queryColumns(connection, "SELECT 1 AS n, 'x' AS label"))).rejects.toThrow(
      /column label is VARCHAR/
    );
  });
});
