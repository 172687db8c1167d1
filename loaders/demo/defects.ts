// Planted defects: the deliberately bad rows, which customers they land on, and how a sale line is damaged.
import {csvField} from "./format.js";

export interface BadRow {
  file: string;
  line: number;
  column: string;
  reason: string;
  value: string;
}

export type Defect =
  | {kind: "date"; value: string}
  | {kind: "amount"; value: (revenue: string) => string}
  | {kind: "negative"}
  | {kind: "duplicate"}
  | {kind: "orphan"}
  | {kind: "survey"};

// Each defect lands on its own customer (spread evenly through the file); the orphan defect adds
// one two-line order of a customer id that customers.csv does not have.
const DEFECTS: Defect[] = [
  {kind: "date", value: "2024-13-07 10:22:31"},
  {kind: "date", value: "07/03/2024 10:22"},
  {kind: "date", value: "n/a"},
  {kind: "amount", value: (revenue) => revenue.replace(".", ",")},
  {kind: "amount", value: () => "N/A"},
  {kind: "negative"},
  {kind: "negative"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "duplicate"},
  {kind: "orphan"},
  {kind: "survey"}
];

/** Customer index (0-based) → the defect injected at that customer. */
export function defectPlan(customers: number): Map<number, Defect> {
  const plan = new Map<number, Defect>();
  if (customers < DEFECTS.length + 1) return plan;
  DEFECTS.forEach((defect, i) => plan.set(Math.floor(((i + 1) * customers) / (DEFECTS.length + 1)), defect));
  return plan;
}

/** The damaged form of a sale line, for the defects that change a value (quoted where needed). */
export function corruptLine(defect: Defect, line: string): string {
  const fields = line.split(","); // generated sale lines have no quoted fields
  if (defect.kind === "date") fields[3] = defect.value;
  else if (defect.kind === "amount") fields[7] = defect.value(fields[7]!);
  else if (defect.kind === "negative") fields[7] = `-${fields[7]}`;
  return fields.map(csvField).join(",");
}
