// Ingest on the full public datasets in ../shared/datasets, against the figures their
// PROVENANCE.md documents. Skipped, with a message, where ../shared is absent.
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {runIngest} from "./ingestHelpers.js";

const datasets = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));
const present = existsSync(datasets);
if (!present) console.warn(`skipping the reference-dataset tests: ${datasets} is absent`);

const sum = (rows: Record<string, string>[], column: string) =>
  Math.round(rows.reduce((total, row) => total + Number(row[column]), 0) * 100) / 100;

describe.skipIf(!present)("CDNOW (Fader & Hardie), ../shared/datasets", () => {
  it("master: 69,659 rows loaded, 23,570 customers, $2,500,315.63, 12,054 one-day customers", async () => {
    const out = await runIngest("cdnow", [`${datasets}cdnow_master.txt.gz`]);
    expect(out.quality.tables.transactions).toEqual({
      input_rows: 69659,
      loaded_rows: 69659,
      rejected_rows: 0,
      rejected_by_reason: {}
    });
    expect(out.source).toMatchObject({
      customers: 23570,
      transactions: 69659,
      observation_start: "1997-01-01",
      observation_end: "1998-06-30"
    });
    const summary = out.rows("customer_summary.csv");
    expect(sum(summary, "revenue")).toBe(2500315.63);
    expect(summary.filter((c) => c.frequency === "0")).toHaveLength(12054);
    expect(summary.every((c) => c.first_purchase! >= "1997-01-01" && c.first_purchase! <= "1997-03-25")).toBe(true);
  });

  it("sample: 6,919 rows, 2,357 customers, $244,091.94", async () => {
    const out = await runIngest("cdnow", [`${datasets}cdnow_sample.txt.gz`]);
    expect(out.quality.tables.transactions).toEqual({
      input_rows: 6919,
      loaded_rows: 6919,
      rejected_rows: 0,
      rejected_by_reason: {}
    });
    expect(out.source.customers).toBe(2357);
    expect(sum(out.rows("customer_summary.csv"), "revenue")).toBe(244091.94);
  });
});

describe.skipIf(!present)("UCI Online Retail, ../shared/datasets", () => {
  const file = `${datasets}online_retail.csv.gz`;

  // Half a million rows of a real file: a generous time, as the test run shares two cores (bench/ingest.ts measures speed).
  it("reconciles all 541,909 rows: 135,080 without CustomerID, the rest by reason as an independent query counts them", async () => {
    const out = await runIngest("online-retail", [file], {asOf: "2012-01-01"});
    // The same rules written once more, directly over the raw file, in the order they apply.
    const [expected] = await withDuckDB((connection) =>
      queryRows<Record<string, string>>(
        connection,
        `WITH raw AS (SELECT * FROM read_csv('${file}', all_varchar = true, header = true)),
         tagged AS (
           SELECT *, CASE
             WHEN coalesce(trim(CustomerID), '') = '' THEN 'missing'
             WHEN upper(StockCode) IN ('POST', 'DOT', 'M', 'C2', 'D', 'S', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS', 'B')
               OR StockCode ILIKE 'gift\\_0001%' ESCAPE '\\' OR StockCode ILIKE 'DCGS%' THEN 'nonproduct'
             WHEN UnitPrice::DOUBLE = 0 THEN 'zero' END AS tag
           FROM raw)
         SELECT count(*) AS total,
                count(*) FILTER (WHERE tag = 'missing') AS missing,
                count(*) FILTER (WHERE tag = 'nonproduct') AS nonproduct,
                count(*) FILTER (WHERE tag = 'zero') AS zero,
                (SELECT count(*) - count(DISTINCT (InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country)) FROM tagged WHERE tag IS NULL) AS duplicates,
                (SELECT count(DISTINCT CustomerID) FROM tagged WHERE tag IS NULL) AS customers,
                (SELECT round(sum(round(Quantity::INTEGER * UnitPrice::DECIMAL(18, 4), 2)), 2) FROM (SELECT DISTINCT * FROM tagged WHERE tag IS NULL)) AS revenue
         FROM tagged`
      )
    );
    expect(expected!.total).toBe("541909");
    expect(expected!.missing).toBe("135080");
    const t = out.quality.tables.transactions!;
    expect(t.input_rows).toBe(541909);
    expect(t.rejected_by_reason).toEqual({
      "missing customer id": 135080,
      "not a product (postage, fee, discount or adjustment)": Number(expected!.nonproduct),
      "zero price": Number(expected!.zero),
      "duplicate order line": Number(expected!.duplicates)
    });
    expect(t.loaded_rows + t.rejected_rows).toBe(541909);
    expect(out.source.customers).toBe(Number(expected!.customers));
    expect(sum(out.rows("customer_summary.csv"), "revenue")).toBe(Number(expected!.revenue));
  }, 120_000);
});
