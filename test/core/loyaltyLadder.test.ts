import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";
import {ladder, ladderSql, sumLadder, type LadderCounts} from "../../src/core/metrics/loyaltyLadder.js";

// Buyers: a (search, 5 purchase days, referred p3), b (search, 4 days, recommends 9),
// c (social, 2 days, recommends 10, but not loyal), d (social, 1 day). Prospects: p1 (search,
// became a), p2 (search, never bought), p3 (social, referred by a, never bought); b, c and
// d are linked to no prospect, so each counts as a prospect of their own channel.
const setup = `
  CREATE TABLE retention_days AS SELECT * FROM (VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 4), ('a', 5), ('b', 1), ('b', 2), ('b', 3), ('b', 4), ('c', 1), ('c', 2), ('d', 1)) AS t(customer_id, day);
  CREATE TABLE customer_summary AS SELECT * FROM (VALUES ('a', 'search'), ('b', 'search'), ('c', 'social'), ('d', 'social')) AS t(customer_id, acquisition_channel);
  CREATE TABLE canonical_prospects AS SELECT * FROM (VALUES ('p1', 'search', 'a', NULL), ('p2', 'search', NULL, NULL), ('p3', 'social', NULL, 'a')) AS t(prospect_id, channel, converted_customer_id, referred_by);
  CREATE TABLE canonical_feedback AS SELECT * FROM (VALUES ('b', 9), ('c', 10), ('d', 6), ('a', NULL)) AS t(customer_id, nps)`;

const run = (sources: {prospects: boolean; recommendations: boolean}) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<LadderCounts>(connection, ladderSql(duckdb, sources));
  });

describe("ladderSql(sources)", () => {
  it("counts every step per channel, each a subset of the one before", async () => {
    expect(await run({prospects: true, recommendations: true})).toEqual([
      // search: p1, p2 and b; a and b buy, both repeat and loyal; a referred, b recommends.
      {
        channel: "search",
        prospects: 3,
        buyers: 2,
        repeat_buyers: 2,
        loyal: 2,
        advocates: 2,
        referrers: 1,
        promoters: 1
      },
      // social: p3, c and d; c recommends 10 but has 2 purchase days, so is no advocate.
      {channel: "social", prospects: 3, buyers: 2, repeat_buyers: 1, loyal: 0, advocates: 0, referrers: 0, promoters: 1}
    ]);
  });

  it("leaves the steps a source cannot fill empty (transactions only, as CDNOW)", async () => {
    const rows = await run({prospects: false, recommendations: false});
    expect(rows[0]).toEqual({
      channel: "search",
      prospects: null,
      buyers: 2,
      repeat_buyers: 2,
      loyal: 2,
      advocates: null,
      referrers: null,
      promoters: null
    });
    // Recommendations alone make advocates: b.
    expect((await run({prospects: false, recommendations: true}))[0]).toMatchObject({
      prospects: null,
      advocates: 1,
      referrers: null,
      promoters: 1
    });
  });
});

describe("ladder(counts) and sumLadder(rows)", () => {
  it("gives conversion from the step before and drop-out at each step", () => {
    const all = sumLadder([
      {
        channel: "search",
        prospects: 3,
        buyers: 2,
        repeat_buyers: 2,
        loyal: 2,
        advocates: 2,
        referrers: 1,
        promoters: 1
      },
      {channel: "social", prospects: 3, buyers: 2, repeat_buyers: 1, loyal: 0, advocates: 0, referrers: 0, promoters: 1}
    ]);
    expect(all).toEqual({
      channel: "all",
      prospects: 6,
      buyers: 4,
      repeat_buyers: 3,
      loyal: 2,
      advocates: 2,
      referrers: 1,
      promoters: 2
    });
    expect(ladder(all)).toEqual([
      {step: "prospect", people: 6, conversion: null, dropOut: null, ofFirst: 1},
      {step: "first purchase", people: 4, conversion: 4 / 6, dropOut: 1 - 4 / 6, ofFirst: 4 / 6},
      {step: "repeat buyer", people: 3, conversion: 3 / 4, dropOut: 1 / 4, ofFirst: 3 / 6},
      {step: "loyal", people: 2, conversion: 2 / 3, dropOut: 1 - 2 / 3, ofFirst: 2 / 6},
      {step: "advocate", people: 2, conversion: 1, dropOut: 0, ofFirst: 2 / 6}
    ]);
  });

  it("starts from the first step with data when prospects are unknown", () => {
    const rows = ladder({
      channel: "all",
      prospects: null,
      buyers: 10,
      repeat_buyers: 4,
      loyal: 1,
      advocates: null,
      referrers: null,
      promoters: null
    });
    expect(rows.map((r) => [r.step, r.people, r.conversion, r.ofFirst])).toEqual([
      ["prospect", null, null, null],
      ["first purchase", 10, null, 1],
      ["repeat buyer", 4, 0.4, 0.4],
      ["loyal", 1, 0.25, 0.1],
      ["advocate", null, null, null]
    ]);
  });
});
