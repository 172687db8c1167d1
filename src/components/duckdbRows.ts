// A page's DuckDB-WASM client, started when the page loads and awaited only by the views
// that need it, so that a first chart drawn from the loader's files never waits for it.

/** The client as a page holds it: a promise, so that cells which do not query run at once. */
export interface PageDatabase {
  ready: Promise<{query(sql: string): Promise<Iterable<Record<string, unknown>>>}>;
}

/** Runs SQL once the client is ready and gives the rows as plain objects. */
export function duckdbRows(database: PageDatabase): (sql: string) => Promise<Record<string, unknown>[]> {
  return async (sql) => Array.from(await (await database.ready).query(sql), (row) => ({...row}));
}
