import {describe, expect, it} from "vitest";
import {groupRfm, rfmGroupsOfColumns} from "../../../src/core/models/rfmGroups.js";

describe("rfmGroupsOfColumns(columns)", () => {
  // Four customers, two sharing (0, 0, 39): three distinct triples, x levels 0, 1 and 2.
  const customers = [
    {x: 0, tx: 0, T: 39},
    {x: 2, tx: 30, T: 39},
    {x: 0, tx: 0, T: 39},
    {x: 1, tx: 5, T: 20}
  ];
  const distinct = {
    x: Float64Array.of(0, 2, 1),
    tx: Float64Array.of(0, 30, 5),
    T: Float64Array.of(39, 39, 20),
    weight: Float64Array.of(2, 1, 1)
  };

  it("keeps already-distinct rows as they are, with the x levels and each row's level", () => {
    const groups = rfmGroupsOfColumns(distinct);
    expect(groups).toMatchObject({size: 3, totalWeight: 4, xLevels: [0, 1, 2], xLevel: Int32Array.of(0, 2, 1)});
    expect(groups.weight).toEqual(Float64Array.of(2, 1, 1));
  });
  it("lists the distinct times of t_x and T together, ascending, with each row's index for its T and its t_x", () => {
    const groups = rfmGroupsOfColumns(distinct);
    expect(groups.timeLevels).toEqual(Float64Array.of(0, 5, 20, 30, 39));
    expect(groups.TLevel).toEqual(Int32Array.of(4, 4, 2));
    expect(groups.txLevel).toEqual(Int32Array.of(0, 3, 1));
  });
  it("gives the groups groupRfm gives from one row per customer", () => {
    expect(rfmGroupsOfColumns(distinct)).toEqual(groupRfm(customers));
  });
  it("refuses an invalid row, naming its position", () => {
    expect(() => rfmGroupsOfColumns({...distinct, tx: Float64Array.of(0, 40, 5)})).toThrow(
      /customer 1 .*t_x must lie in \[0, T\]/
    );
  });
});
