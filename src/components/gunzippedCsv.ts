// The site's larger files ship gzipped (the explore page's raw tables, the per-customer purchase days and
// months): about a tenth of their CSV size. The browser gunzips them before DuckDB-WASM loads them.

/** What DuckDBClient.of reads a file from (Framework's FileAttachment has these). */
export interface AttachedFile {
  name: string;
  mimeType: string;
  url: () => Promise<string>;
  arrayBuffer: () => Promise<ArrayBuffer>;
}

/**
 * A gzipped CSV attachment as the plain CSV file DuckDBClient.of loads: gunzipped in this browser
 * (DecompressionStream), held in memory behind a blob: URL. DuckDB-WASM does not gunzip a file it reads over
 * HTTP, and its Parquet reader is an extension fetched from the network, which the site may not use.
 */
export function gunzippedCsv(file: AttachedFile): AttachedFile {
  let blob: Promise<Blob> | undefined;
  // Fetched when DuckDBClient.of first asks, not before: a table the page does not load is never fetched.
  const gunzipped = () =>
    (blob ??= (async () => {
      const response = await fetch(await file.url());
      if (!response.ok || !response.body) throw new Error(`${file.name}: ${response.status} ${response.statusText}`);
      return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).blob();
    })());
  return {
    name: file.name.replace(/\.gz$/, ""),
    mimeType: "text/csv",
    url: async () => URL.createObjectURL(await gunzipped()),
    arrayBuffer: async () => (await gunzipped()).arrayBuffer()
  };
}
