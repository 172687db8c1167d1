// Bonds with a known effect: customers simulated from BG/NBD (FHL 2005, §3) where holders of
// one bond drop out at 0.4 times the rate of the others, and a second bond, held at random,
// that changes nothing. The with-and-without figures (cohortSql by bond, bondValueSql,
// compareBonds) must find the first and not invent the second.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {randomBeta, randomExponential, randomGamma, randomInt, randomLcg} from "d3";
import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {compareBonds, type BondComparison} from "../src/core/metrics/bonds.js";
import {proportionDifference} from "../src/core/metrics/satisfactionLink.js";
import {fitBgNbd} from "../src/core/models/bgnbdFit.js";
import {bgnbdConditionalExpectedPurchases} from "../src/core/models/bgnbdConditionalExpectedPurchases.js";
import {bgnbdProbabilityAlive} from "../src/core/models/bgnbdProbabilityAlive.js";
import {literal} from "../src/core/sql/sql.js";
import {bondValueSql} from "../src/core/sql/bondSql.js";
import {cohortSql} from "../src/core/sql/retentionSql.js";
import {duckdb} from "../src/core/sql/sqlDialect.js";
import {temporaryDirectory} from "./tempDir.js";

const dropoutMultiplier = 0.4;
const start = Date.UTC(2023, 0, 2);
const end = "2024-12-31";
const weeksObserved = (Date.UTC(2025, 0, 1) - start) / (7 * 86_400_000);
const day = (weeks: number) => new Date(start + Math.floor(weeks * 7) * 86_400_000).toISOString().slice(0, 10);

/** 3,000 customers won over 2023's first half; λ ~ Gamma(2, rate 8) a week, p ~ Beta(1, 4), each bond held by 30 %. */
function simulate(seed: number) {
  const source = randomLcg(seed);
  const lambdaOf = randomGamma.source(source)(2, 1 / 8);
  const pOf = randomBeta.source(source)(1, 4);
  const signupWeek = randomInt.source(source)(0, 26);
  const exponential = randomExponential.source(source);
  const days: string[] = ["customer_id,day,revenue"];
  const bonds: string[] = ["customer_id,bond,kind"];
  const customers: {id: string; x: number; tx: number; T: number}[] = [];
  for (let i = 0; i < 3000; ++i) {
    const id = `c${i}`;
    const loyal = source() < 0.3;
    const placebo = source() < 0.3;
    if (loyal) bonds.push(`${id},Loyalty member,financial`);
    if (placebo) bonds.push(`${id},Newsletter,social`);
    const lambda = lambdaOf();
    const p = pOf() * (loyal ? dropoutMultiplier : 1);
    const first = signupWeek();
    const T = weeksObserved - first;
    const gap = exponential(lambda);
    days.push(`${id},${day(first)},10`);
    let [t, x] = [0, 0];
    for (;;) {
      const next = t + gap();
      if (next > T) break;
      [t, x] = [next, x + 1];
      days.push(`${id},${day(first + t)},10`);
      if (source() < p) break;
    }
    customers.push({id, x, tx: t, T});
  }
  return {days, bonds, customers};
}

describe("bonds with a known effect on dropout (simulated)", () => {
  it("finds the holders' lower dropout in retention, P(active) and expected purchases, and no effect of a bond that has none", async () => {
    const {days, bonds, customers} = simulate(20261207);
    // P(active) and a year's expected purchases (a CLV at a constant $10 margin a purchase) from one BG/NBD fit of everybody.
    const {params} = fitBgNbd(customers);
    const values = [
      "customer_id,clv,p_alive",
      ...customers.map(
        (c) =>
          `${c.id},${10 * bgnbdConditionalExpectedPurchases(params, 52, c.x, c.tx, c.T)},${bgnbdProbabilityAlive(params, c.x, c.tx, c.T)}`
      )
    ];
    const dir = temporaryDirectory("bonds-known-effect-");
    const files = {days, bonds, values};
    for (const [name, lines] of Object.entries(files)) writeFileSync(join(dir, `${name}.csv`), `${lines.join("\n")}\n`);
    const [compared, placebo] = await withDuckDB(async (connection) => {
      const read = (name: string) => `read_csv(${literal(join(dir, `${name}.csv`))}, header = true)`;
      await connection.run(`CREATE TABLE retention_days AS SELECT customer_id, day::DATE AS day, revenue::DECIMAL(18, 2) AS revenue FROM ${read("days")};
        CREATE TABLE customer_summary AS SELECT DISTINCT customer_id, NULL::VARCHAR AS acquisition_channel FROM retention_days;
        CREATE TABLE canonical_bonds AS SELECT * FROM ${read("bonds")};
        CREATE TABLE customer_values AS SELECT * FROM ${read("values")}`);
      const retention = async (bond: string) => queryRows(connection, cohortSql(duckdb, "month", end, {bond}));
      return compareBonds(
        [
          {name: "Loyalty member", kind: "financial"},
          {name: "Newsletter", kind: "social"}
        ],
        await queryRows(connection, bondValueSql("customer_values")),
        {"Loyalty member": await retention("Loyalty member"), Newsletter: await retention("Newsletter")}
      );
    });
    const at = (c: BondComparison, group: "with" | "without", age: number) => c[group]!.retention[age]!;
    // About 30 % hold each bond.
    for (const c of [compared!, placebo!])
      (expect(c.holders.share).toBeGreaterThan(0.27), expect(c.holders.share).toBeLessThan(0.33));
    // Holders (dropout × 0.4) are still buying more often a year on, and the difference's interval excludes 0.
    const loyalYear = proportionDifference(at(compared!, "with", 12), at(compared!, "without", 12));
    expect(loyalYear.low).toBeGreaterThan(0);
    expect(compared!.with!.pAlive.low).toBeGreaterThan(compared!.without!.pAlive.high);
    expect(compared!.with!.clv.low).toBeGreaterThan(compared!.without!.clv.high);
    // In size: with dropout × 0.4 after each repeat purchase, holders' P(active) is well above the others'.
    expect(compared!.with!.pAlive.mean / compared!.without!.pAlive.mean).toBeGreaterThan(1.3);
    // The bond without an effect: the difference's interval holds 0 at a year, and the P(active) intervals overlap.
    const placeboYear = proportionDifference(at(placebo!, "with", 12), at(placebo!, "without", 12));
    expect(placeboYear.low).toBeLessThan(0);
    expect(placeboYear.high).toBeGreaterThan(0);
    expect(placebo!.with!.pAlive.low).toBeLessThan(placebo!.without!.pAlive.high);
    expect(placebo!.without!.pAlive.low).toBeLessThan(placebo!.with!.pAlive.high);
  });
});
