// The overview's files: daily first and repeat sales, and their monthly sums for the first chart.
import {salesByPeriodSql} from "../../src/core/metrics/salesByPeriod.js";
import type {PageFiles} from "./pageFiles.js";

export const overviewFiles: PageFiles<"overview"> = async ({writeCsv}) => {
  await writeCsv(
    `SELECT strftime("date", '%Y-%m-%d') AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales ORDER BY "date"`,
    "daily_sales.csv"
  );
  await writeCsv(salesByPeriodSql("month"), "sales_by_month.csv");
};
