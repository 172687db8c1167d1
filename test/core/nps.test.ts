import {describe, expect, it} from "vitest";
import {netPromoterScore, npsGroup, npsTrend, quarterOf} from "../../src/core/metrics/nps.js";

describe("npsGroup(answer)", () => {
  it("promoters answer 9–10, passives 7–8, detractors 0–6", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsGroup)).toEqual([
      "detractor",
      "detractor",
      "passive",
      "passive",
      "promoter",
      "promoter"
    ]);
    expect(() => npsGroup(11)).toThrow(/0–10/);
  });
});

describe("netPromoterScore(answers)", () => {
  it("gives NPS and the adjusted-Wald interval of a hand-made set", () => {
    // 5 promoters, 2 passives, 3 detractors of 10 → NPS = 50 % − 30 % = 20.
    // Adjusted (Rocks 2016): p̃P = 5.75/13, p̃D = 3.75/13, d̃ = 2/13, var = (9.5/13 − (2/13)²)/13.
    // python3 -c "import math; n=13; P=5.75/n; D=3.75/n; d=P-D; h=1.96*math.sqrt((P+D-d*d)/n); print(100*(d-h), 100*(d+h))"
    // → -30.326834394120784 61.096065163351554
    const score = netPromoterScore([10, 10, 10, 9, 9, 8, 7, 6, 3, 0]);
    expect(score).toMatchObject({n: 10, promoters: 5, passives: 2, detractors: 3, nps: 20});
    expect(score.low).toBeCloseTo(-30.326834394120784, 10);
    expect(score.high).toBeCloseTo(61.096065163351554, 10);
  });
  it("clips the interval to −100…100 and gives NaN without answers", () => {
    const all = netPromoterScore([10, 10, 9]);
    expect(all.nps).toBe(100);
    expect(all.high).toBe(100);
    expect(netPromoterScore([]).nps).toBeNaN();
  });
});

describe("npsTrend(responses, period)", () => {
  it("scores each quarter, skipping responses without an answer", () => {
    expect(quarterOf("2024-03")).toBe("2024-Q1");
    expect(quarterOf("2024-10")).toBe("2024-Q4");
    const trend = npsTrend([
      {month: "2024-04", nps: 10},
      {month: "2024-01", nps: 0},
      {month: "2024-02", nps: 9},
      {month: "2024-05", nps: null}
    ]);
    expect(trend.map((t) => [t.period, t.n, t.nps])).toEqual([
      ["2024-Q1", 2, 0],
      ["2024-Q2", 1, 100]
    ]);
  });
});
