// What the site's pages read of a source, as one zip archive (Framework extracts each
// member a page asks for: FileAttachment("data/source/quality.json")). Only summaries and
// aggregates: no raw personal data, customer ids already pseudonymised by ingest.
import {copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import JSZip from "jszip";
import {customerMonthsSql} from "../../src/components/profitSql.js";
import {literal} from "../../src/components/sql.js";
import {withDuckDB} from "../duckdb.js";
import {openSourceFolder} from "../sourceFolder.js";
import {equityFiles} from "./equity.js";
import {exploreFiles} from "./explore.js";
import {overviewFiles} from "./overview.js";
import {pageKpis, type PageFiles} from "./pageFiles.js";
import {lifecycleFiles} from "./lifecycle.js";
import {profitFiles} from "./profit.js";
import {qualityFiles} from "./quality.js";
import {writeSliceReports} from "./reports.js";
import {retentionFiles} from "./retention.js";
import {satisfactionFiles} from "./satisfaction.js";

/**
 * Each page's files; a page's function returns its figure for the overview's KPI cards.
 * Equity runs before retention, whose early warning uses the model's P(active).
 */
const pages: Record<string, PageFiles> = {
  overview: overviewFiles,
  profit: profitFiles,
  equity: equityFiles,
  retention: retentionFiles,
  lifecycle: lifecycleFiles,
  satisfaction: satisfactionFiles,
  quality: qualityFiles,
  explore: exploreFiles
};

/** The pages whose figures a segment report repeats: not the overview (no figure) nor data quality (the source's, not a slice's). */
const slicePages = Object.fromEntries(Object.entries(pages).filter(([page]) => page !== "overview" && page !== "quality"));

/** The site's files for a source folder (see npm run ingest), as a zip archive. */
export async function siteArchive(sourceDir: string): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), "site-archive-"));
  try {
    await withDuckDB(async (connection, instance) => {
      const source = await openSourceFolder(connection, sourceDir);
      // Tables several pages build on: the per-customer summary and monthly sums.
      await connection.run(`CREATE TEMP TABLE customer_summary AS SELECT * FROM read_csv(${literal(join(sourceDir, "customer_summary.csv"))}, header = true, types = {'customer_id': 'VARCHAR'})`);
      await connection.run(`CREATE TEMP TABLE customer_months AS ${customerMonthsSql}`);
      const writeCsv = (select: string, name: string) => connection.run(`COPY (${select}) TO ${literal(join(work, name))} (FORMAT csv, HEADER true)`).then(() => undefined);
      const writeFile = (name: string, text: string) => writeFileSync(join(work, name), text);
      const context = {connection, sourceDir, source, writeCsv, writeFile};
      const kpis = await pageKpis(pages, context);
      writeFileSync(join(work, "kpis.json"), `${JSON.stringify(kpis, null, 2)}\n`);
      await writeSliceReports(instance, context, slicePages, kpis);
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
