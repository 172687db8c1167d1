// What a segment report can be about: a source's acquisition channels and segments, read
// where the source's customers are (a folder's customers.csv, a warehouse's customers
// table), and the derivations of one slice's customers (loaders/site/reports.ts).
import type {DuckDBConnection} from "@duckdb/node-api";
import {assignSlugs} from "../../src/core/format/slug.js";
import type {Derivations} from "./derived.js";

/** What a report can be about, and the customers column that says which slice a customer is in. */
export const sliceKinds = {channel: "acquisition_channel", segment: "segment"} as const;
export type SliceKind = keyof typeof sliceKinds;

export interface ReportSlice {
  kind: SliceKind;
  name: string;
  slug: string;
}

/** Where a slice's report is on the site (src/report/[kind]/[slice].md). */
export const reportPath = ({kind, slug}: ReportSlice) => `/report/${kind}/${slug}`;

/** The slices of each kind, given the distinct non-empty values of each kind's column (absent kinds give none), kind by kind, in slug order. */
export async function slicesOf(values: (column: string) => Promise<string[] | null>): Promise<ReportSlice[]> {
  const slices: ReportSlice[] = [];
  for (const [kind, column] of Object.entries(sliceKinds) as [SliceKind, string][]) {
    const names = await values(column);
    if (!names) continue;
    const slugs = assignSlugs(names);
    slices.push(...[...slugs].map(([name, slug]) => ({kind, name, slug})).sort((a, b) => (a.slug < b.slug ? -1 : 1)));
  }
  return slices;
}

/**
 * The rows of `relation` that belong to the slice's customers (table slice_customers): its `key` column names the
 * customer (a prospect's converted_customer_id).
 */
export const sliceRowsSql = (relation: string, key = "customer_id") =>
  `SELECT * FROM ${relation} WHERE ${key} IN (SELECT customer_id FROM slice_customers)`;

/** A source's slices, and the derivations of one slice's customers (in a connection of its own) next to the data. */
export interface SliceSource {
  slices: ReportSlice[];
  derivations(connection: DuckDBConnection, slice: ReportSlice): Derivations;
}
