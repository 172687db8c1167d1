// The overview's files: daily first and repeat sales, and their monthly sums for the first chart.
import {salesByPeriodSql} from "../../src/core/metrics/salesByPeriod.js";
import {newCustomersFrom} from "../../src/core/sql/dataEdges.js";
import type {PageFiles} from "./pageFiles.js";

export const overviewFiles: PageFiles<"overview"> = async ({source, writeCsv}) => {
  await writeCsv(
    `SELECT strftime("date", '%Y-%m-%d') AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales ORDER BY "date"`,
    "daily_sales.csv"
  );
  // Complete months only: an incomplete last month is left out (src/core/sql/dataEdges.ts).
  await writeCsv(
    salesByPeriodSql("month", source.observation_end, "daily_sales", newCustomersFrom(source)),
    "sales_by_month.csv"
  );
};
