// Which source the site is built from: $CUSTOMER_EQUITY_SOURCE (a folder written by
// npm run ingest), or else the bundled demo business, ingested afresh into a temporary folder.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {demoAsOf, demoMapping} from "../demo/paths.js";
import {ingest} from "../ingest.js";

export const sourceVariable = "CUSTOMER_EQUITY_SOURCE";

/** Runs work with the folder of canonical tables the site is built from. */
export async function withSiteSource<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const configured = process.env[sourceVariable];
  if (configured) return work(resolve(configured));
  const dir = mkdtempSync(join(tmpdir(), "customer-equity-demo-"));
  try {
    await ingest("generic", [demoMapping], dir, {asOf: demoAsOf});
    return await work(dir);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
