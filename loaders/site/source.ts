// Which source the site is built from: $CUSTOMER_EQUITY_SOURCE (a folder written by
// npm run ingest, or a postgres:// URL), or else the bundled demo business, ingested afresh
// into a temporary folder.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {demoAsOf, demoMapping} from "../demo/paths.js";
import {ingest} from "../ingest.js";
import {sourceKind} from "../openSource.js";
import {pseudonymKey} from "../pseudonym.js";
import type {Settings} from "../settings.js";

/** Runs work with the source the site is built from: a folder of canonical tables, or a warehouse's URL. */
export async function withSiteSource<T>(settings: Settings, work: (source: string) => Promise<T>): Promise<T> {
  const configured = settings.source;
  if (configured) return work(sourceKind(configured) === "postgres" ? configured : resolve(configured));
  const dir = mkdtempSync(join(tmpdir(), "customer-equity-demo-"));
  try {
    await ingest("generic", [demoMapping], dir, {
      asOf: demoAsOf,
      key: pseudonymKey(settings.pseudonymKey),
      duckdbMemory: settings.duckdbMemory
    });
    return await work(dir);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
