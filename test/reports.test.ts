// Segment reports (loaders/site/reports.ts) on a small generated business: which slices a
// source has, and the figures of a slice computed by the page functions on its customers.
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import JSZip from "jszip";
import {randomLcg} from "d3";
import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../loaders/duckdb.js";
import {siteArchive} from "../loaders/site/archive.js";
import {readReportSlices} from "../loaders/source/folder/folder.js";
import {figurePages} from "../src/core/pages.js";
import {runIngest} from "./ingestHelpers.js";
import {testSettings} from "./settings.js";
import {temporaryDirectory} from "./tempDir.js";

/**
 * 160 customers, all from channel "web": 150 in segment "<b>Café</b>" (a name to escape
 * and slug) and 10 in "tiny" (too few for the equity models). Each buys on a seeded
 * rhythm from its first day until it stops, and answers one survey.
 */
function writeBusiness(dir: string): string {
  mkdirSync(dir, {recursive: true});
  const random = randomLcg(42);
  const customers = ["id,channel,segment"];
  const transactions = ["customer,when,amount,cost"];
  const survey = ["resp,cust,date,dim,sat,rec"];
  for (let i = 0; i < 160; i++) {
    const id = `K${String(i).padStart(3, "0")}`;
    customers.push(`${id},web,${i < 150 ? '"<b>Café</b>"' : "tiny"}`);
    let day = Math.floor(random() * 300);
    const gap = 10 + Math.floor(random() * 60);
    const stop = day + Math.floor(random() * 500);
    for (; day < Math.min(stop, 700); day += gap) {
      const date = new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
      const amount = (20 + random() * 40).toFixed(2);
      transactions.push(`${id},${date},${amount},${(Number(amount) * 0.6).toFixed(2)}`);
    }
    survey.push(`R${i},${id},2024-06-01,overall,${1 + Math.floor(random() * 7)},${Math.floor(random() * 11)}`);
  }
  writeFileSync(join(dir, "customers.csv"), `${customers.join("\n")}\n`);
  writeFileSync(join(dir, "transactions.csv"), `${transactions.join("\n")}\n`);
  writeFileSync(join(dir, "survey.csv"), `${survey.join("\n")}\n`);
  writeFileSync(
    join(dir, "mapping.json"),
    JSON.stringify({
      name: "Generated",
      tables: {
        customers: {
          file: "customers.csv",
          columns: {customer_id: "id", acquisition_channel: "channel", segment: "segment"}
        },
        transactions: {
          file: "transactions.csv",
          columns: {customer_id: "customer", occurred_at: "when", revenue: "amount", cost: "cost"}
        },
        feedback: {
          file: "survey.csv",
          columns: {
            response_id: "resp",
            customer_id: "cust",
            responded_at: "date",
            dimension: "dim",
            satisfaction: "sat",
            nps: "rec"
          }
        }
      }
    })
  );
  return join(dir, "mapping.json");
}

describe("segment reports", async () => {
  const input = temporaryDirectory("reports-input-");
  const source = await runIngest("generic", [writeBusiness(input)], {
    asOf: "2024-12-31"
  });
  const zip = await JSZip.loadAsync(await siteArchive(testSettings(source.dir)));
  const json = async (name: string) => JSON.parse((await zip.file(name)?.async("string")) ?? "null");

  it("readReportSlices lists each channel and segment once, with slugs, kind by kind", async () => {
    const slices = await withDuckDB((connection) => readReportSlices(connection, source.dir));
    expect(slices).toEqual([
      {kind: "channel", name: "web", slug: "web"},
      {kind: "segment", name: "<b>Café</b>", slug: "b-cafe-b"},
      {kind: "segment", name: "tiny", slug: "tiny"}
    ]);
    expect((await json("reports.json")).slices.map((s: {path: string}) => s.path)).toEqual([
      "/report/channel/web",
      "/report/segment/b-cafe-b",
      "/report/segment/tiny"
    ]);
  });

  it("readReportSlices gives none for a source without a customers table", async () => {
    const empty = temporaryDirectory("reports-none-");
    expect(await withDuckDB((connection) => readReportSlices(connection, empty))).toEqual([]);
  });

  it("a slice that holds every customer has exactly the whole business's figures", async () => {
    const web = await json("report-channel-web.json");
    expect(web.kpis).toEqual(
      await json("kpis.json").then(({profit, equity, retention, lifecycle, satisfaction}) => ({
        profit,
        equity,
        retention,
        lifecycle,
        satisfaction
      }))
    );
    expect(web.customers).toBe(160);
    // The figures are those of the pages whose spec declares one, each given by its loader.
    expect(Object.keys(await json("kpis.json")).sort()).toEqual(figurePages.map((page) => page.key).sort());
    expect(figurePages.map((page) => page.key).sort()).toEqual([
      "equity",
      "lifecycle",
      "profit",
      "retention",
      "satisfaction"
    ]);
  });

  it("slices split the customers, revenue and profit of the business without loss", async () => {
    const {whole, slices} = await json("reports.json");
    const segments = slices.filter((s: {kind: string}) => s.kind === "segment");
    expect(segments.map((s: {customers: number}) => s.customers)).toEqual([150, 10]);
    expect(segments.reduce((total: number, s: {revenue: number}) => total + s.revenue, 0)).toBeCloseTo(
      whole.revenue,
      6
    );
    expect(segments.reduce((total: number, s: {profit: number}) => total + s.profit, 0)).toBeCloseTo(whole.profit, 6);
  });

  it("a slice's change comes from its own previous period: its profit concentration a year earlier, from the raw files", async () => {
    // The last purchase falls in Nov 2024 (day 699 at most), an incomplete month: the last 12
    // complete months are Nov 2023 – Oct 2024 and the data a year earlier end with Oct 2023.
    // Profit per customer there is revenue less the given cost (no returns, no contacts); the
    // top 20 % are the round(0.2 n) most profitable (topShares).
    const shareBefore = (segment: string) =>
      withDuckDB(async (connection) => {
        const [row] = await queryRows<{last: string; share: number}>(
          connection,
          `WITH t AS (SELECT * FROM read_csv('${join(input, "transactions.csv")}', header = true, all_varchar = true)),
          c AS (SELECT * FROM read_csv('${join(input, "customers.csv")}', header = true, all_varchar = true)),
          p AS (SELECT customer, sum(amount::DECIMAL(18, 2) - cost::DECIMAL(18, 2))::DOUBLE AS profit FROM t JOIN c ON c.id = t.customer
                WHERE c.segment = '${segment}' AND t."when" < '2023-11-01' GROUP BY customer),
          r AS (SELECT profit, row_number() OVER (ORDER BY profit DESC) AS rank, count(*) OVER () AS n FROM p)
          SELECT (SELECT strftime(max("when"::DATE), '%Y-%m') FROM t) AS last,
                 (sum(profit) FILTER (WHERE rank <= round(0.2 * n)) / sum(profit))::DOUBLE AS share FROM r`
        );
        return row!;
      });
    for (const [slug, segment] of [
      ["b-cafe-b", "<b>Café</b>"],
      ["tiny", "tiny"]
    ]) {
      const expected = await shareBefore(segment!);
      expect(expected.last).toBe("2024-11");
      const {profit} = (await json(`report-segment-${slug}.json`)).kpis;
      expect(profit.previous.period).toBe("the data to Oct 2023");
      expect(profit.previous.value).toBeCloseTo(expected.share, 12);
    }
    // Each slice's own: the two segments' shares differ from each other and from the business's.
    const shares = await Promise.all(
      ["report-segment-b-cafe-b.json", "report-segment-tiny.json", "kpis.json"].map(async (name) => {
        const file = await json(name);
        return (file.kpis ?? file).profit.previous.value;
      })
    );
    expect(new Set(shares).size).toBe(3);
  });

  it("a slice too small for the equity models has no equity figure, and every other page's", async () => {
    const tiny = await json("report-segment-tiny.json");
    expect(tiny.customers).toBeLessThan(tiny.minimumFit.customers);
    expect(Object.keys(tiny.kpis).sort()).toEqual(["lifecycle", "profit", "retention", "satisfaction"]);
    expect(tiny.kpis.satisfaction.responses).toBe(10);
    expect((await json("report-segment-b-cafe-b.json")).kpis.equity.customers).toBe(150);
  });
});
