// Customers grouped for the profit page's tables: deciles, value tiers and the four types.
import {decileIndices} from "./concentration.js";
import {customerType, customerTypes, valueTierOf, valueTiers, type CustomerType, type ValueTier} from "./customerTypes.js";
import type {DecileRow} from "./profitCharts.js";

interface Customer {
  profit: number;
  revenue: number;
  orders: number;
}

const sum = <T>(items: readonly T[], value: (item: T) => number) => items.reduce((total, item) => total + value(item), 0);

/**
 * Deciles by profit (decileIndices): customers, revenue, profit, share of total profit, the
 * running share, and average order value (revenue / orders; NaN without orders).
 */
export function decileRows(customers: readonly Customer[]): DecileRow[] {
  const total = sum(customers, (c) => c.profit);
  let cumulative = 0;
  return decileIndices(customers, (c) => c.profit).map((indices, d) => {
    const members = indices.map((i) => customers[i]!);
    const profit = sum(members, (c) => c.profit);
    const revenue = sum(members, (c) => c.revenue);
    const orders = sum(members, (c) => c.orders);
    cumulative += profit;
    return {decile: d + 1, customers: members.length, revenue, profit, share: profit / total, cumulative: cumulative / total, averageOrder: orders > 0 ? revenue / orders : NaN};
  });
}

export interface GroupRow<G> {
  group: G;
  customers: number;
  profit: number;
  /** Share of total profit (negative for a group that loses money). */
  share: number;
}

function groupRows<G extends string>(groups: readonly G[], of: readonly G[], customers: readonly Customer[]): GroupRow<G>[] {
  const total = sum(customers, (c) => c.profit);
  return groups.map((group) => {
    const members = customers.filter((_, i) => of[i] === group);
    const profit = sum(members, (c) => c.profit);
    return {group, customers: members.length, profit, share: profit / total};
  });
}

/** Customers and profit per value tier (valueTierOf), in tier order. */
export function tierRows(customers: readonly Customer[]): GroupRow<ValueTier>[] {
  return groupRows(valueTiers, valueTierOf(customers.map((c) => c.profit)), customers);
}

/** Customers and profit per customer type, given each customer's loyalty and the thresholds. */
export function typeRows(customers: readonly (Customer & {loyalty: number})[], thresholds: {profit: number; loyalty: number}): GroupRow<CustomerType>[] {
  return groupRows(customerTypes, customers.map((c) => customerType(c.profit, c.loyalty, thresholds)), customers);
}
