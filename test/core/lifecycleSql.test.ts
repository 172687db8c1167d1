import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {
  declineInflowSql,
  lifecycleStagesSql,
  newlyDeclinedSql,
  stageCountsSql,
  stageDurationSql,
  stageFlowsSql,
  type LifecycleRules
} from "../../src/core/sql/lifecycleSql.js";
import {bgnbdProbabilityAlive} from "../../src/core/models/bgnbdProbabilityAlive.js";
import {purchaseDaysSql} from "../../src/core/sql/purchaseDays.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";

// Hand-built purchase histories (one purchase of $10 per listed day), January 2023 to December 2024.
const monthly = (from: string, to: string, day = 15): string[] => {
  const out: string[] = [];
  for (
    let d = new Date(`${from}-${String(day).padStart(2, "0")}T00:00:00Z`);
    d.toISOString().slice(0, 7) <= to;
    d.setUTCMonth(d.getUTCMonth() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
};
const histories: Record<string, string[]> = {
  // Monthly for two years: settles into stability.
  stable: monthly("2023-01", "2024-12"),
  // Weekly from 7 June to 29 November 2024: identification, then development; on 31 December silent 32 days, over
  // twice its usual gap of 7: at risk, so decline (and the customer the model rule is tried on).
  lowp: Array.from({length: 26}, (_, i) => new Date(Date.UTC(2024, 5, 7 + 7 * i)).toISOString().slice(0, 10)),
  // Monthly until September 2024, then silent: stability → decline in November (76 days ≥ 60).
  lapse: monthly("2023-01", "2024-09"),
  // Monthly, then twice a month from July 2024: stability → development.
  speeds: [
    ...monthly("2023-01", "2024-06"),
    ...monthly("2024-07", "2024-12", 1),
    ...monthly("2024-07", "2024-12")
  ].sort(),
  // Three purchases in early 2024: identification → development (April) → decline (May) → lost (July).
  gone: ["2024-01-10", "2024-02-10", "2024-03-10"],
  // One purchase in 2023, lost, back on 20 June 2024: lost → reactivated → development → decline → lost.
  back: ["2023-01-15", "2024-06-20"],
  // One purchase: identification until it lapses (60 days), then decline, then lost.
  once: ["2024-06-10"],
  // Monthly through 2023, silent in January and February 2024, monthly again from March:
  // stability → decline (February) → reactivated (March) → stability (April).
  dip: [...monthly("2023-01", "2023-12"), ...monthly("2024-03", "2024-12")],
  // First purchase 21 days before the last month end.
  newcomer: ["2024-12-10"]
};
// Decline from 60 days' silence (or over twice the usual gap), lost from 120 days'.
const rules: LifecycleRules = {
  identificationDays: 90,
  developmentDays: 180,
  inactivityDays: 60,
  lostDays: 120,
  k: 2,
  minPurchases: 3,
  minPAlive: 0.3
};
const end = "2025-01-10"; // January 2025 is incomplete: the last month end is 2024-12-31

const setup = `
  CREATE TABLE canonical_transactions AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue,
    NULL::VARCHAR AS order_id, NULL::VARCHAR AS product FROM (VALUES
    ${Object.entries(histories)
      .flatMap(([id, days]) => days.map((day) => `('${id}', '${day} 10:00:00', 10)`))
      .join(",\n    ")}
  ) AS t(customer_id, occurred_at, revenue);
  CREATE TABLE retention_days AS ${purchaseDaysSql()}`;

const run = <T>(sql: string) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<T>(connection, sql);
  });

type StageRow = {customer_id: string; month_end: string; stage: string; value: number};
const path = (rows: StageRow[], id: string) =>
  Object.fromEntries(rows.filter((r) => r.customer_id === id).map((r) => [r.month_end.slice(0, 7), r.stage]));

describe("lifecycleStagesSql(dialect, end, rules, model)", () => {
  it("keeps a one-time buyer in identification until the second purchase or the lapse, even past N days", async () => {
    // With a 150-day inactivity window (and lost from 300 days): one purchase on 10 June 2024 is
    // 112 days old on 30 September (past N = 90, not lapsed) and 173 days old on 30 November (lapsed).
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, {...rules, inactivityDays: 150, lostDays: 300}));
    expect(path(rows, "once")).toEqual({
      "2024-06": "identification",
      "2024-07": "identification",
      "2024-08": "identification",
      "2024-09": "identification",
      "2024-10": "identification",
      "2024-11": "decline",
      "2024-12": "decline"
    });
  });

  it("gives every customer exactly one stage at every month end from their first purchase to the last complete month", async () => {
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules));
    const keys = rows.map((r) => `${r.customer_id}|${r.month_end}`);
    expect(new Set(keys).size).toBe(keys.length);
    const monthsFrom = (first: string) =>
      (2024 - Number(first.slice(0, 4))) * 12 + (12 - Number(first.slice(5, 7))) + 1;
    for (const [id, days] of Object.entries(histories))
      expect(rows.filter((r) => r.customer_id === id).length, id).toBe(monthsFrom(days[0]!));
    expect(rows.at(-1)!.month_end).toBe("2024-12-31");
    // Value: revenue in the 365 days up to the month end.
    expect(rows.find((r) => r.customer_id === "stable" && r.month_end === "2024-12-31")!.value).toBe(120);
  });

  it("stages each hand-built history as the rules say, through every transition", async () => {
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules));
    // identification (first purchase within 90 days) at the newcomer's only month end
    expect(path(rows, "newcomer")).toEqual({"2024-12": "identification"});
    // identification → development → decline → lost. Last purchase 10 March: 51 days silent on
    // 30 April (a purchase day in the last 180 days, none before: development), 82 on 31 May
    // (≥ 60: decline), 112 on 30 June (decline), 143 on 31 July (≥ 120: lost).
    expect(path(rows, "gone")).toMatchObject({
      "2024-01": "identification",
      "2024-03": "identification",
      "2024-04": "development",
      "2024-05": "decline",
      "2024-06": "decline",
      "2024-07": "lost",
      "2024-12": "lost"
    });
    // identification → decline → lost: 51 days after one purchase identification, 82 days lapsed
    // (decline, though within the 90 days of identification), 143 days (31 October) lost
    expect(path(rows, "once")).toEqual({
      "2024-06": "identification",
      "2024-07": "identification",
      "2024-08": "decline",
      "2024-09": "decline",
      "2024-10": "lost",
      "2024-11": "lost",
      "2024-12": "lost"
    });
    // identification → decline → lost → reactivated → development → decline → lost. One purchase
    // on 15 January 2023: 44 days on 28 February (identification), 75 on 31 March (lapsed: decline), 136 on
    // 31 May (lost) until 31 May 2024. Back on 20 June: 10 days silent on 30 June, by the rules
    // development (one purchase day in the last 180 days, none in the 180 before), but
    // silent 522 days when June began: reactivated. 41 days on 31 July: development; 72 on 31 August and 102 on
    // 30 September: decline; 133 on 31 October: lost.
    expect(path(rows, "back")).toMatchObject({
      "2023-02": "identification",
      "2023-03": "decline",
      "2023-04": "decline",
      "2023-05": "lost",
      "2024-05": "lost",
      "2024-06": "reactivated",
      "2024-07": "development",
      "2024-08": "decline",
      "2024-09": "decline",
      "2024-10": "lost",
      "2024-12": "lost"
    });
    // stability → decline → reactivated → stability. Last 2023 purchase 15 December: 47 days on
    // 31 January (stability: 5 purchase days from 4 August, 6 in the 180 days before), 76 on
    // 29 February (decline, not 120: not lost). Back on 15 March after 77 silent days on 1 March
    // (past the 60-day window): reactivated. 30 April: stability again (4 against 6).
    expect(path(rows, "dip")).toMatchObject({
      "2024-01": "stability",
      "2024-02": "decline",
      "2024-03": "reactivated",
      "2024-04": "stability"
    });
    // development → stability: the monthly buyer's last 180 days stop outnumbering the 180 before
    const stable = path(rows, "stable");
    expect(stable).toMatchObject({
      "2023-03": "identification",
      "2023-04": "development",
      "2024-06": "stability",
      "2024-12": "stability"
    });
    expect(Object.values(stable).filter((s) => s === "decline")).toEqual([]);
    // stability → development: buying twice as often
    expect(path(rows, "speeds")).toMatchObject({"2024-06": "stability", "2024-07": "development"});
    // stability → decline: silent 46 days in October is still stability, 76 days in November
    // decline, 107 days in December still decline (below 120: not lost)
    expect(path(rows, "lapse")).toMatchObject({
      "2024-09": "stability",
      "2024-10": "stability",
      "2024-11": "decline",
      "2024-12": "decline"
    });
    // development → decline by its own rhythm: 32 days silent, over twice its usual gap of 7 (under the 60-day window)
    expect(path(rows, "lowp")).toMatchObject({
      "2024-08": "identification",
      "2024-11": "development",
      "2024-12": "decline"
    });
  });

  it("judges P(active) at every month end by the model's parameters, from the purchases up to it", async () => {
    // The rhythm rule off, so that only the model speaks beyond the silence rules.
    const model = {r: 0.5, alpha: 5, a: 1.5, b: 1};
    const quiet = {...rules, k: 100, minPAlive: 0.5};
    const without = await run<StageRow>(lifecycleStagesSql(duckdb, end, quiet));
    const withModel = await run<StageRow>(lifecycleStagesSql(duckdb, end, quiet, model));
    const weeks = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 / 7;
    let flagged = 0;
    for (const monthEnd of ["2024-10-31", "2024-12-31"])
      for (const [id, all] of Object.entries(histories)) {
        const days = all.filter((d) => d <= monthEnd);
        const before = without.find((r) => r.customer_id === id && r.month_end === monthEnd)?.stage;
        const after = withModel.find((r) => r.customer_id === id && r.month_end === monthEnd)?.stage;
        if (!days.length || before === undefined) continue;
        const p = bgnbdProbabilityAlive(
          model,
          days.length - 1,
          weeks(days[0]!, days.at(-1)!),
          weeks(days[0]!, monthEnd)
        );
        const slipping = ["decline", "lost", "reactivated"].includes(before);
        const expected = slipping ? before : p < 0.5 ? "decline" : before;
        if (expected !== before) flagged++;
        expect(after, `${id} at ${monthEnd}, P(active) ${p.toFixed(3)}`).toBe(expected);
      }
    expect(flagged).toBeGreaterThan(0); // the case tests the rule
  });

  it("gives one customer's stages (customerId) as the whole run gives them, and an id is never read as SQL", async () => {
    const model = {r: 0.5, alpha: 5, a: 1.5, b: 1};
    const all = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, model));
    for (const id of ["gone", "back", "dip", "newcomer"]) {
      const own = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, model, id));
      expect(own, id).toEqual(all.filter((r) => r.customer_id === id));
    }
    // back: lost through 2023 (one purchase, January), reactivated in June 2024, as the hand-built history says.
    expect(path(await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, null, "back")), "back")).toMatchObject({
      "2023-01": "identification",
      "2023-12": "lost",
      "2024-06": "reactivated"
    });
    expect(await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, null, "x' OR '1' = '1"))).toEqual([]);
  });

  it("the identification period is adjustable, and bad rules are refused", async () => {
    const longer = await run<StageRow>(lifecycleStagesSql(duckdb, end, {...rules, identificationDays: 120}));
    // gone's first purchase is 111 days old on 30 April: development under 90 days' identification, not under 120.
    expect(path(longer, "gone")["2024-04"]).toBe("identification");
    expect(() => lifecycleStagesSql(duckdb, end, {...rules, inactivityDays: 0})).toThrow(/inactivity window/);
    expect(() => lifecycleStagesSql(duckdb, "2024-13", rules)).toThrow(/not a date/);
  });
});

describe("stageCountsSql, stageFlowsSql, stageDurationSql and newlyDeclinedSql", () => {
  it("counts every customer seen by a month end in exactly one stage", async () => {
    // At 2024-12-31: newcomer identification; speeds and dip development (6 purchase days from
    // 4 July against 4 in the 180 days before); stable stability; lapse (107 days silent) and
    // lowp (over twice its usual gap) decline; gone, once and back (silent at least 120 days) lost.
    const counts = await run<{month_end: string; stage: string; customers: number; value: number}>(
      stageCountsSql(duckdb, end, rules)
    );
    const last = counts.filter((r) => r.month_end === "2024-12-31");
    expect(Object.fromEntries(last.map((r) => [r.stage, r.customers]))).toEqual({
      identification: 1,
      development: 2,
      stability: 1,
      reactivated: 0,
      decline: 2,
      lost: 3
    });
    // On 30 June 2024: once and lowp (new in June) identification; stable, lapse, speeds (twice a
    // month only from July) and dip (4 purchase days from 2 January against 6) stability; back
    // reactivated; gone (112 days silent) decline; nobody lost yet but back, who just came back.
    expect(
      counts.filter((r) => r.month_end === "2024-06-30" && r.customers > 0).map((r) => [r.stage, r.customers])
    ).toEqual([
      ["identification", 2],
      ["stability", 4],
      ["reactivated", 1],
      ["decline", 1]
    ]);
    const seen = (monthEnd: string) => Object.values(histories).filter((days) => days[0]! <= monthEnd).length;
    for (const monthEnd of new Set(counts.map((r) => r.month_end)))
      expect(
        counts.filter((r) => r.month_end === monthEnd).reduce((s, r) => s + r.customers, 0),
        monthEnd
      ).toBe(seen(monthEnd));
  });

  it("moves customers between consecutive month ends, newcomers from 'new'", async () => {
    const flows = await run<{month_end: string; from_stage: string; to_stage: string; customers: number}>(
      stageFlowsSql(duckdb, end, rules)
    );
    expect(
      flows.filter((r) => r.month_end === "2024-12-31").map((r) => [r.from_stage, r.to_stage, r.customers])
    ).toEqual([
      ["decline", "decline", 1],
      ["development", "decline", 1],
      ["development", "development", 2],
      ["lost", "lost", 3],
      ["new", "identification", 1],
      ["stability", "stability", 1]
    ]);
    // Every move into and out of lost and reactivated, at the month end it happens.
    const moves = (monthEnd: string) =>
      flows
        .filter((r) => r.month_end === monthEnd && r.from_stage !== r.to_stage)
        .map((r) => [r.from_stage, r.to_stage, r.customers]);
    expect(moves("2023-05-31")).toEqual([["decline", "lost", 1]]); // back
    expect(moves("2024-03-31")).toEqual([["decline", "reactivated", 1]]); // dip
    expect(moves("2024-04-30")).toEqual([
      ["identification", "development", 1], // gone
      ["reactivated", "stability", 1] // dip
    ]);
    expect(moves("2024-06-30")).toEqual([
      ["lost", "reactivated", 1], // back
      ["new", "identification", 2] // once and lowp
    ]);
    expect(moves("2024-07-31")).toEqual([
      ["decline", "lost", 1], // gone
      ["reactivated", "development", 1], // back
      ["stability", "development", 1] // speeds
    ]);
    expect(
      flows
        .filter((r) => r.month_end === "2024-11-30" && r.from_stage === "stability" && r.to_stage === "decline")
        .map((r) => r.customers)
    ).toEqual([1]);
  });

  it("lists the customers who moved into decline at each month end, counts that inflow, and the time spent in each stage", async () => {
    const declined = await run<{
      month_end: string;
      customer_id: string;
      previous_stage: string;
      days_silent: number;
      purchases: number;
      p_alive: number;
    }>(newlyDeclinedSql(duckdb, end, rules));
    // Into decline: back from identification (March 2023) and from development (August 2024),
    // dip and lapse from stability, gone from development, once from identification, lowp from
    // development by its rhythm; lost customers do not count again (none comes back to decline
    // without buying).
    expect(
      declined.map((r) => [r.month_end, r.customer_id, r.previous_stage, r.days_silent, r.purchases, r.p_alive])
    ).toEqual([
      ["2023-03-31", "back", "identification", 75, 1, null],
      ["2024-02-29", "dip", "stability", 76, 12, null],
      ["2024-05-31", "gone", "development", 82, 3, null],
      ["2024-08-31", "back", "development", 72, 2, null],
      ["2024-08-31", "once", "identification", 82, 1, null],
      ["2024-11-30", "lapse", "stability", 76, 21, null],
      ["2024-12-31", "lowp", "development", 32, 26, null]
    ]);
    // The monthly inflow: one count per month end from the second on, zeros included, equal to the list's.
    const inflow = await run<{month_end: string; declined: number}>(declineInflowSql(duckdb, end, rules));
    expect(inflow.length).toBe(23);
    expect(inflow[0]!.month_end).toBe("2023-02-28");
    expect(inflow.filter((r) => r.declined > 0).map((r) => [r.month_end, r.declined])).toEqual([
      ["2023-03-31", 1],
      ["2024-02-29", 1],
      ["2024-05-31", 1],
      ["2024-08-31", 2],
      ["2024-11-30", 1],
      ["2024-12-31", 1]
    ]);
    const durations = await run<{stage: string; spells: number; mean_months: number | null; ongoing: number}>(
      stageDurationSql(duckdb, end, rules)
    );
    // Identification: newcomer 1 (ongoing); once and back 2 each (they lapse in their third month); gone, stable, lapse,
    // speeds, dip and lowp 3 each: 22 months over 8 completed runs.
    expect(durations.find((r) => r.stage === "identification")).toEqual({
      stage: "identification",
      spells: 9,
      mean_months: 2.8,
      ongoing: 1
    });
  });
});
