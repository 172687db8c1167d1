import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {DuckDBInstance} from "@duckdb/node-api";
import {csvParse} from "d3";
import {describe, expect, it} from "vitest";
import {cdnowDailySalesCsv, cdnowSalesByPeriodCsv} from "../loaders/cdnowDailySales.js";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/cdnow/${name}`, import.meta.url));
const shared = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));

// Customer 1 buys twice on 1997-01-01 (both count as the first purchase) and again on
// 1997-01-15; customer 2 first buys on 1997-01-15 and again on 1997-02-01.
const expectedDaily = `date,first_orders,first_revenue,repeat_orders,repeat_revenue
1997-01-01,2,30,0,0
1997-01-15,1,30,1,5
1997-02-01,0,0,1,7.5`;

describe("cdnowDailySalesCsv(file)", () => {
  it("splits a sample-format log (CRLF, five fields) into first and repeat purchases per day", async () => {
    expect(await cdnowDailySalesCsv(fixture("sample.txt"))).toBe(expectedDaily);
  });

  it("reads the master format (header line, four fields) the same way", async () => {
    expect(await cdnowDailySalesCsv(fixture("master.txt"))).toBe(expectedDaily);
  });

  it("names the file, line and column of a bad value", async () => {
    await expect(cdnowDailySalesCsv(fixture("bad-date.txt"))).rejects.toThrow(/bad-date\.txt: line 2: column date \(expected YYYYMMDD\)/);
    await expect(cdnowDailySalesCsv(fixture("bad-dollars.txt"))).rejects.toThrow(/bad-dollars\.txt: line 2: column dollar_value/);
    await expect(cdnowDailySalesCsv(fixture("short-line.txt"))).rejects.toThrow(/short-line\.txt: line 2: \(expected 4 or 5 fields\)/);
  });

  it("stops on an empty or missing file, naming it", async () => {
    await expect(cdnowDailySalesCsv(fixture("empty.txt"))).rejects.toThrow(/empty\.txt/);
    await expect(cdnowDailySalesCsv(fixture("no-such-file.txt"))).rejects.toThrow(/no-such-file\.txt/);
  });
});

describe("cdnowSalesByPeriodCsv(file, period)", () => {
  it("sums the daily table by month", async () => {
    expect(await cdnowSalesByPeriodCsv(fixture("sample.txt"), "month")).toBe(`period,kind,orders,revenue
1997-01-01,first purchase,3,60
1997-01-01,repeat,1,5
1997-02-01,first purchase,0,0
1997-02-01,repeat,1,7.5`);
  });
});

// Totals from ../shared/datasets/PROVENANCE.md.
describe.skipIf(!existsSync(shared))("CDNOW reference files (../shared/datasets)", () => {
  const totals = (csv: string) => {
    const rows = csvParse(csv);
    const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column]), 0);
    return {orders: sum("first_orders") + sum("repeat_orders"), revenue: Math.round((sum("first_revenue") + sum("repeat_revenue")) * 100) / 100};
  };

  it("keeps every row and dollar of the 1/10 sample", async () => {
    expect(totals(await cdnowDailySalesCsv(`${shared}cdnow_sample.txt.gz`))).toEqual({orders: 6919, revenue: 244091.94});
  });

  it("keeps every row and dollar of the master file", async () => {
    expect(totals(await cdnowDailySalesCsv(`${shared}cdnow_master.txt.gz`))).toEqual({orders: 69659, revenue: 2500315.63});
  });

  it("counts one first purchase day per customer: 23,570 customers in the master file", async () => {
    // Independent of the loader: first-day rows counted straight from the raw file.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const result = await connection.runAndReadAll(`SELECT count(DISTINCT split_part(trim(column0), ' ', 1))::INTEGER AS customers
      FROM read_csv('${shared}cdnow_master.txt.gz', columns = {'column0': 'VARCHAR'}, delim = '\\x01', header = true)`);
    connection.closeSync();
    instance.closeSync();
    expect(result.getRowObjectsJson()[0]!.customers).toBe(23570);
  });
});

if (!existsSync(shared)) console.warn(`skipping the CDNOW reference tests: ${shared} is absent`);
