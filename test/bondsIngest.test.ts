// Bonds declared in a mapping file: yes/no columns of customers or transactions become the
// canonical bonds table (bonds.csv), one row per customer and bond held, from when.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {literal} from "../src/core/sql/sql.js";
import {bondValueSql} from "../src/core/sql/bondSql.js";
import {expectedPseudonym, runIngest} from "./ingestHelpers.js";
import {temporaryDirectory} from "./tempDir.js";

/** A source folder with the given files and mapping; returns the mapping's path. */
function writeSource(files: Record<string, string>, mapping: unknown): string {
  const dir = temporaryDirectory("bonds-source-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "mapping.json"), JSON.stringify(mapping));
  return join(dir, "mapping.json");
}

const customersCsv = `id,since,loyalty,manager
A,2024-01-01,yes,N
B,2024-02-01,no,Y
C,2024-03-01,,maybe
D,2024-03-05,TRUE,1
`;
// B's first purchase with equipment is their second; A never buys equipment.
const transactionsCsv = `id,day,amount,equipment
A,2024-01-02,10,0
B,2024-02-02,20,0
B,2024-02-20,300,1
B,2024-04-01,30,1
D,2024-03-06,40,
`;
const mapping = (bonds: {customers?: unknown; transactions?: unknown}) => ({
  tables: {
    customers: {
      file: "customers.csv",
      columns: {customer_id: "id", first_seen: "since"},
      ...(bonds.customers ? {bonds: bonds.customers} : {})
    },
    transactions: {
      file: "transactions.csv",
      columns: {customer_id: "id", occurred_at: "day", revenue: "amount"},
      ...(bonds.transactions ? {bonds: bonds.transactions} : {})
    }
  }
});
const declared = {
  customers: {
    loyalty: {name: "Loyalty member", kind: "financial"},
    manager: {name: "Account manager", kind: "social"}
  },
  transactions: {equipment: {name: "Equipment bought", kind: "structural"}}
};

describe("ingest generic with bonds declared in the mapping", () => {
  it("writes who holds each bond from when, and sets aside a customer whose flag is not yes or no", async () => {
    const path = writeSource({"customers.csv": customersCsv, "transactions.csv": transactionsCsv}, mapping(declared));
    const out = await runIngest("generic", [path]);
    // C's manager flag "maybe" rejects C's line (file, line, column, value), like any unparseable value.
    expect(
      out.rows("rejects.csv").map((r) => [r.table_name, r.file, r.line, r.column_name, r.value, r.reason])
    ).toEqual([["customers", "customers.csv", "4", "bond:manager", "maybe", "not a yes/no value"]]);
    const held = out
      .rows("bonds.csv")
      .map((r) => [r.customer_id, r.bond, r.kind, r.held_since])
      .sort();
    const [a, b, d] = ["A", "B", "D"].map((id) => expectedPseudonym(id));
    expect(held).toEqual(
      [
        [a, "Loyalty member", "financial", "2024-01-01"],
        [d, "Loyalty member", "financial", "2024-03-05"],
        [b, "Account manager", "social", "2024-02-01"],
        [d, "Account manager", "social", "2024-03-05"],
        // held from the first transaction that carries it
        [b, "Equipment bought", "structural", "2024-02-20"]
      ].sort()
    );
    expect(out.source.bonds).toEqual([
      {name: "Loyalty member", kind: "financial"},
      {name: "Account manager", kind: "social"},
      {name: "Equipment bought", kind: "structural"}
    ]);
  });

  it("opens as canonical_bonds in the source folder, where the with-and-without queries read it", async () => {
    const path = writeSource({"customers.csv": customersCsv, "transactions.csv": transactionsCsv}, mapping(declared));
    const {dir} = await runIngest("generic", [path]);
    const rows = await withDuckDB(async (connection) => {
      await openSourceFolder(connection, dir);
      const types = await queryRows(connection, "SELECT column_name, column_type FROM (DESCRIBE canonical_bonds)");
      expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
        ["customer_id", "VARCHAR"],
        ["bond", "VARCHAR"],
        ["kind", "VARCHAR"],
        ["held_since", "DATE"]
      ]);
      await connection.run(
        `CREATE TABLE customer_summary AS SELECT * FROM read_csv(${literal(join(dir, "customer_summary.csv"))})`
      );
      await connection.run("CREATE TABLE no_values (customer_id VARCHAR, clv DOUBLE, p_alive DOUBLE)");
      return queryRows(connection, bondValueSql("no_values"));
    });
    // A, B and D loaded (C set aside): loyalty A and D, manager B and D, equipment B.
    expect(rows.map((r) => [r.bond, r.holds, Number(r.customers)])).toEqual([
      ["Account manager", true, 2],
      ["Account manager", false, 1],
      ["Equipment bought", true, 1],
      ["Equipment bought", false, 2],
      ["Loyalty member", true, 2],
      ["Loyalty member", false, 1]
    ]);
  });

  it("writes no bonds file where none is declared", async () => {
    const path = writeSource({"customers.csv": customersCsv, "transactions.csv": transactionsCsv}, mapping({}));
    const out = await runIngest("generic", [path]);
    expect(out.source.bonds).toBeUndefined();
    expect(() => out.text("bonds.csv")).toThrow();
  });

  it.each([
    [{customers: {loyalty: {name: "Loyalty member", kind: "emotional"}}}, /bond column "loyalty": "kind" "emotional"/],
    [{customers: {loyalty: {kind: "financial"}}}, /bond column "loyalty" needs a "name"/],
    [
      {
        customers: {loyalty: {name: "Member", kind: "financial"}},
        transactions: {equipment: {name: "Member", kind: "structural"}}
      },
      /the bond "Member" is declared twice/
    ],
    [{customers: {missing: {name: "Member", kind: "financial"}}}, /missing/]
  ])("refuses a mapping with a bad bond declaration (%#)", async (bonds, message) => {
    const path = writeSource({"customers.csv": customersCsv, "transactions.csv": transactionsCsv}, mapping(bonds));
    await expect(runIngest("generic", [path])).rejects.toThrow(message);
  });
});
