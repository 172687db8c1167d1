// The profit page's files: monthly sums per customer for its filters, and profit per
// customer with the default assumptions for its first view.
import {profitKpis} from "../../src/components/concentration.js";
import {customerProfitSql, defaultProfitAssumptions, monthlyGrossProfitSql} from "../../src/components/profitSql.js";
import {duckdb} from "../../src/components/sqlDialect.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

export const profitFiles: PageFiles = async ({connection, source, writeCsv}) => {
  await writeCsv("SELECT * FROM customer_months", "customer_months.csv");
  const profitSql = customerProfitSql(duckdb, {...defaultProfitAssumptions, marginRate: source.margin_rate});
  await writeCsv(profitSql, "customer_profit.csv");
  const profits = (await queryRows<{profit: number}>(connection, `SELECT profit FROM (${profitSql}) customers`)).map((row) => row.profit);
  // Gross profit by month over the last twelve, for the overview's sparkline.
  const months = await queryRows<{profit: number}>(connection, monthlyGrossProfitSql(duckdb, source.margin_rate));
  return {...profitKpis(profits), trend: months.map((m) => m.profit)};
};
