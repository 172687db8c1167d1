// What the equity page needs to refit the models on one slice of customers in the browser (a Web Worker): per
// acquisition channel and per segment (the segment reports' slices, loaders/source/slices.ts), the fits' calibration
// summaries as npm run clv reads them (readClvSummaryColumns: distinct (x, t_x, T, holdout days) and (x, mean spend)
// with their customers, never a customer's row), for the fit on all the data and for the check before the cut-off.
import type {DuckDBConnection} from "@duckdb/node-api";
import {shipClvSummary} from "../../src/core/models/clvSummaryFit.js";
import type {ShippedValueGroups, SliceRefitInputs} from "../../src/core/models/sliceValue.js";
import {valueGroupsSql} from "../../src/core/sql/clvSql.js";
import {identifier, literal} from "../../src/core/sql/sql.js";
import {readClvSummaryColumns} from "../clv.js";
import {queryRows} from "../duckdb.js";
import {sliceKinds} from "../source/slices.js";

export type {SliceRefitInputs};
import {duckdbSession} from "../sqlSession.js";

/** equity_slices.json.gz: the dates of both fits and every slice's inputs, or none where they would not fit a browser. */
export interface EquitySlices {
  end: string;
  calibration_end: string;
  slices: SliceRefitInputs[];
  /** Rows all slices' summaries hold, and the most that ship (Settings.browserRows); no slice ships above it. */
  rows: number;
  limit: number;
}

/**
 * What the page can refit on, and which customers each slice holds (customer_summary's value as text): the segment
 * reports' kinds (acquisition channel, segment), and the cohort of the year of a customer's first purchase.
 */
const equitySliceKinds: Record<string, string> = {
  ...Object.fromEntries(Object.entries(sliceKinds).map(([kind, column]) => [kind, `${identifier(column)}::VARCHAR`])),
  cohort: "strftime(first_purchase, '%Y')"
};

/**
 * Every slice's inputs, from the per-customer calibration summaries already in the loaders' DuckDB (`full` at the
 * data's end, `validation` at the cut-off; calibrationSummarySql's columns) and customer_summary's channel, segment and
 * first purchase.
 */
export async function equitySlices(
  connection: DuckDBConnection,
  tables: {full: string; validation: string},
  dates: {end: string; calibrationEnd: string},
  limit: number
): Promise<EquitySlices> {
  const session = duckdbSession(connection);
  const slices: SliceRefitInputs[] = [];
  for (const [kind, expression] of Object.entries(equitySliceKinds)) {
    const names = await queryRows<{name: string}>(
      connection,
      `SELECT DISTINCT ${expression} AS name FROM customer_summary WHERE nullif(trim(${expression}), '') IS NOT NULL ORDER BY name`
    );
    for (const {name} of names) {
      const of = (table: string) =>
        `(SELECT * FROM ${identifier(table)} WHERE customer_id IN (SELECT customer_id FROM customer_summary WHERE ${expression} = ${literal(name)})) s`;
      const full = await readClvSummaryColumns(session, dates.end, dates.end, {summary: of(tables.full)});
      // A slice of customers who all first bought on the last day has nothing to fit.
      if (!full.x.length) continue;
      const validation = await readClvSummaryColumns(session, dates.calibrationEnd, dates.end, {
        summary: of(tables.validation)
      });
      const customers = full.n.reduce((total, n, k) => total + (full.is_spend[k] ? 0 : n), 0);
      const groups = await session.columns<keyof ShippedValueGroups>(valueGroupsSql(of(tables.full)), {
        what: "a slice's customers by purchases, for its value",
        table: "transactions"
      });
      const value = Object.fromEntries(
        Object.entries(groups).map(([key, column]) => [key, Array.from(column)])
      ) as unknown as ShippedValueGroups;
      slices.push({kind, name, customers, full: shipClvSummary(full), validation: shipClvSummary(validation), value});
    }
  }
  const rows = slices.reduce((total, s) => total + s.full.x.length + s.validation.x.length + s.value.x.length, 0);
  return {end: dates.end, calibration_end: dates.calibrationEnd, slices: rows <= limit ? slices : [], rows, limit};
}
