import {describe, expect, it} from "vitest";
import {formatPercent, monthsBetween} from "../../src/core/format/format.js";

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
