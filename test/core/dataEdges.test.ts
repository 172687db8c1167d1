import {describe, expect, it} from "vitest";
import {
  alreadyCustomersNote,
  incompleteNote,
  isAlreadyCustomer,
  isCompletePeriod,
  newCustomersFrom,
  lastCompletePeriodStart,
  periodStart,
  recentWindows,
  spanDates,
  windowDates
} from "../../src/core/sql/dataEdges.js";
import {periodRate} from "../../src/core/models/equity.js";

describe("newCustomersFrom(source) and isAlreadyCustomer(firstPurchase, newFrom)", () => {
  it("by the rule, a first purchase in the calendar month the data start in, whatever its day, is an already customer's", () => {
    // Online Retail starts on 2010-12-01: December 2010 is the data's first month.
    const uci = newCustomersFrom({observation_start: "2010-12-01"});
    expect(uci).toBe("2011-01-01");
    expect(isAlreadyCustomer("2010-12-01", uci)).toBe(true);
    expect(isAlreadyCustomer("2010-12-31", uci)).toBe(true);
    expect(isAlreadyCustomer("2011-01-01", uci)).toBe(false);
    // Data starting late in a month: the first month is still that calendar month.
    const late = newCustomersFrom({observation_start: "2024-01-29"});
    expect([isAlreadyCustomer("2024-01-31", late), isAlreadyCustomer("2024-02-01", late)]).toEqual([true, false]);
  });
  it("takes the source's word where it knows every customer was won within the data (CDNOW's cohort)", () => {
    const cdnow = newCustomersFrom({observation_start: "1997-01-01", new_customers_from: "1997-01-01"});
    expect(isAlreadyCustomer("1997-01-01", cdnow)).toBe(false);
    expect(alreadyCustomersNote("1997-01-01", cdnow)).toBeNull();
    expect(isAlreadyCustomer("1997-01-01", null)).toBe(false);
  });
});

describe("isCompletePeriod(period, start, end)", () => {
  it("is true when the period's last day is on or before the observation end", () => {
    expect(isCompletePeriod("month", "2011-11-01", "2011-12-09")).toBe(true);
    expect(isCompletePeriod("month", "2011-12-01", "2011-12-09")).toBe(false);
    expect(isCompletePeriod("month", "2011-12-01", "2011-12-31")).toBe(true);
    // 2011-12-05 is a Monday: its week ends on Sunday 11 December.
    expect(periodStart("week", "2011-12-09")).toBe("2011-12-05");
    expect(isCompletePeriod("week", "2011-12-05", "2011-12-10")).toBe(false);
    expect(isCompletePeriod("week", "2011-12-05", "2011-12-11")).toBe(true);
    expect(isCompletePeriod("quarter", "2011-10-01", "2011-12-09")).toBe(false);
    expect(lastCompletePeriodStart("quarter", "2011-12-09")).toBe("2011-07-01");
    expect(lastCompletePeriodStart("month", "2011-12-31")).toBe("2011-12-01");
  });
});

describe("incompleteNote(period, end)", () => {
  it("names the incomplete last period left out, and nothing when it is complete", () => {
    expect(incompleteNote("month", "2011-12-09")).toBe("December 2011 (1–9 Dec) left out: incomplete.");
    expect(incompleteNote("quarter", "2011-12-09")).toBe("Q4 2011 (1 Oct – 9 Dec) left out: incomplete.");
    expect(incompleteNote("week", "2011-12-09")).toBe("week of 2011-12-05 (5–9 Dec) left out: incomplete.");
    expect(incompleteNote("month", "2011-11-30")).toBeNull();
  });
});

describe("recentWindows(dataStart, end)", () => {
  it("takes the last 12 complete months, leaves the first month out of acquisitions, and splits retention in two equal spans", () => {
    // Online Retail: 2010-12-01 to 2011-12-09, so twelve complete months, Dec 2010 – Nov 2011.
    const w = recentWindows("2010-12-01", "2011-12-09");
    expect(w.year).toEqual({from: "2010-12-01", to: "2011-12-01", months: 12});
    expect(w.acquisition).toEqual({from: "2011-01-01", to: "2011-12-01", months: 11});
    expect(w.retention).toEqual({
      previous: {from: "2010-12-01", to: "2011-06-01", months: 6},
      current: {from: "2011-06-01", to: "2011-12-01", months: 6}
    });
    expect(spanDates(w.year)).toBe("Dec 2010 – Nov 2011");
    // Two complete years and more: the year is the last twelve months, retention a real year.
    const long = recentWindows("2022-03-15", "2024-06-30");
    expect(long.acquisition).toEqual({from: "2023-07-01", to: "2024-07-01", months: 12});
    expect(long.retention?.previous).toEqual({from: "2022-07-01", to: "2023-07-01", months: 12});
    // Data within one month: no complete month to count over.
    const short = recentWindows("2024-01-03", "2024-01-20");
    expect([short.year.months, short.acquisition.months, short.retention]).toEqual([0, 0, null]);
    // Customers won within the data from its start (newFrom null): acquisitions over the whole year.
    expect(recentWindows("2010-12-01", "2011-12-09", null).acquisition).toEqual(w.year);
  });
});

describe("windowDates(period, first, last) and alreadyCustomersNote(dataStart)", () => {
  it("names the periods in words", () => {
    expect(windowDates("month", "2011-01-01", "2011-11-01")).toBe("Jan 2011 – Nov 2011");
    expect(windowDates("quarter", "2011-01-01", "2011-07-01")).toBe("Q1 2011 – Q3 2011");
    expect(windowDates("month", "2011-01-01", "2011-01-01")).toBe("Jan 2011");
    expect(alreadyCustomersNote("2010-12-01", "2011-01-01")).toBe(
      "Customers who bought in Dec 2010, the data's first month, were already customers when the data start and are not counted as new."
    );
  });
});

describe("periodRate(annual, months)", () => {
  it("is the rate over a period of that many months equivalent to the annual rate", () => {
    // 1.1^(1/2) − 1 = 0.048808848… (python3: 1.1 ** 0.5 - 1)
    expect(periodRate(0.1, 6)).toBeCloseTo(0.048808848, 8);
    expect(periodRate(0.1, 12)).toBeCloseTo(0.1, 12);
    expect(() => periodRate(0.1, 0)).toThrow(/at least a month/);
  });
});
