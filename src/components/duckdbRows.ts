// A page's DuckDB-WASM client, started when the page loads and awaited only by the views
// that need it, so that a first chart drawn from the loader's files never waits for it.

/** A query's answer as DuckDB-WASM gives it: an Arrow table, read here column by column. */
export interface ArrowTable {
  numRows: number;
  schema: {fields: {name: string}[]};
  getChildAt(index: number): Iterable<unknown> | null;
}

/** The client as a page holds it: a promise, so that cells which do not query run at once. */
export interface PageDatabase {
  ready: Promise<{query(sql: string): Promise<ArrowTable>}>;
}

/** Runs SQL once the client is ready and gives the rows as plain objects. */
export function duckdbRows(database: PageDatabase): (sql: string) => Promise<Record<string, unknown>[]> {
  return async (sql) => plainRows(await (await database.ready).query(sql));
}

/**
 * The table's rows as plain objects, filled a column at a time: the values the table's rows give, several times faster
 * than spreading each row (an Arrow row is a proxy that looks up every field by name: about 150 ms for the profit
 * page's 6,000 customers).
 */
function plainRows(table: ArrowTable): Record<string, unknown>[] {
  const rows = Array.from({length: table.numRows}, () => ({}) as Record<string, unknown>);
  table.schema.fields.forEach(({name}, index) => {
    let row = 0;
    for (const value of table.getChildAt(index)!) rows[row++]![name] = value;
  });
  return rows;
}
