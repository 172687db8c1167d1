// The profit page's files: monthly sums per customer for its filters (as the browser gets
// them: whole, or a sample of customers), and profit per customer with the default
// assumptions for its first view, computed next to the data.
import {profitKpis} from "../../src/components/concentration.js";
import {customerProfitSql, defaultProfitAssumptions, monthlyGrossProfitSql} from "../../src/components/profitSql.js";
import {queryRows} from "../duckdb.js";
import {deriveCsv, type PageFiles} from "./pageFiles.js";

export const profitFiles: PageFiles = async (context) => {
  const {connection, source, derived, writeCsv} = context;
  await writeCsv("SELECT * FROM customer_months_shipped", "customer_months.csv");
  const assumptions = {...defaultProfitAssumptions, marginRate: source.margin_rate};
  await deriveCsv(context, "customer_profit", (dialect) => customerProfitSql(dialect, assumptions), {what: "profit per customer", order: "profit DESC, customer_id", personal: ["customer_id"], perCustomer: true});
  const profits = (await queryRows<{profit: number}>(connection, "SELECT profit FROM customer_profit")).map((row) => row.profit);
  // Gross profit by month over the last twelve, for the overview's sparkline.
  await derived.derive("profit_trend", (dialect) => monthlyGrossProfitSql(dialect, source.margin_rate), {what: "gross profit by month", order: "month"});
  const months = await queryRows<{profit: number}>(connection, "SELECT profit FROM profit_trend ORDER BY month");
  return {...profitKpis(profits), trend: months.map((m) => m.profit)};
};
