// The profit page's files: monthly sums per customer for its filters (as the browser gets
// them: whole, or a sample of customers); profit per customer with the default assumptions,
// computed next to the data, for its first view: the figures and charts over every
// customer (profit_profile.json) and each customer's row (the customers who ship).
import {profitKpis, profitProfile} from "../../src/core/metrics/profitProfile.js";
import {customerProfitSql, monthlyGrossProfitSql, profitFirstView} from "../../src/core/sql/profitSql.js";
import {recentWindows} from "../../src/core/sql/dataEdges.js";
import {queryColumns, queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";
import {shippedRowsSql} from "./tables.js";

export const profitFiles: PageFiles<"profit"> = async ({connection, source, derived, writeCsv, writeFile}) => {
  await writeCsv("SELECT * FROM customer_months_shipped", "customer_months.csv");
  const {assumptions} = profitFirstView(source.margin_rate);
  const order = "profit DESC, customer_id";
  await derived.derive("customer_profit", (dialect) => customerProfitSql(dialect, assumptions), {
    what: "profit per customer",
    order,
    personal: ["customer_id"],
    perCustomer: true
  });
  // As columns: a million customers' rows as objects would take hundreds of MB.
  const profile = profitProfile(
    await queryColumns<"profit" | "revenue" | "orders">(
      connection,
      `SELECT profit::DOUBLE AS profit, revenue::DOUBLE AS revenue, orders::INTEGER AS orders FROM customer_profit ORDER BY ${order}`
    )
  );
  // How many buying customers have an acquisition cost and a count of service contacts on file:
  // where none has, the page says unknown rather than charging 0.
  const [known] = await queryRows<{acquisition_cost: number; service_contacts: number}>(
    connection,
    `SELECT count(acquisition_cost)::INTEGER AS acquisition_cost, count(service_contacts)::INTEGER AS service_contacts
     FROM customer_summary WHERE purchase_days > 0`
  );
  // Compact: the curves are a thousand points each.
  writeFile("profit_profile.json", `${JSON.stringify({...profile, known})}\n`);
  await writeCsv(shippedRowsSql("customer_profit", order), "customer_profit.csv");
  // Gross profit by month over the last twelve complete months, for the overview's sparkline.
  const {year} = recentWindows(
    source.observation_start ?? source.observation_end ?? "1970-01-01",
    source.observation_end ?? "1970-01-01"
  );
  await derived.derive("profit_trend", (dialect) => monthlyGrossProfitSql(dialect, source.margin_rate, year), {
    what: "gross profit by month",
    order: "month"
  });
  const months = await queryRows<{profit: number}>(connection, "SELECT profit FROM profit_trend ORDER BY month");
  return {...profitKpis(profile), trend: months.map((m) => m.profit), trendMonths: year};
};
