// The floor an ingest is measured against (issue #24): a plain native-DuckDB script with no product
// logic. For each table a mapping names, it reads the file, keeps the rows whose id and date parse,
// and writes a per-id summary and a monthly table, to Parquet and to CSV. Prints one JSON line:
// seconds per table, and the process's peak RSS.
// Usage: tsx bench/ingestFloor.ts <mapping.json> <out dir>
import {DuckDBInstance} from "@duckdb/node-api";
import {mkdirSync, readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {identifier, literal} from "../src/core/sql/sql.js";

interface TableSpec {
  file: string;
  columns: Record<string, string>;
  dateFormat?: string | string[];
}

const [mappingPath, out] = process.argv.slice(2);
if (!mappingPath || !out) throw new Error("usage: tsx bench/ingestFloor.ts <mapping.json> <out dir>");
const mapping = JSON.parse(readFileSync(mappingPath, "utf-8")) as {tables: Record<string, TableSpec>};
mkdirSync(out, {recursive: true});

// Each table's id, date and amount (where it has one), by canonical name.
const ids = ["customer_id", "prospect_id"];
const dates = ["occurred_at", "responded_at", "first_seen", "delivered_at", "first_contact_at"];
const amounts = ["revenue", "satisfaction", "acquisition_cost"];

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const seconds: Record<string, number> = {};
const start = performance.now();
for (const [table, spec] of Object.entries(mapping.tables)) {
  const pick = (names: string[]) => names.map((name) => spec.columns[name]).find((column) => column !== undefined);
  const [id, date, amount] = [pick(ids), pick(dates), pick(amounts)];
  if (!id || !date) continue;
  const formats = [spec.dateFormat ?? "%Y-%m-%d"].flat().map(literal).join(", ");
  const path = literal(resolve(dirname(mappingPath), spec.file));
  const begin = performance.now();
  await connection.run(`CREATE OR REPLACE TABLE t AS
    SELECT ${identifier(id)} AS id, try_strptime(${identifier(date)}, [${formats}]) AS seen,
           ${amount ? `try_cast(${identifier(amount)} AS DECIMAL(18, 2))` : "NULL::DECIMAL(18, 2)"} AS amount
    FROM read_csv(${path}, all_varchar = true, quote = '"', escape = '"', ignore_errors = true)
    WHERE id IS NOT NULL AND seen IS NOT NULL`);
  const outputs = {
    summary:
      "SELECT id, count(*) AS n, sum(amount) AS amount, min(seen) AS first, max(seen) AS last FROM t GROUP BY id",
    monthly:
      "SELECT date_trunc('month', seen) AS month, count(*) AS n, sum(amount) AS amount, count(DISTINCT id) AS ids FROM t GROUP BY 1"
  };
  for (const [name, select] of Object.entries(outputs)) {
    for (const format of ["parquet", "csv"]) {
      const file = literal(join(resolve(out), `${table}_${name}.${format}`));
      await connection.run(`COPY (${select}) TO ${file} (FORMAT ${format})`);
    }
  }
  seconds[table] = (performance.now() - begin) / 1000;
}
connection.closeSync();
instance.closeSync();
console.log(
  JSON.stringify({
    seconds,
    total: (performance.now() - start) / 1000,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024)
  })
);
