// Bad inputs: a corpus of small broken files (test/fixtures/bad/<what is wrong>/), each
// with its expected outcome written out by hand below: either the fatal error (a regex on
// the message, which must name the file and, where it applies, the column and the columns
// found), or the exact rejects and the exact reconciliation counts. Every fixture that
// loads is also checked for the invariant the data-quality page rests on (input = loaded
// + rejected, and rejects.csv holds exactly the rejected lines) and for pseudonymised ids.
import {spawnSync} from "node:child_process";
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {csvParse, type DSVRowArray, type DSVRowString} from "d3";
import {describe, expect, it} from "vitest";
import {ingest, TooFewRowsError, type Quality, type SourceKind} from "../loaders/ingest.js";
import {readSettings} from "../loaders/settings.js";
import {siteArchive} from "../loaders/site/archive.js";
import {reportPaths} from "../loaders/site/reports.js";
import {UnusableSourceError} from "../loaders/site/usable.js";
import {FatalInputError} from "../loaders/stage.js";
import {withBuildLock} from "./site.js";
import {temporaryDirectory} from "./tempDir.js";

const asOf = "2025-01-31";
const key = "test-key";
const fixture = (path: string) => fileURLToPath(new URL(`fixtures/bad/${path}`, import.meta.url));

/** The documented pseudonym: "c" and the first 16 hex digits of SHA-256(key ‖ 0x1F ‖ id). */
const pseudonym = (id: string) => `c${createHash("sha256").update(`${key}\u001f${id}`).digest("hex").slice(0, 16)}`;
const hex16 = /^c[0-9a-f]{16}$/;

const tempDir = () => temporaryDirectory("bad-inputs-");

// ---------------------------------------------------------------------------------------
// Fatal inputs: the load stops, names the file (and column), and writes nothing.

interface FatalCase {
  name: string;
  kind?: SourceKind; // default "generic"
  files?: string[]; // relative to test/fixtures/bad/; default [<name>/mapping.json]
  error: RegExp;
}

const fatalCases: FatalCase[] = [
  {name: "missing mapping file", files: ["no-such-mapping.json"], error: /no-such-mapping\.json: file not found$/},
  {name: "missing-file", error: /missing-file\/no-such-transactions\.csv: file not found$/},
  {name: "empty-file", error: /empty-file\/transactions\.csv: the file is empty$/},
  {name: "header-only", error: /header-only\/transactions\.csv: the file has no data rows$/},
  {
    name: "missing-column",
    error:
      /missing-column\/transactions\.csv: required column "Amount" not found; the file has "Customer", "Date", "Total"$/
  },
  {
    name: "customers-missing-column",
    error:
      /customers-missing-column\/customers\.csv: required column "Customer ID" not found; the file has "CustomerID", "Since", "Email"$/
  },
  {
    // The mapping says ";" but the file is comma-delimited.
    name: "wrong-delimiter",
    error:
      /wrong-delimiter\/transactions\.csv: the header is one column holding ',' — set "delimiter": "," in the mapping \(required columns "Customer", "Date", "Amount" not found\)$/
  },
  {
    // Semicolons read with the default ",": the optional Product and Qty are not listed as required.
    name: "semicolon",
    error:
      /semicolon\/orders\.csv: the header is one column holding ';' — set "delimiter": ";" in the mapping \(required columns "Customer", "Date", "Amount" not found\)$/
  },
  {
    name: "unknown-table",
    error:
      /unknown-table\/mapping\.json: unknown table "orders"; tables are customers, transactions, feedback, deliveries, prospects$/
  },
  {
    name: "unknown-column",
    error:
      /unknown-column\/mapping\.json: table "transactions" has no column "price"; its columns are customer_id, occurred_at, revenue, cost, order_id, quantity, product, category, channel, unit_price$/
  },
  {name: "mapping-not-json", error: /mapping-not-json\/mapping\.json: not a readable JSON mapping: /},
  {name: "mapping-without-tables", error: /mapping-without-tables\/mapping\.json: a mapping needs "tables"$/},
  {
    name: "table-without-file",
    error: /table-without-file\/mapping\.json: table "transactions" needs "file" and "columns"$/
  },
  {name: "no-transactions", error: /no-transactions\/mapping\.json: the mapping has no "transactions" table/},
  {
    name: "latin1",
    error: /latin1\/transactions\.csv: not UTF-8 text \(first bad byte (on|near) line 3\): save it as UTF-8$/
  },
  {name: "margin-out-of-range", error: /margin-out-of-range\/mapping\.json: .*margin.*1\.5/},
  {
    name: "generic given two files",
    files: ["bad-date/mapping.json", "bad-date/transactions.csv"],
    error: /ingest generic: give one mapping file \(JSON\), not 2 files/
  },
  {
    name: "cdnow missing file",
    kind: "cdnow",
    files: ["cdnow-no-such-file.txt"],
    error: /cdnow-no-such-file\.txt: file not found$/
  },
  {
    name: "cdnow-empty",
    kind: "cdnow",
    files: ["cdnow-empty/purchases.txt"],
    error: /cdnow-empty\/purchases\.txt: the file is empty$/
  },
  {
    name: "cdnow-header-only",
    kind: "cdnow",
    files: ["cdnow-header-only/master.txt"],
    error: /cdnow-header-only\/master\.txt: the file has no data rows$/
  },
  {
    name: "retail-missing-column",
    kind: "online-retail",
    files: ["retail-missing-column/retail.csv"],
    error:
      /retail-missing-column\/retail\.csv: required column "CustomerID" not found; the file has "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "Customer", "Country"$/
  },
  {
    name: "retail-header-only",
    kind: "online-retail",
    files: ["retail-header-only/retail.csv"],
    error: /retail-header-only\/retail\.csv: the file has no data rows$/
  }
];

describe("fatal inputs stop the load, naming the file", () => {
  it.each(fatalCases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const out = tempDir();
    const files = (c.files ?? [`${c.name}/mapping.json`]).map(fixture);
    const error = await ingest(c.kind ?? "generic", files, out, {asOf, key}).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error, "expected the load to fail").toBeInstanceOf(FatalInputError);
    expect((error as Error).message).toMatch(c.error);
    expect(readdirSync(out), "no partial output").toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Inputs that load, with rows set aside.

interface Reject {
  table: string;
  file: string;
  line: number;
  column: string; // "" when the row is malformed (no column applies)
  reason: string;
  value?: string; // checked when given ("" = no value)
}

interface Counts {
  table: string;
  file: string;
  input: number;
  loaded: number;
  reasons: Record<string, number>;
}

interface Output {
  dir: string;
  /** Every output file's text, by name. */
  text: Record<string, string>;
  csv: (name: string) => DSVRowArray;
  quality: Quality;
}

interface LoadCase {
  name: string;
  kind?: SourceKind;
  files?: string[];
  rejects: Reject[];
  quality: Counts[];
  /** Raw customer ids (and other personal strings) that must appear in no output file. */
  secrets?: string[];
  check?: (out: Output) => void;
}

const r = (table: string, file: string, line: number, column: string, reason: string, value?: string): Reject =>
  value === undefined ? {table, file, line, column, reason} : {table, file, line, column, reason, value};
const q = (
  table: string,
  file: string,
  input: number,
  loaded: number,
  reasons: Record<string, number> = {}
): Counts => ({table, file, input, loaded, reasons});
const tx = "transactions";
const TX = "transactions.csv";
const tooMany = "malformed row (too many fields)";
const tooFew = "malformed row (too few fields)";
const notReturn = "negative amount (not a return)";

const column = (rows: DSVRowArray, name: string) => rows.map((row) => row[name]);
const byOrder = (rows: DSVRowArray): Record<string, DSVRowString | undefined> =>
  Object.fromEntries(rows.map((row) => [row.order_id ?? "", row]));

const loadCases: LoadCase[] = [
  {
    name: "bad-date",
    rejects: [
      r(tx, TX, 3, "occurred_at", "unparseable date", "2024-13-45"),
      r(tx, TX, 4, "occurred_at", "unparseable date", "yesterday")
    ],
    quality: [q(tx, TX, 3, 1, {"unparseable date": 2})]
  },
  {
    name: "future-date",
    // The whole of the as-of day is in the past; the next day is the future.
    rejects: [
      r(tx, TX, 3, "occurred_at", "future date", "2025-02-01"),
      r(tx, TX, 4, "occurred_at", "future date", "2030-06-01 08:00:00")
    ],
    quality: [q(tx, TX, 3, 1, {"future date": 2})],
    check: (out) => expect(column(out.csv("transactions.csv"), "occurred_at")).toEqual(["2025-01-31 23:59:59"])
  },
  {
    name: "non-numeric-amount",
    rejects: [
      r(tx, TX, 3, "revenue", "non-numeric amount", "ten"),
      r(tx, TX, 4, "revenue", "non-numeric amount", "$5.00"),
      r(tx, TX, 5, "revenue", "missing revenue", "")
    ],
    quality: [q(tx, TX, 4, 1, {"non-numeric amount": 2, "missing revenue": 1})]
  },
  {
    name: "negative-amount",
    // -10 with quantity 1 is an error; -10 with quantity -1 is a return and loads.
    rejects: [r(tx, TX, 3, "revenue", notReturn, "-10.00")],
    quality: [q(tx, TX, 3, 2, {[notReturn]: 1})],
    check: (out) => {
      const o = byOrder(out.csv("transactions.csv"));
      expect(Object.keys(o).sort()).toEqual(["O1", "O3"]);
      expect([Number(o.O3?.revenue), Number(o.O3?.quantity)]).toEqual([-10, -1]);
    }
  },
  {
    name: "non-numeric-quantity",
    rejects: [r(tx, TX, 3, "quantity", "non-numeric value", "two")],
    quality: [q(tx, TX, 2, 1, {"non-numeric value": 1})]
  },
  {
    name: "missing-customer-id",
    rejects: [
      r(tx, TX, 3, "customer_id", "missing customer id", ""),
      r(tx, TX, 4, "customer_id", "missing customer id", "")
    ],
    quality: [q(tx, TX, 3, 1, {"missing customer id": 2})]
  },
  {
    name: "duplicate-order-line",
    // The second copy of line 2 is rejected; line 4 is another product of the same order.
    rejects: [r(tx, TX, 3, "order_id", "duplicate order line", "O1")],
    quality: [q(tx, TX, 3, 2, {"duplicate order line": 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "product").sort()).toEqual(["Cup", "Mug"])
  },
  {
    name: "repeated-line-without-order-id",
    // Lines 2 and 3 are equal but have no order id: they may be two purchases, and both load (as in a
    // warehouse); line 5 repeats line 4, order id and all.
    rejects: [r(tx, TX, 5, "order_id", "duplicate order line", "O1")],
    quality: [q(tx, TX, 4, 3, {"duplicate order line": 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "product").sort()).toEqual(["Cup", "Mug", "Mug"])
  },
  {
    name: "unknown-customer",
    rejects: [r(tx, TX, 3, "customer_id", "unknown customer", pseudonym("CUST-Z"))],
    quality: [q("customers", "customers.csv", 2, 2), q(tx, TX, 3, 2, {"unknown customer": 1})]
  },
  {
    name: "duplicate-customer",
    rejects: [r("customers", "customers.csv", 4, "customer_id", "duplicate customer", pseudonym("CUST-A"))],
    quality: [q("customers", "customers.csv", 3, 2, {"duplicate customer": 1}), q(tx, TX, 2, 2)],
    check: (out) => {
      // The first line of a customer is kept.
      const a = out.csv("customers.csv").find((row) => row.customer_id === pseudonym("CUST-A"));
      expect([a?.first_seen, a?.acquisition_channel]).toEqual(["2023-01-01", "web"]);
    }
  },
  {
    name: "negative-acquisition-cost",
    // CUST-B's customer line is rejected, so CUST-B's purchase is of an unknown customer.
    rejects: [
      r("customers", "customers.csv", 3, "acquisition_cost", "negative amount", "-5.00"),
      r(tx, TX, 3, "customer_id", "unknown customer", pseudonym("CUST-B"))
    ],
    quality: [q("customers", "customers.csv", 2, 1, {"negative amount": 1}), q(tx, TX, 2, 1, {"unknown customer": 1})]
  },
  {
    name: "feedback-out-of-range",
    rejects: [
      r("feedback", "survey.csv", 3, "perception", "score out of range (1–7)", "9"),
      r("feedback", "survey.csv", 4, "nps", "score out of range (0–10)", "11"),
      r("feedback", "survey.csv", 5, "scores", "no score", "")
    ],
    quality: [
      q("feedback", "survey.csv", 5, 2, {"score out of range (1–7)": 1, "score out of range (0–10)": 1, "no score": 1}),
      q(tx, TX, 1, 1)
    ],
    check: (out) => {
      // R1: a quality row and an overall row; R5: an overall row with only a recommendation.
      // The survey maps no order column, so order_id is empty.
      const rows = out
        .csv("feedback.csv")
        .map((row) => [
          row.response_id,
          row.order_id,
          row.customer_id,
          row.dimension,
          row.expectation,
          row.perception,
          row.satisfaction,
          row.nps
        ]);
      const n = (v: string | undefined) => (v === "" || v === undefined ? null : Number(v));
      expect(
        rows.map(([id, order, customer, dimension, ...scores]) => [id, order, customer, dimension, ...scores.map(n)])
      ).toEqual(
        expect.arrayContaining([
          ["R1", "", pseudonym("CUST-A"), "quality", 6, 5, null, null],
          ["R1", "", pseudonym("CUST-A"), "overall", null, null, 6, 9],
          ["R5", "", pseudonym("CUST-E"), "overall", null, null, null, 0]
        ])
      );
      expect(rows).toHaveLength(3);
    }
  },
  {
    name: "feedback-long-no-score",
    rejects: [r("feedback", "feedback.csv", 3, "customer_id", "no score", pseudonym("CUST-B"))],
    quality: [q("feedback", "feedback.csv", 2, 1, {"no score": 1}), q(tx, TX, 1, 1)]
  },
  {
    name: "delivery-bad-promised-date",
    // The adapter's own verdict names the file's column.
    rejects: [r("feedback", "deliveries.csv", 3, "Promised", "unparseable date", "soon")],
    quality: [q("feedback", "deliveries.csv", 3, 2, {"unparseable date": 1}), q(tx, TX, 1, 1)],
    check: (out) => {
      // Expectation 0, perception = days early (negative when late); order_id is the delivered order.
      const rows = out
        .csv("feedback.csv")
        .map((row) => [row.response_id, row.order_id, row.dimension, Number(row.expectation), Number(row.perception)]);
      expect(rows.sort()).toEqual([
        ["delivery:O1", "O1", "delivery", 0, 2],
        ["delivery:O3", "O3", "delivery", 0, -2]
      ]);
    }
  },
  {
    name: "prospect-unknown-conversion",
    rejects: [r("prospects", "prospects.csv", 4, "converted_customer_id", "unknown customer", pseudonym("CUST-Q"))],
    quality: [
      q("customers", "customers.csv", 1, 1),
      q(tx, TX, 1, 1),
      q("prospects", "prospects.csv", 3, 2, {"unknown customer": 1})
    ],
    secrets: ["CUST-", "LEAD-"],
    check: (out) => {
      const rows = out.csv("prospects.csv").map((row) => [row.prospect_id, row.converted_customer_id]);
      expect(rows.sort()).toEqual(
        [
          [pseudonym("LEAD-1"), pseudonym("CUST-A")],
          [pseudonym("LEAD-2"), ""]
        ].sort()
      );
    }
  },
  {
    name: "malformed-rows",
    // Malformed lines 3, 4, 7, 8 shift the row count; later lines keep their own numbers.
    rejects: [
      r(tx, TX, 3, "", tooMany),
      r(tx, TX, 4, "", tooFew),
      r(tx, TX, 6, "revenue", "non-numeric amount", "ten"),
      r(tx, TX, 7, "", tooMany),
      r(tx, TX, 8, "", tooFew),
      r(tx, TX, 9, "occurred_at", "unparseable date", "not-a-date")
    ],
    quality: [q(tx, TX, 9, 3, {[tooMany]: 2, [tooFew]: 2, "non-numeric amount": 1, "unparseable date": 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "order_id").sort()).toEqual(["O1", "O4", "O9"])
  },
  {
    name: "malformed-first-row",
    rejects: [r(tx, TX, 2, "", tooMany), r(tx, TX, 3, "", tooFew), r(tx, TX, 4, "revenue", notReturn, "-4.00")],
    quality: [q(tx, TX, 4, 1, {[tooMany]: 1, [tooFew]: 1, [notReturn]: 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "order_id")).toEqual(["O4"])
  },
  {
    name: "blank-lines",
    // A blank line (line 3, and one at the end) is no row, but it still counts as a line.
    rejects: [r(tx, TX, 4, "revenue", "non-numeric amount", "ten")],
    quality: [q(tx, TX, 3, 2, {"non-numeric amount": 1})]
  },
  {
    name: "rowid-column",
    // A column named like DuckDB's row id: the lines are still numbered by their place in the file.
    rejects: [
      r(tx, TX, 3, "order_id", "duplicate order line", "O1"),
      r(tx, TX, 4, "revenue", "non-numeric amount", "ten")
    ],
    quality: [q(tx, TX, 4, 2, {"duplicate order line": 1, "non-numeric amount": 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "order_id").sort()).toEqual(["O1", "O3"])
  },
  {
    name: "utf8-bom",
    // Excel's "CSV UTF-8" starts with a byte-order mark, and ends lines with CRLF.
    rejects: [],
    quality: [q(tx, TX, 2, 2)],
    check: (out) => expect(column(out.csv("transactions.csv"), "product").sort()).toEqual(["Café", "Tea"])
  },
  {
    name: "decimal-comma",
    // ";" delimiter, decimal comma, "." thousands, day.month.year, CRLF.
    rejects: [],
    quality: [q(tx, "umsatz.csv", 4, 4)],
    check: (out) => {
      const rows = out
        .csv("transactions.csv")
        .map((row) => [row.product, Number(row.revenue), Number(row.quantity), row.occurred_at]);
      expect(rows.sort()).toEqual(
        [
          ["Tisch", 1234.5, 2, "2024-03-01 00:00:00"],
          ["Stift", 0.99, 1, "2024-03-02 00:00:00"],
          ["Heft", -12.5, -1, "2024-03-03 00:00:00"],
          ["Schrank", 1234567.89, 1, "2024-03-04 00:00:00"]
        ].sort()
      );
    }
  },
  {
    name: "decimal-comma-misformatted",
    // In a file with decimal comma and "." thousands, "12.5" and "1,234.50" are not numbers:
    // read as 125 and 1.23 they would load silently with the wrong magnitude.
    rejects: [
      r(tx, "umsatz.csv", 3, "revenue", "non-numeric amount", "12.5"),
      r(tx, "umsatz.csv", 4, "revenue", "non-numeric amount", "1,234.50")
    ],
    quality: [q(tx, "umsatz.csv", 3, 1, {"non-numeric amount": 2})],
    check: (out) => expect(column(out.csv("transactions.csv"), "revenue").map(Number)).toEqual([10])
  },
  {
    name: "thousands-separators",
    // "," thousands with "." decimals (quoted, in a comma-delimited file); " " thousands with a decimal comma.
    rejects: [],
    quality: [q("customers", "customers.csv", 2, 2), q(tx, TX, 3, 3)],
    check: (out) => {
      expect(
        column(out.csv("transactions.csv"), "revenue")
          .map(Number)
          .sort((a, b) => a - b)
      ).toEqual([7.5, 1234.5, 12345678.9]);
      const cost = Object.fromEntries(
        out.csv("customers.csv").map((row) => [row.customer_id, Number(row.acquisition_cost)])
      );
      expect(cost).toEqual({[pseudonym("CUST-A")]: 1250.75, [pseudonym("CUST-B")]: 0.5});
    }
  },
  {
    name: "unit-price-thousands",
    // Revenue = quantity × unit price, with the unit price read per the mapping (1.000,25 = 1000.25).
    rejects: [],
    quality: [q(tx, "umsatz.csv", 2, 2)],
    check: (out) =>
      expect(
        column(out.csv("transactions.csv"), "revenue")
          .map(Number)
          .sort((a, b) => a - b)
      ).toEqual([1.5, 2000.5])
  },
  {
    name: "unit-price-non-numeric",
    // A bad unit price or quantity is named as such, not as a missing revenue.
    rejects: [
      r(tx, TX, 3, "unit_price", "non-numeric amount", "abc"),
      r(tx, TX, 4, "quantity", "non-numeric value", "two")
    ],
    quality: [q(tx, TX, 3, 1, {"non-numeric amount": 1, "non-numeric value": 1})],
    check: (out) => expect(column(out.csv("transactions.csv"), "revenue").map(Number)).toEqual([5])
  },
  {
    name: "cdnow-wrong-field-count",
    kind: "cdnow",
    files: ["cdnow-wrong-field-count/sample.txt"],
    rejects: [
      r(tx, "sample.txt", 2, "line", "malformed row (expected 4 or 5 fields)"),
      r(tx, "sample.txt", 3, "line", "malformed row (expected 4 or 5 fields)"),
      r(tx, "sample.txt", 5, "occurred_at", "unparseable date", "19971301"),
      r(tx, "sample.txt", 6, "quantity", "non-numeric value", "x"),
      r(tx, "sample.txt", 7, "revenue", "non-numeric amount", "$7")
    ],
    quality: [
      q(tx, "sample.txt", 7, 2, {
        "malformed row (expected 4 or 5 fields)": 2,
        "unparseable date": 1,
        "non-numeric value": 1,
        "non-numeric amount": 1
      })
    ],
    secrets: ["98765", "98766", "98767"],
    check: (out) => {
      const rows = out
        .csv("transactions.csv")
        .map((row) => [row.customer_id, row.occurred_at, Number(row.quantity), Number(row.revenue)]);
      expect(rows.sort()).toEqual(
        [
          [pseudonym("98765"), "1997-01-01 00:00:00", 1, 10],
          [pseudonym("98766"), "1997-01-04 00:00:00", 1, 7.5]
        ].sort()
      );
    }
  },
  {
    name: "cdnow-blank-line",
    kind: "cdnow",
    files: ["cdnow-blank-line/sample.txt"],
    // Line 2 is blank (no row); the bad date is on line 3.
    rejects: [r(tx, "sample.txt", 3, "occurred_at", "unparseable date", "19970230")],
    quality: [q(tx, "sample.txt", 3, 2, {"unparseable date": 1})],
    secrets: ["55501", "55502"]
  },
  {
    name: "retail-two-files",
    kind: "online-retail",
    files: ["retail-two-files/2010.csv", "retail-two-files/2011.csv"],
    // Each file counts its own lines; the first reason the adapter finds wins (no customer before not a product).
    rejects: [
      r(tx, "2011.csv", 3, "CustomerID", "missing customer id", ""),
      r(tx, "2011.csv", 4, "", tooMany),
      r(tx, "2011.csv", 5, "StockCode", "not a product (postage, fee, discount or adjustment)", "M")
    ],
    quality: [
      q(tx, "2010.csv", 2, 2),
      q(tx, "2011.csv", 4, 1, {
        "missing customer id": 1,
        [tooMany]: 1,
        "not a product (postage, fee, discount or adjustment)": 1
      })
    ],
    secrets: ["17850", "14527"],
    check: (out) => {
      const o = byOrder(out.csv("transactions.csv"));
      expect(Object.keys(o).sort()).toEqual(["536365", "536366", "540001"]);
      expect(o["536365"]?.product).toBe("WHITE HANGING HEART T-LIGHT HOLDER, LARGE");
      expect(new Set(Object.values(o).map((row) => row?.customer_id))).toEqual(new Set([pseudonym("17850")]));
    }
  },
  {
    name: "retail-rows",
    kind: "online-retail",
    files: ["retail-rows/retail.csv"],
    rejects: [
      r(tx, "retail.csv", 4, "CustomerID", "missing customer id", ""),
      r(tx, "retail.csv", 5, "StockCode", "not a product (postage, fee, discount or adjustment)", "POST"),
      r(tx, "retail.csv", 6, "UnitPrice", "zero price", "0"),
      r(tx, "retail.csv", 8, "UnitPrice", "non-numeric amount", "abc"),
      r(tx, "retail.csv", 9, "Quantity", "non-numeric value", "two"),
      r(tx, "retail.csv", 10, "occurred_at", "unparseable date", "13/45/2010 8:45"),
      r(tx, "retail.csv", 11, "occurred_at", "future date", "2/1/2025 10:00"),
      r(tx, "retail.csv", 12, "order_id", "duplicate order line", "536365")
    ],
    quality: [
      q(tx, "retail.csv", 12, 4, {
        "missing customer id": 1,
        "not a product (postage, fee, discount or adjustment)": 1,
        "zero price": 1,
        "non-numeric amount": 1,
        "non-numeric value": 1,
        "unparseable date": 1,
        "future date": 1,
        "duplicate order line": 1
      })
    ],
    secrets: ["17850", "14527", "15100", "12583", "13047"],
    check: (out) => {
      const o = byOrder(out.csv("transactions.csv"));
      expect(Object.keys(o).sort()).toEqual(["536365", "536366", "536374", "C536379"]);
      // 17850.0 and 17850 are one customer.
      expect([o["536365"]?.customer_id, o["536366"]?.customer_id]).toEqual([pseudonym("17850"), pseudonym("17850")]);
      expect([Number(o["536365"]?.revenue), Number(o["536366"]?.revenue)]).toEqual([15.3, 11.1]);
      expect(o["536365"]?.occurred_at).toBe("2010-12-01 08:26:00");
      // A cancellation is a return: negative quantity and revenue.
      expect([o.C536379?.customer_id, Number(o.C536379?.quantity), Number(o.C536379?.revenue)]).toEqual([
        pseudonym("14527"),
        -12,
        -19.8
      ]);
      // No description: the stock code names the product.
      expect(o["536374"]?.product).toBe("21258");
      expect(column(out.csv("customers.csv"), "customer_id").sort()).toEqual(
        [pseudonym("17850"), pseudonym("14527"), pseudonym("15100")].sort()
      );
    }
  },
  {
    name: "injection",
    files: ["injection/mapping.json"],
    // A file name with a quote, a column name with double quotes, ids and products with markup and formulas.
    rejects: [],
    quality: [q(tx, "it's transactions.csv", 7, 7)],
    secrets: ['<script>alert("id")</script>', "<img src=y onerror=alert(2)>", "=1+2", "CUST-F", "CUST-G"],
    check: (out) => {
      const o = byOrder(out.csv("transactions.csv"));
      expect(Object.fromEntries(Object.entries(o).map(([id, row]) => [id, row?.product]))).toEqual({
        O1: "<script>alert(1)</script>",
        O2: "<img src=x onerror=alert(1)>",
        O3: '=HYPERLINK("http://x","y")',
        O4: "+1+1",
        O5: "@SUM(A1)",
        O6: "-2+3",
        O7: "'; DROP TABLE canonical_transactions; --"
      });
      expect([o.O1?.customer_id, o.O2?.customer_id, o.O3?.customer_id, o.O4?.customer_id]).toEqual(
        ['<script>alert("id")</script>', "<img src=y onerror=alert(2)>", "=1+2", "CUST-F"].map(pseudonym)
      );
      expect(column(out.csv("customer_summary.csv"), "customer_id").every((id) => hex16.test(id ?? ""))).toBe(true);
      expect(out.csv("customer_summary.csv")).toHaveLength(5);
    }
  },
  {
    name: "privacy",
    // Name, Email and Phone are in the file but not in the mapping: they are never read.
    rejects: [
      r("customers", "customers.csv", 4, "customer_id", "duplicate customer", pseudonym("CUST-P2")),
      r(tx, TX, 4, "customer_id", "unknown customer", pseudonym("CUST-P9"))
    ],
    quality: [
      q("customers", "customers.csv", 3, 2, {"duplicate customer": 1}),
      q(tx, TX, 3, 2, {"unknown customer": 1})
    ],
    secrets: ["CUST-P", "Ada", "Lovelace", "Alan", "Turing", "example.", "@", "7946", "+44"]
  },
  {
    name: "privacy-malformed-row",
    // An unquoted comma in a name makes a customers line malformed; a transactions line has an extra field.
    rejects: [r("customers", "customers.csv", 3, "", tooMany), r(tx, TX, 3, "", tooMany)],
    quality: [q("customers", "customers.csv", 2, 1, {[tooMany]: 1}), q(tx, TX, 2, 1, {[tooMany]: 1})],
    secrets: ["CUST-P", "Ada", "Lovelace", "Alan", "Turing", "example.", "@", "7946", "+44"]
  },
  {
    name: "few-bad-rows",
    // 3 bad lines of 30: the file loads (a load stops only when a file loads none of its rows,
    // or fewer than half of 20 or more), and the 3 are set aside.
    rejects: [
      r(tx, "orders.csv", 6, "occurred_at", "unparseable date", "31/12/2024"),
      r(tx, "orders.csv", 13, "", tooMany),
      r(tx, "orders.csv", 22, "occurred_at", "missing occurred at", "")
    ],
    quality: [q(tx, "orders.csv", 30, 27, {"unparseable date": 1, [tooMany]: 1, "missing occurred at": 1})]
  }
];

const runs = new Map<string, Promise<Output>>();
function run(c: LoadCase): Promise<Output> {
  let result = runs.get(c.name);
  if (!result) {
    result = (async () => {
      const dir = tempDir();
      await ingest(c.kind ?? "generic", (c.files ?? [`${c.name}/mapping.json`]).map(fixture), dir, {asOf, key});
      const text = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf-8")]));
      const csv = (name: string) => {
        const body = text[name];
        if (body === undefined) throw new Error(`${name} was not written`);
        return csvParse(body);
      };
      return {dir, text, csv, quality: JSON.parse(text["quality.json"] ?? "null") as Quality};
    })();
    runs.set(c.name, result);
  }
  return result;
}

/** Personal columns of every output table: pseudonyms (c and 16 hex digits) or empty. */
const personal: Record<string, string[]> = {
  "customers.csv": ["customer_id"],
  "transactions.csv": ["customer_id"],
  "feedback.csv": ["customer_id"],
  "prospects.csv": ["prospect_id", "converted_customer_id", "referred_by"],
  "customer_summary.csv": ["customer_id"]
};
const personalColumns = new Set(Object.values(personal).flat().concat("CustomerID"));

const order = (a: {table: string; file: string; line?: number}, b: {table: string; file: string; line?: number}) =>
  a.table.localeCompare(b.table) || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0);

/** A row of rejects.csv as the cases write their expected rejects. */
const rejectOf = (row: Partial<Record<string, string>>) => ({
  table: row.table_name ?? "",
  file: row.file ?? "",
  line: Number(row.line),
  column: row.column_name ?? "",
  reason: row.reason ?? "",
  value: row.value ?? ""
});

describe.each(loadCases.map((c) => [c.name, c] as const))("%s", (_, c) => {
  it("rejects exactly the expected lines, for the expected reasons", async () => {
    const out = await run(c);
    expect(out.text["rejects.csv"]?.split("\n")[0]).toBe("table_name,file,line,column_name,value,reason");
    const actual = out.csv("rejects.csv").map(rejectOf).sort(order);
    const expected = [...c.rejects].sort(order);
    // Compare the value only where the table gives one.
    expect(
      actual.map((row, i) => (expected[i] && expected[i].value === undefined ? {...row, value: undefined} : row))
    ).toEqual(expected.map((row) => ({...row, value: row.value})));
  });

  it("reconciles: the expected counts per file, input = loaded + rejected, one reject line per rejected row", async () => {
    const out = await run(c);
    const files = out.quality.files
      .map((f) => ({
        table: f.table,
        file: f.file,
        input: f.input_rows,
        loaded: f.loaded_rows,
        reasons: f.rejected_by_reason
      }))
      .sort(order);
    expect(files).toEqual([...c.quality].sort(order));
    const rejects = out.csv("rejects.csv");
    for (const f of out.quality.files) {
      expect(f.input_rows, `${f.file}: input = loaded + rejected`).toBe(f.loaded_rows + f.rejected_rows);
      expect(Object.values(f.rejected_by_reason).reduce((a, b) => a + b, 0)).toBe(f.rejected_rows);
      expect(
        rejects.filter((row) => row.table_name === f.table && row.file === f.file),
        `${f.file}: reject lines`
      ).toHaveLength(f.rejected_rows);
    }
    // Every reject belongs to a file the reconciliation lists.
    for (const row of rejects)
      expect(
        out.quality.files.some((f) => f.table === row.table_name && f.file === row.file),
        `${row.file} in quality.json`
      ).toBe(true);
    // Per table = sum over its files.
    for (const [table, t] of Object.entries(out.quality.tables)) {
      const mine = out.quality.files.filter((f) => f.table === table);
      expect(t?.input_rows).toBe(mine.reduce((a, f) => a + f.input_rows, 0));
      expect(t?.loaded_rows).toBe(mine.reduce((a, f) => a + f.loaded_rows, 0));
    }
  });

  it("writes every id pseudonymised (c and 16 hex digits), in the tables and in the rejects", async () => {
    const out = await run(c);
    for (const name of [
      "transactions.csv",
      "customers.csv",
      "customer_summary.csv",
      "rejects.csv",
      "quality.json",
      "source.json"
    ])
      expect(out.text).toHaveProperty([name]);
    for (const [name, columns] of Object.entries(personal)) {
      if (out.text[name] === undefined) continue;
      for (const row of out.csv(name))
        for (const col of columns) expect(row[col] ?? "", `${name} ${col}`).toMatch(/^(c[0-9a-f]{16})?$/);
    }
    for (const row of out.csv("rejects.csv"))
      if (personalColumns.has(row.column_name ?? ""))
        expect(row.value ?? "", `rejects ${row.file}:${row.line}`).toMatch(/^(c[0-9a-f]{16})?$/);
  });

  const check = c.check;
  if (check) {
    it("loads the expected values", async () => {
      check(await run(c));
    });
  }

  // Every generic fixture's customer ids start with CUST-.
  const secrets = c.secrets ?? ((c.kind ?? "generic") === "generic" ? ["CUST-"] : []);
  if (secrets.length > 0)
    it("writes no raw customer id or unmapped personal data to any output file", async () => {
      const out = await run(c);
      for (const [name, text] of Object.entries(out.text)) {
        for (const secret of secrets) expect(text.includes(secret), `${JSON.stringify(secret)} in ${name}`).toBe(false);
      }
    });
});

// ---------------------------------------------------------------------------------------
// Files that load too few rows: the load stops with the cause, an example and the mapping
// setting that fixes it, after writing the rows set aside (rejects.csv) and the
// reconciliation (quality.json), but no source.json, so the folder is not taken for a source.

interface TooFewCase {
  name: string;
  /** The message's lines, before the last (which names rejects.csv). */
  message: string[];
  rejects: Reject[];
  quality: Counts[];
}

const unparseable = (n: number, file = "orders.csv", from = 2) =>
  Array.from({length: n}, (_, i) => r(tx, file, from + i, "occurred_at", "unparseable date"));

const tooFewCases: TooFewCase[] = [
  {
    name: "dmy-dates",
    // 200 lines of DD/MM/YYYY dates read as ISO 8601: none load.
    message: [
      `orders.csv: 0 of 200 transactions rows loaded; occurred_at (column "Date"): 200 of 200 unparseable, e.g. 20/01/2024; set "dateFormat": "%d/%m/%Y" in the mapping's "transactions" table`
    ],
    rejects: unparseable(200),
    quality: [q(tx, "orders.csv", 200, 0, {"unparseable date": 200})]
  },
  {
    name: "ambiguous-dates",
    // No day above 12: both orders are offered.
    message: [
      `orders.csv: 0 of 3 transactions rows loaded; occurred_at (column "Date"): 3 of 3 unparseable, e.g. 03/04/2024; set "dateFormat": "%d/%m/%Y" in the mapping's "transactions" table if 03/04/2024 is day then month, or "%m/%d/%Y" if month then day`
    ],
    rejects: unparseable(3),
    quality: [q(tx, "orders.csv", 3, 0, {"unparseable date": 3})]
  },
  {
    name: "dotted-dates",
    message: [
      `orders.csv: 0 of 2 transactions rows loaded; occurred_at (column "Date"): 2 of 2 unparseable, e.g. 20.01.2024; set "dateFormat": "%d.%m.%Y" in the mapping's "transactions" table`
    ],
    rejects: unparseable(2),
    quality: [q(tx, "orders.csv", 2, 0, {"unparseable date": 2})]
  },
  {
    name: "compact-dates",
    message: [
      `orders.csv: 0 of 2 transactions rows loaded; occurred_at (column "Date"): 2 of 2 unparseable, e.g. 20240120; set "dateFormat": "%Y%m%d" in the mapping's "transactions" table`
    ],
    rejects: unparseable(2),
    quality: [q(tx, "orders.csv", 2, 0, {"unparseable date": 2})]
  },
  {
    name: "decimal-comma-amount",
    message: [
      `orders.csv: 0 of 3 transactions rows loaded; revenue (column "Amount"): 3 of 3 unparseable, e.g. 10,50; set "decimalSeparator": "," in the mapping's "transactions" table`
    ],
    rejects: [2, 3, 4].map((line) => r(tx, "orders.csv", line, "revenue", "non-numeric amount")),
    quality: [q(tx, "orders.csv", 3, 0, {"non-numeric amount": 3})]
  },
  {
    name: "all-rows-malformed",
    // Every customers line has a field too many, so every purchase is of an unknown customer.
    // Both files load nothing: the load stops, and the files still reconcile (2 in, 0 loaded, 2 rejected).
    message: [
      `customers.csv: 0 of 2 customers rows loaded; 2 of 2 rows malformed (too many fields), e.g. line 2; check the mapping's "delimiter" and the file's quotes`,
      `transactions.csv: 0 of 1 transactions rows loaded; customer_id (column "Customer"): 1 of 1 unknown customer`
    ],
    rejects: [
      r("customers", "customers.csv", 2, "", tooMany),
      r("customers", "customers.csv", 3, "", tooMany),
      r(tx, TX, 2, "customer_id", "unknown customer", pseudonym("CUST-A"))
    ],
    quality: [q("customers", "customers.csv", 2, 0, {[tooMany]: 2}), q(tx, TX, 1, 0, {"unknown customer": 1})]
  }
];

describe("a file that loads too few rows stops the load, naming the cause and the setting that fixes it", () => {
  it.each(tooFewCases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const out = tempDir();
    const error = await ingest("generic", [fixture(`${c.name}/mapping.json`)], out, {asOf, key}).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error, "expected the load to fail").toBeInstanceOf(TooFewRowsError);
    expect(error).toBeInstanceOf(FatalInputError);
    expect((error as Error).message).toBe(
      [
        ...c.message,
        `no source written; the rows set aside are in ${join(out, "rejects.csv")}, each with its reason`
      ].join("\n")
    );
    // Nothing lost silently: every row is in the reconciliation, every rejected one in rejects.csv.
    expect(readdirSync(out).sort()).toEqual(["quality.json", "rejects.csv"]);
    const quality = JSON.parse(readFileSync(join(out, "quality.json"), "utf-8")) as Quality;
    expect((error as TooFewRowsError).quality).toEqual(quality);
    expect(
      quality.files.map((f) => ({
        table: f.table,
        file: f.file,
        input: f.input_rows,
        loaded: f.loaded_rows,
        reasons: f.rejected_by_reason
      }))
    ).toEqual([...c.quality].sort(order));
    for (const f of quality.files) expect(f.input_rows).toBe(f.loaded_rows + f.rejected_rows);
    const rejects = csvParse(readFileSync(join(out, "rejects.csv"), "utf-8")).map(rejectOf);
    const expected = [...c.rejects].sort(order);
    expect(
      rejects.sort(order).map((row, i) => (expected[i]?.value === undefined ? {...row, value: undefined} : row))
    ).toEqual(expected.map((row) => ({...row, value: row.value})));
  });
});

describe("npm run ingest", () => {
  const cli = (name: string) => {
    const out = tempDir();
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "loaders/cli/ingest.ts",
        "generic",
        fixture(`${name}/mapping.json`),
        "--out",
        out,
        "--as-of",
        asOf
      ],
      {encoding: "utf-8", env: {...process.env, CUSTOMER_EQUITY_PSEUDONYM_KEY: key}}
    );
    return {out, status: result.status, stderr: result.stderr};
  };

  it("exits 1 when a file loads too few rows, after the reconciliation, with the cause", () => {
    const {out, status, stderr} = cli("dmy-dates");
    expect(status).toBe(1);
    const lines = stderr.split("\n").filter((line) => line.startsWith("ingest: ") && !line.endsWith(" s)"));
    expect(lines).toEqual([
      "ingest: transactions: 200 input = 0 loaded + 200 rejected (200 unparseable date)",
      `ingest: orders.csv: 0 of 200 transactions rows loaded; occurred_at (column "Date"): 200 of 200 unparseable, e.g. 20/01/2024; set "dateFormat": "%d/%m/%Y" in the mapping's "transactions" table`,
      `ingest: no source written; the rows set aside are in ${join(out, "rejects.csv")}, each with its reason`
    ]);
  });

  it("exits 1 naming the delimiter when the header is one column holding ';'", () => {
    const {status, stderr} = cli("semicolon");
    expect(status).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe(
      `ingest: ${fixture("semicolon/orders.csv")}: the header is one column holding ';' — set "delimiter": ";" in the mapping (required columns "Customer", "Date", "Amount" not found)`
    );
  });

  it("exits 0 when only a few rows are bad, and says how many were set aside", () => {
    const {status, stderr} = cli("few-bad-rows");
    expect(status).toBe(0);
    expect(stderr).toContain(
      "ingest: transactions: 30 input = 27 loaded + 3 rejected (1 malformed row (too many fields), 1 missing occurred at, 1 unparseable date)"
    );
  });
});

describe("a source that cannot make a site stops the build with one plain sentence", () => {
  /** A source folder of few-bad-rows (10 customers, 27 transactions), its transactions rewritten by `edit`. */
  const unusable = async (edit: (lines: string[]) => string[]) => {
    const out = tempDir();
    await ingest("generic", [fixture("few-bad-rows/mapping.json")], out, {asOf, key});
    const path = join(out, "transactions.csv");
    writeFileSync(path, edit(readFileSync(path, "utf-8").trimEnd().split("\n")).join("\n") + "\n");
    return out;
  };
  const fix =
    "point CUSTOMER_EQUITY_SOURCE at a source whose transactions hold purchases (a folder from npm run ingest, or a warehouse).";
  const emptyMessage = (dir: string) =>
    `The source ${dir} cannot make a site: its transactions table has no rows; ${fix}`;
  // Every revenue negated: 27 returns and no purchase.
  const negate = (lines: string[]) => [
    lines[0]!,
    ...lines.slice(1).map((line) => line.replace(/^([^,]*,[^,]*,)/, "$1-"))
  ];

  it("no transactions: names the source, what is wrong and what to do", async () => {
    const dir = await unusable((lines) => lines.slice(0, 1));
    const error = await siteArchive(readSettings({}, {source: dir})).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(UnusableSourceError);
    expect((error as Error).message).toBe(emptyMessage(dir));
  });

  it("only returns: says that no customer has bought anything", async () => {
    const dir = await unusable(negate);
    const error = await reportPaths(readSettings({}, {source: dir})).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(UnusableSourceError);
    expect((error as Error).message).toBe(
      `The source ${dir} cannot make a site: none of its 27 transactions is a purchase (all have negative revenue, i.e. are returns), so no customer has bought anything; ${fix}`
    );
  });

  it("one returning customer's purchase is enough", async () => {
    // The first line stays a purchase: the source is usable.
    const dir = await unusable((lines) => [lines[0]!, lines[1]!, ...negate(lines).slice(2)]);
    await expect(reportPaths(readSettings({}, {source: dir}))).resolves.toEqual([]);
  });

  it("npm run build stops with the sentence as its last line, and no engine error or Framework bug report", async () => {
    const dir = await unusable((lines) => lines.slice(0, 1));
    // Under the build lock: its prebuild clears the cache another test file's build may be using.
    const result = withBuildLock(() =>
      spawnSync("npm", ["run", "build"], {
        encoding: "utf-8",
        env: {
          ...process.env,
          CUSTOMER_EQUITY_SOURCE: dir,
          CUSTOMER_EQUITY_OUTPUT: join(tempDir(), "dist"),
          CUSTOMER_EQUITY_PSEUDONYM_KEY: key
        }
      })
    );
    const log = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    expect(result.status).not.toBe(0);
    expect(
      result.stderr
        .replace(/\x1b\[[0-9;]*m/g, "")
        .trim()
        .split("\n")
        .at(-1)
    ).toBe(`source: ${emptyMessage(dir)}`);
    expect(log).not.toMatch(/Binder Error|file an issue|at async/);
  }, 300_000);

  it("the site's data loader exits 1 with the sentence alone on stderr, no stack trace", async () => {
    const dir = await unusable((lines) => lines.slice(0, 1));
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/data/source.zip.ts"], {
      encoding: "utf-8",
      env: {...process.env, CUSTOMER_EQUITY_SOURCE: dir, CUSTOMER_EQUITY_PSEUDONYM_KEY: key}
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`source: ${emptyMessage(dir)}\n`);
  });
});
