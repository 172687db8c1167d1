// quality.json, written by npm run ingest and read by the pages: the reconciliation of
// input rows with loaded and rejected rows that every figure on the site rests on; and how
// returns netted against the purchases they cancel (returns_netting.csv).
import {returnRuleLabels, returnRules, type ReturnRule} from "../sql/netPurchases.js";

export interface FileQuality {
  table: string;
  file: string;
  input_rows: number;
  loaded_rows: number;
  rejected_rows: number;
  rejected_by_reason: Record<string, number>;
}

export type TableQuality = Omit<FileQuality, "table" | "file">;

export interface Quality {
  /** checks: which checks ran, where not all of ingest's (a warehouse source). */
  source: {kind: string; name: string; as_of: string; checks?: string};
  /** Per canonical table, the sums of its files. */
  tables: Record<string, TableQuality>;
  files: FileQuality[];
}

export interface Reconciliation {
  input: number;
  loaded: number;
  rejected: number;
  /** Whether input = loaded + rejected holds for every file. */
  balanced: boolean;
  /** One sentence for a manager. */
  sentence: string;
}

export function reconciliation(quality: Quality): Reconciliation {
  let input = 0;
  let loaded = 0;
  let rejected = 0;
  let balanced = true;
  for (const file of quality.files) {
    input += file.input_rows;
    loaded += file.loaded_rows;
    rejected += file.rejected_rows;
    if (file.input_rows !== file.loaded_rows + file.rejected_rows) balanced = false;
  }
  const n = (x: number) => x.toLocaleString("en-US");
  const sentence = !balanced
    ? `The counts do not add up: ${n(input)} input rows, ${n(loaded)} loaded, ${n(rejected)} rejected.`
    : rejected === 0
      ? `All ${n(input)} input rows were loaded.`
      : `Of ${n(input)} input rows, ${n(loaded)} were loaded and ${n(rejected)} set aside with a reason.`;
  return {input, loaded, rejected, balanced, sentence};
}

/** Rejected rows per table and reason, most first. */
export function rejectsByReason(quality: Quality): {table: string; reason: string; rows: number}[] {
  const counts = new Map<string, {table: string; reason: string; rows: number}>();
  for (const file of quality.files) {
    for (const [reason, rows] of Object.entries(file.rejected_by_reason)) {
      const key = `${file.table}\u0000${reason}`;
      const entry = counts.get(key) ?? {table: file.table, reason, rows: 0};
      entry.rows += rows;
      counts.set(key, entry);
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.rows - a.rows || a.table.localeCompare(b.table) || a.reason.localeCompare(b.reason)
  );
}

/** A row of returns_netting.csv (returnNettingSql): the return lines one rule matched, and their value (positive). */
export interface ReturnNettingRow {
  rule: string;
  lines: number;
  value: number;
}

export interface ReturnNetting {
  /** Per rule, in the order they are tried, with what the page calls it. */
  byRule: {rule: ReturnRule; label: string; lines: number; value: number}[];
  netted: {lines: number; value: number};
  unmatched: {lines: number; value: number};
  /** One sentence for a manager; money through the source's formatter. */
  sentence: string;
}

/** How the return lines netted against the purchases they cancel (src/core/sql/netPurchases.ts), from returns_netting.csv. */
export function returnNetting(rows: readonly ReturnNettingRow[], money: (value: number) => string): ReturnNetting {
  const byRule = returnRules.map((rule) => {
    const row = rows.find((r) => r.rule === rule);
    return {rule, label: returnRuleLabels[rule], lines: Number(row?.lines ?? 0), value: Number(row?.value ?? 0)};
  });
  const sum = (list: typeof byRule) => ({
    lines: list.reduce((total, r) => total + r.lines, 0),
    value: list.reduce((total, r) => total + r.value, 0)
  });
  const netted = sum(byRule.filter((r) => r.rule !== "unmatched"));
  const unmatched = sum(byRule.filter((r) => r.rule === "unmatched"));
  const n = (x: number) => x.toLocaleString("en-US");
  const all = netted.lines + unmatched.lines;
  const sentence =
    all === 0
      ? "The data has no returns or cancellations."
      : `Of ${n(all)} return lines (${money(netted.value + unmatched.value)}), ${n(netted.lines)} (${money(netted.value)}) were netted against the purchase they take back` +
        (unmatched.lines === 0
          ? "."
          : `; ${n(unmatched.lines)} (${money(unmatched.value)}) matched no earlier purchase and lower only the customers' net revenue.`);
  return {byRule, netted, unmatched, sentence};
}
