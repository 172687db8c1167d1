// The data-quality page's account of returns (returnNetting, src/core/metrics/quality.ts):
// sums per rule worked out by hand, a rule without a row counted as none.
import {describe, expect, it} from "vitest";
import {formatMoney} from "../../src/core/format/format.js";
import {returnNetting} from "../../src/core/metrics/quality.js";

const pounds = (value: number) => formatMoney(value, "GBP");

describe("returnNetting(rows, money)", () => {
  it("adds the matched rules into what was netted, keeps the unmatched apart, and says both", () => {
    const netting = returnNetting(
      [
        {rule: "product", lines: 7312, value: 444730.04},
        {rule: "value", lines: 875, value: 18087.48},
        {rule: "unmatched", lines: 319, value: 8933.19}
      ],
      pounds
    );
    expect(netting.byRule.map((r) => [r.rule, r.lines])).toEqual([
      ["order", 0],
      ["product", 7312],
      ["value", 875],
      ["unmatched", 319]
    ]);
    expect(netting.netted.lines).toBe(8187);
    expect(netting.netted.value).toBeCloseTo(462817.52, 2);
    expect(netting.unmatched).toEqual({lines: 319, value: 8933.19});
    expect(netting.sentence).toBe(
      "Of 8,506 return lines (£471,751), 8,187 (£462,818) were netted against the purchase they take back; 319 (£8,933) matched no earlier purchase and lower only the customers' net revenue."
    );
  });

  it("says so when there are no returns, and leaves out the unmatched clause when every return matched", () => {
    expect(returnNetting([], pounds).sentence).toBe("The data has no returns or cancellations.");
    expect(returnNetting([{rule: "order", lines: 2, value: 30}], pounds).sentence).toBe(
      "Of 2 return lines (£30), 2 (£30) were netted against the purchase they take back."
    );
  });
});
