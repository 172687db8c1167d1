// The overview's files: daily first and repeat sales, and their sums by week, month and quarter for its chart.
import {periods, salesByPeriodSql} from "../../src/core/metrics/salesByPeriod.js";
import {newCustomersFrom} from "../../src/core/sql/dataEdges.js";
import type {PageFiles} from "./pageFiles.js";

export const overviewFiles: PageFiles<"overview"> = async ({source, writeCsv}) => {
  await writeCsv(
    `SELECT strftime("date", '%Y-%m-%d') AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales ORDER BY "date"`,
    "daily_sales.csv"
  );
  // Each period the page sums by, so that its control only picks a file; complete periods only (an incomplete last one
  // is left out: src/core/sql/dataEdges.ts).
  for (const period of periods)
    await writeCsv(
      salesByPeriodSql(period, source.observation_end, "daily_sales", newCustomersFrom(source)),
      `sales_by_${period}.csv`
    );
};
