// The customer-equity fit on a source folder, against Fader & Hardie's CDNOW sample
// (../shared/datasets; skipped where absent): the calibration summaries computed in SQL
// equal their published summary file, and the fits equal the published estimates.
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {fitClv} from "../loaders/clv.js";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {openSourceFolder} from "../loaders/source/folder/folder.js";
import {calibrationSummarySql} from "../src/core/sql/clvSql.js";
import {duckdb} from "../src/core/sql/sqlDialect.js";
import {duckdbSession} from "../loaders/sqlSession.js";
import {expectedPseudonym, runIngest} from "./ingestHelpers.js";

const datasets = fileURLToPath(new URL("../../shared/datasets/", import.meta.url));
const present = existsSync(datasets);
if (!present) console.warn(`skipping the CDNOW customer-equity tests: ${datasets} is absent`);

describe.skipIf(!present)("the CDNOW sample, calibration to 1997-09-30 (39 weeks), holdout to 1998-06-30", () => {
  const ingested = runIngest("cdnow", [`${datasets}cdnow_sample.txt.gz`], {asOf: "2000-01-01"});

  it("gives every customer the (x, t_x, T, mean repeat spend) of the published summary file", async () => {
    const {dir} = await ingested;
    const {ours, published} = await withDuckDB(async (connection) => {
      await openSourceFolder(connection, dir);
      const ours = await queryRows<{customer_id: string; x: number; t_x: number; T: number; spend: number | null}>(
        connection,
        calibrationSummarySql(duckdb, "1997-09-30", "1998-06-30")
      );
      // The published summary (by sample id) and the sample id → master id map, from the raw files.
      const published = await queryRows<{master: string; x: number; t_x: number; T: number; zbar: number}>(
        connection,
        `SELECT DISTINCT split_part(trim(s.column0), ' ', 1) AS master, p.x::INTEGER AS x, p.t_x::DOUBLE AS t_x, p.T::DOUBLE AS T, p.zbar::DOUBLE AS zbar
         FROM read_csv('${datasets}cdnow_customers_summary_with_transactions.csv.gz', header = true) p
         JOIN read_csv('${datasets}cdnow_sample.txt.gz', columns = {'column0': 'VARCHAR'}, delim = '\\x01', header = false) s
           ON regexp_split_to_array(trim(s.column0), '\\s+')[2]::INTEGER = p.ID`
      );
      return {ours, published};
    });
    expect(ours).toHaveLength(2357);
    const byId = new Map(ours.map((row) => [row.customer_id, row]));
    for (const p of published) {
      const row = byId.get(expectedPseudonym(p.master));
      expect(row, p.master).toBeDefined();
      expect(row!.x, p.master).toBe(p.x);
      expect(Math.abs(row!.t_x - p.t_x), p.master).toBeLessThan(0.006);
      expect(Math.abs(row!.T - p.T), p.master).toBeLessThan(0.006);
      expect(Math.abs((row!.spend ?? 0) - p.zbar), p.master).toBeLessThan(0.006);
    }
  });

  it("fits BG/NBD and Gamma-Gamma to the published estimates, and counts the holdout purchases", async () => {
    const {dir} = await ingested;
    const fit = await withDuckDB(async (connection) => {
      await openSourceFolder(connection, dir);
      return fitClv(duckdbSession(connection), "1997-09-30", "1998-06-30");
    });
    // Fader, Hardie & Lee (2005), Marketing Science 24(2): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    const {r, alpha, a, b} = fit.bgnbd.params;
    expect([r, alpha, a, b].map((v) => Number(v.toFixed(3)))).toEqual([0.243, 4.414, 0.793, 2.426]);
    expect(fit.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.bgnbd.convergence.converged).toBe(true);
    // Fader, Hardie & Lee (2005), JMR 42(4), on the 946 repeat buyers: p = 6.25, q = 3.74, γ = 15.44.
    const {p, q, gamma} = fit.gamma_gamma!.params;
    expect([p, q, gamma].map((v) => Number(v.toFixed(2)))).toEqual([6.25, 3.74, 15.44]);
    expect(fit.gamma_gamma!.customers).toBe(946);
    expect(fit.holdout_weeks).toBe(39);
    // Holdout purchase days counted straight from the raw file.
    const [{days}] = (await withDuckDB((connection) =>
      queryRows<{days: number}>(
        connection,
        `SELECT count(DISTINCT (split_part(trim(column0), ' ', 1), regexp_extract(column0, '(\\d{8})', 1)))::INTEGER AS days
         FROM read_csv('${datasets}cdnow_sample.txt.gz', columns = {'column0': 'VARCHAR'}, delim = '\\x01', header = false)
         WHERE regexp_extract(column0, '(\\d{8})', 1) > '19970930'`
      )
    )) as [{days: number}];
    expect(fit.holdout.actual).toBe(days);
    expect(fit.holdout.by_frequency.reduce((total, b) => total + b.customers, 0)).toBe(2357);
    // The model's holdout total within 15 % of the actual (Fader, Hardie & Lee report a close tracking fit).
    expect(Math.abs(fit.holdout.error)).toBeLessThan(0.15);
  });
});
