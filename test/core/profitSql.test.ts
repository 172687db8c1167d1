import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../loaders/duckdb.js";
import {customerProfitSql, type ProfitAssumptions, type ProfitFilter} from "../../src/core/sql/profitSql.js";
import {duckdb} from "../../src/core/sql/sqlDialect.js";

// Customer a (search, home; 2 service contacts, acquisition $30): Jan 2 orders, $100
// revenue, $60 known cost; Feb 1 order and 1 returned line, $50 revenue of which $20 has
// no cost, $18 known cost. Customer b (social, office; no contacts recorded, no
// acquisition cost): Feb 1 order, $40 revenue, no cost at all.
const setup = `
  CREATE TABLE customer_summary AS SELECT * FROM (VALUES
    ('a', 'search', 'home', '30', '2', 2, 40, 60),
    ('b', 'social', 'office', NULL, NULL, 0, 0, 30)
  ) AS t(customer_id, acquisition_channel, segment, acquisition_cost, service_contacts, frequency, recency_days, tenure_days);
  CREATE TABLE customer_months AS SELECT * FROM (VALUES
    ('a', '2024-01', 2, 0, 100.00, 60.00, 0.00),
    ('a', '2024-02', 1, 1, 50.00, 18.00, 20.00),
    ('b', '2024-02', 1, 0, 40.00, 0.00, 40.00)
  ) AS t(customer_id, month, orders, returns, revenue, known_cost, revenue_without_cost)`;

const assumptions: ProfitAssumptions = {
  marginRate: 0.25,
  perOrder: 1,
  perReturn: 5,
  perContact: 8,
  includeAcquisition: false
};
const all: ProfitFilter = {from: null, to: null, channel: null, segment: null};

const profit = (a: ProfitAssumptions, f: ProfitFilter) =>
  withDuckDB(async (connection) => {
    await connection.run(setup);
    return queryRows<{
      customer_id: string;
      gross_profit: number;
      cost_to_serve: number;
      acquisition_cost: number;
      profit: number;
    }>(connection, customerProfitSql(duckdb, a, f));
  });

describe("customerProfitSql(dialect, assumptions, filter)", () => {
  it("charges cost of goods (known, else 1 − margin), orders, returns and contacts", async () => {
    // a: revenue 150, cost 60 + 18 + 20 × 0.75 = 93 → gross 57; serve 3 × 1 + 1 × 5 + 2 × 8 = 24 → 33.
    // b: revenue 40, cost 40 × 0.75 = 30 → gross 10; serve 1 × 1 → 9.
    expect(await profit(assumptions, all)).toEqual([
      {
        customer_id: "a",
        acquisition_channel: "search",
        segment: "home",
        orders: 3,
        returns: 1,
        revenue: 150,
        gross_profit: 57,
        cost_to_serve: 24,
        acquisition_cost: 0,
        profit: 33,
        frequency: 2,
        recency_days: 40,
        tenure_days: 60
      },
      {
        customer_id: "b",
        acquisition_channel: "social",
        segment: "office",
        orders: 1,
        returns: 0,
        revenue: 40,
        gross_profit: 10,
        cost_to_serve: 1,
        acquisition_cost: 0,
        profit: 9,
        frequency: 0,
        recency_days: 0,
        tenure_days: 30
      }
    ]);
  });

  it("charges acquisition cost when asked, and filters months, channel and segment", async () => {
    const withAcquisition = await profit({...assumptions, includeAcquisition: true}, all);
    expect(withAcquisition.map((r) => [r.customer_id, r.acquisition_cost, r.profit])).toEqual([
      ["b", 0, 9],
      ["a", 30, 3]
    ]); // most profitable first
    // January only: a with 2 orders, $100 − $60 − $2 − $16 contacts = 22; b bought nothing then.
    expect((await profit(assumptions, {...all, to: "2024-01"})).map((r) => [r.customer_id, r.profit])).toEqual([
      ["a", 22]
    ]);
    expect((await profit(assumptions, {...all, from: "2024-02", channel: "social"})).map((r) => r.customer_id)).toEqual(
      ["b"]
    );
    expect(await profit(assumptions, {...all, segment: "café"})).toEqual([]);
  });

  it("refuses a month that is not YYYY-MM and a cost that is not a number, and quotes names", () => {
    expect(() => customerProfitSql(duckdb, assumptions, {...all, from: "2024-01'; DROP TABLE x; --"})).toThrow(
      /not a month/
    );
    expect(() => customerProfitSql(duckdb, {...assumptions, perOrder: NaN}, all)).toThrow(/not a finite number/);
    expect(customerProfitSql(duckdb, assumptions, {...all, channel: "o'brien"})).toContain(
      "c.acquisition_channel = 'o''brien'"
    );
  });
});
