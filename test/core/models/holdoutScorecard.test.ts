// The holdout scorecard and the choice between two models, on sets small enough to check by hand.
import {describe, expect, it} from "vitest";
import {
  chooseByHoldoutError,
  holdoutPredictions,
  holdoutScorecard,
  spendHoldoutScorecard,
  type HoldoutRows
} from "../../../src/core/models/holdoutScorecard.js";
import {groupRfm} from "../../../src/core/models/rfmGroups.js";

/** Rows of (triple index, holdout purchases, customers) over the given triples. */
function rowsOf(triples: {x: number; tx: number; T: number}[], rows: [number, number, number][]): HoldoutRows {
  return {
    triples: groupRfm(triples),
    triple: Int32Array.from(rows, ([i]) => i),
    actual: Float64Array.from(rows, ([, a]) => a),
    customers: Float64Array.from(rows, ([, , n]) => n)
  };
}

describe("holdoutScorecard(rows, predicted)", () => {
  // Triples A (0, 0, 10), B (2, 8, 10), C (1, 2, 10). A holds 2 customers with no holdout purchase and 1 with one;
  // B 1 customer with 3; C 1 with none. Expectation t (x + 1) / T over t = 5: A 0.5, B 1.5, C 1.
  const rows = rowsOf(
    [
      {x: 0, tx: 0, T: 10},
      {x: 2, tx: 8, T: 10},
      {x: 1, tx: 2, T: 10}
    ],
    [
      [0, 0, 2],
      [0, 1, 1],
      [1, 3, 1],
      [2, 0, 1]
    ]
  );
  const predicted = holdoutPredictions(rows.triples, 5, (t, x, _tx, T) => (t * (x + 1)) / T);

  it("predicts once per triple with the expectation's (t, x, t_x, T)", () => {
    expect([...predicted]).toEqual([0.5, 1.5, 1]);
  });

  it("totals 4 predicted against 4 made; errors 0.5, 0.5, −0.5, −1.5, 1: MAE 4/5, RMSE √(4/5), bias 0", () => {
    const card = holdoutScorecard(rows, predicted);
    expect(card.customers).toBe(5);
    expect(card.predicted).toBe(4);
    expect(card.actual).toBe(4);
    expect(card.mae).toBeCloseTo(0.8, 15);
    // (0.25 + 0.25 + 0.25 + 2.25 + 1) / 5 = 0.8
    expect(card.rmse).toBeCloseTo(Math.sqrt(0.8), 15);
    expect(card.bias).toBe(0);
    expect(card.bias_share).toBe(0);
  });

  it("keeps the three tied customers of A together in the decile of their middle rank, and leaves empty deciles out", () => {
    // Ranks 0–2 (A, middle 1.5 of 5 → decile 4), 3 (C, middle 3.5 → decile 8), 4 (B, middle 4.5 → decile 10).
    expect(holdoutScorecard(rows, predicted).deciles).toEqual([
      {decile: 4, customers: 3, predicted: 0.5, actual: 1 / 3},
      {decile: 8, customers: 1, predicted: 1, actual: 0},
      {decile: 10, customers: 1, predicted: 1.5, actual: 3}
    ]);
  });

  it("gives the bias as a share of the actual purchases, and NaN where none were made", () => {
    const two = rowsOf([{x: 0, tx: 0, T: 10}], [[0, 2, 4]]);
    // 4 customers predicted 1.5 each who made 2 each: 6 against 8, bias −0.5 a customer, −25 %.
    const card = holdoutScorecard(two, Float64Array.of(1.5));
    expect([card.predicted, card.actual, card.bias, card.bias_share]).toEqual([6, 8, -0.5, -0.25]);
    expect(holdoutScorecard(rowsOf([{x: 0, tx: 0, T: 10}], [[0, 0, 3]]), Float64Array.of(1)).bias_share).toBeNaN();
  });
});

describe("chooseByHoldoutError(first, second, rows)", () => {
  const candidates = (rows: HoldoutRows, first: number[], second: number[]) =>
    (
      [
        ["bgnbd", "BG/NBD", first],
        ["pareto_nbd", "Pareto/NBD", second]
      ] as const
    ).map(([key, name, p]) => {
      const predicted = Float64Array.from(p);
      return {key, name, predicted, scorecard: holdoutScorecard(rows, predicted)};
    });
  const triples = [
    {x: 0, tx: 0, T: 10},
    {x: 1, tx: 5, T: 10}
  ];

  it("chooses the model of the lower RMSE when every customer's squared error says so", () => {
    // 1,000 customers with no holdout purchase: the first predicts 1 for each, the second 0.
    const rows = rowsOf(triples, [[0, 0, 1000]]);
    const [first, second] = candidates(rows, [1, 1], [0, 0]);
    expect(chooseByHoldoutError(first!, second!, rows)).toEqual({
      chosen: "pareto_nbd",
      because:
        "Pareto/NBD: its holdout error per customer is the lower (RMSE BG/NBD 1.000, Pareto/NBD 0.000 purchases), by more than chance would explain"
    });
  });

  it("keeps the first model, saying so, when both make the same error for every customer (an empty holdout)", () => {
    const rows = rowsOf(triples, [[0, 0, 10]]);
    const [first, second] = candidates(rows, [0, 0], [0, 0]);
    expect(chooseByHoldoutError(second!, first!, rows)).toEqual({
      chosen: "pareto_nbd",
      because:
        "Pareto/NBD: the two models make the same error for every customer (as when the holdout period is empty), so Pareto/NBD is kept as the default"
    });
  });

  it("keeps the first model when the difference in mean squared error is within two standard errors", () => {
    // Two triples of customers with no holdout purchase; squared-error differences +1 (first 1, second 0) and
    // −1.21 (first 0, second 1.1) in equal numbers: mean −0.105, variance (1 + 1.4641) / 2 − 0.105² = 1.221025.
    // 100 customers each: standard error √(1.221025 / 199) = 0.0783, twice that 0.157 > 0.105, within noise.
    const few = rowsOf(triples, [
      [0, 0, 100],
      [1, 0, 100]
    ]);
    const [first, second] = candidates(few, [1, 0], [0, 1.1]);
    expect(chooseByHoldoutError(first!, second!, few)).toEqual({
      chosen: "bgnbd",
      because:
        "BG/NBD: the two models' holdout errors per customer (RMSE BG/NBD 0.707, Pareto/NBD 0.778 purchases) differ by no more than chance would explain, so BG/NBD is kept as the default"
    });
    // 1,000 each: √(1.221025 / 1999) = 0.0247, twice that 0.049 < 0.105: the first is the better, beyond noise.
    const many = rowsOf(triples, [
      [0, 0, 1000],
      [1, 0, 1000]
    ]);
    const [a, b] = candidates(many, [1, 0], [0, 1.1]);
    expect(chooseByHoldoutError(a!, b!, many).because).toMatch(/^BG\/NBD: its holdout error per customer is the lower/);
    // Reversed, the same comparison chooses the same model, now second.
    expect(chooseByHoldoutError(b!, a!, many).chosen).toBe("bgnbd");
  });

  it("keeps the first model when the RMSEs are within 1 % of each other, however many customers tell them apart", () => {
    // 10,000 customers with no holdout purchase, predicted 1 and 0.995: RMSE 1 and 0.995, 0.5 % apart; every
    // customer's squared-error difference is 1 − 0.990025, so its standard error is 0: beyond noise, not worth a switch.
    const rows = rowsOf(triples, [[0, 0, 10_000]]);
    const [first, second] = candidates(rows, [1, 1], [0.995, 0.995]);
    expect(chooseByHoldoutError(first!, second!, rows)).toEqual({
      chosen: "bgnbd",
      because:
        "BG/NBD: the two models' holdout errors per customer (RMSE BG/NBD 1.000, Pareto/NBD 0.995 purchases) are within 1 % of each other, so BG/NBD is kept as the default"
    });
    // 2 % apart, the better is chosen.
    const [a, b] = candidates(rows, [1, 1], [0.98, 0.98]);
    expect(chooseByHoldoutError(a!, b!, rows).chosen).toBe("pareto_nbd");
  });

  it("keeps the first model, saying why, where a model cannot forecast (NaN): no errors, no tenths", () => {
    const rows = rowsOf(triples, [[0, 0, 10]]);
    const [first, second] = candidates(rows, [NaN, NaN], [0.5, 0.5]);
    expect(first!.scorecard.deciles).toEqual([]);
    expect(first!.scorecard.rmse).toBeNaN();
    expect(chooseByHoldoutError(first!, second!, rows)).toEqual({
      chosen: "bgnbd",
      because:
        "BG/NBD: BG/NBD cannot forecast these customers' purchases (what the fit cannot tell), so there is no error to compare, and BG/NBD is kept as the default"
    });
  });
});

describe("spendHoldoutScorecard(rows, expected)", () => {
  // Expected spend 10 x + m / 2 (any function of (x, m) will do). Rows: (1, 20) ×2 spent 25 in the holdout, expected 20;
  // (2, 40) ×1 spent 30, expected 40; (3, 10) bought nothing then (NaN) and is left out.
  const expected = (x: number, m: number) => 10 * x + m / 2;
  const rows = [
    {x: 1, m: 20, holdout: 25, weight: 2},
    {x: 2, m: 40, holdout: 30},
    {x: 3, m: 10, holdout: NaN, weight: 5}
  ];

  it("scores the 3 repeat buyers who bought in the holdout: errors −5, −5, +10: MAE 20/3, RMSE √50, bias 0", () => {
    const card = spendHoldoutScorecard(rows, expected)!;
    expect(card.customers).toBe(3);
    expect(card.predicted).toBeCloseTo((2 * 20 + 40) / 3, 12);
    expect(card.actual).toBeCloseTo((2 * 25 + 30) / 3, 12);
    expect(card.mae).toBeCloseTo(20 / 3, 12);
    expect(card.rmse).toBeCloseTo(Math.sqrt(150 / 3), 12);
    expect(card.bias).toBeCloseTo(0, 12);
  });

  it("is null when no repeat buyer bought in the holdout", () => {
    expect(spendHoldoutScorecard([{x: 3, m: 10, holdout: NaN}], expected)).toBeNull();
  });
});
