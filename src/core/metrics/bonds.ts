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

/** A group of bondGroups: a bond's holders ("with") or the other customers ("without"). */
export type BondGroupName = (typeof bondGroups)[keyof typeof bondGroups];

/** The age, in months since the first month, at which the table reads each group's retention curve: a year on. */
export const bondYearOn = 12;

/** A row of retention_bonds.csv: one bond's holders or other customers. Figures a group lacks are null. */
export interface BondRow {
  bond: string;
  kind: BondKind;
  group: BondGroupName;
  customers: number;
  /** The group's share of all customers, Wilson 95 % interval (the others': one less the holders'). */
  share: number;
  share_low: number;
  share_high: number;
  /** The group's customers whose month a year after their first is observed, and the share of them active then (Wilson 95 %). */
  year_on_customers: number | null;
  year_on: number | null;
  year_on_low: number | null;
  year_on_high: number | null;
  /** Mean CLV and mean P(active) over the group's customers with one, normal 95 % interval of the mean. */
  clv: number | null;
  clv_low: number | null;
  clv_high: number | null;
  p_alive: number | null;
  p_alive_low: number | null;
  p_alive_high: number | null;
}

/** A row of retention_bond_curves.csv: one bond's group at one age (months since the first month), Wilson 95 %. */
export interface BondCurveRow {
  bond: string;
  group: BondGroupName;
  age: number;
  customers: number;
  active: number;
  share: number;
  low: number;
  high: number;
}

/** A finite number, else null (a figure nobody's data gives). */
const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** compareBonds' comparisons as rows, two per bond (holders, then the others), for a file and a table. */
export function bondRows(comparisons: readonly BondComparison[]): BondRow[] {
  return comparisons.flatMap((c) =>
    ([bondGroups.with, bondGroups.without] as const).map((group) => {
      const figures = group === bondGroups.with ? c.with : c.without;
      const yearOn = figures?.retention.find((r) => r.age === bondYearOn);
      const holders = group === bondGroups.with;
      return {
        bond: c.name,
        kind: c.kind,
        group,
        customers: holders ? c.holders.k : c.holders.n - c.holders.k,
        share: holders ? c.holders.share : 1 - c.holders.share,
        share_low: holders ? c.holders.low : 1 - c.holders.high,
        share_high: holders ? c.holders.high : 1 - c.holders.low,
        year_on_customers: yearOn?.n ?? null,
        year_on: finite(yearOn?.share),
        year_on_low: finite(yearOn?.low),
        year_on_high: finite(yearOn?.high),
        clv: finite(figures?.clv.mean),
        clv_low: finite(figures?.clv.low),
        clv_high: finite(figures?.clv.high),
        p_alive: finite(figures?.pAlive.mean),
        p_alive_low: finite(figures?.pAlive.low),
        p_alive_high: finite(figures?.pAlive.high)
      };
    })
  );
}

/** compareBonds' retention curves as rows: per bond, group and age. */
export function bondCurveRows(comparisons: readonly BondComparison[]): BondCurveRow[] {
  return comparisons.flatMap((c) =>
    ([bondGroups.with, bondGroups.without] as const).flatMap((group) =>
      ((group === bondGroups.with ? c.with : c.without)?.retention ?? []).map((r) => ({
        bond: c.name,
        group,
        age: r.age,
        customers: r.n,
        active: r.k,
        share: r.share,
        low: r.low,
        high: r.high
      }))
    )
  );
}
