// What a slice of customers is worth under models refitted on that slice alone (the equity page's
// refit in a Web Worker): the slice's customers grouped by (x, t_x, T) at the data's end, each group's
// expected spend per purchase summed from its repeat buyers' mean spends under the slice's Gamma-Gamma,
// and valued by currentCustomersValue with the slice's BG/NBD, as the loader values every customer.
import type {ClvFit, ShippedClvSummary} from "./clvSummaryFit.js";
import type {CustomerGroup} from "./customerLifetimeValue.js";
import {currentCustomersValue, equityValuation, type EquityValuation} from "./equity.js";
import {newCustomerSpend} from "./gammaGammaExpectedSpend.js";
import type {GammaGammaParams} from "./gammaGammaLikelihood.js";

/**
 * A slice's customers as they ship for its valuation (equity_slices.json.gz): each distinct (x, t_x, T) at the data's
 * end, t_x and T in whole days, with its customers, those of them with a mean repeat spend (x > 0, spend > 0) and
 * the sum of those means (valueGroupsSql).
 */
export interface ShippedValueGroups {
  x: number[];
  t_x_days: number[];
  T_days: number[];
  customers: number[];
  repeat_buyers: number[];
  repeat_spend: number[];
}

/** One slice's refit inputs. */
export interface SliceRefitInputs {
  /** What the slice is of (loaders/source/slices.ts: channel, segment). */
  kind: string;
  name: string;
  /** The slice's customers who bought before the data's end (those the fit on all the data counts). */
  customers: number;
  /** The summaries at the data's end (holdout none) and at the cut-off (holdout to the data's end). */
  full: ShippedClvSummary;
  validation: ShippedClvSummary;
  /** The customers at the data's end by (x, t_x, T), with their repeat buyers' spends, for the slice's value. */
  value: ShippedValueGroups;
}

/**
 * The groups for currentCustomersValue: each group's Σ of its customers' expected spend per purchase. A repeat buyer's
 * is Gamma-Gamma's conditional mean (γ + m_x·x)·p/(p·x + q − 1) (Fader, Hardie & Lee 2005, JMR 42(4); Fader & Hardie
 * 2013, eq. 5; gammaGammaExpectedSpend.ts), linear in m_x, so a group's sum is (b·γ + x·Σm_x)·p/(p·x + q − 1) over
 * its b repeat buyers; every other customer (or all, where that mean does not exist) spends `newCustomer`, as
 * expectedSpendPerPurchase has it.
 *
 * @example valueGroupsOf({x: [2], t_x_days: [14], T_days: [70], customers: [3], repeat_buyers: [2], repeat_spend: [50]},
 *   {p: 6, q: 4, gamma: 15}, 30) // spend (2·15 + 2·50)·6/15 + 1·30 = 82, tx 2, T 10
 */
export function valueGroupsOf(
  groups: ShippedValueGroups,
  gammaGamma: GammaGammaParams | undefined,
  newCustomer: number
): CustomerGroup[] {
  return groups.x.map((x, k) => {
    const customers = groups.customers[k]!;
    const repeatBuyers = groups.repeat_buyers[k]!;
    const denominator = gammaGamma ? gammaGamma.p * x + gammaGamma.q - 1 : NaN;
    const conditional = x > 0 && repeatBuyers > 0 && denominator > 0;
    const spend = conditional
      ? ((repeatBuyers * gammaGamma!.gamma + x * groups.repeat_spend[k]!) * gammaGamma!.p) / denominator +
        (customers - repeatBuyers) * newCustomer
      : customers * newCustomer;
    return {x, tx: groups.t_x_days[k]! / 7, T: groups.T_days[k]! / 7, customers, spend};
  });
}

/** The slice's value under its refitted models, and whether the models value it at all (equityValuation). */
export interface SliceValue {
  customers: number;
  repeatBuyers: number;
  /** Today's customers of the slice: their discounted margin over the horizon; NaN where not valued. */
  value: number;
  valuation: EquityValuation;
}

/**
 * Values a slice's customers with the fit on all its data (refitSlice's `full`), over the page's horizon, margin and
 * discount rate: no retention gain, no customers still to win. A new customer's spend is Gamma-Gamma's mean, else the
 * slice's repeat buyers' mean (newCustomerSpend).
 */
export function sliceValue(
  groups: ShippedValueGroups,
  fit: ClvFit,
  {margin, annualDiscountRate, years}: {margin: number; annualDiscountRate: number; years: number}
): SliceValue {
  const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
  const customers = sum(groups.customers);
  const repeatBuyers = sum(groups.customers.filter((_, k) => groups.x[k]! > 0));
  const gammaGamma = fit.gamma_gamma?.params;
  const buyersWithSpend = sum(groups.repeat_buyers);
  const newCustomer = newCustomerSpend(gammaGamma, buyersWithSpend ? sum(groups.repeat_spend) / buyersWithSpend : 0);
  const unidentified = [...fit.bgnbd.health.unidentified, ...(fit.gamma_gamma?.health.unidentified ?? [])];
  const value = currentCustomersValue(valueGroupsOf(groups, gammaGamma, newCustomer), {
    params: fit.bgnbd.params,
    margin,
    annualDiscountRate,
    years,
    retentionGain: 0,
    acquisitionsPerMonth: 0,
    acquisitionCost: 0,
    newCustomerSpend: newCustomer
  });
  const valuation = equityValuation({customers, repeatBuyers, unidentified, value});
  return {customers, repeatBuyers, value: valuation.valued ? value : NaN, valuation};
}
