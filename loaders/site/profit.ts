// The profit page's files: monthly sums per customer for its filters, and profit per
// customer with the default assumptions for its first view.
import {profitKpis} from "../../src/components/concentration.js";
import {customerProfitSql, defaultProfitAssumptions} from "../../src/components/profitSql.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

export const profitFiles: PageFiles = async ({connection, source, writeCsv}) => {
  await writeCsv("SELECT * FROM customer_months", "customer_months.csv");
  const profitSql = customerProfitSql({...defaultProfitAssumptions, marginRate: source.margin_rate});
  await writeCsv(profitSql, "customer_profit.csv");
  const profits = (await queryRows<{profit: number}>(connection, `SELECT profit FROM (${profitSql})`)).map((row) => row.profit);
  // Gross profit by month over the last twelve, for the overview's sparkline.
  const months = await queryRows<{profit: number}>(
    connection,
    `SELECT (sum(revenue) - sum(known_cost) - sum(revenue_without_cost) * (1 - ${source.margin_rate}))::DOUBLE AS profit
     FROM customer_months GROUP BY month ORDER BY month DESC LIMIT 12`
  );
  return {...profitKpis(profits), trend: months.map((m) => m.profit).reverse()};
};
