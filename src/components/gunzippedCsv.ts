// The site's larger files ship gzipped: those that grow with the customers or the survey's answers (the per-customer
// summary, profit, value and call list, the explore page's raw tables, the purchase days and months, the answers),
// a third to a tenth of their size. The browser gunzips them: for DuckDB-WASM (gunzippedCsv), or parsed
// as FileAttachment parses a plain file (gunzippedCsvRows, gunzippedJson).
import {autoType, csvParse} from "d3";

/** What DuckDBClient.of reads a file from (Framework's FileAttachment has these). */
export interface AttachedFile {
  name: string;
  mimeType: string;
  url: () => Promise<string>;
  arrayBuffer: () => Promise<ArrayBuffer>;
}

/**
 * A gzipped attachment's content, gunzipped in this browser (DecompressionStream). A host that sends the file with
 * `Content-Encoding: gzip` has the browser gunzip it already: bytes that do not start as gzip does (1f 8b) are taken
 * as they are.
 */
async function gunzipped(file: AttachedFile): Promise<Blob> {
  const response = await fetch(await file.url());
  if (!response.ok) throw new Error(`${file.name}: ${response.status} ${response.statusText}`);
  const bytes = await response.blob();
  const [first, second] = new Uint8Array(await bytes.slice(0, 2).arrayBuffer());
  if (first !== 0x1f || second !== 0x8b) return bytes;
  return new Response(bytes.stream().pipeThrough(new DecompressionStream("gzip"))).blob();
}

/**
 * A gzipped CSV attachment as the plain CSV file DuckDBClient.of loads: gunzipped in this browser, held in memory
 * behind a blob: URL. DuckDB-WASM does not gunzip a file it reads over HTTP, and its Parquet reader is an extension
 * fetched from the network, which the site may not use.
 */
export function gunzippedCsv(file: AttachedFile): AttachedFile {
  let blob: Promise<Blob> | undefined;
  // Fetched when DuckDBClient.of first asks, not before: a table the page does not load is never fetched.
  const plain = () => (blob ??= gunzipped(file));
  return {
    name: file.name.replace(/\.gz$/, ""),
    mimeType: "text/csv",
    url: async () => URL.createObjectURL(await plain()),
    arrayBuffer: async () => (await plain()).arrayBuffer()
  };
}

/**
 * A gzipped CSV attachment's rows, as FileAttachment's csv({typed}) gives a plain file's: d3.csvParse, each value
 * typed by d3.autoType when `typed` (numbers, booleans, dates; an empty value null), else strings.
 */
export async function gunzippedCsvRows(file: AttachedFile, {typed = false}: {typed?: boolean} = {}) {
  const text = await (await gunzipped(file)).text();
  return typed ? csvParse(text, autoType) : csvParse(text);
}

/** A gzipped JSON attachment's value, as FileAttachment's json() gives a plain file's. */
export async function gunzippedJson(file: AttachedFile): Promise<unknown> {
  return JSON.parse(await (await gunzipped(file)).text());
}
