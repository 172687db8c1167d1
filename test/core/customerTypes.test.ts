import {describe, expect, it} from "vitest";
import {behaviouralLoyalty, customerType, loyaltyOf, valueTierOf} from "../../src/core/metrics/customerTypes.js";

describe("behaviouralLoyalty(customer)", () => {
  it("is 0 for a one-time buyer", () => {
    expect(behaviouralLoyalty({frequency: 0, recency_days: 0, tenure_days: 300})).toBe(0);
  });
  it("is x/(x+1) for a customer who bought on the last day", () => {
    expect(behaviouralLoyalty({frequency: 3, recency_days: 90, tenure_days: 90})).toBeCloseTo(0.75, 12);
  });
  it("decays with the days since the last purchase, in units of the customer's own mean gap", () => {
    // 4 repeats over 200 days: mean gap 50 days; 100 days silent = 2 gaps → 0.8 · e⁻².
    expect(behaviouralLoyalty({frequency: 4, recency_days: 200, tenure_days: 300})).toBeCloseTo(0.8 * Math.exp(-2), 12);
  });
});

describe("loyaltyOf(measure, customer, model)", () => {
  const customer = {frequency: 3, recency_days: 90, tenure_days: 90};
  it("reads the model's P(active) or expected purchases, or computes the behavioural score", () => {
    const model = {p_alive: 0.4, purchases_next_year: 1.7};
    expect(loyaltyOf("p_alive", customer, model)).toBe(0.4);
    expect(loyaltyOf("purchases", customer, model)).toBe(1.7);
    expect(loyaltyOf("behaviour", customer, model)).toBeCloseTo(0.75, 12);
  });
  it("is NaN where the model has no figure for the customer (never a silent 0)", () => {
    expect(loyaltyOf("p_alive", customer, undefined)).toBeNaN();
    expect(loyaltyOf("purchases", customer, {p_alive: 1, purchases_next_year: null})).toBeNaN();
  });
});

describe("customerType(profit, loyalty, thresholds)", () => {
  const thresholds = {profit: 100, loyalty: 0.5};
  it("names the four quadrants; a value on a threshold counts as below it", () => {
    expect(customerType(150, 0.9, thresholds)).toBe("true friends");
    expect(customerType(150, 0.1, thresholds)).toBe("butterflies");
    expect(customerType(20, 0.9, thresholds)).toBe("barnacles");
    expect(customerType(20, 0.1, thresholds)).toBe("strangers");
    expect(customerType(100, 0.5, thresholds)).toBe("strangers");
  });
});

describe("valueTierOf(profits)", () => {
  it("splits 200 customers into 2, 8 and 30 by rank, the rest, and the four who lose money", () => {
    const profits = Array.from({length: 200}, (_, i) => 195 - i); // 195 down to −4: four lose money
    const tiers = valueTierOf(profits);
    const count = (tier: string) => tiers.filter((t) => t === tier).length;
    expect([count("top 1 %"), count("next 4 %"), count("next 15 %"), count("the rest"), count("loss-making")]).toEqual([
      2, 8, 30, 156, 4
    ]);
    expect(tiers[0]).toBe("top 1 %");
    expect(tiers[2]).toBe("next 4 %");
    expect(tiers[199]).toBe("loss-making");
  });
  it("keeps a loss-maker loss-making even among few customers", () => {
    expect(valueTierOf([-1])).toEqual(["loss-making"]);
  });
});
