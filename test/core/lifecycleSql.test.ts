import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {
  lifecycleStagesSql,
  newlyDeclinedSql,
  stageCountsSql,
  stageDurationSql,
  stageFlowsSql,
  type LifecycleRules
} from "../../src/core/sql/lifecycleSql.js";
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
  // The same, but the model gives it P(active) 0.1: decline at the last month end only.
  lowp: monthly("2023-01", "2024-12"),
  // Monthly until September 2024, then silent: stability → decline in November (76 days ≥ 60).
  lapse: monthly("2023-01", "2024-09"),
  // Monthly, then twice a month from July 2024: stability → development.
  speeds: [
    ...monthly("2023-01", "2024-06"),
    ...monthly("2024-07", "2024-12", 1),
    ...monthly("2024-07", "2024-12")
  ].sort(),
  // Three purchases in early 2024: identification → development (April) → decline (May).
  gone: ["2024-01-10", "2024-02-10", "2024-03-10"],
  // One purchase in 2023, back in June 2024: decline → development.
  back: ["2023-01-15", "2024-06-01"],
  // One purchase: identification until 90 days have passed, then straight to decline.
  once: ["2024-06-10"],
  // First purchase 21 days before the last month end.
  newcomer: ["2024-12-10"]
};
const rules: LifecycleRules = {identificationDays: 90, developmentDays: 180, inactivityDays: 60, minPAlive: 0.3};
const end = "2025-01-10"; // January 2025 is incomplete: the last month end is 2024-12-31

const setup = `
  CREATE TABLE canonical_transactions AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, revenue::DECIMAL(18, 2) AS revenue,
    NULL::VARCHAR AS order_id, NULL::VARCHAR AS product FROM (VALUES
    ${Object.entries(histories)
      .flatMap(([id, days]) => days.map((day) => `('${id}', '${day} 10:00:00', 10)`))
      .join(",\n    ")}
  ) AS t(customer_id, occurred_at, revenue);
  CREATE TABLE retention_days AS ${purchaseDaysSql()};
  CREATE TABLE p_alive AS SELECT * FROM (VALUES ('lowp', 0.1), ('stable', 0.9)) AS t(customer_id, p_alive)`;

const run = <T>(sql: string) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<T>(connection, sql);
  });

type StageRow = {customer_id: string; month_end: string; stage: string; value: number};
const path = (rows: StageRow[], id: string) =>
  Object.fromEntries(rows.filter((r) => r.customer_id === id).map((r) => [r.month_end.slice(0, 7), r.stage]));

describe("lifecycleStagesSql(dialect, end, rules, pAliveTable)", () => {
  it("keeps a one-time buyer in identification until the second purchase or the lapse, even past N days", async () => {
    // With a 150-day inactivity window: one purchase on 10 June 2024 is 112 days old on 30
    // September (past N = 90, not lapsed) and 173 days old on 30 November (lapsed).
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, {...rules, inactivityDays: 150}));
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
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, "p_alive"));
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
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules, "p_alive"));
    // identification (first purchase within 90 days) at the newcomer's only month end
    expect(path(rows, "newcomer")).toEqual({"2024-12": "identification"});
    // identification → development → decline
    expect(path(rows, "gone")).toMatchObject({
      "2024-01": "identification",
      "2024-03": "identification",
      "2024-04": "development",
      "2024-05": "decline",
      "2024-12": "decline"
    });
    // identification → decline: 82 days after one purchase still identification, 112 days decline
    expect(path(rows, "once")).toEqual({
      "2024-06": "identification",
      "2024-07": "identification",
      "2024-08": "identification",
      "2024-09": "decline",
      "2024-10": "decline",
      "2024-11": "decline",
      "2024-12": "decline"
    });
    // decline → development: back after 16 months
    expect(path(rows, "back")).toMatchObject({
      "2023-03": "identification",
      "2023-04": "decline",
      "2024-05": "decline",
      "2024-06": "development"
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
    // stability → decline: silent 46 days in October is still stability, 76 days in November decline
    expect(path(rows, "lapse")).toMatchObject({
      "2024-09": "stability",
      "2024-10": "stability",
      "2024-11": "decline",
      "2024-12": "decline"
    });
    // stability → decline by the model: P(active) 0.1 at the last month end only
    expect(path(rows, "lowp")).toMatchObject({"2024-11": "stability", "2024-12": "decline"});
  });

  it("uses no model without a P(active) table, and the identification period is adjustable", async () => {
    const rows = await run<StageRow>(lifecycleStagesSql(duckdb, end, rules));
    expect(path(rows, "lowp")["2024-12"]).toBe("stability");
    const longer = await run<StageRow>(lifecycleStagesSql(duckdb, end, {...rules, identificationDays: 120}));
    expect(path(longer, "once")["2024-09"]).toBe("identification");
    expect(() => lifecycleStagesSql(duckdb, end, {...rules, inactivityDays: 0})).toThrow(/inactivity window/);
    expect(() => lifecycleStagesSql(duckdb, "2024-13", rules)).toThrow(/not a date/);
  });
});

describe("stageCountsSql, stageFlowsSql, stageDurationSql and newlyDeclinedSql", () => {
  it("counts every customer seen by a month end in exactly one stage", async () => {
    // At 2024-12-31: newcomer identification; speeds development; stable stability; gone, once,
    // back (silent since June), lapse and lowp (by the model) decline.
    const counts = await run<{month_end: string; stage: string; customers: number; value: number}>(
      stageCountsSql(duckdb, end, rules, "p_alive")
    );
    const last = counts.filter((r) => r.month_end === "2024-12-31");
    expect(Object.fromEntries(last.map((r) => [r.stage, r.customers]))).toEqual({
      identification: 1,
      development: 1,
      stability: 1,
      decline: 5
    });
    const seen = (monthEnd: string) => Object.values(histories).filter((days) => days[0]! <= monthEnd).length;
    for (const monthEnd of new Set(counts.map((r) => r.month_end)))
      expect(
        counts.filter((r) => r.month_end === monthEnd).reduce((s, r) => s + r.customers, 0),
        monthEnd
      ).toBe(seen(monthEnd));
  });

  it("moves customers between consecutive month ends, newcomers from 'new'", async () => {
    const flows = await run<{month_end: string; from_stage: string; to_stage: string; customers: number}>(
      stageFlowsSql(duckdb, end, rules, "p_alive")
    );
    expect(
      flows.filter((r) => r.month_end === "2024-12-31").map((r) => [r.from_stage, r.to_stage, r.customers])
    ).toEqual([
      ["decline", "decline", 4],
      ["development", "development", 1],
      ["new", "identification", 1],
      ["stability", "decline", 1],
      ["stability", "stability", 1]
    ]);
    expect(
      flows
        .filter((r) => r.month_end === "2024-11-30" && r.from_stage === "stability" && r.to_stage === "decline")
        .map((r) => r.customers)
    ).toEqual([1]);
  });

  it("lists the customers who just moved into decline, and the time spent in each stage", async () => {
    const declined = await run<{
      customer_id: string;
      previous_stage: string;
      days_silent: number;
      purchases: number;
      p_alive: number;
    }>(newlyDeclinedSql(duckdb, end, rules, "p_alive"));
    expect(declined.map((r) => [r.customer_id, r.previous_stage, r.days_silent, r.purchases, r.p_alive])).toEqual([
      ["lowp", "stability", 16, 24, 0.1]
    ]);
    const durations = await run<{stage: string; spells: number; mean_months: number | null; ongoing: number}>(
      stageDurationSql(duckdb, end, rules)
    );
    // Identification: newcomer 1 (ongoing); gone, back and once 3 each, stable, lowp, lapse, speeds 3 each.
    expect(durations.find((r) => r.stage === "identification")).toEqual({
      stage: "identification",
      spells: 8,
      mean_months: 3,
      ongoing: 1
    });
  });
});
