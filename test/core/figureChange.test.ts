import {describe, expect, it} from "vitest";
import {figureChange, formatFigure, headlineMeasures, type Measure} from "../../src/core/metrics/figureChange.js";
import {dataYearEarlier} from "../../src/core/sql/dataEdges.js";
import {previousBucketWindow} from "../../src/core/sql/retentionSql.js";

describe("figureChange(measure, current, previous)", () => {
  const period = "Dec 2010 – Nov 2011";

  it("gives a share's change in percentage points to a tenth, the previous share to a tenth of a percent", () => {
    // 0.651 − 0.620 = 0.031: 3.1 points up; a share up is better where the measure says so.
    const share: Measure = {unit: "share", better: "up"};
    expect(figureChange(share, 0.651, {value: 0.62, period})).toEqual({
      previous: "62.0 %",
      difference: 3.1,
      unit: "pts",
      period,
      tone: "better",
      text: "▲ 3.1 pts vs Dec 2010 – Nov 2011 (62.0 %), better"
    });
    // Concentration has no better direction: the arrow alone, in the neutral colour.
    expect(figureChange(headlineMeasures.top20Share, 0.55, {value: 0.6, period})).toMatchObject({
      difference: -5,
      tone: "neutral",
      text: "▼ 5.0 pts vs Dec 2010 – Nov 2011 (60.0 %)"
    });
  });

  it("says which way is better for each headline: more won for each lost is better, more slipping into decline worse", () => {
    // 1.08 − 1.35 = −0.27.
    expect(figureChange(headlineMeasures.quickRatio, 1.08, {value: 1.35, period})).toMatchObject({
      difference: -0.27,
      tone: "worse",
      text: "▼ 0.27 vs Dec 2010 – Nov 2011 (1.35), worse"
    });
    // 357 against 1,204 the month before: 847 fewer, better.
    expect(
      figureChange(headlineMeasures.declineInflow, 357, {value: 1204, period: "the month to 2011-10-31"})
    ).toMatchObject({
      previous: "1,204",
      difference: -847,
      tone: "better",
      text: "▼ 847 vs the month to 2011-10-31 (1,204), better"
    });
    expect(figureChange(headlineMeasures.declineInflow, 40, {value: 30, period: "the month to 2011-10-31"}).tone).toBe(
      "worse"
    );
  });

  it("takes a score's difference from the whole numbers the cards show, and says no change where they are equal", () => {
    // NPS 12.4 shows +12 and 9.6 shows +10: 2 up, though the unrounded difference is 2.8.
    expect(figureChange(headlineMeasures.netPromoterScore, 12.4, {value: 9.6, period})).toMatchObject({
      previous: "+10",
      difference: 2,
      text: "▲ 2 vs Dec 2010 – Nov 2011 (+10), better"
    });
    // −4.6 and −5.4 both show −5.
    expect(figureChange(headlineMeasures.netPromoterScore, -4.6, {value: -5.4, period})).toMatchObject({
      difference: 0,
      tone: "neutral",
      text: "= no change vs Dec 2010 – Nov 2011 (−5)"
    });
    // A ratio equal to the hundredth: no arrow.
    expect(figureChange(headlineMeasures.quickRatio, 1.081, {value: 1.079, period}).text).toBe(
      "= no change vs Dec 2010 – Nov 2011 (1.08)"
    );
  });

  it("gives money in the source's currency", () => {
    expect(figureChange(headlineMeasures.customerValue, 1500, {value: 1000, period}, "EUR").text).toBe(
      "▲ €500 vs Dec 2010 – Nov 2011 (€1,000), better"
    );
  });

  it("says in words why there is no previous period, and never compares against nothing or with no figure now", () => {
    const none = "No earlier figure to compare: the data start in Dec 2010, within the last 12 complete months.";
    expect(figureChange(headlineMeasures.top20Share, 0.7, {value: null, none})).toEqual({
      previous: null,
      tone: "neutral",
      text: none
    });
    for (const current of [null, NaN])
      expect(figureChange(headlineMeasures.quickRatio, current, {value: 1.2, period})).toEqual({
        previous: null,
        tone: "neutral",
        text: "No figure now to compare; Dec 2010 – Nov 2011: 1.20."
      });
  });
});

describe("formatFigure(unit, value)", () => {
  it("writes each unit as the cards show it, and a dash for no number", () => {
    expect([
      formatFigure("share", 0.634),
      formatFigure("ratio", 1.5),
      formatFigure("score", -4.6),
      formatFigure("score", 0.2),
      formatFigure("count", 12345),
      formatFigure("money", 2500.4, "GBP")
    ]).toEqual(["63 %", "1.50", "−5", "+0", "12,345", "£2,500"]);
    expect([formatFigure("ratio", null), formatFigure("share", NaN)]).toEqual(["–", "–"]);
  });
});

describe("dataYearEarlier(dataStart, end)", () => {
  it("takes the data before the last 12 complete months, where they hold more than the data's first month", () => {
    // The demo: 2023-01-01 to 2025-06-30; the last 12 complete months are Jul 2024 – Jun 2025.
    expect(dataYearEarlier("2023-01-01", "2025-06-30")).toEqual({
      span: {from: "2023-01-01", to: "2024-07-01", months: 18},
      period: "the data to Jun 2024"
    });
    // Online Retail, 2010-12-01 to 2011-12-09: the last 12 complete months are all the data.
    expect(dataYearEarlier("2010-12-01", "2011-12-09")).toEqual({
      span: null,
      none: "No earlier figure to compare: the data start in Dec 2010, within the last 12 complete months."
    });
    // 13 complete months: only the data's first month is before them, where customers were already there.
    expect(dataYearEarlier("2010-11-15", "2011-12-09")).toEqual({
      span: null,
      none: "No earlier figure to compare: the data start in Nov 2010, a month before the last 12 complete months."
    });
    // 14: two months before.
    expect(dataYearEarlier("2010-10-15", "2011-12-09").span).toEqual({from: "2010-10-01", to: "2010-12-01", months: 2});
  });
});

describe("previousBucketWindow(dataStart, end, newFrom)", () => {
  it("takes the same number of months before the leaky bucket's window, where the data can tell who was lost in them", () => {
    // 36 complete months from Jul 2022: the window Jul 2024 – Jun 2025, the one before Jul 2023 –
    // Jun 2024, its comparison span Jul 2022 – Jun 2023, all within the data.
    expect(previousBucketWindow("2022-07-01", "2025-06-30", "2022-08-01")).toEqual({
      window: {from: "2023-07-01", to: "2024-07-01", months: 12},
      period: "Jul 2023 – Jun 2024"
    });
    // The demo's 30 months: the comparison span starts before the data, which is right only
    // where every customer was won within them (newFrom at the start).
    expect(previousBucketWindow("2023-01-01", "2025-06-30", "2023-01-01").window).toEqual({
      from: "2023-07-01",
      to: "2024-07-01",
      months: 12
    });
    expect(previousBucketWindow("2023-01-01", "2025-06-30", "2023-02-01")).toEqual({
      window: null,
      none: "No earlier 12 months to compare: the data start in Jan 2023, too late to tell who was lost before Jul 2024."
    });
    // Online Retail's 12 complete months: the window is Jun – Nov 2011, the one before starts in the data's first month.
    expect(previousBucketWindow("2010-12-01", "2011-12-09", "2011-01-01").window).toBeNull();
    // CDNOW's 18 months, all won within: the window before (Jan – Sep 1997) starts in the first month, with nobody to lose.
    expect(previousBucketWindow("1997-01-01", "1998-06-30", "1997-01-01").window).toBeNull();
  });
});
