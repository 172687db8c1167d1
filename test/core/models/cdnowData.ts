// The CDNOW files in ../shared/datasets (see its PROVENANCE.md), read for the CLV model
// tests, and a small independent builder of (x, t_x, T, mean repeat value) summaries from
// the raw purchase logs: same-day rows aggregated into one transaction (Fader & Hardie's
// convention), times in weeks from the first purchase, calibration to 1997-09-30 inclusive.
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {gunzipSync} from "node:zlib";

export const datasets = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
export const datasetsPresent = existsSync(datasets);
if (!datasetsPresent) console.warn(`skipping the CDNOW CLV-model tests: ${datasets} is absent`);

/** A row of cdnow_customers_summary_with_transactions.csv (weeks; zbar = mean repeat value). */
export interface CdnowSummaryRow {
  id: number;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

function readGzLines(name: string): string[] {
  return gunzipSync(readFileSync(`${datasets}${name}`))
    .toString("utf-8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
}

/** The 2,357-customer calibration summary shipped with lifetimes (columns ID, x, t_x, T, zbar). */
export function readCdnowSummary(): CdnowSummaryRow[] {
  const [header, ...lines] = readGzLines("cdnow_customers_summary_with_transactions.csv.gz");
  if (header !== "ID,x,t_x,T,zbar") throw new Error(`unexpected header ${header}`);
  return lines.map((line) => {
    const [id, x, tx, T, zbar] = line.split(",").map(Number);
    return {id: id!, x: x!, tx: tx!, T: T!, zbar: zbar!};
  });
}

const DAY = 86_400_000;
const dayNumber = (yyyymmdd: string) =>
  Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / DAY;

/**
 * (x, t_x, T, zbar) per customer from purchase rows (customer id, YYYYMMDD date, dollars),
 * in order of customer id. T counts the days from the first purchase to the calibration end.
 */
export function summariseCalibration(
  rows: Iterable<{customer: string; date: string; dollars: number}>,
  calibrationEnd = "19970930"
): CdnowSummaryRow[] {
  const end = dayNumber(calibrationEnd);
  const days = new Map<string, Map<number, number>>(); // customer → day → dollars that day
  for (const {customer, date, dollars} of rows) {
    let byDay = days.get(customer);
    if (!byDay) days.set(customer, (byDay = new Map()));
    const d = dayNumber(date);
    byDay.set(d, (byDay.get(d) ?? 0) + dollars);
  }
  const out: CdnowSummaryRow[] = [];
  for (const [customer, byDay] of [...days].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const sorted = [...byDay].sort((a, b) => a[0] - b[0]);
    const first = sorted[0]![0];
    const repeats = sorted.slice(1).filter(([d]) => d <= end);
    const last = repeats.length ? repeats[repeats.length - 1]![0] : first;
    out.push({
      id: Number(customer),
      x: repeats.length,
      tx: (last - first) / 7,
      T: (end - first) / 7,
      zbar: repeats.length ? repeats.reduce((s, [, v]) => s + v, 0) / repeats.length : 0
    });
  }
  return out;
}

/** cdnow_sample.txt (no header: master id, sample id, date, CDs, dollars), keyed by sample id. */
export function readCdnowSampleRows(): {customer: string; date: string; dollars: number}[] {
  return readGzLines("cdnow_sample.txt.gz").map((line) => {
    const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
    return {customer: sampleId!, date: date!, dollars: Number(dollars)};
  });
}

/** cdnow_master.txt (header line, then customer id, date, CDs, dollars). */
export function readCdnowMasterRows(): {customer: string; date: string; dollars: number}[] {
  return readGzLines("cdnow_master.txt.gz")
    .slice(1)
    .map((line) => {
      const [customer, date, , dollars] = line.trim().split(/\s+/);
      return {customer: customer!, date: date!, dollars: Number(dollars)};
    });
}
