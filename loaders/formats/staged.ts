// What a source adapter hands to ingest: stage tables to validate, and what the pages
// must know about the source.
import type {StageInput} from "../validate.js";

export interface StagedSource {
  kind: string;
  /** A name for people, shown on the site. */
  name: string;
  currency: string;
  /** Gross margin assumed where transactions have no cost (a page input may change it). */
  marginRate: number;
  /** Stages in the order they are validated (customers first). */
  inputs: StageInput[];
  /** Whether the source has its own customers table (else customers are derived from transactions). */
  hasCustomers: boolean;
}

/** The margin assumed when a source has no cost and says nothing else. */
export const defaultMarginRate = 0.3;
