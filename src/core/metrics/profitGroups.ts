// Customers grouped for the profit page's tables: deciles, value tiers and the four types.
import {decileIndices} from "./concentration.js";
import {
  customerType,
  customerTypes,
  valueTierOf,
  valueTiers,
  type CustomerType,
  type ValueTier
} from "./customerTypes.js";

/** One decile of customers by profit (decileRows). */
export interface DecileRow {
  decile: number;
  customers: number;
  revenue: number;
  profit: number;
  share: number;
  cumulative: number;
  averageOrder: number;
}

interface Customer {
  profit: number;
  revenue: number;
  orders: number;
}

/**
 * Customers' profit, revenue and orders, a column each (entry i is customer i's): the
 * loader holds a million customers in 24 MB of typed arrays, where row objects take hundreds.
 */
export interface ProfitColumns {
  profit: Column;
  revenue: Column;
  orders: Column;
}

/** An array or a typed array of numbers. */
type Column = ArrayLike<number> & Iterable<number>;

/** Row objects (as the browser's DuckDB gives them) as columns. */
export const profitColumns = (customers: readonly Customer[]): ProfitColumns => ({
  profit: customers.map((c) => c.profit),
  revenue: customers.map((c) => c.revenue),
  orders: customers.map((c) => c.orders)
});

/** Σ column[i] over indices (every entry when none are given), in their order. */
function sumOf(column: ArrayLike<number>, indices?: readonly number[]): number {
  let total = 0;
  if (indices) for (const i of indices) total += column[i]!;
  else for (let i = 0; i < column.length; i++) total += column[i]!;
  return total;
}

/**
 * Deciles by profit (decileIndices): customers, revenue, profit, share of total profit, the
 * running share, and average order value (revenue / orders; NaN without orders).
 */
export function decileRows({profit, revenue, orders}: ProfitColumns): DecileRow[] {
  const total = sumOf(profit);
  let cumulative = 0;
  return decileIndices(profit, (p) => p).map((indices, d) => {
    const decileProfit = sumOf(profit, indices);
    const decileRevenue = sumOf(revenue, indices);
    const decileOrders = sumOf(orders, indices);
    cumulative += decileProfit;
    return {
      decile: d + 1,
      customers: indices.length,
      revenue: decileRevenue,
      profit: decileProfit,
      share: decileProfit / total,
      cumulative: cumulative / total,
      averageOrder: decileOrders > 0 ? decileRevenue / decileOrders : NaN
    };
  });
}

export interface GroupRow<G> {
  group: G;
  customers: number;
  profit: number;
  /** Share of total profit (negative for a group that loses money). */
  share: number;
}

/** Customers and profit per group (customer i in group of[i]), in the order of groups. */
function groupRows<G extends string>(groups: readonly G[], of: readonly G[], profit: ArrayLike<number>): GroupRow<G>[] {
  const total = sumOf(profit);
  return groups.map((group) => {
    let customers = 0;
    let groupProfit = 0;
    for (let i = 0; i < of.length; i++) {
      if (of[i] !== group) continue;
      customers++;
      groupProfit += profit[i]!;
    }
    return {group, customers, profit: groupProfit, share: groupProfit / total};
  });
}

/** Customers and profit per value tier (valueTierOf), in tier order. */
export function tierRows(profit: ArrayLike<number>): GroupRow<ValueTier>[] {
  return groupRows(valueTiers, valueTierOf(profit), profit);
}

/** Customers and profit per customer type, given each customer's loyalty and the thresholds. */
export function typeRows(
  customers: readonly (Customer & {loyalty: number})[],
  thresholds: {profit: number; loyalty: number}
): GroupRow<CustomerType>[] {
  return groupRows(
    customerTypes,
    customers.map((c) => customerType(c.profit, c.loyalty, thresholds)),
    customers.map((c) => c.profit)
  );
}
