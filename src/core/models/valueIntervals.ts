// Intervals of the customer-equity figures from the parameters' uncertainty: each figure valued
// at every draw of both models' parameters (parameterDraws.ts) exactly as at the estimates, and
// the interval its central quantiles (R-7, as d3.quantile). They carry the uncertainty of the
// fitted parameters of BG/NBD and Gamma-Gamma, and nothing else: not a customer's own chance
// behaviour (a customer expected to make 2.4 purchases may make 0 or 6), not a model that is
// wrong for the business, not a change of margin or discount rate.
import {quantileSorted} from "d3";
import {bgnbdProbabilityAlive} from "./bgnbdProbabilityAlive.js";
import {bgnbdExpectedPurchasesIfAlive} from "./bgnbdConditionalExpectedPurchases.js";
import {
  clvFromParts,
  discountedPurchasesIfAliveByPeriod,
  horizonPurchases,
  memoizedByXT,
  type ClvOptions,
  type CustomerGroup
} from "./customerLifetimeValue.js";
import {currentCustomersValueByYear, type EquityInputs} from "./equity.js";
import {expectedSpendPerPurchase, newCustomerSpend} from "./gammaGammaExpectedSpend.js";
import type {ParameterDraw} from "./parameterDraws.js";

/** The intervals' coverage: 80 % of the draws between their ends. */
export const intervalLevel = 0.8;

/**
 * What an interval here includes and leaves out, in a manager's words (the equity page's and a customer's).
 *
 * @example intervalMeaning(0.8) // "The 80 % ranges carry the uncertainty in both models' fitted parameters …"
 */
export function intervalMeaning(level: number = intervalLevel): string {
  return `The ${Math.round(level * 100)} % ranges carry the uncertainty in both models' fitted parameters (how often customers buy and stop buying, and what they spend). They leave out each customer's own chance behaviour (a customer expected to make 2.4 purchases may make 0 or 6), a model that is wrong for this business, and changes in margin or discount rate.`;
}

/** A figure's interval. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * The central `level` interval of a sample: its (1 − level)/2 and (1 + level)/2 quantiles.
 *
 * @example drawInterval([5, 1, 4, 2, 3]) // {low: 1.4, high: 4.6}
 */
export function drawInterval(values: ArrayLike<number>, level: number = intervalLevel): Interval {
  // A typed array sorts numerically without a comparator (quicker), NaN last; d3 reads it, though its types name arrays.
  const sorted = Float64Array.from(values).sort() as unknown as number[];
  return {low: quantileSorted(sorted, (1 - level) / 2) ?? NaN, high: quantileSorted(sorted, (1 + level) / 2) ?? NaN};
}

/** A customer as the models see them: (x, t_x, T) in weeks and their mean repeat spend m_x (null without one). */
export interface CustomerSummary {
  x: number;
  tx: number;
  T: number;
  spend: number | null;
}

/** A customer's CLV and expected purchases in the next 52 weeks at each draw, in the draws' order. */
export interface CustomerValueDraws {
  clv: Float64Array;
  purchasesNextYear: Float64Array;
}

/**
 * A customer's CLV (customerLifetimeValue.ts, with Gamma-Gamma's expected spend, else a new
 * customer's: expectedSpendPerPurchase) and expected purchases in the next 52 weeks (FHL 2005
 * eq. 10, P(alive) × purchases if alive) at each draw, valued as the loader values them at the
 * estimates (the same terms, multiplied in the same order, so the same numbers as customerValuation's).
 * `repeatBuyersMean` stands in for a new customer's spend where a draw's Gamma-Gamma has no mean
 * (newCustomerSpend). Customers who share (x, T) share every draw's purchases if alive: computed
 * for all draws at once, the first time a customer has that (x, T), and read from an array after.
 */
export function customerValueDraws(
  draws: readonly ParameterDraw[],
  {margin = 1, ...options}: ClvOptions,
  repeatBuyersMean: number
): (customer: CustomerSummary) => CustomerValueDraws {
  const newSpends = draws.map(({gammaGamma}) => newCustomerSpend(gammaGamma, repeatBuyersMean));
  const ifAlive = memoizedByXT((x, T) => ({
    // Σ_k of the horizon's discounted purchases (customerValuation's total), and E[Y(52) | alive].
    horizon: Float64Array.from(draws, ({bgnbd}) =>
      horizonPurchases(discountedPurchasesIfAliveByPeriod(bgnbd, {x, T}, options))
    ),
    nextYear: Float64Array.from(draws, ({bgnbd}) => bgnbdExpectedPurchasesIfAlive(bgnbd, 52, x, T))
  }));
  return ({x, tx, T, spend}) => {
    const {horizon, nextYear} = ifAlive(x, T);
    const clv = new Float64Array(draws.length);
    const purchasesNextYear = new Float64Array(draws.length);
    for (let i = 0; i < draws.length; ++i) {
      const {bgnbd, gammaGamma} = draws[i]!;
      const pAlive = bgnbdProbabilityAlive(bgnbd, x, tx, T);
      clv[i] = clvFromParts(margin, expectedSpendPerPurchase(gammaGamma, x, spend, newSpends[i]!), pAlive, horizon[i]!);
      purchasesNextYear[i] = pAlive * nextYear[i]!;
    }
    return {clv, purchasesNextYear};
  };
}

/**
 * Today's customers' value by year (currentCustomersValueByYear) at each draw, from the
 * what-if's groups. A group's spend at a draw is its repeat buyers' Gamma-Gamma expected spend
 * plus a new customer's for the rest: E[M | x, m] is linear in m (gammaGammaExpectedSpend.ts),
 * so a group's repeat buyers (who share x) spend, in all, as many customers of their mean m.
 * `repeatBuyers` are the same groups, in the same order, counting only the customers with a mean
 * repeat spend and summing that spend (coarsenGroups over those columns). T is rounded to whole
 * weeks (t_x to at most T) so that the draws share more (x, T) terms.
 */
export function currentValueByYearDraws(
  groups: readonly CustomerGroup[],
  repeatBuyers: readonly CustomerGroup[],
  inputs: EquityInputs,
  draws: readonly ParameterDraw[],
  repeatBuyersMean: number
): number[][] {
  if (repeatBuyers.length !== groups.length) throw new Error("currentValueByYearDraws: the groups do not match");
  return draws.map(({bgnbd, gammaGamma}) => {
    const newSpend = newCustomerSpend(gammaGamma, repeatBuyersMean);
    const atDraw = groups.map((group, i) => {
      const repeat = repeatBuyers[i]!;
      if (repeat.x !== group.x || repeat.tx !== group.tx || repeat.T !== group.T)
        throw new Error("currentValueByYearDraws: the groups do not match");
      const T = Math.round(group.T);
      const repeatSpend = repeat.customers
        ? repeat.customers * expectedSpendPerPurchase(gammaGamma, group.x, repeat.spend / repeat.customers, newSpend)
        : 0;
      return {
        ...group,
        T,
        tx: Math.min(group.tx, T),
        spend: repeatSpend + (group.customers - repeat.customers) * newSpend
      };
    });
    return currentCustomersValueByYear(atDraw, {...inputs, params: bgnbd});
  });
}
