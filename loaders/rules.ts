// The row rules that decide which rows of a canonical table the figures count, written once
// for both places a source is checked: files at ingest (validate.ts, over parsed text) and a
// warehouse in each query (source/postgres/checks.ts, over typed columns). Each engine says how
// its rows read (RowTerms); the reasons, columns and order are the same, so that a row is
// rejected for the same reason wherever it lives.
import type {Field, TableName} from "./canonical.js";

/** How many rejected rows per file and reason reach the site (the data-quality page's examples), from a folder or a warehouse. */
export const rejectSampleSize = 20;

export interface Rule {
  /** SQL condition: the row breaks the rule. */
  when: string;
  reason: string;
  column: string;
}

/** How an engine's rows read, for the rules. */
export interface RowTerms {
  /** A column's typed value. */
  value(column: string): string;
  /** Condition: a date or timestamp column is after the as-of day. */
  future(column: string): string;
  /** Condition: a non-null id column names no loaded customer; null without a customers table. */
  unknown: ((column: string) => string) | null;
  /** Condition: a transaction is a return (its negative amounts are allowed). */
  isReturn: string;
  /**
   * Condition: the row is a later copy of an earlier one (customers: the same id; transactions: equal in every
   * column the source holds, its source columns for a file and its canonical columns for a warehouse); null where
   * that cannot be told.
   */
  repeat: string | null;
  /** The feedback scores' ranges: rows (a condition) with a range each; nps is always 0–10. */
  scales: readonly {rows: string; range: readonly [number, number]}[];
}

/** Survey scores' default range (expectation, perception, satisfaction). */
export const defaultScale = [1, 7] as const;
/** A delivery's "scores": expectation 0 and perception the days early (negative when late), within a century. */
export const deliveryScale = [-36500, 36500] as const;

/** The id columns of each table that must name a known customer (where there is a customers table). */
export const customerReferences: Record<TableName, readonly string[]> = {
  customers: [],
  transactions: ["customer_id"],
  feedback: ["customer_id"],
  prospects: ["converted_customer_id", "referred_by"]
};

/** A required column without a value. */
export function missingRule(field: Field, isNull: string): Rule {
  return {when: isNull, reason: `missing ${field.name.replaceAll("_", " ")}`, column: field.name};
}

/** Rules particular to each table, after the required values, in the order they are tried; `present` holds the table's columns. */
export function tableRules(table: TableName, present: ReadonlySet<string>, terms: RowTerms): Rule[] {
  const {value} = terms;
  const rules: Rule[] = [];
  const future = (column: string) => rules.push({when: terms.future(column), reason: "future date", column});
  const duplicate = (reason: string, column: string, when: (repeat: string) => string = (repeat) => repeat) => {
    if (terms.repeat !== null) rules.push({when: when(terms.repeat), reason, column});
  };
  switch (table) {
    case "customers":
      if (present.has("acquisition_cost"))
        rules.push({when: `${value("acquisition_cost")} < 0`, reason: "negative amount", column: "acquisition_cost"});
      if (present.has("first_seen")) future("first_seen");
      duplicate("duplicate customer", "customer_id");
      break;
    case "transactions":
      for (const column of ["revenue", "cost"].filter((c) => present.has(c))) {
        rules.push({
          when: `${value(column)} < 0 AND NOT ${terms.isReturn}`,
          reason: "negative amount (not a return)",
          column
        });
      }
      future("occurred_at");
      // Only a line with an order id repeats one: without one, equal lines may be two purchases.
      if (present.has("order_id"))
        duplicate("duplicate order line", "order_id", (repeat) => `${value("order_id")} IS NOT NULL AND ${repeat}`);
      break;
    case "feedback": {
      for (const column of ["expectation", "perception", "satisfaction"].filter((c) => present.has(c))) {
        for (const {
          rows,
          range: [low, high]
        } of terms.scales) {
          rules.push({
            when: `${rows} AND ${value(column)} NOT BETWEEN ${low} AND ${high}`,
            reason: `score out of range (${low}–${high})`,
            column
          });
        }
      }
      if (present.has("nps"))
        rules.push({when: `${value("nps")} NOT BETWEEN 0 AND 10`, reason: "score out of range (0–10)", column: "nps"});
      const scores = ["expectation", "perception", "satisfaction", "nps"].filter((c) => present.has(c));
      rules.push({
        when: scores.length ? scores.map((c) => `${value(c)} IS NULL`).join(" AND ") : "true",
        reason: "no score",
        column: "customer_id"
      });
      future("responded_at");
      break;
    }
    case "prospects":
      future("first_contact_at");
      break;
  }
  // Last: an id that names no customer, once the row is otherwise sound.
  const {unknown} = terms;
  if (unknown) {
    for (const column of customerReferences[table].filter((c) => present.has(c)))
      rules.push({when: unknown(column), reason: "unknown customer", column});
  }
  return rules;
}
