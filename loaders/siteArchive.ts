// What the site's pages read of a source, as one zip archive (Framework extracts each
// member a page asks for: FileAttachment("data/source/quality.json")). Only summaries and
// aggregates: no raw personal data, customer ids already pseudonymised by ingest.
import type {DuckDBConnection} from "@duckdb/node-api";
import {copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import JSZip from "jszip";
import {profitKpis} from "../src/components/concentration.js";
import {customerMonthsSql, customerProfitSql, defaultProfitAssumptions} from "../src/components/profitSql.js";
import {salesByPeriodSql} from "../src/components/salesByPeriod.js";
import {literal} from "../src/components/sql.js";
import {dailySalesSql} from "./dailySales.js";
import {queryRows, withDuckDB} from "./duckdb.js";
import {openSourceFolder} from "./sourceFolder.js";

/** How many rejected rows per file and reason the data-quality page shows. */
export const rejectSampleSize = 20;

async function copyCsv(connection: DuckDBConnection, select: string, path: string): Promise<void> {
  await connection.run(`COPY (${select}) TO ${literal(path)} (FORMAT csv, HEADER true)`);
}

/** The site's files for a source folder (see npm run ingest), as a zip archive. */
export async function siteArchive(sourceDir: string): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), "site-archive-"));
  try {
    await withDuckDB(async (connection) => {
      const source = await openSourceFolder(connection, sourceDir);
      await connection.run(dailySalesSql);
      await connection.run(`CREATE TEMP TABLE customer_months AS ${customerMonthsSql}`);
      await connection.run(`CREATE TEMP TABLE customer_summary AS SELECT * FROM read_csv(${literal(join(sourceDir, "customer_summary.csv"))}, header = true, types = {'customer_id': 'VARCHAR'})`);
      await copyCsv(connection, "SELECT * FROM customer_months", join(work, "customer_months.csv"));
      // The profit page's first view, with its default assumptions.
      const profitSql = customerProfitSql({...defaultProfitAssumptions, marginRate: source.margin_rate});
      await copyCsv(connection, profitSql, join(work, "customer_profit.csv"));
      const profits = (await queryRows<{profit: number}>(connection, `SELECT profit FROM (${profitSql})`)).map((row) => row.profit);
      writeFileSync(join(work, "kpis.json"), `${JSON.stringify({profit: profitKpis(profits)}, null, 2)}\n`);
      await copyCsv(connection, `SELECT strftime("date", '%Y-%m-%d') AS "date", first_orders, first_revenue, repeat_orders, repeat_revenue FROM daily_sales ORDER BY "date"`, join(work, "daily_sales.csv"));
      await copyCsv(connection, salesByPeriodSql("month"), join(work, "sales_by_month.csv"));
      await copyCsv(
        connection,
        `SELECT * FROM read_csv(${literal(join(sourceDir, "rejects.csv"))}, header = true, all_varchar = true)
         QUALIFY row_number() OVER (PARTITION BY file, reason ORDER BY line::BIGINT) <= ${rejectSampleSize}
         ORDER BY table_name, file, line::BIGINT`,
        join(work, "rejects_sample.csv")
      );
    });
    for (const file of ["source.json", "quality.json", "customer_summary.csv"]) copyFileSync(join(sourceDir, file), join(work, file));
    const zip = new JSZip();
    // A fixed date on every member, so the same source gives the same bytes.
    for (const name of readdirSync(work).sort()) zip.file(name, readFileSync(join(work, name)), {date: new Date(Date.UTC(2000, 0, 1))});
    return await zip.generateAsync({type: "nodebuffer", compression: "DEFLATE", compressionOptions: {level: 6}});
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}
