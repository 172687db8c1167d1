// The lifecycle page's SQL on DuckDB and PostgreSQL (test/bothEngines.ts): the same rows on
// both engines, and a few figures computed by hand from the rules (src/core/sql/lifecycleSql.ts).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  declineInflowSql,
  lifecycleStagesSql,
  lifecycleStatsSql,
  lifecycleViewColumns,
  lifecycleViewsColumns,
  lifecycleViewsSql,
  newlyDeclinedSql,
  stageCountsSql,
  stageDurationSql,
  stageFlowsSql,
  stagedTablesSql,
  viewOfStagedTablesSql,
  type LifecycleRules,
  type LifecycleView
} from "../src/core/sql/lifecycleSql.js";
import {bgnbdProbabilityAlive} from "../src/core/models/bgnbdProbabilityAlive.js";
import {bothEngines, postgresMissing, type BothEngines} from "./bothEngines.js";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {duckdb, type Dialect} from "../src/core/sql/sqlDialect.js";

if (postgresMissing) console.warn(postgresMissing);

// The last complete month ends on 2024-05-31; month ends run from 2023-01-31 (the first purchase's month).
const end = "2024-06-15";
// Decline from 120 days' silence (or over twice the usual gap, or P(active) under 0.2), lost from 240.
const rules: LifecycleRules = {
  identificationDays: 90,
  developmentDays: 180,
  inactivityDays: 120,
  lostDays: 240,
  k: 2,
  minPurchases: 3,
  minPAlive: 0.2
};
// BG/NBD parameters under which d (two purchases, silent 72 days on 31 May 2024) has P(active) 0.19 there (0.28 a month
// before) and c (three purchases in spring 2023) drops under 0.2 on 31 July 2023; a, b, e and n stay above it.
const model = {r: 1, alpha: 1, a: 1, b: 1};
const weeks = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 / 7;
const pD = bgnbdProbabilityAlive(model, 1, weeks("2024-01-20", "2024-03-20"), weeks("2024-01-20", "2024-05-31"));
const monthly = Array.from({length: 17}, (_, i) => new Date(Date.UTC(2023, i, 10)).toISOString().slice(0, 10));
const purchases: [string, string[], string][] = [
  // Monthly on the 10th, 2023-01 to 2024-05: stability (6 purchase days in the last 180, 6 in the 180 before).
  ["a", monthly, "10.10"],
  // Once in August 2023, then monthly from February 2024: identification (4 month ends), decline
  // (138 days silent on 31 December), reactivated (29 February), development.
  ["b", ["2023-08-15", "2024-02-01", "2024-03-01", "2024-04-01"], "25.50"],
  // Three purchases in spring 2023, silent since: decline from July 2023 (87 days, over twice its usual gap of 30),
  // lost from December 2023 (240 days after 5 May).
  ["c", ["2023-03-05", "2023-04-05", "2023-05-05"], "7.25"],
  // Developing in April 2024; the model's P(active) 0.19 puts it in decline at the last month end.
  ["d", ["2024-01-20", "2024-03-20"], "40.00"],
  // One purchase 111 days before the last month end: still identification (not lapsed at 120 days).
  ["e", ["2024-02-10"], "15.75"],
  // A newcomer.
  ["n", ["2024-05-20"], "3.33"]
];
// Some of the customers, whose first purchase is two months after a's (a segment report's, say).
const some = ["b", "c", "d"];
const setup = `CREATE TABLE retention_days (customer_id VARCHAR, day DATE, revenue DECIMAL(18, 2));
  INSERT INTO retention_days VALUES ${purchases.flatMap(([id, days, revenue]) => days.map((day) => `('${id}', DATE '${day}', ${revenue})`)).join(", ")};
  CREATE TABLE some_days AS SELECT * FROM retention_days WHERE customer_id IN (${some.map((id) => `'${id}'`).join(", ")})`;

describe.skipIf(postgresMissing !== null)("the lifecycle SQL on DuckDB and PostgreSQL", () => {
  let engines: BothEngines;
  beforeAll(async () => {
    engines = await bothEngines(setup);
  }, 60_000);
  afterAll(() => engines?.stop());

  it("stages every customer at every month end alike, with or without the model", async () => {
    for (const m of [model, null]) {
      const postgres = await engines.agreed((d) => lifecycleStagesSql(d, end, rules, m));
      // Month ends from each first purchase's month to May 2024: 17 + 10 + 15 + 5 + 4 + 1.
      expect(postgres).toHaveLength(52);
      const last = Object.fromEntries(
        postgres.filter((r) => r.month_end === "2024-05-31").map((r) => [r.customer_id, [r.stage, r.value]])
      );
      expect(last).toEqual({
        a: ["stability", "121.2"], // 12 purchases of 10.10 in the 365 days up to 2024-05-31
        b: ["development", "102"],
        c: ["lost", "0"],
        d: [m === null ? "development" : "decline", "80"],
        e: ["identification", "15.75"],
        n: ["identification", "3.33"]
      });
      const path = (id: string) =>
        postgres.filter((r) => r.customer_id === id && (r.month_end ?? "") >= "2023-08-31").map((r) => r.stage);
      // b: identification until 30 November (107 days, one purchase), decline, back on 1 February: reactivated.
      expect(path("b").slice(0, 7)).toEqual([
        "identification",
        "identification",
        "identification",
        "identification",
        "decline",
        "decline",
        "reactivated"
      ]);
      // c: silent 87 days on 31 July 2023, over twice its usual gap of 30 days: decline from then (by the model too),
      // lost from December.
      expect(path("c").slice(0, 5)).toEqual(["decline", "decline", "decline", "decline", "lost"]);
    }
  });

  it("counts customers and value per stage alike; a shorter inactivity window moves the one-time buyer into decline", async () => {
    const postgres = await engines.agreed((d) => stageCountsSql(d, end, rules, model));
    expect(postgres).toHaveLength(17 * 6);
    expect(postgres.filter((r) => r.month_end === "2024-05-31").map((r) => [r.stage, r.customers, r.value])).toEqual([
      ["identification", "2", "19.08"],
      ["development", "1", "102"],
      ["stability", "1", "121.2"],
      ["reactivated", "0", "0"],
      ["decline", "1", "80"],
      ["lost", "1", "0"]
    ]);
    const shorter = await engines.agreed((d) => stageCountsSql(d, end, {...rules, inactivityDays: 100}, model));
    expect(shorter.filter((r) => r.month_end === "2024-05-31").map((r) => r.customers)).toEqual([
      "1",
      "1",
      "1",
      "0",
      "2",
      "1"
    ]);
  });

  it("gives the same flows between month ends", async () => {
    const postgres = await engines.agreed((d) => stageFlowsSql(d, end, rules, model));
    expect(
      postgres.filter((r) => r.month_end === "2024-05-31").map((r) => [r.from_stage, r.to_stage, r.customers])
    ).toEqual([
      ["development", "decline", "1"],
      ["development", "development", "1"],
      ["identification", "identification", "1"],
      ["lost", "lost", "1"],
      ["new", "identification", "1"],
      ["stability", "stability", "1"]
    ]);
    // b comes back from decline on 29 February 2024 (and e is new); c becomes lost on 31 December 2023.
    const moves = (monthEnd: string) =>
      postgres
        .filter((r) => r.month_end === monthEnd && r.from_stage !== r.to_stage)
        .map((r) => [r.from_stage, r.to_stage, r.customers]);
    expect(moves("2024-02-29")).toEqual([
      ["decline", "reactivated", "1"],
      ["new", "identification", "1"]
    ]);
    // On 31 December 2023 too: a settles (6 purchase days in the last 180, 6 before); b declines.
    expect(moves("2023-12-31")).toEqual([
      ["decline", "lost", "1"],
      ["development", "stability", "1"],
      ["identification", "decline", "1"]
    ]);
    await engines.agreed((d) => stageFlowsSql(d, end, {...rules, developmentDays: 90}, null));
  });

  it("gives the same time in each stage: completed identification spells of 3, 4, 3 and 3 months average 3.25, rounded to 3.3", async () => {
    const postgres = await engines.agreed((d) => stageDurationSql(d, end, rules, model));
    expect(postgres.map((r) => r.stage)).toEqual([
      "identification",
      "development",
      "stability",
      "reactivated",
      "decline",
      "lost"
    ]);
    expect(postgres[0]).toEqual({stage: "identification", spells: "6", mean_months: "3.3", ongoing: "2"});
    // Spells still going at the last month end: one per customer, as the stage counts there.
    expect(postgres.map((r) => r.ongoing)).toEqual(["2", "1", "1", "0", "1", "1"]);
    await engines.agreed((d) => stageDurationSql(d, end, {...rules, identificationDays: 120}, null));
  });

  it("lists the same newly declined customers at each month end, most value first", async () => {
    const postgres = await engines.agreed((d) => newlyDeclinedSql(d, end, rules, model));
    // c from development by its rhythm (July 2023), b from identification (December 2023), d by the model (May 2024).
    expect(postgres.map((r) => [r.month_end, r.customer_id])).toEqual([
      ["2023-07-31", "c"],
      ["2023-12-31", "b"],
      ["2024-05-31", "d"]
    ]);
    expect(postgres.filter((r) => r.month_end === "2024-05-31")).toEqual([
      {
        month_end: "2024-05-31",
        customer_id: "d",
        previous_stage: "development",
        first_purchase: "2024-01-20",
        last_purchase: "2024-03-20",
        days_silent: "72",
        purchases: "2",
        value: "80",
        p_alive: String(Math.round(pD * 1000) / 1000)
      }
    ]);
    const shorter = await engines.agreed((d) => newlyDeclinedSql(d, end, {...rules, inactivityDays: 100}, model));
    expect(
      shorter
        .filter((r) => r.month_end === "2024-05-31")
        .map((r) => [r.customer_id, r.previous_stage, r.days_silent, r.value, r.p_alive])
    ).toEqual([
      ["d", "development", "72", "80", String(Math.round(pD * 1000) / 1000)],
      ["e", "identification", "111", "15.75", "1"] // one purchase: alive under BG/NBD
    ]);
  });

  it("stages from a table of each customer's running totals as from the purchase days, for everyone and for some customers", async () => {
    const views: LifecycleView[] = ["counts", "flows", "durations", "declined", "declinedCount"];
    const sorted = (rows: Record<string, string | undefined>[]) => rows.map((row) => JSON.stringify(row)).sort();
    const stats = (d: Dialect, customers: readonly string[] | null) =>
      `SELECT * FROM (${lifecycleStatsSql(d, end, rules)}) s${customers ? ` WHERE customer_id IN (${customers.map((id) => `'${id}'`).join(", ")})` : ""}`;
    for (const m of [model, null])
      for (const customers of [null, some]) {
        const kept = await engines.agreed(
          (d) =>
            `WITH lifecycle_stats AS (${stats(d, customers)}) SELECT * FROM (${lifecycleViewsSql(d, end, rules, m, views, "lifecycle_stats")}) v`
        );
        const days = customers ? "some_days" : "retention_days";
        const computed = await engines.agreed(
          (d) =>
            `WITH retention_days AS (SELECT * FROM ${days}) SELECT * FROM (${lifecycleViewsSql(d, end, rules, m, views)}) v`
        );
        for (const view of views)
          expect(
            kept.some((row) => row.view_name === view),
            view
          ).toBe(true);
        expect(sorted(kept)).toEqual(sorted(computed));
      }
    // The month ends of some customers start at b's, c's and d's earliest month (March 2023), not at a's (January).
    const someCounts = await engines.agreed(
      (d) =>
        `WITH lifecycle_stats AS (${stats(d, some)}) SELECT min(month_end) AS first FROM (${lifecycleViewsSql(d, end, rules, null, ["counts"], "lifecycle_stats")}) v`
    );
    expect(someCounts).toEqual([{first: "2023-03-31"}]);
  });

  it("gives every view in one query as each view asked alone, and the count of the newly declined", async () => {
    const alone = {
      counts: stageCountsSql,
      flows: stageFlowsSql,
      durations: stageDurationSql,
      declined: newlyDeclinedSql,
      declinedCount: declineInflowSql
    };
    const views = Object.keys(alone) as LifecycleView[];
    const columns = lifecycleViewsColumns(views).map(([name]) => name);
    for (const m of [model, null]) {
      const together = await engines.agreed(
        (d) =>
          `SELECT * FROM (${lifecycleViewsSql(d, end, rules, m, views)}) v ORDER BY view_name, ${columns.join(", ")}`
      );
      const sorted = (rows: Record<string, string | undefined>[]) => rows.map((row) => JSON.stringify(row)).sort();
      for (const [view, sql] of Object.entries(alone)) {
        const rows = together
          .filter((row) => row.view_name === view)
          .map((row) =>
            Object.fromEntries(Object.keys(lifecycleViewColumns[view as LifecycleView]).map((c) => [c, row[c]]))
          );
        const expected = await engines.agreed((d) => sql(d, end, rules, m));
        // Every view has rows with the model (without it, nobody is newly in decline).
        if (m) expect(rows.length, view).toBeGreaterThan(0);
        expect(sorted(rows), view).toEqual(sorted(expected));
      }
      // d moves into decline by the model's P(active) alone: with no model, nobody is newly in decline at the last month end.
      const inflow = together.filter((row) => row.view_name === "declinedCount");
      expect(inflow.filter((row) => row.month_end === "2024-05-31").map((row) => row.declined)).toEqual([
        m ? "1" : "0"
      ]);
      // The inflow at every month end is the length of that month's list, from February 2023 (16 month ends).
      expect(inflow).toHaveLength(16);
      const listed = together.filter((row) => row.view_name === "declined");
      for (const row of inflow)
        expect(Number(row.declined), row.month_end).toBe(listed.filter((l) => l.month_end === row.month_end).length);
    }
  });
});

describe("the lifecycle's views over staged tables (the page's re-query in DuckDB-WASM)", () => {
  it("give each view's rows as its own query does, with or without the model, and leave no table behind", async () => {
    const alone = {
      counts: stageCountsSql,
      flows: stageFlowsSql,
      durations: stageDurationSql,
      declined: newlyDeclinedSql
    };
    await withDuckDB(async (connection) => {
      for (const statement of setup.split(";")) await connection.run(statement);
      for (const m of [model, null]) {
        const tables = stagedTablesSql(duckdb, end, rules, m, "lifecycle_1_");
        for (const statement of tables.create) await connection.run(statement);
        for (const [view, sql] of Object.entries(alone)) {
          const rows = await queryRows(
            connection,
            viewOfStagedTablesSql(duckdb, view as LifecycleView, "lifecycle_1_")
          );
          expect(rows.length, view).toBeGreaterThan(0);
          expect(rows, view).toEqual(await queryRows(connection, sql(duckdb, end, rules, m)));
        }
        for (const statement of tables.drop) await connection.run(statement);
        expect(await queryRows(connection, "SELECT table_name FROM duckdb_tables() ORDER BY table_name")).toEqual([
          {table_name: "retention_days"},
          {table_name: "some_days"}
        ]);
      }
    });
  });
});
