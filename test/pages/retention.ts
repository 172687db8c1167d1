// The retention page's tests on the demo data, registered in site.test.ts. Expected figures
// come from an independent query of the demo's raw files (less the bad lines in truth.json).
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {csvParse} from "d3";
import {expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {periods} from "../../src/core/metrics/salesByPeriod.js";
import {newCustomersFrom} from "../../src/core/sql/dataEdges.js";
import {
  cohortPeriods,
  cohortSql,
  growthAccountingSql,
  retentionFirstView,
  windowStatusSql
} from "../../src/core/sql/retentionSql.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {builtData, outputDir, projectDir} from "../site.js";
import {temporaryDirectory} from "../tempDir.js";
import {demoDir} from "../../loaders/demo/paths.js";
import {
  builtCsv,
  demoLinesSql,
  demoNetPurchaseDays,
  demoObservationEnd,
  demoPurchaseDays,
  stateAt,
  tableCells,
  type PageTestContext,
  type SilenceRules,
  requery
} from "./context.js";

/**
 * New, won-back and lost customers over the demo's last 12 complete months (Jul 2024 – Jun
 * 2025) against the 12 before, each customer once, from each customer's months with a purchase.
 */
async function lastYearFlows(): Promise<{new: number; back: number; lost: number; customers: number}> {
  return withDuckDB(async (connection) => {
    const [row] = await queryRows<{new: number; back: number; lost: number; customers: number}>(
      connection,
      `WITH
      ${demoLinesSql()},
      buyers AS (SELECT customer_id, ordered_at::TIMESTAMP AS ts FROM kept WHERE ordered_at::TIMESTAMP < TIMESTAMP '2025-07-01'),
      per AS (
        SELECT customer_id, min(ts) AS first_ts,
               bool_or(ts >= TIMESTAMP '2024-07-01') AS now,
               bool_or(ts >= TIMESTAMP '2023-07-01' AND ts < TIMESTAMP '2024-07-01') AS year_before
        FROM buyers GROUP BY customer_id)
      SELECT count(*) FILTER (WHERE now AND first_ts >= TIMESTAMP '2024-07-01')::INTEGER AS new,
             count(*) FILTER (WHERE now AND NOT year_before AND first_ts < TIMESTAMP '2024-07-01')::INTEGER AS back,
             count(*) FILTER (WHERE year_before AND NOT now)::INTEGER AS lost,
             count(*)::INTEGER AS customers
      FROM per`
    );
    return row!;
  });
}

/**
 * Per demo bond (customers.csv's yes/no columns): its holders, and of the holders and of the others, the customers whose
 * twelfth month after the month of their first purchase lies within the data, and how many of them bought in it,
 * from each customer's purchase days (the kept lines' days).
 */
async function demoBondsYearOn(): Promise<
  Map<string, {holders: number; others: number; with: [number, number]; without: [number, number]}>
> {
  const columns = {loyalty_member: "Loyalty member", account_manager: "Account manager", app_account: "App account"};
  const customers = await withDuckDB((connection) =>
    queryRows<Record<keyof typeof columns | "customer_id", string>>(
      connection,
      `SELECT customer_id, ${Object.keys(columns).join(", ")} FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true)`
    )
  );
  const days = await demoPurchaseDays();
  const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const lastMonth = monthIndex(demoObservationEnd);
  // Of a customer: [seen a year on, bought then] as 0 or 1.
  const yearOn = (id: string): [number, number] => {
    const months = new Set((days.get(id) ?? []).map(monthIndex));
    if (!months.size) return [0, 0];
    const first = Math.min(...months);
    return first + 12 > lastMonth ? [0, 0] : [1, months.has(first + 12) ? 1 : 0];
  };
  const add = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
  return new Map(
    Object.entries(columns).map(([column, name]) => {
      const out = {holders: 0, others: 0, with: [0, 0] as [number, number], without: [0, 0] as [number, number]};
      for (const c of customers) {
        const held = c[column as keyof typeof columns] === "yes";
        if (held) out.holders++;
        else out.others++;
        if (held) out.with = add(out.with, yearOn(c.customer_id));
        else out.without = add(out.without, yearOn(c.customer_id));
      }
      return [name, out];
    })
  );
}

export function retentionPageTests({open}: PageTestContext): void {
  it("retention: the headline counts each customer once, as an independent count from the raw files; the period changes the bars, not the headline; the inactivity window re-queries its figures", async () => {
    const flows = await lastYearFlows();
    const n = (x: number) => x.toLocaleString("en-US");
    const {page, problems} = await open("/retention");
    const headline = () => page.locator(".headline").textContent();
    await expect
      .poll(headline)
      .toContain(
        `In the last 12 complete months (Jul 2024 – Jun 2025) the business won ${n(flows.new)} new customers and won back ${n(flows.back)}, but lost ${n(flows.lost)}`
      );
    // The demo's customers table says when each was won (from the data's start): nobody was already a customer.
    await expect
      .poll(() => page.locator("#identity").textContent())
      .toBe("The identity holds in all 30 months, for customers and for revenue.");
    expect(await page.locator("#edges").count()).toBe(0);
    expect(await page.locator("#bucket-rule").textContent()).toContain(
      `of the ${n(flows.customers)} who had bought by their end`
    );
    expect(flows.new + flows.back).toBeLessThanOrEqual(flows.customers);
    expect(flows.lost).toBeLessThanOrEqual(flows.customers);
    // The headline figures and their cards, the same under every grouping: only the bars change.
    const figures = () =>
      Promise.all(
        [".headline", "#quick-ratio .big", "#nrr .big", "#customer-retention .big"].map((s) =>
          page.locator(s).textContent()
        )
      );
    const monthly = await figures();
    // Weeks: the loader's weekly accounts, and they still balance.
    await page.getByLabel("week").check();
    await expect
      .poll(() => page.locator("#identity").textContent(), requery)
      .toMatch(/^The identity holds in all 13\d weeks/);
    await expect.poll(() => page.locator("#bucket h2").textContent()).toContain("by week");
    expect(await figures()).toEqual(monthly);
    // One channel's weeks: DuckDB-WASM recomputes the accounts, which balance too, over fewer customers.
    const weeks = await page.locator("#identity").textContent();
    await page.getByLabel("Acquisition channel").selectOption("email");
    await expect.poll(() => page.locator(".headline").textContent(), requery).not.toBe(monthly[0]);
    expect(await page.locator("#identity").textContent()).toBe(weeks);
    await page.getByLabel("Acquisition channel").selectOption("All");
    await expect.poll(figures, requery).toEqual(monthly);
    await page.getByLabel("quarter").check();
    await expect
      .poll(() => page.locator("#identity").textContent(), requery)
      .toBe("The identity holds in all 10 quarters, for customers and for revenue.");
    expect(await figures()).toEqual(monthly);
    // A shorter inactivity window: fewer customers count as active, more are on the call list.
    const active = () => page.locator("#state-active .big").textContent();
    const warning = () => page.locator("#warning h2").textContent();
    const [activeBefore, warningBefore] = [await active(), await warning()];
    await page.getByLabel("Inactivity window (days)").fill("45");
    await page.getByLabel("Inactivity window (days)").press("Enter");
    await expect.poll(active, requery).not.toBe(activeBefore);
    await expect.poll(warning, requery).not.toBe(warningBefore);
    expect(Number((await active())!.replaceAll(",", ""))).toBeLessThan(Number(activeBefore!.replaceAll(",", "")));
    await page.screenshot({path: join(outputDir, "retention-quarter-45-days.png"), fullPage: true});
    // Bonds: the shipped file's holders and customers a year on are the raw files' (customers.csv's yes/no
    // columns, each customer's purchase months), and the table shows the file's figures.
    const bonds = builtCsv("retention_bonds");
    const raw = await demoBondsYearOn();
    for (const row of bonds) {
      const expected = raw.get(row.bond!)!;
      const held = row.group === "with";
      const [seen, bought] = held ? expected.with : expected.without;
      expect(Number(row.customers), row.bond).toBe(held ? expected.holders : expected.others);
      expect([Number(row.year_on_customers), Math.round(Number(row.year_on) * seen)], row.bond).toEqual([seen, bought]);
    }
    const percent = (...shares: string[]) => {
      const [share, low, high] = shares.map((x) => (Number(x) * 100).toFixed(1));
      return `${share} (${low}–${high}) %`;
    };
    const holders = await tableCells(page.locator("#bond-holders table tbody tr"));
    expect(holders.map((c) => c.slice(1, 5))).toEqual(
      bonds
        .filter((r) => r.group === "with")
        .map((r) => [
          r.bond,
          r.kind,
          Number(r.customers).toLocaleString("en-US"),
          percent(r.share!, r.share_low!, r.share_high!)
        ])
    );
    const cells = await tableCells(page.locator("#bond-table table tbody tr"));
    expect(cells.map((c) => c.slice(1, 6))).toEqual(
      bonds.map((r) => [
        r.bond,
        r.group === "with" ? "holders" : "the others",
        Number(r.customers).toLocaleString("en-US"),
        percent(r.year_on!, r.year_on_low!, r.year_on_high!),
        Number(r.year_on_customers).toLocaleString("en-US")
      ])
    );
    // Loyalty members and account-managed customers (dropout × 0.6 and × 0.5 in the generator) still buy more often a year on.
    for (const bond of ["Loyalty member", "Account manager"]) {
      const [held, others] = ["with", "without"].map((g) => bonds.find((r) => r.bond === bond && r.group === g)!);
      expect(Number(held!.year_on_low), bond).toBeGreaterThan(Number(others!.year_on));
    }
    expect(await page.locator("#bond-association").textContent()).toMatch(/association, not cause.*holdout group/);
    expect(await page.locator("#bond-curves svg").count()).toBeGreaterThan(0);
    // The section, from its heading to the curves' card.
    const clip = await page.evaluate(() => {
      const [from, to] = ["bonds", "bond-curves"].map((id) => document.getElementById(id)!.getBoundingClientRect());
      return {x: 0, y: from!.top + window.scrollY, width: window.innerWidth, height: to!.bottom - from!.top};
    });
    await page.screenshot({path: join(outputDir, "retention-bonds.png"), fullPage: true, clip});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("retention: the Period control only selects between files: each Period's growth accounting, inactivity window and cohorts of all customers are what the page's own queries give on the page's tables", async () => {
    const dist = join(projectDir, "dist");
    // The tables the page's DuckDB-WASM holds, as shipped.
    const dir = temporaryDirectory("retention-periods-");
    for (const table of ["retention_days", "customer_summary"])
      writeFileSync(join(dir, `${table}.csv`), builtData(dist, `${table}.csv.gz`));
    const [settings] = csvParse(builtData(dist, "retention_settings.csv"));
    const first = retentionFirstView(Number(settings!.window_days));
    const [end, newFrom] = [settings!.observation_end!, newCustomersFrom(JSON.parse(builtData(dist, "source.json")))];
    const files: [string, string][] = [
      ...periods.map((period): [string, string] => [
        `retention_growth_${period}.csv`,
        growthAccountingSql(duckdb, period, end, first.filter, newFrom)
      ]),
      ...periods.map((period): [string, string] => [
        `retention_window_${period}.csv`,
        windowStatusSql(duckdb, period, end, first.windowDays, first.filter)
      ]),
      ...cohortPeriods.flatMap((period) =>
        (
          [
            ["retention_cohorts", "cohort"],
            ["retention_curves_year", "year"],
            ["retention_curves_channel", "channel"]
          ] as const
        ).map(([name, grouping]): [string, string] => [
          `${name}_${period}.csv`,
          cohortSql(duckdb, period, end, grouping, first.filter, newFrom)
        ])
      )
    ];
    // Rows as sorted lists of their values, numbers to 9 significant digits (the file's text against the query's doubles).
    const normal = (rows: Record<string, unknown>[]) =>
      rows
        .map((row) =>
          Object.values(row)
            .map((v) => (v === null || v === "" ? "" : Number.isNaN(Number(v)) ? String(v) : Number(v).toPrecision(9)))
            .join("|")
        )
        .sort();
    await withDuckDB(async (connection) => {
      for (const table of ["retention_days", "customer_summary"])
        await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv('${join(dir, `${table}.csv`)}')`);
      for (const [file, sql] of files) {
        const shipped = csvParse(builtData(dist, file));
        expect(shipped.length, file).toBeGreaterThan(0);
        expect(normal(await queryRows(connection, sql)), file).toEqual(normal(shipped));
      }
    });
    // Each file is its Period's: a week's periods 7 days apart, a quarter's 3 months.
    const starts = (file: string) => csvParse(builtData(dist, file)).map((r) => Date.parse(r.period!));
    const [week, quarter] = [starts("retention_growth_week.csv"), starts("retention_window_quarter.csv")];
    expect(week[1]! - week[0]!).toBe(7 * 86_400_000);
    expect((new Date(quarter[1]!).getUTCMonth() - new Date(quarter[0]!).getUTCMonth() + 12) % 12).toBe(3);
  });

  it("retention: every customer's state at the last month end and the one before, as an independent count from the raw files; the call list is those at risk or lapsed", async () => {
    const {page, problems} = await open("/retention");
    const lastMonthEnd = demoObservationEnd;
    const number = async (selector: string) =>
      Number((await page.locator(selector).textContent())!.replaceAll(",", ""));
    // The model's P(active) rule off (its own tests check it), so that silence alone decides.
    await page.getByLabel("At risk: model's P(active) below").first().fill("0");
    await page.getByLabel("At risk: model's P(active) below").first().dispatchEvent("input");
    const rules: SilenceRules = {
      inactivityDays: Number(await page.getByLabel("Inactivity window (days)").inputValue()),
      lostDays: Number(await page.getByLabel("Lost after (days)").inputValue()),
      k: 2,
      minPurchases: 3
    };
    expect(rules.lostDays).toBe(2 * rules.inactivityDays);
    const days = await demoPurchaseDays();
    const previousEnd = new Date(Date.parse(`${lastMonthEnd.slice(0, 8)}01T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const tally = (at: string) => {
      const counts: Record<string, number> = {};
      for (const d of days.values()) {
        const state = stateAt(d, at, rules);
        if (state) counts[state] = (counts[state] ?? 0) + 1;
      }
      return counts;
    };
    const [now, before] = [tally(lastMonthEnd), tally(previousEnd)];
    const states = ["new", "active", "at risk", "lapsed", "lost", "reactivated"];
    await expect.poll(() => number("#state-at-risk .big"), requery).toBe(now["at risk"] ?? 0);
    for (const state of states) {
      const id = `#state-${state.replace(" ", "-")}`;
      expect(await number(`${id} .big`), state).toBe(now[state] ?? 0);
      expect(await page.locator(`${id} p`).textContent(), state).toContain(
        `${(before[state] ?? 0).toLocaleString("en-US")} at ${previousEnd}`
      );
    }
    expect(Object.values(now).every((n) => n > 0)).toBe(true);
    // The call list: the customers at risk or lapsed.
    await expect
      .poll(() => page.locator("#warning h2").textContent())
      .toMatch(new RegExp(`^${((now["at risk"] ?? 0) + (now.lapsed ?? 0)).toLocaleString("en-US")} customers to call`));
    await page.locator("#states").screenshot({path: join(outputDir, "retention-states.png")});
    expect(problems).toEqual([]);
    await page.close();
  });

  it("retention and lifecycle: one early-warning list, the same count on both pages, ranked by value at stake: its top rows' P(active) is not negligible, and the table fits its card", async () => {
    const {page, problems} = await open("/retention");
    const count = (text: string | null) =>
      Number(/^([\d,]+) customers? to call/.exec(text ?? "")?.[1]?.replaceAll(",", ""));
    await expect.poll(() => page.locator("#warning h2").textContent()).toMatch(/to call, .* at stake$/);
    const listed = count(await page.locator("#warning h2").textContent());
    expect(listed).toBeGreaterThan(50);
    const rows = page.locator("#warning table.warning-table tbody tr");
    expect(await rows.count()).toBe(50);
    // Each id opens the customer's profile.
    const link = rows.first().locator("td:nth-child(2) a.customer-link");
    expect(await link.getAttribute("href")).toBe(
      `./customer.html?id=${encodeURIComponent((await link.textContent())!)}`
    );
    // Reason first, then who to call, state, last purchase, usual gap, next purchase, P(active), value at stake.
    expect(await page.locator("#warning table.warning-table thead th").allTextContents()).toEqual([
      "why",
      "customer",
      "state",
      "last purchase",
      "usual gap (days)",
      "next purchase",
      "P(active)",
      "value at stake"
    ]);
    // The top ten: customers still likely to be there (P(active) ≥ 0.2), not ones already gone.
    const pActive = (await page.locator("#warning table.warning-table tbody tr td:nth-child(7)").allTextContents())
      .slice(0, 10)
      .map(Number);
    expect(pActive.every((p) => p >= 0.2)).toBe(true);
    // No scrolling sideways at 1280 px: the table is no wider than its card.
    const [tableWidth, cardWidth] = await page
      .locator("#warning")
      .evaluate((card) => [card.querySelector("table.warning-table")!.scrollWidth, card.clientWidth]);
    expect(tableWidth).toBeLessThanOrEqual(cardWidth);
    // "New since the previous month" keeps only some of them, as the heading counts.
    const newOnes = Number(
      /([\d,]+) new on the list/.exec((await page.locator("#warning h3").textContent()) ?? "")?.[1]?.replaceAll(",", "")
    );
    expect(newOnes).toBeGreaterThan(0);
    expect(newOnes).toBeLessThan(listed);
    await page.locator("#warning input[name=new-since]").check();
    await expect
      .poll(() => page.locator("#warning .warning-caption").textContent())
      .toContain(newOnes.toLocaleString("en-US"));
    await page.locator("#warning input[name=new-since]").uncheck();
    await page.locator("#warning").screenshot({path: join(outputDir, "retention-warning.png")});
    const lifecycle = await open("/lifecycle");
    await expect.poll(() => lifecycle.page.locator("#lifecycle-warning h2").textContent()).toMatch(/to call/);
    expect(count(await lifecycle.page.locator("#lifecycle-warning h2").textContent())).toBe(listed);
    expect(
      await lifecycle.page.locator("#lifecycle-warning table.warning-table tbody tr td:nth-child(7)").allTextContents()
    ).toEqual(await page.locator("#warning table.warning-table tbody tr td:nth-child(7)").allTextContents());
    expect(problems).toEqual([]);
    expect(lifecycle.problems).toEqual([]);
    await page.close();
    await lifecycle.page.close();
  });

  it("retention: how fast customers climb the ladder, each rung's customers and climbers as counted from the raw files, for all channels and for one", async () => {
    // Purchase days once returns net (the demo's customers were all won within the data), and each one's channel.
    const days = await demoNetPurchaseDays();
    const channels = new Map(
      (
        await withDuckDB((connection) =>
          queryRows<{customer_id: string; channel: string}>(
            connection,
            `SELECT customer_id, acquisition_channel AS channel FROM read_csv('${join(demoDir, "customers.csv")}', all_varchar = true, header = true)`
          )
        )
      ).map((row) => [row.customer_id, row.channel])
    );
    const rungs = (channel: string | null) => {
      const counts = [...days]
        .filter(([customer, own]) => own.length > 0 && (channel === null || channels.get(customer) === channel))
        .map(([, own]) => own.length);
      const reached = (n: number) => counts.filter((c) => c >= n).length;
      // climb to, reached the step below, climbed: repeat buyer (2 purchase days), loyal (4).
      return [
        ["repeat buyer", reached(1), reached(2)],
        ["loyal", reached(2), reached(4)]
      ].map(
        ([step, below, climbed]) => `${step} ${below!.toLocaleString("en-US")} ${climbed!.toLocaleString("en-US")}`
      );
    };
    const {page, problems} = await open("/retention");
    const rows = page.locator("#ladder-climbs table tbody tr");
    const shown = async () =>
      (await tableCells(rows)).filter((cells) => cells[1] !== "advocate").map((cells) => cells.slice(1, 4).join(" "));
    await expect.poll(shown, requery).toEqual(rungs(null));
    await page.getByLabel("Ladder for channel").selectOption("social");
    await expect.poll(shown, requery).toEqual(rungs("social"));
    expect(await page.locator("#ladder-climbs h2").textContent()).toBe("How fast customers climb: social");
    // Every share is a percentage, and climbing within 12 months is at least as likely as within 3.
    for (const cells of await tableCells(rows))
      expect(parseFloat(cells[5]!)).toBeGreaterThanOrEqual(parseFloat(cells[4]!));
    expect(await page.locator("#ladder-climbs svg g[aria-label='line']").count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
}
