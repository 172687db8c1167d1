import {describe, expect, it} from "vitest";
import {fittedOnce} from "../../src/core/metrics/figureChange.js";
import {kpiFigures} from "../../src/components/kpiCards.js";
import {
  indexRows,
  profitPerCustomerRange,
  sliceShares,
  valuableButUnhappy,
  type SliceSummary
} from "../../src/core/metrics/segmentReports.js";

const whole = {customers: 200, revenue: 10_000, profit: 4_000};
const slice = (
  kind: "channel" | "segment",
  name: string,
  customers: number,
  revenue: number,
  profit: number | null
): SliceSummary => ({kind, name, slug: name, path: `/report/${kind}/${name}`, customers, revenue, profit});

describe("sliceShares(slice, whole)", () => {
  it("divides the slice's customers, revenue and profit by the whole's, and profit by customers", () => {
    // 50 of 200 customers, 3,000 of 10,000 revenue, 1,000 of 4,000 profit: 1,000 / 50 = 20 a customer.
    expect(sliceShares(slice("channel", "web", 50, 3_000, 1_000), whole)).toEqual({
      customers: 0.25,
      revenue: 0.3,
      profit: 0.25,
      profitPerCustomer: 20
    });
  });
  it("is NaN where the profit is unknown or the whole's is zero", () => {
    const shares = sliceShares(slice("channel", "web", 50, 3_000, null), {...whole, profit: 0});
    expect(shares.profit).toBeNaN();
    expect(shares.profitPerCustomer).toBeNaN();
  });
});

describe("profitPerCustomerRange(slices, whole)", () => {
  it("finds the slices with the most and the least profit per customer, across kinds", () => {
    // Per customer: web 20, shop 5, home 12.5.
    const slices = [
      slice("channel", "web", 50, 3_000, 1_000),
      slice("channel", "shop", 100, 5_000, 500),
      slice("segment", "home", 80, 4_000, 1_000)
    ];
    const range = profitPerCustomerRange(slices, whole);
    expect([
      range?.best.slice.name,
      range?.best.perCustomer,
      range?.worst.slice.name,
      range?.worst.perCustomer
    ]).toEqual(["web", 20, "shop", 5]);
    expect(profitPerCustomerRange([], whole)).toBeNull();
  });
});

describe("indexRows(slices, whole, kind)", () => {
  it("keeps one kind's slices, in their order, with shares of the whole", () => {
    const rows = indexRows(
      [slice("channel", "web", 50, 3_000, 1_000), slice("segment", "home", 80, 4_000, 1_000)],
      whole,
      "segment"
    );
    expect(rows).toEqual([
      {
        name: "home",
        path: "/report/segment/home",
        customers: 80,
        customer_share: 0.4,
        revenue: 4_000,
        revenue_share: 0.4,
        profit: 1_000,
        profit_share: 0.25,
        profit_per_customer: 12.5,
        nps: null,
        below_share: null
      }
    ]);
  });
});

describe("valuableButUnhappy(slices, whole)", () => {
  // The business: 4,000 profit over 200 customers = 20 a customer, NPS +10, 30 % of answers below expectation.
  const business = {...whole, nps: 10, belowShare: 0.3};
  const unhappy = (name: string, customers: number, profit: number, nps: number | null, belowShare: number | null) => ({
    ...slice("segment", name, customers, 0, profit),
    nps,
    belowShare
  });

  it("lists the slices above the business's profit per customer with NPS below zero or more answers below expectation, most valuable first", () => {
    const slices = [
      unhappy("cafe", 10, 280, -7, 0.49), // 28 a customer, both signs
      unhappy("happy", 10, 280, 5, 0.25), // 28, happy: not listed
      unhappy("poor", 10, 150, -20, 0.6), // 15 a customer: below the business, not listed
      unhappy("office", 10, 220, 12, 0.31), // 22, NPS positive but 31 % > 30 % below: listed
      unhappy("bar", 10, 250, -1, 0.3), // 25, NPS −1; 30 % is not above 30 %
      unhappy("silent", 10, 400, null, null) // 40, no survey answers: not listed
    ];
    expect(
      valuableButUnhappy(slices, business).map((d) => [d.slice.name, d.perCustomer, d.negativeNps, d.moreBelow])
    ).toEqual([
      ["cafe", 28, true, true],
      ["bar", 25, true, false],
      ["office", 22, false, true]
    ]);
  });

  it("lists none at exactly the business's profit per customer, and none without a profit", () => {
    expect(valuableButUnhappy([unhappy("level", 10, 200, -50, 0.9)], business)).toEqual([]);
    expect(valuableButUnhappy([unhappy("cafe", 10, 280, -7, 0.49)], {...business, profit: null})).toEqual([]);
  });
});

describe("kpiFigures(kpis)", () => {
  it("writes the overview's card for each page, and the given sentence for a missing figure", () => {
    const figures = kpiFigures(
      {
        profit: {
          customers: 1000,
          top20Share: 0.634,
          lossMakingShare: 0.031,
          total: 52_000,
          trend: [1, 2],
          trendMonths: {from: "2024-12-01", to: "2025-12-01", months: 12},
          previous: {value: 0.6, period: "the data to Nov 2024"}
        },
        retention: {
          period: "month",
          months: 11,
          customers: 900,
          new: 100,
          reactivated: 20,
          lost: 150,
          quickRatio: 0.8,
          trend: [],
          from: "2025-01-01",
          to: "2025-11-01",
          states: {
            monthEnd: "2025-05-31",
            previousMonthEnd: "2025-04-30",
            counts: {"at risk": 60, lapsed: 40, lost: 300},
            previous: {"at risk": 50, lapsed: 40, lost: 280},
            slipping: 100,
            previousSlipping: 90,
            valueAtStake: 12345.6,
            ranking: "value"
          },
          previous: {value: 1.05, period: "Feb 2024 – Dec 2024"}
        },
        satisfaction: {
          responses: 310,
          nps: -4.6,
          npsLow: -9.2,
          npsHigh: 0.4,
          belowShare: 0.25,
          previous: {value: -9.4, period: "the data to Nov 2024"}
        },
        lifecycle: {
          monthEnd: "2025-05-31",
          customers: 1000,
          counts: {development: 300, stability: 200, decline: 100, lost: 300},
          declineShare: 0.1,
          newlyDeclined: 25,
          trend: [30, 25],
          previous: {value: 25, period: "the month to 2025-04-30"}
        }
      },
      {currency: "EUR", absent: {equity: "Too few customers."}}
    );
    expect(figures.map((f) => [f.page, f.value, f.text])).toEqual([
      ["profit", "63 %", "of the profit comes from the top 20 % of customers; 3 % of customers lose money."],
      [
        "retention",
        "0.80",
        "quick ratio over the last 11 complete months (Jan 2025 – Nov 2025): 100 new customers won and 20 won back for 150 lost, each customer counted once, of 900 customers."
      ],
      [
        "retention",
        "100",
        "customers at risk (60) or lapsed (40) at 2025-05-31, not yet lost: the call list, €12,346 at stake."
      ],
      ["satisfaction", "−5", "95 % CI -9 to 0; 25 % of survey answers fall below expectation."],
      ["equity", "–", "Too few customers."],
      [
        "lifecycle",
        "25",
        "customers slipped into decline in the month to 2025-05-31 (the data's last month end). Of the 1,000 customers who had bought by then, 100 (10 %) were in decline, 300 lost and 500 developing or stable."
      ]
    ]);
    expect(figures.find((f) => f.page === "satisfaction")?.trend).toBeUndefined();
    // Each change by hand: 63.4 − 60.0 = 3.4 points (concentration is neither better nor worse);
    // 0.80 − 1.05 = −0.25 (a lower quick ratio is worse); NPS −5 against −9 as shown, 4 up
    // (better); 100 at risk against 90 a month before, 10 up (worse); 25 against 25 into decline; no change on the
    // card without a figure.
    expect(figures.map((f) => [f.page, f.change?.text, f.change?.tone])).toEqual([
      ["profit", "▲ 3.4 pts vs the data to Nov 2024 (60.0 %)", "neutral"],
      ["retention", "▼ 0.25 vs Feb 2024 – Dec 2024 (1.05), worse", "worse"],
      ["retention", "▲ 10 vs the month end before (2025-04-30) (90), worse", "worse"],
      ["satisfaction", "▲ 4 vs the data to Nov 2024 (−9), better", "better"],
      ["equity", undefined, undefined],
      ["lifecycle", "= no change vs the month to 2025-04-30 (25)", "neutral"]
    ]);
    // Each window states the months it covers.
    expect(figures.find((f) => f.page === "profit")?.trend?.label).toBe(
      "gross profit by month, last 12 complete months: Dec 2024 – Nov 2025"
    );
    // Two month ends, the last on 31 May 2025.
    expect(figures.find((f) => f.page === "lifecycle")?.trend?.label).toBe(
      "customers slipping into decline in each of the last 2 months: Apr 2025 – May 2025"
    );
  });

  it("an equity figure the models withheld shows a dash and the reason, not a value of 0, and no trend", () => {
    const withheld = "There are too few customers to value: 30 customers, 15 of whom bought more than once.";
    const [equity] = kpiFigures(
      {equity: {customers: 30, currentValue: null, meanClv: null, trend: [], withheld, previous: fittedOnce}},
      {currency: "EUR"}
    ).filter((f) => f.page === "equity");
    expect(equity).toMatchObject({value: "–", text: withheld});
    expect(equity?.trend).toBeUndefined();
    expect(equity?.change).toEqual({
      previous: null,
      tone: "neutral",
      text: "No earlier figure: the model is fitted once, at the data's end."
    });
  });

  it("writes one of a thing in the singular, and says which customers the equity card values", () => {
    const figures = kpiFigures({
      retention: {
        period: "month",
        months: 1,
        customers: 3,
        new: 1,
        reactivated: 0,
        lost: 2,
        quickRatio: 0.5,
        trend: [],
        from: "2024-11-01",
        to: "2024-11-01",
        states: {
          monthEnd: "2024-11-30",
          previousMonthEnd: "2024-10-31",
          counts: {lapsed: 1},
          previous: {lapsed: 1},
          slipping: 1,
          previousSlipping: 1,
          valueAtStake: 40,
          ranking: "spend"
        },
        previous: {value: null, none: "No earlier month to compare."}
      },
      equity: {customers: 1, currentValue: 120, meanClv: 120, trend: [60, 40, 20], previous: fittedOnce}
    });
    expect(figures.find((f) => f.page === "retention")?.text).toBe(
      "quick ratio over the last 1 complete month (Nov 2024): 1 new customer won and 0 won back for 2 lost, each customer counted once, of 3 customers."
    );
    expect(figures.find((f) => f.anchor === "warning")?.text).toBe(
      "customer at risk (0) or lapsed (1) at 2024-11-30, not yet lost: the call list, $40 spent in their last year."
    );
    expect(figures.find((f) => f.page === "equity")?.text).toBe(
      "what the 1 customer who has made a purchase is worth over the next three years (mean $120)."
    );
  });
});
