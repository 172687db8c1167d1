// Running ingest into a temporary folder and reading back what it wrote.
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {createHash} from "node:crypto";
import {csvParse} from "d3";
import {ingest, type Quality, type SourceInfo, type SourceKind} from "../loaders/ingest.js";
import {temporaryDirectory} from "./tempDir.js";

export const testKey = "test-key";
export const fixture = (path: string) => join(import.meta.dirname, "fixtures", path);

/** The pseudonym of an id, computed here independently of loaders/pseudonym.ts. */
export function expectedPseudonym(id: string, key = testKey): string {
  return `c${createHash("sha256").update(`${key}\u001f${id}`).digest("hex").slice(0, 16)}`;
}

export interface Ingested {
  dir: string;
  quality: Quality;
  source: SourceInfo;
  rows: (file: string) => Record<string, string>[];
  text: (file: string) => string;
  /** Every output file's text, concatenated. */
  allText: () => string;
}

export async function runIngest(
  kind: SourceKind,
  files: string[],
  {asOf = "2025-01-31", key = testKey} = {}
): Promise<Ingested> {
  const dir = temporaryDirectory("ingest-test-");
  const {quality, source} = await ingest(kind, files, dir, {asOf, key});
  const text = (file: string) => readFileSync(join(dir, file), "utf-8");
  return {
    dir,
    quality,
    source,
    text,
    rows: (file) => csvParse(text(file)),
    allText: () => readdirSync(dir).map(text).join("\n")
  };
}

/**
 * A generic source of transactions alone, written to a new folder: transactions.csv with the
 * columns customer_id, ordered_at (YYYY-MM-DD) and revenue, one row per purchase, and its
 * mapping file (in US dollars), whose path is returned for runIngest.
 */
export function writeTransactionsSource(name: string, purchases: readonly [string, string, string][]): string {
  const dir = temporaryDirectory("transactions-source-");
  const lines = ["customer_id,ordered_at,revenue", ...purchases.map((fields) => fields.join(","))];
  writeFileSync(join(dir, "transactions.csv"), `${lines.join("\n")}\n`);
  const mapping = {
    name,
    currency: "USD",
    tables: {
      transactions: {
        file: "transactions.csv",
        columns: {customer_id: "customer_id", occurred_at: "ordered_at", revenue: "revenue"},
        dateFormat: "%Y-%m-%d"
      }
    }
  };
  writeFileSync(join(dir, "mapping.json"), JSON.stringify(mapping));
  return join(dir, "mapping.json");
}
