import {describe, expect, it} from "vitest";
import {bgnbdExpectedPurchases} from "../../src/core/models/bgnbdExpectedPurchases.js";
import {customerValuation} from "../../src/core/models/customerLifetimeValue.js";
import {
  currentCustomersValue,
  equityHeadline,
  equityValuation,
  currentCustomersValueByYear,
  futureCustomersValue,
  futureCustomersValueByYear,
  acquisitionPeriod,
  guptaLehmannClv,
  monthlyRate,
  newCustomerValue,
  scenarioBand,
  scenarioTotalBand,
  shiftRetention,
  addToGroup,
  clvBins,
  coarsenGroups,
  groupValues,
  mergeGroups,
  withheldHeadline,
  fitWarnings,
  type EquityInputs,
  type GroupTotals
} from "../../src/core/models/equity.js";

// Fader, Hardie & Lee's CDNOW estimates.
const params = {r: 0.243, alpha: 4.414, a: 0.793, b: 2.426};
const inputs: EquityInputs = {
  params,
  margin: 0.3,
  annualDiscountRate: 0,
  years: 1.5,
  retentionGain: 0,
  acquisitionsPerMonth: 100,
  acquisitionCost: 5,
  newCustomerSpend: 35
};

describe("shiftRetention(params, gain)", () => {
  it("cuts the mean dropout probability a/(a+b) by the gain and keeps a + b", () => {
    const shifted = shiftRetention(params, 0.1);
    expect(shifted.a / (shifted.a + shifted.b)).toBeCloseTo(0.9 * (0.793 / 3.219), 12);
    expect(shifted.a + shifted.b).toBeCloseTo(3.219, 12);
    expect(shiftRetention(params, 0)).toEqual(params);
  });
});

describe("newCustomerValue(inputs)", () => {
  it("without discounting is margin × spend × (1 + E[X(horizon)])", () => {
    // 18 months of 52/12 weeks = 78 weeks; E[X(78)] ≈ 1.858 for these parameters (FHL 2005).
    expect(newCustomerValue(inputs)).toBeCloseTo(0.3 * 35 * (1 + bgnbdExpectedPurchases(params, 78)), 9);
    expect(bgnbdExpectedPurchases(params, 78)).toBeCloseTo(1.858, 2);
  });
  it("is worth more when fewer customers drop out, and less when discounted", () => {
    expect(newCustomerValue({...inputs, retentionGain: 0.2})).toBeGreaterThan(newCustomerValue(inputs));
    expect(newCustomerValue({...inputs, annualDiscountRate: 0.1})).toBeLessThan(newCustomerValue(inputs));
  });
});

describe("futureCustomersValue(inputs)", () => {
  it("without discounting is months × acquisitions × (value of a new customer − acquisition cost)", () => {
    expect(futureCustomersValue(inputs)).toBeCloseTo(18 * 100 * (newCustomerValue(inputs) - 5), 6);
  });
});

describe("…ByYear(inputs)", () => {
  it("split the horizon into years (the last one partial) that add up to the whole", () => {
    // 1.5 years without discounting: 12 and 6 months of acquisitions.
    const perCustomer = newCustomerValue(inputs) - 5;
    const future = futureCustomersValueByYear(inputs);
    expect(future).toHaveLength(2);
    expect(future[0]).toBeCloseTo(12 * 100 * perCustomer, 6);
    expect(future[1]).toBeCloseTo(6 * 100 * perCustomer, 6);
    const groups = [
      {x: 2, tx: 30.43, T: 38.86, customers: 1, spend: 20},
      {x: 0, tx: 0, T: 10, customers: 3, spend: 90}
    ];
    const byYear = currentCustomersValueByYear(groups, inputs);
    expect(byYear).toHaveLength(2);
    // The same total per group through the CLV module's own path (eq. 10 per period).
    const clv = (g: (typeof groups)[number]) =>
      customerValuation(params, {periodLength: 52 / 12, periods: 18, discountRate: 0, margin: 0.3}).total(g);
    expect(byYear[0]! + byYear[1]!).toBeCloseTo(clv(groups[0]!) + clv(groups[1]!), 9);
    expect(byYear[0]).toBeGreaterThan(byYear[1]!); // a year's purchases outweigh half a year's
  });
});

describe("currentCustomersValue(groups, inputs)", () => {
  it("adds margin × spend × expected purchases over the horizon; nothing for nobody", () => {
    const one = currentCustomersValue([{x: 2, tx: 30.43, T: 38.86, customers: 1, spend: 20}], inputs);
    const twice = currentCustomersValue([{x: 2, tx: 30.43, T: 38.86, customers: 2, spend: 40}], inputs);
    expect(twice).toBeCloseTo(2 * one, 9);
    expect(one).toBeGreaterThan(0);
    expect(currentCustomersValue([], inputs)).toBe(0);
  });
});

describe("guptaLehmannClv(m, r, i) and monthlyRate(annual)", () => {
  it("give m·r/(1 + i − r) and (1 + a)^(1/12) − 1", () => {
    // m = 100, r = 0.8, i = 0.1: 80 / 0.3.
    expect(guptaLehmannClv(100, 0.8, 0.1)).toBeCloseTo(80 / 0.3, 12);
    expect((1 + monthlyRate(0.1)) ** 12).toBeCloseTo(1.1, 12);
  });
});

describe("scenarioBand(start, scenarioByYear)", () => {
  it("keeps each year's relative width at the start: doubling the value doubles the band", () => {
    const start = {value: [100, 50], low: [80, 30], high: [130, 60]};
    // Year 1: 200 × 0.8 and 200 × 1.3; year 2: 10 × 0.6 and 10 × 1.2.
    expect(scenarioBand(start, [200, 10])).toEqual([
      {year: 1, low: 160, high: 260},
      {year: 2, low: 6, high: 12}
    ]);
  });
  it("is empty without a band, and leaves out years the start does not cover or values zero", () => {
    expect(scenarioBand({value: [100], low: null, high: null}, [100])).toEqual([]);
    expect(scenarioBand({value: [100, 0], low: [90, 0], high: [110, 0]}, [50, 5, 7])).toEqual([
      {year: 1, low: 45, high: 55}
    ]);
  });
});

describe("scenarioTotalBand(start, scenarioByYear)", () => {
  it("keeps the relative width of the band cumulated to the scenario's horizon", () => {
    const start = {value: [100, 50, 25], cumulative_low: [80, 120, 140], cumulative_high: [130, 190, 215]};
    // Two years: 150 at the start, band 120–190; a scenario worth 300 over two years gets 240–380.
    expect(scenarioTotalBand(start, [200, 100])).toEqual({low: 240, high: 380});
  });
  it("is null without a band or beyond the years it covers", () => {
    expect(scenarioTotalBand({value: [100], cumulative_low: null, cumulative_high: null}, [100])).toBeNull();
    expect(scenarioTotalBand({value: [100], cumulative_low: [90], cumulative_high: [110]}, [50, 5])).toBeNull();
  });
});

describe("addToGroup, mergeGroups, groupValues and acquisitionPeriod(dates)", () => {
  const customers = [
    {channel: "search", month: "2024-01", margin_to_date: 10, clv: 30, acquisition_cost: 20},
    {channel: "email", month: "2024-02", margin_to_date: 4, clv: 6, acquisition_cost: null},
    {channel: "search", month: "2024-05", margin_to_date: 30, clv: 10, acquisition_cost: null},
    {channel: null, month: "2024-06", margin_to_date: 99, clv: 99, acquisition_cost: 99}
  ];
  it("averages margin so far, CLV and the known acquisition costs per group, in group order, leaving out customers without a group", () => {
    const groups = new Map<string, GroupTotals>();
    for (const c of customers) addToGroup(groups, c.channel, c);
    expect(groupValues(groups)).toEqual([
      {group: "email", customers: 1, margin_to_date: 4, clv: 6, acquisition_cost: null},
      // (10 + 30) / 2, (30 + 10) / 2; the one known cost, 20.
      {group: "search", customers: 2, margin_to_date: 20, clv: 20, acquisition_cost: 20}
    ]);
  });
  it("merges months into their quarters with the same means as grouping by quarter at once", () => {
    const months = new Map<string, GroupTotals>();
    for (const c of customers) addToGroup(months, c.month, c);
    const quarterOf = (month: string) => `2024-Q${Math.floor((Number(month.slice(5)) - 1) / 3) + 1}`;
    expect(groupValues(mergeGroups(months, quarterOf))).toEqual([
      // January and February: (10 + 4) / 2, (30 + 6) / 2, the one known cost 20.
      {group: "2024-Q1", customers: 2, margin_to_date: 7, clv: 18, acquisition_cost: 20},
      // May and June: (30 + 99) / 2, (10 + 99) / 2, the one known cost 99.
      {group: "2024-Q2", customers: 2, margin_to_date: 64.5, clv: 54.5, acquisition_cost: 99}
    ]);
  });
  it("names quarters, or years once there are more quarters than the limit", () => {
    const dates = ["2024-01-15", "2024-05-01", "2024-12-31"].map((d) => new Date(d));
    expect(dates.map(acquisitionPeriod(dates))).toEqual(["2024-Q1", "2024-Q2", "2024-Q4"]);
    expect(dates.map(acquisitionPeriod(dates, 2))).toEqual(["2024", "2024", "2024"]);
  });
});

describe("clvBins(values, count)", () => {
  it("counts customers in bins of round widths covering every value", () => {
    // 0…99 in about 10 bins: widths of 10, [0, 10) … [90, 100).
    const bins = clvBins(
      Array.from({length: 100}, (_, i) => i),
      10
    );
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({x0: 0, x1: 10, customers: 10});
    expect(bins[9]).toEqual({x0: 90, x1: 100, customers: 10});
  });
  it("puts a value on a threshold in the bin it starts, the largest value too", () => {
    expect(clvBins([0, 5, 5, 10], 2).map((b) => [b.x0, b.x1, b.customers])).toEqual([
      [0, 5, 1],
      [5, 10, 2],
      [10, 15, 1]
    ]);
  });
});

describe("coarsenGroups(entries, max)", () => {
  // Four groups (T and t_x in weeks): two pairs a fraction of a week apart.
  const groups = [
    {x: 1, tx: 2.1, T: 10.2, customers: 3, spend: 30},
    {x: 1, tx: 1.9, T: 9.9, customers: 1, spend: 12},
    {x: 0, tx: 0, T: 10.4, customers: 2, spend: 20},
    {x: 0, tx: 0, T: 5.6, customers: 5, spend: 50}
  ];
  const columns = (entries: typeof groups) => ({
    x: entries.map((g) => g.x),
    tx: entries.map((g) => g.tx),
    T: entries.map((g) => g.T),
    spend: entries.map((g) => g.spend),
    customers: entries.map((g) => g.customers)
  });
  it("keeps the exact groups, ordered, while they are at most max", () => {
    const {groups: kept, weeks} = coarsenGroups(columns(groups), 4);
    expect(weeks).toBe(0);
    expect(kept.map((g) => [g.x, g.tx, g.T])).toEqual([
      [0, 0, 5.6],
      [0, 0, 10.4],
      [1, 1.9, 9.9],
      [1, 2.1, 10.2]
    ]);
  });
  it("counts each entry as one customer without a customers column, and adds a group's spend in the entries' order", () => {
    const perCustomer = {
      x: [1, 0, 1, 1],
      tx: [2.1, 0, 2.1, 2.1],
      T: [10.2, 5.6, 10.2, 10.2],
      spend: [0.1, 5, 0.2, 0.3]
    };
    // 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floating point; 0.3 + 0.2 + 0.1 would be 0.6.
    expect(coarsenGroups(perCustomer, 10)).toEqual({
      weeks: 0,
      groups: [
        {x: 0, tx: 0, T: 5.6, customers: 1, spend: 5},
        {x: 1, tx: 2.1, T: 10.2, customers: 3, spend: 0.6000000000000001}
      ]
    });
  });
  it("rounds t_x and T to the finest number of weeks that gets under max, adding customers and spend", () => {
    // Whole weeks: (0, 0, 6), (0, 0, 10), and (1, 2, 10) twice: three groups.
    expect(coarsenGroups(columns(groups), 3)).toEqual({
      weeks: 1,
      groups: [
        {x: 0, tx: 0, T: 6, customers: 5, spend: 50},
        {x: 0, tx: 0, T: 10, customers: 2, spend: 20},
        {x: 1, tx: 2, T: 10, customers: 4, spend: 42}
      ]
    });
    // Under 2 is out of reach: four weeks leave four groups (T 4, 12, 8 and 12), thirteen three
    // (T 5.6 → 0, 10.4, 10.2 and 9.9 → 13; t_x 2.1 and 1.9 → 0), the coarsest there is.
    expect(coarsenGroups(columns(groups), 2)).toEqual({
      weeks: 13,
      groups: [
        {x: 0, tx: 0, T: 0, customers: 5, spend: 50},
        {x: 0, tx: 0, T: 13, customers: 2, spend: 20},
        {x: 1, tx: 0, T: 13, customers: 4, spend: 42}
      ]
    });
  });
});

describe("equityHeadline(figures, unidentified, currency)", () => {
  const figures = {customers: 6000, years: 3, todaysCustomers: 707_234.6, gain: 0.05, gainValue: 101_890.4};
  it("says what today's customers are worth and what losing fewer of them would add", () => {
    expect(equityHeadline(figures, [], "USD")).toBe(
      "Today's 6,000 customers are worth $707,235 over the next 3 years; losing 5 % fewer of them after each purchase would add $101,890 to customer equity."
    );
  });

  it("withholds the retention gain, and says why, where the data cannot tell dropout", () => {
    expect(equityHeadline(figures, ["dropout"], "GBP")).toBe(
      "Today's 6,000 customers are worth £707,235 over the next 3 years. This data cannot tell how many customers stop buying, so this page does not say what keeping more of them would add."
    );
    // Another part the data cannot tell leaves the retention gain standing.
    expect(equityHeadline(figures, ["spend spread"], "USD")).toContain("would add $101,890");
  });
});

describe("equityValuation({customers, repeatBuyers, unidentified, value})", () => {
  const healthy = {customers: 2357, repeatBuyers: 1411, unidentified: [], value: 1234.5};
  it("values customers at and above the rule (70 customers, 40 repeat buyers: ten per parameter)", () => {
    expect(equityValuation(healthy)).toEqual({valued: true});
    expect(equityValuation({...healthy, customers: 70, repeatBuyers: 40})).toEqual({valued: true});
  });

  it("one customer or one repeat buyer short of the rule is too few, said with the counts", () => {
    expect(equityValuation({...healthy, customers: 69, repeatBuyers: 40})).toEqual({
      valued: false,
      reason: "too few",
      sentence:
        "There are too few customers to value: 69 customers, 40 of whom bought more than once, where the models need at least 70 and 40."
    });
    expect(equityValuation({...healthy, customers: 5000, repeatBuyers: 39})).toMatchObject({reason: "too few"});
  });

  it("cannot value where the spread of purchase rates is not told, or the value is not a number", () => {
    expect(equityValuation({...healthy, unidentified: ["purchase rate spread", "dropout"]})).toMatchObject({
      valued: false,
      reason: "cannot value"
    });
    expect(equityValuation({...healthy, value: NaN})).toMatchObject({valued: false, reason: "cannot value"});
    // Dropout alone leaves the value standing (the page withholds the retention gain).
    expect(equityValuation({...healthy, unidentified: ["dropout"]})).toEqual({valued: true});
  });
});

describe("withheldHeadline(sentence, observed, currency)", () => {
  it("adds the recent complete months' spend and margin a month, in the source's currency", () => {
    // £120,000 over eight months is £15,000 a month; margin £36,000 is £4,500.
    const months = {months: 8, dates: "Apr 2024 – Nov 2024"};
    expect(withheldHeadline("Not valued.", {active: 250, revenue: 120_000, margin: 36_000, ...months}, "GBP")).toBe(
      "Not valued. What the data do say: in Apr 2024 – Nov 2024, 250 customers bought £15,000 a month, £4,500 of it margin."
    );
    expect(withheldHeadline("Not valued.", {active: 0, revenue: 0, margin: 0, ...months}, "EUR")).toBe(
      "Not valued. No customer bought in Apr 2024 – Nov 2024."
    );
    expect(withheldHeadline("Not valued.", {active: 0, revenue: 0, margin: 0, months: 0, dates: ""}, "EUR")).toBe(
      "Not valued. The data hold no complete month to say what customers spend."
    );
  });
});

describe("fitWarnings(health)", () => {
  it("says in plain words, once each, what the data cannot tell, and something where a fit did not settle", () => {
    expect(
      fitWarnings([
        {ok: false, unidentified: ["dropout"]},
        {ok: false, unidentified: ["dropout", "spend spread"]}
      ])
    ).toEqual([
      "This data cannot tell how many customers stop buying, and so how likely each customer is to still be buying.",
      "This data cannot tell how much customers differ in what they usually spend per purchase."
    ]);
    expect(fitWarnings([{ok: false, unidentified: []}])).toEqual([
      "The models did not settle on this data, so their figures are less certain than they look."
    ]);
    expect(fitWarnings([{ok: true, unidentified: []}])).toEqual([]);
  });
});
