// When a page's controls recompute from a sample: a source with many purchases per customer
// ships its per-customer tables to the browser as a seeded sample of whole customers
// (loaders/site/tables.ts), while the page's first view was computed from every customer.
import {formatCount, formatPercent} from "./format.js";

/** What browser_sample.json says of a per-customer table: how much of it shipped. */
export interface BrowserSample {
  rows: number;
  customers: number;
  shippedRows: number;
  shippedCustomers: number;
  /** The most rows that may ship. */
  limit: number;
}

/** The note a page shows by its controls when they recompute from a sample; null when the table shipped whole. */
export function sampleNote(sample: BrowserSample | undefined, rowsName: string): string | null {
  if (!sample || sample.shippedRows >= sample.rows) return null;
  return `The first view counts every customer. Other settings are recomputed in your browser from a seeded sample of ${formatCount(sample.shippedCustomers)} of the ${formatCount(sample.customers)} customers (${formatPercent(sample.shippedCustomers / sample.customers, 1)}; ${formatCount(sample.shippedRows)} of ${formatCount(sample.rows)} ${rowsName}), as the browser gets at most ${formatCount(sample.limit)}: counts and sums are the sample's, shares and averages estimate everyone's.`;
}

/**
 * The note by a page's per-customer charts and tables when the browser got a sample of the
 * customers (over browser_sample.json's limit; the figures above them count everyone); null
 * when every customer shipped.
 */
export function customerSampleNote(sample: BrowserSample | undefined): string | null {
  if (!sample || sample.shippedCustomers >= sample.customers) return null;
  return `Each customer shown here is one of a seeded sample of ${formatCount(sample.shippedCustomers)} of the ${formatCount(sample.customers)} customers (${formatPercent(sample.shippedCustomers / sample.customers, 1)}), as the browser gets at most ${formatCount(sample.limit)} rows a table: counts here are the sample's, shares estimate everyone's. The figures and charts above count every customer.`;
}
