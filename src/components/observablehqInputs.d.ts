// The part of Observable Inputs (@observablehq/inputs 0.12, which ships no types) that
// components call: the table, with the options its documentation lists
// (https://github.com/observablehq/inputs#table).
declare module "@observablehq/inputs" {
  export interface TableOptions {
    /** Column names to show, in order; all of the first row's keys by default. */
    columns?: string[];
    /** A column's header text, by column name. */
    header?: Record<string, string>;
    /** A column's cell format, by column name. */
    format?: Record<string, (value: any) => string | Node>;
    /** A column's alignment, by column name. */
    align?: Record<string, "left" | "right" | "center">;
    /** A column's width (CSS length or pixels), by column name. */
    width?: Record<string, string | number>;
    /** The column the table is sorted by at first, and whether descending. */
    sort?: string;
    reverse?: boolean;
    /** Rows visible in the scroll box (11.5 by default); rows × 2 are drawn at first, more as one scrolls. */
    rows?: number;
    /** The scroll box's height in pixels ((rows + 1) × 22 − 1 by default). */
    maxHeight?: number;
    /** Whether rows can be selected with check boxes (true by default). */
    select?: boolean;
    /** "fixed" column widths, or "auto" (fixed below 12 columns by default). */
    layout?: "fixed" | "auto";
  }

  /** A scrollable, sortable table of data; its value is the selected rows. */
  export function table(data: readonly object[], options?: TableOptions): HTMLFormElement;
}
