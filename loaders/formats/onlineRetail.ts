// UCI Online Retail invoices (Chen, Sain & Guo 2012): one row per invoice line with
// InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice (GBP), CustomerID
// (written as a float, 17850.0) and Country. See ../shared/datasets/PROVENANCE.md.
import type {DuckDBConnection} from "@duckdb/node-api";
import {literal} from "../../src/core/sql/sql.js";
import {stageDelimitedFile} from "../stage.js";
import {defaultMarginRate, type StagedSource} from "./staged.js";

const columns = [
  "InvoiceNo",
  "StockCode",
  "Description",
  "Quantity",
  "InvoiceDate",
  "UnitPrice",
  "CustomerID",
  "Country"
];

/** Stock codes that are not products: postage, carriage, fees, manual entries, discounts, samples, adjustments. */
export const nonProductCodes = ["POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "B"];

export async function stageOnlineRetail(connection: DuckDBConnection, files: readonly string[]): Promise<StagedSource> {
  for (const [i, file] of files.entries()) {
    await stageDelimitedFile(connection, `stage_retail_${i}`, {path: file}, columns);
  }
  const union = files.map((_, i) => `SELECT * FROM stage_retail_${i}`).join(" UNION ALL ");
  const malformed = files.map((_, i) => `SELECT * FROM stage_retail_${i}_malformed`).join(" UNION ALL ");
  const nonProduct = `upper(trim(StockCode)) IN (${nonProductCodes.map(literal).join(", ")}) OR StockCode ILIKE 'gift\\_0001%' ESCAPE '\\' OR StockCode ILIKE 'DCGS%'`;
  await connection.run(`CREATE OR REPLACE TEMP VIEW stage_retail AS
    SELECT _file, _line,
           regexp_replace(trim(CustomerID), '\\.0+$', '') AS customer_id,
           InvoiceDate AS occurred_at,
           -- revenue of the line; NULL (rejected below) when quantity or price is not a number
           CAST(try_cast(Quantity AS INTEGER) * try_cast(UnitPrice AS DECIMAL(18, 4)) AS DECIMAL(18, 2))::VARCHAR AS revenue,
           InvoiceNo AS order_id, Quantity AS quantity,
           coalesce(nullif(trim(Description), ''), StockCode) AS product,
           -- a cancellation (InvoiceNo C…) returns what the customer bought earlier
           starts_with(upper(InvoiceNo), 'C') AS _is_return, _duplicate_key, _duplicate_row,
           CASE WHEN nullif(trim(CustomerID), '') IS NULL THEN 'missing customer id'
                WHEN ${nonProduct} THEN 'not a product (postage, fee, discount or adjustment)'
                WHEN try_cast(UnitPrice AS DECIMAL(18, 4)) IS NULL THEN 'non-numeric amount'
                WHEN try_cast(UnitPrice AS DECIMAL(18, 4)) = 0 THEN 'zero price'
                WHEN try_cast(Quantity AS INTEGER) IS NULL THEN 'non-numeric value' END AS _reject_reason,
           CASE WHEN nullif(trim(CustomerID), '') IS NULL THEN 'CustomerID'
                WHEN ${nonProduct} THEN 'StockCode'
                WHEN try_cast(UnitPrice AS DECIMAL(18, 4)) IS NULL OR try_cast(UnitPrice AS DECIMAL(18, 4)) = 0 THEN 'UnitPrice'
                ELSE 'Quantity' END AS _reject_column,
           CASE WHEN nullif(trim(CustomerID), '') IS NULL THEN CustomerID
                WHEN ${nonProduct} THEN StockCode
                WHEN try_cast(UnitPrice AS DECIMAL(18, 4)) IS NULL OR try_cast(UnitPrice AS DECIMAL(18, 4)) = 0 THEN UnitPrice
                ELSE Quantity END AS _reject_value
    FROM (${union})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_retail_malformed AS ${malformed}`);
  return {
    kind: "online-retail",
    name: "UCI Online Retail (UK gift-ware, 2010–2011)",
    currency: "GBP",
    marginRate: defaultMarginRate,
    inputs: [
      {stage: "stage_retail", table: "transactions", format: {dateFormat: ["%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M"]}}
    ],
    hasCustomers: false
  };
}
