import {describe, expect, it} from "vitest";
import {valueGroupsOf} from "../../../src/core/models/sliceValue.js";

describe("valueGroupsOf(groups, gammaGamma, newCustomer)", () => {
  it("sums Gamma-Gamma's conditional mean over a group's repeat buyers and the new customers' spend over the rest", () => {
    // Two repeat buyers with x = 2 and mean spends 20 and 30: (15 + 2·20)·6/15 = 22 and (15 + 2·30)·6/15 = 30; one
    // customer of the same (x, t_x, T) without a mean spend: 30. A group with x = 0: 4 new customers at 30.
    const groups = valueGroupsOf(
      {x: [0, 2], t_x_days: [0, 14], T_days: [35, 70], customers: [4, 3], repeat_buyers: [0, 2], repeat_spend: [0, 50]},
      {p: 6, q: 4, gamma: 15},
      30
    );
    expect(groups).toEqual([
      {x: 0, tx: 0, T: 5, customers: 4, spend: 120},
      {x: 2, tx: 2, T: 10, customers: 3, spend: 82}
    ]);
  });

  it("gives every customer the new customers' spend where Gamma-Gamma has no conditional mean", () => {
    // p·x + q − 1 = 0.1·1 + 0.5 − 1 < 0: the expectation does not exist.
    const [group] = valueGroupsOf(
      {x: [1], t_x_days: [7], T_days: [14], customers: [2], repeat_buyers: [2], repeat_spend: [40]},
      {p: 0.1, q: 0.5, gamma: 15},
      25
    );
    expect(group!.spend).toBe(50);
  });
});
