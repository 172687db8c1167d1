// The profit page's files: monthly sums per customer for its filters (as the browser gets
// them: whole, or a sample of customers); profit per customer with the default assumptions,
// computed next to the data, for its first view: the figures and charts over every
// customer (profit_profile.json) and each customer's row (the customers who ship).
import {profitKpis, profitProfile} from "../../src/core/metrics/profitProfile.js";
import {
  customerProfitSql,
  customerProfitWithPreviousSql,
  monthlyGrossProfitSql,
  profitFirstView
} from "../../src/core/sql/profitSql.js";
import {addMonths, dataYearEarlier, recentWindows} from "../../src/core/sql/dataEdges.js";
import type {PreviousFigure} from "../../src/core/metrics/figureChange.js";
import {queryColumns, queryRows} from "../duckdb.js";
import type {PageFiles} from "./pageFiles.js";
import {splitEarlierReading} from "../source/derived.js";
import {shippedRowsSql} from "./tables.js";

export const profitFiles: PageFiles<"profit"> = async ({connection, source, derived, writeCsv, writeFile}) => {
  await writeCsv("SELECT * FROM customer_months_shipped", "customer_months.csv.gz");
  const {assumptions} = profitFirstView(source.margin_rate);
  const order = "profit DESC, customer_id";
  // The same figure over the data as they stood a year earlier: the same query up to that month, the same profile,
  // asked with this one where there is such a year (each customer's row comes once from a warehouse).
  const dataStart = source.observation_start ?? source.observation_end ?? "1970-01-01";
  const end = source.observation_end ?? "1970-01-01";
  const earlier = dataYearEarlier(dataStart, end);
  const perCustomer = {order, personal: ["customer_id"], perCustomer: true} as const;
  if (earlier.span) {
    const previousTo = addMonths(earlier.span.to, -1).slice(0, 7);
    await derived.derive(
      "customer_profits",
      (dialect) => customerProfitWithPreviousSql(dialect, assumptions, previousTo),
      {what: `profit per customer, and in ${earlier.period}`, ...perCustomer}
    );
    await splitEarlierReading(
      connection,
      "customer_profits",
      order,
      {now: "customer_profit", earlier: "customer_profit_previous"},
      {prefix: "previous_", columns: ["profit", "revenue", "orders"], present: "orders"}
    );
  } else
    await derived.derive("customer_profit", (dialect) => customerProfitSql(dialect, assumptions), {
      what: "profit per customer",
      ...perCustomer
    });
  // As columns: a million customers' rows as objects would take hundreds of MB.
  const profileOf = async (table: string) =>
    profitProfile(
      await queryColumns<"profit" | "revenue" | "orders">(
        connection,
        `SELECT profit::DOUBLE AS profit, revenue::DOUBLE AS revenue, orders::INTEGER AS orders FROM ${table} ORDER BY ${order}`
      )
    );
  const profile = await profileOf("customer_profit");
  // How many buying customers have an acquisition cost and a count of service contacts on file:
  // where none has, the page says unknown rather than charging 0.
  const [known] = await queryRows<{acquisition_cost: number; service_contacts: number}>(
    connection,
    `SELECT count(acquisition_cost)::INTEGER AS acquisition_cost, count(service_contacts)::INTEGER AS service_contacts
     FROM customer_summary WHERE purchase_days > 0`
  );
  // Compact: the curves are a thousand points each.
  writeFile("profit_profile.json", `${JSON.stringify({...profile, known})}\n`);
  await writeCsv(shippedRowsSql("customer_profit", order), "customer_profit.csv.gz");
  // Gross profit by month over the last twelve complete months, for the overview's sparkline.
  const {year} = recentWindows(dataStart, end);
  await derived.derive("profit_trend", (dialect) => monthlyGrossProfitSql(dialect, source.margin_rate, year), {
    what: "gross profit by month",
    order: "month"
  });
  const months = await queryRows<{profit: number}>(connection, "SELECT profit FROM profit_trend ORDER BY month");
  const shareEarlier = async (period: string): Promise<PreviousFigure> => {
    const {top20Share} = profitKpis(await profileOf("customer_profit_previous"));
    return top20Share === null
      ? {value: null, none: `No profit to share out in ${period}.`}
      : {value: top20Share, period};
  };
  const previous = earlier.span ? await shareEarlier(earlier.period) : {value: null, none: earlier.none};
  return {...profitKpis(profile), trend: months.map((m) => m.profit), trendMonths: year, previous};
};
