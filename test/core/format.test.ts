import {describe, expect, it} from "vitest";
import {
  asPercent,
  countOf,
  cutTableNote,
  formatPercent,
  fromPercent,
  monthsBetween
} from "../../src/core/format/format.js";

describe("monthsBetween(start, end)", () => {
  it("lists every month across a year end, both ends included", () => {
    expect(monthsBetween("2023-11-15", "2024-02-01")).toEqual(["2023-11", "2023-12", "2024-01", "2024-02"]);
    expect(monthsBetween("2024-05-01", "2024-05-31")).toEqual(["2024-05"]);
  });
});

describe("formatPercent(share)", () => {
  it("rounds to whole percent by default and shows a dash for no number", () => {
    expect(formatPercent(0.8449)).toBe("84 %");
    expect(formatPercent(0.8451, 1)).toBe("84.5 %");
    expect(formatPercent(NaN)).toBe("–");
  });
});

describe("formatPercent(share) rounds honestly", () => {
  it("adds decimals where rounding would print 100 % or 0 % for a share that is not", () => {
    expect(formatPercent(1.001)).toBe("100.1 %"); // over 100 %: must not read as all
    expect(formatPercent(0.9996)).toBe("99.96 %"); // 100.0 % would still hide it: two decimals
    expect(formatPercent(0.995)).toBe("99.5 %");
    expect(formatPercent(0.0004)).toBe("0.04 %");
    expect(formatPercent(-0.003)).toBe("-0.3 %");
    expect(formatPercent(0.00000001)).toBe("0.0000 %"); // four decimals at most
  });
  it("keeps whole percents where they say what the share is", () => {
    expect(formatPercent(1)).toBe("100 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(-0)).toBe("0 %");
    expect(formatPercent(0.994)).toBe("99 %");
    expect(formatPercent(1.3)).toBe("130 %");
    expect(formatPercent(0.1 + 0.2 - 0.3)).toBe("0 %"); // floating-point noise is not a share
    expect(formatPercent(0.5, 1)).toBe("50.0 %");
  });
});

describe("countOf(count, singular, plural)", () => {
  it("uses the singular for exactly one, the plural otherwise, with thousands separators", () => {
    expect(countOf(1, "customer")).toBe("1 customer");
    expect(countOf(2, "customer")).toBe("2 customers");
    expect(countOf(0, "customer")).toBe("0 customers");
    expect(countOf(4362, "customer")).toBe("4,362 customers");
    expect(countOf(1, "purchase day")).toBe("1 purchase day");
    expect(countOf(3, "person", "people")).toBe("3 people");
  });
});

describe("asPercent(share) and fromPercent(percent)", () => {
  it("turn shares into the percentages a manager types and back, exactly", () => {
    expect(asPercent(0.3)).toBe(30);
    expect(asPercent(0.347)).toBe(34.7);
    expect(asPercent(0.05)).toBe(5);
    expect(fromPercent(30)).toBe(0.3);
    expect(fromPercent(34.7)).toBe(0.347);
    expect(fromPercent(12.5)).toBe(0.125);
    expect(fromPercent(0)).toBe(0);
    for (const share of [0.001, 0.1, 0.123, 0.301, 0.7, 0.999]) expect(fromPercent(asPercent(share))).toBe(share);
  });
});

describe("cutTableNote(printed, total)", () => {
  it("says how many rows print, how many are left out, and where the whole table is", () => {
    expect(cutTableNote(40, 6000)).toBe(
      "The first 40 of 6,000 rows are printed; 5,960 are left out. The whole table is its CSV download on the site."
    );
    expect(cutTableNote(40, 41)).toBe(
      "The first 40 of 41 rows are printed; 1 is left out. The whole table is its CSV download on the site."
    );
  });
});
