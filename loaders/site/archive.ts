// What the site's pages read of a source, as one zip archive (Framework extracts each
// member a page asks for: FileAttachment("data/source/quality.json")). Only summaries and
// aggregates: no raw personal data, customer ids pseudonymised (by ingest, or on arrival
// from a warehouse).
import {
  appendFileSync,
  closeSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync
} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Writable} from "node:stream";
import {pipeline} from "node:stream/promises";
import {createGzip} from "node:zlib";
import JSZip from "jszip";
import type {DuckDBConnection} from "@duckdb/node-api";
import {figurePages} from "../../src/core/pages.js";
import {literal} from "../../src/core/sql/sql.js";
import type {Settings} from "../settings.js";
import {withSource} from "../source/source.js";
import {notingPerCustomer} from "../source/derived.js";
import {equityFiles} from "./equity.js";
import {exploreFiles} from "./explore.js";
import {overviewFiles} from "./overview.js";
import {pageKpis, type PageLoaders} from "./pageFiles.js";
import {lifecycleFiles} from "./lifecycle.js";
import {profitFiles} from "./profit.js";
import {qualityFiles} from "./quality.js";
import {writeSliceReports} from "./reports.js";
import {retentionFiles} from "./retention.js";
import {satisfactionFiles} from "./satisfaction.js";
import {browserCustomers, defineSiteTables, shipBrowserTables} from "./tables.js";
import {checkUsableSource, sourceName} from "./usable.js";

/**
 * Each page's loader function (src/core/pages.ts lists the pages), in the order they run:
 * equity before retention, whose early warning uses the model's P(active), and before satisfaction, which values
 * referred customers by its customer_clv table.
 */
const pageLoaders: PageLoaders = {
  overview: overviewFiles,
  profit: profitFiles,
  equity: equityFiles,
  retention: retentionFiles,
  lifecycle: lifecycleFiles,
  satisfaction: satisfactionFiles,
  quality: qualityFiles,
  explore: exploreFiles
};

/** The loaders of the pages with a headline figure, which a segment report repeats for its slice (in the order they run). */
const sliceLoaders: Partial<PageLoaders> = Object.fromEntries(
  Object.entries(pageLoaders).filter(([key]) => figurePages.some((page) => page.key === key))
);

/**
 * The site's files for the settings' source, as a zip archive: a folder (see npm run ingest)
 * opened in native DuckDB, or a postgres:// URL (loaders/source/postgres/site.ts), or the demo. The pages' loaders run
 * the same on either: each of their queries runs next to the data (loaders/source/derived.ts)
 * and only its result reaches the loaders' DuckDB. Progress lines (a warehouse's queries)
 * go to `progress`.
 */
export async function siteArchive(settings: Settings, progress: (line: string) => void = () => {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk);
      done();
    }
  });
  await writeSiteArchive(settings, collect, progress);
  return Buffer.concat(chunks);
}

/**
 * siteArchive, streamed into `output` (left open): each member is read from its file and
 * compressed a chunk at a time, since a million customers' files come to hundreds of MB.
 */
export async function writeSiteArchive(
  settings: Settings,
  output: NodeJS.WritableStream,
  progress: (line: string) => void = () => {}
): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "site-archive-"));
  // The files that ship gzipped but are written plain first: the source's customer_summary.csv, and what a loader
  // writes in JavaScript under a name ending in .gz (written, and appended to, plain; gzipped once all are written).
  const gzipLater = new Set<string>(["customer_summary.csv"]);
  const plainPath = (name: string) => {
    if (!name.endsWith(".gz")) return join(work, name);
    gzipLater.add(name.slice(0, -3));
    return join(work, name.slice(0, -3));
  };
  try {
    await withSource(
      settings,
      ({connection, instance, withSite}) =>
        withSite(work, async ({info, derived: nextToData, slices}) => {
          await checkUsableSource(nextToData.session, sourceName(settings));
          const {derived, perCustomer} = notingPerCustomer(nextToData);
          // The per-customer summary, typed as the browser's CSV reader will see it.
          await connection.run(
            `CREATE OR REPLACE TEMP TABLE customer_summary AS SELECT * FROM read_csv(${literal(join(work, "customer_summary.csv"))}, header = true, types = {'customer_id': 'VARCHAR'})`
          );
          await defineSiteTables(derived);
          const {browserRows, exploreBytes} = settings;
          const samples = await shipBrowserTables(derived, connection, info.customers ?? 0, browserRows);
          writeFileSync(join(work, "browser_sample.json"), `${JSON.stringify(samples, null, 2)}\n`);
          if (samples.customers.shippedCustomers < samples.customers.customers)
            await keepShippedCustomers(connection, join(work, "customer_summary.csv"));
          // DuckDB writes the CSV plain; one whose name ends in .gz is then gzipped here, in a third of the time
          // DuckDB's own gzip (COPY … TO '….gz') took (customer_summary at a million lines: 2.5 s against 0.35 + 0.8 s).
          const writeCsv = async (select: string, name: string) => {
            const gzipped = name.endsWith(".gz");
            const path = join(work, gzipped ? name.slice(0, -3) : name);
            await connection.run(`COPY (${select}) TO ${literal(path)} (FORMAT csv, HEADER true)`);
            if (gzipped) await gzipFile(path);
            return statSync(join(work, name)).size;
          };
          const writeFile = (name: string, text: string) => writeFileSync(plainPath(name), text);
          const appendFile = (name: string, text: string) => appendFileSync(plainPath(name), text);
          const context = {
            connection,
            source: info,
            derived,
            writeCsv,
            writeFile,
            appendFile,
            browserRows,
            exploreBytes
          };
          const kpis = await pageKpis(pageLoaders, context, progress);
          writeFileSync(join(work, "kpis.json"), `${JSON.stringify(kpis, null, 2)}\n`);
          await writeSliceReports(instance, slices, context, sliceLoaders, kpis, perCustomer);
        }),
      progress
    );
    for (const name of [...gzipLater].sort()) await gzipFile(join(work, name));
    const zip = new JSZip();
    // A fixed date on every member, so the same source gives the same bytes.
    // A gzipped member is stored as it is: deflating it again costs seconds and saves nothing.
    for (const name of readdirSync(work).sort())
      zip.file(name, createReadStream(join(work, name)), {
        binary: true,
        date: new Date(Date.UTC(2000, 0, 1)),
        ...(name.endsWith(".gz") && {compression: "STORE"})
      });
    // streamFiles: each member's sizes follow its data, so no member is held whole.
    await pipeline(
      zip.generateNodeStream({
        type: "nodebuffer",
        streamFiles: true,
        compression: "DEFLATE",
        compressionOptions: {level: 6}
      }),
      output,
      {end: false}
    );
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}

/** Rewrites a per-customer CSV with only the rows of the customers who ship (browserCustomers), each line as it was, in the same order. */
async function keepShippedCustomers(connection: DuckDBConnection, path: string): Promise<void> {
  const kept = `${path}.kept`;
  await connection.run(
    `COPY (SELECT * EXCLUDE (_line) FROM (SELECT *, row_number() OVER () AS _line FROM read_csv(${literal(path)}, header = true, all_varchar = true))
           WHERE customer_id IN (SELECT customer_id FROM ${browserCustomers}) ORDER BY _line) TO ${literal(kept)} (FORMAT csv, HEADER true)`
  );
  renameSync(kept, path);
}

/**
 * Replaces a file by its gzipped copy (`<path>.gz`), compressed a chunk at a time. The header says no time and an
 * unknown system, as DuckDB's gzipped files do (COPY … TO '….gz'), so the bytes depend on the content alone.
 */
async function gzipFile(path: string): Promise<void> {
  await pipeline(createReadStream(path), createGzip({level: 6}), createWriteStream(`${path}.gz`));
  // Byte 9 of the header: the operating system, which zlib sets to the one it was built for; 255 is "unknown".
  const file = openSync(`${path}.gz`, "r+");
  try {
    writeSync(file, Uint8Array.of(255), 0, 1, 9);
  } finally {
    closeSync(file);
  }
  rmSync(path);
}
