import {describe, expect, it} from "vitest";
import {
  latenessBand,
  latenessOutcomes,
  onTimeOrLate,
  outcomesBy,
  proportionDifference,
  scoresByLateness,
  wilsonInterval
} from "../../src/core/metrics/satisfactionLink.js";
import type {LateScore, SatisfactionResponse} from "../../src/core/sql/satisfactionSql.js";
import {
  acquisitionMeans,
  referralsByGroup,
  referralWorth,
  referredEquityTotal,
  wordOfMouth
} from "../../src/core/metrics/wordOfMouth.js";

const response = (
  customer_id: string,
  gap: number | null,
  nps: number | null,
  bought: boolean | null,
  spend: number | null
): SatisfactionResponse => ({
  customer_id,
  month: "2024-01",
  day: "2024-01-15",
  channel: null,
  segment: null,
  gap,
  satisfaction: null,
  nps,
  bought_90: bought,
  bought_180: bought,
  spend_180: spend
});

describe("wilsonInterval(k, n) and proportionDifference(a, b)", () => {
  it("gives the Wilson score interval worked by hand: 8 of 10 → [0.490, 0.943]", () => {
    // p = 0.8, z² = 3.8416: centre 0.8 + 0.19208 = 0.99208; spread 1.96 √(0.016 + 0.0096040) = 0.313600;
    // scale 1.38416 → (0.99208 ∓ 0.31360)/1.38416 = 0.49017, 0.94329.
    const p = wilsonInterval(8, 10);
    expect(p.share).toBe(0.8);
    expect(p.low).toBeCloseTo(0.49017, 4);
    expect(p.high).toBeCloseTo(0.94329, 4);
    expect(wilsonInterval(0, 0).share).toBeNaN();
  });
  it("differences two proportions with a Wald interval: 0.5 of 100 − 0.4 of 100 = 0.1 ± 1.96·√0.0049", () => {
    const d = proportionDifference(wilsonInterval(50, 100), wilsonInterval(40, 100));
    expect(d.difference).toBeCloseTo(0.1, 12);
    expect(d.high - d.difference).toBeCloseTo(1.96 * Math.sqrt(0.0049), 12);
  });
});

describe("outcomesBy(responses, groupOf, groups) and latenessOutcomes(rows)", () => {
  it("counts only responses followed long enough, per group", () => {
    const rows = outcomesBy(
      [
        response("a", -1, 9, true, 10),
        response("b", -1, 3, false, 0),
        response("c", -1, 3, null, null),
        response("d", 0, 8, true, 30)
      ],
      (r) => (r.gap! < 0 ? "below" : "meets"),
      ["below", "meets"]
    );
    expect(rows.map((r) => [r.group, r.responses, r.bought_180.n, r.bought_180.k, r.spend_180.mean])).toEqual([
      ["below", 3, 2, 1, 5],
      ["meets", 1, 1, 1, 30]
    ]);
  });
  it("bands days late and sums the followed deliveries", () => {
    expect([0, 1, 2, 3, 4, 9].map(latenessBand)).toEqual([
      "on time",
      "1 day late",
      "2–3 days late",
      "2–3 days late",
      "4+ days late",
      "4+ days late"
    ]);
    const [onTime, , twoThree] = latenessOutcomes([
      {days_late: 0, n: 10, followed_90: 8, bought_90: 6, followed_180: 5, bought_180: 4},
      {days_late: 2, n: 3, followed_90: 3, bought_90: 1, followed_180: 2, bought_180: 1},
      {days_late: 3, n: 1, followed_90: 1, bought_90: 0, followed_180: 1, bought_180: 0}
    ]);
    expect([
      onTime!.deliveries,
      onTime!.bought_90.share,
      twoThree!.deliveries,
      twoThree!.bought_180.k,
      twoThree!.bought_180.n
    ]).toEqual([10, 0.75, 4, 1, 3]);
  });
});

describe("wordOfMouth(responses, tolerance, assumptions) and referralsByGroup(responses, referrals)", () => {
  // a answered twice (below, then meets: the latest counts), b below, c exceeds, d no gap.
  const responses = [
    response("a", -1, 3, null, null),
    response("a", 0, 9, null, null),
    response("b", -2, 5, null, null),
    response("c", 1, 7, null, null),
    response("d", null, 10, null, null)
  ];
  it("reaches satisfied × 8 and dissatisfied × 25 people by default, both adjustable", () => {
    expect(wordOfMouth(responses, 0.5)).toEqual({satisfied: 2, dissatisfied: 1, positive: 16, negative: 25});
    expect(wordOfMouth(responses, 0.5, {perSatisfied: 3, perDissatisfied: 10})).toMatchObject({
      positive: 6,
      negative: 10
    });
  });
  it("sums referrals by the NPS group of each referrer's latest answer, with Garwood and Wilson intervals", () => {
    const rows = referralsByGroup(responses, [
      {customer_id: "a", referrals: 3, converted: 2},
      {customer_id: "b", referrals: 1, converted: 0},
      {customer_id: "z", referrals: 5, converted: 5}
    ]);
    // z answered nothing: its referrals are in no group. Promoters a (latest 9) and d (10): 3 referrals, 2 converted.
    expect(rows.map((r) => [r.group, r.customers, r.referrals, r.converted])).toEqual([
      ["promoter", 2, 3, 2],
      ["passive", 1, 0, 0],
      ["detractor", 1, 1, 0]
    ]);
    const [promoter, passive, detractor] = rows;
    // python3 -c "from scipy.stats import chi2; print(chi2.ppf(.025, 6)/2/2, chi2.ppf(.975, 8)/2/2, chi2.ppf(.975, 2)/2, chi2.ppf(.025, 2)/2, chi2.ppf(.975, 4)/2)"
    expect(promoter!.perCustomer.rate).toBe(1.5);
    expect(promoter!.perCustomer.low).toBeCloseTo(0.3093360614478007, 8);
    expect(promoter!.perCustomer.high).toBeCloseTo(4.383636534871162, 8);
    expect([passive!.perCustomer.rate, passive!.perCustomer.low]).toEqual([0, 0]);
    expect(passive!.perCustomer.high).toBeCloseTo(3.6888794541139354, 8);
    expect(detractor!.perCustomer.low).toBeCloseTo(0.025317807984289876, 8);
    expect(detractor!.perCustomer.high).toBeCloseTo(5.571643390938898, 8);
    // Wilson, z = 1.96: 2 of 3 → (2/3 + 0.6403 ± 1.96 √(2/27 + 0.1067)) / 2.2805 = [0.2077, 0.9385]; 0 of 0 → NaN.
    expect(promoter!.conversion.share).toBeCloseTo(2 / 3, 12);
    expect(promoter!.conversion.low).toBeCloseTo(0.2077, 4);
    expect(promoter!.conversion.high).toBeCloseTo(0.9385, 4);
    expect(passive!.conversion.share).toBeNaN();
    expect([detractor!.conversion.share, detractor!.conversion.low]).toEqual([0, 0]);
  });
  it("values a group's referrals as converted per customer × a referred customer's equity", () => {
    expect(referralWorth({customers: 2, converted: 2}, 150)).toBe(150);
    expect(referralWorth({customers: 4, converted: 1}, 200)).toBe(50);
    expect(referralWorth({customers: 0, converted: 0}, 200)).toBeNaN();
  });
});

describe("referredEquityTotal(referredCustomers, equity)", () => {
  it("is the number referred × the mean equity of those valued", () => {
    expect(referredEquityTotal(970, {mean: 323.25})).toBe(313_552.5);
    expect(referredEquityTotal(0, {mean: NaN})).toBeNaN();
  });
});

describe("acquisitionMeans(rows)", () => {
  it("turns sums into means per customer, equity with its normal interval", () => {
    // Referred: 3 customers costing 12 each, margins 10, 20, 30, CLVs 40, 50, 60 → equity 50, 70, 90:
    // mean 70, s = 20, 70 ± 1.96 · 20/√3 = [47.37, 92.63]. Search: 2 customers, one without a cost or a CLV.
    const [referred, search] = acquisitionMeans([
      {
        referred: true,
        channel: null,
        customers: 3,
        costed: 3,
        cost_sum: 36,
        margin_sum: 60,
        valued: 3,
        clv_sum: 150,
        equity_sum: 210,
        equity_squares: 50 ** 2 + 70 ** 2 + 90 ** 2
      },
      {
        referred: false,
        channel: "search",
        customers: 2,
        costed: 1,
        cost_sum: 45,
        margin_sum: 30,
        valued: 1,
        clv_sum: 20,
        equity_sum: 25,
        equity_squares: 625
      }
    ]);
    expect(referred).toMatchObject({cost: 12, margin: 20, valued: 3, clv: 50});
    expect(referred!.equity.mean).toBe(70);
    expect(referred!.equity.low).toBeCloseTo(70 - (1.96 * 20) / Math.sqrt(3), 10);
    expect(referred!.equity.high).toBeCloseTo(70 + (1.96 * 20) / Math.sqrt(3), 10);
    expect(search).toMatchObject({cost: 45, margin: 15, clv: 20});
    expect(search!.equity.mean).toBe(25);
    expect(search!.equity.low).toBeNaN();
  });
});

describe("scoresByLateness(rows)", () => {
  // The rows of lateScoresSql on satisfactionSql.test.ts's paired responses.
  const rows: LateScore[] = [
    {days_late: 0, satisfaction: 6, nps: 3, n: 1},
    {days_late: 0, satisfaction: null, nps: 8, n: 1},
    {days_late: 2, satisfaction: 4, nps: 6, n: 1},
    {days_late: 2, satisfaction: 5, nps: 9, n: 2},
    {days_late: 3, satisfaction: 7, nps: 10, n: 1}
  ];

  it("gives mean satisfaction with its interval and promoter and detractor shares per lateness band", () => {
    const [onTime, oneDay, twoToThree, fourPlus] = scoresByLateness(rows);
    // On time: one satisfaction score (6), so no interval; answers 3 and 8: no promoter, one detractor.
    expect(onTime).toMatchObject({
      group: "on time",
      responses: 2,
      satisfaction: {n: 1, mean: 6},
      promoters: {n: 2, k: 0},
      detractors: {n: 2, k: 1, share: 0.5}
    });
    expect(onTime!.satisfaction.low).toBeNaN();
    expect([oneDay!.responses, oneDay!.satisfaction.n, oneDay!.promoters.n, fourPlus!.responses]).toEqual([0, 0, 0, 0]);
    // 2–3 days: scores 4, 5, 5, 7: mean 5.25; squares 1.5625 + 2 × 0.0625 + 3.0625 = 4.75, s = √(4.75/3) = 1.25831,
    // half-width 1.96 × 1.25831 / 2 = 1.23314; answers 6, 9, 9, 10: 3 promoters, 1 detractor of 4.
    expect(twoToThree).toMatchObject({
      group: "2–3 days late",
      responses: 4,
      satisfaction: {n: 4, mean: 5.25},
      promoters: {n: 4, k: 3, share: 0.75},
      detractors: {n: 4, k: 1, share: 0.25}
    });
    expect(twoToThree!.satisfaction.low).toBeCloseTo(4.01686, 4);
    expect(twoToThree!.satisfaction.high).toBeCloseTo(6.48314, 4);
    expect(twoToThree!.promoters.low).toBeCloseTo(wilsonInterval(3, 4).low, 10);
  });

  it("pools any lateness into one group with onTimeOrLate", () => {
    const [onTime, late] = scoresByLateness(rows, onTimeOrLate, ["on time", "late"]);
    expect(onTime!.responses).toBe(2);
    expect(late).toMatchObject({group: "late", responses: 4, satisfaction: {n: 4, mean: 5.25}});
  });
});
