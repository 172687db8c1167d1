// Bonds and what goes with them: per bond a source declares, the share of customers who hold
// it, and for holders and the others their count, retention by age (cohortSql grouped by the
// bond), mean CLV and mean P(active), each with a 95 % interval. These are associations in
// observational data, not effects: holders differ in other ways too (they may join a loyalty
// scheme because they already buy often). Only a holdout (the bond offered to a random part
// of the customers) or a staggered rollout (offered to groups at random times) shows its effect.
import {meanIntervalFromSums, type MeanInterval} from "./gap.js";
import {wilsonInterval, type Proportion} from "./satisfactionLink.js";
import type {BondValueRow} from "../sql/bondSql.js";
import {bondGroups, type CohortRow} from "../sql/retentionSql.js";

/**
 * Bond kinds (Berry & Parasuraman 1991, Marketing Services, ch. 8: three levels of relationship
 * marketing): financial (loyalty schemes, subscriptions, volume discounts), social (personal
 * contact, community) and structural (integrations, equipment, standing orders, app accounts).
 */
export const bondKinds = ["financial", "social", "structural"] as const;
export type BondKind = (typeof bondKinds)[number];

export interface DeclaredBond {
  name: string;
  kind: BondKind;
}

/** One age of a retention curve: of the customers observed at that age, the share active, with its Wilson interval. */
export type RetentionPoint = Proportion & {age: number};

/** Holders of a bond, or the other customers. */
export interface BondGroup {
  customers: number;
  /** Mean CLV over the group's customers with one, normal 95 % interval of the mean. */
  clv: MeanInterval;
  /** Mean P(active) over the group's customers with one, normal 95 % interval of the mean. */
  pAlive: MeanInterval;
  retention: RetentionPoint[];
}

export interface BondComparison extends DeclaredBond {
  /** Holders among all customers, Wilson 95 % interval. */
  holders: Proportion;
  /** null where nobody (or everybody) holds it: no comparison. */
  with: BondGroup | null;
  without: BondGroup | null;
}

/** A query's row as it arrives: typed (DuckDB-WASM) or as text (a CSV file). */
type Loose<T> = {readonly [K in keyof T]?: T[K] | string};

/**
 * The comparison for each declared bond, in the declared order, from bondValueSql's rows and
 * each bond's cohortSql rows grouped by it ({bond: name}). A bond no customer holds has holders
 * 0 of all customers and no groups.
 */
export function compareBonds(
  declared: readonly DeclaredBond[],
  values: readonly Loose<BondValueRow>[],
  retention: Readonly<Record<string, readonly Loose<CohortRow>[]>>
): BondComparison[] {
  const customers = values.length
    ? values.filter((v) => v.bond === values[0]?.bond).reduce((sum, v) => sum + Number(v.customers), 0)
    : 0;
  return declared.map(({name, kind}) => {
    const rows = values.filter((v) => v.bond === name);
    const holds = (v: Loose<BondValueRow>) => String(v.holds) === "true";
    const group = (row: Loose<BondValueRow> | undefined, label: string): BondGroup | null =>
      row === undefined
        ? null
        : {
            customers: Number(row.customers),
            clv: meanIntervalFromSums(Number(row.clv_n), Number(row.clv_sum), Number(row.clv_squares)),
            pAlive: meanIntervalFromSums(Number(row.p_alive_n), Number(row.p_alive_sum), Number(row.p_alive_squares)),
            retention: (retention[name] ?? [])
              .filter((r) => r.group === label)
              .map((r) => ({age: Number(r.age), ...wilsonInterval(Number(r.active), Number(r.customers))}))
          };
    const withRow = rows.find(holds);
    const withoutRow = rows.find((v) => !holds(v));
    return {
      name,
      kind,
      holders: wilsonInterval(withRow ? Number(withRow.customers) : 0, customers),
      with: withoutRow ? group(withRow, bondGroups.with) : null,
      without: withRow ? group(withoutRow, bondGroups.without) : null
    };
  });
}

/** What a source without bonds could collect, by kind: a short list for the page. */
export const bondsToCollect: Readonly<Record<BondKind, string>> = {
  financial: "loyalty-scheme membership, subscriptions or standing orders, volume-discount or contract terms",
  social: "an account manager or named contact, community or event membership, personal service contacts",
  structural: "integrations or API use, an app account, equipment bought or leased, automatic reorders"
};
