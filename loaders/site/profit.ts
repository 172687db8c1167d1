// The profit page's files: monthly sums per customer for its filters (as the browser gets
// them: whole, or a sample of customers), and profit per customer with the default
// assumptions for its first view, computed next to the data.
import {profitKpis} from "../../src/components/concentration.js";
import {customerProfitSql, defaultProfitAssumptions} from "../../src/components/profitSql.js";
import {queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";

export const profitFiles: PageFiles = async ({connection, source, derived, writeCsv}) => {
  await writeCsv("SELECT * FROM customer_months_shipped", "customer_months.csv");
  const assumptions = {...defaultProfitAssumptions, marginRate: source.margin_rate};
  await derived.derive("customer_profit", () => customerProfitSql(assumptions), {what: "profit per customer", order: "profit DESC, customer_id", personal: ["customer_id"]});
  await writeCsv("SELECT * FROM customer_profit", "customer_profit.csv");
  const profits = (await queryRows<{profit: number}>(connection, "SELECT profit FROM customer_profit")).map((row) => row.profit);
  // Gross profit by month over the last twelve, for the overview's sparkline.
  await derived.derive(
    "profit_trend",
    () => `SELECT month, (sum(revenue) - sum(known_cost) - sum(revenue_without_cost) * (1 - ${source.margin_rate}))::DOUBLE PRECISION AS profit
     FROM customer_months GROUP BY month ORDER BY month DESC LIMIT 12`,
    {what: "gross profit by month", order: "month"}
  );
  const months = await queryRows<{profit: number}>(connection, "SELECT profit FROM profit_trend ORDER BY month");
  return {...profitKpis(profits), trend: months.map((m) => m.profit)};
};
