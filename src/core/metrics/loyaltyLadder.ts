// The loyalty ladder (relationship marketing): prospect → first purchase → repeat buyer →
// loyal → advocate, each step a subset of the one before, with conversion and drop-out.
import {numberLiteral} from "../sql/sql.js";
import type {Dialect} from "../sql/sqlDialect.js";

/** The rule for "loyal": at least this many purchase days (3 repeat purchases). */
export const defaultLoyalPurchases = 4;

export interface LadderSources {
  /** The source has a prospects table (leads, their channel, the customer they became, the referrer). */
  prospects: boolean;
  /** The source has feedback with 0–10 recommendation scores. */
  recommendations: boolean;
}

/** A row of ladderSql: one acquisition channel's count at every step. */
export interface LadderCounts {
  channel: string;
  prospects: number | null;
  buyers: number;
  repeat_buyers: number;
  loyal: number;
  advocates: number | null;
  /** Buyers (at any step) who referred a prospect, and who recommended 9–10. */
  referrers: number | null;
  promoters: number | null;
}

/**
 * SQL counting every step of the ladder per acquisition channel, from retention_days,
 * customer_summary and (where the source has them) canonical_prospects and
 * canonical_feedback:
 *   prospects      every prospect in the prospects table, plus buyers linked to none
 *                  (each buyer was a prospect once); by the prospect's channel;
 *   first purchase customers with a purchase day;
 *   repeat buyer   at least 2 purchase days;
 *   loyal          at least loyalPurchases purchase days;
 *   advocate       loyal, and referred a prospect (prospects.referred_by) or ever
 *                  answered 9–10 to "would you recommend us" (feedback.nps).
 * A step the source cannot fill is NULL. The dialect is not needed yet: the text is the
 * same for DuckDB and PostgreSQL (anti- and semi-joins as LEFT JOINs on distinct ids).
 */
export function ladderSql(_dialect: Dialect, sources: LadderSources, loyalPurchases = defaultLoyalPurchases): string {
  const loyal = numberLiteral(loyalPurchases);
  // Ids from a table the source may lack: none then (its counts are NULL below).
  const ids = (present: boolean, sql: string) => (present ? sql : "SELECT NULL::VARCHAR AS customer_id WHERE false");
  const prospects = sources.prospects
    ? `SELECT coalesce(channel, 'unknown') AS channel, count(*) AS prospects FROM canonical_prospects GROUP BY coalesce(channel, 'unknown')
       UNION ALL
       SELECT p.channel, count(*) FROM people p LEFT JOIN converted v USING (customer_id) WHERE v.customer_id IS NULL GROUP BY p.channel`
    : "SELECT NULL::VARCHAR AS channel, NULL::BIGINT AS prospects WHERE false";
  return `WITH buyers AS (SELECT customer_id, count(*) AS purchases FROM retention_days GROUP BY customer_id),
referrers AS (${ids(sources.prospects, "SELECT DISTINCT referred_by AS customer_id FROM canonical_prospects WHERE referred_by IS NOT NULL")}),
promoters AS (${ids(sources.recommendations, "SELECT DISTINCT customer_id FROM canonical_feedback WHERE nps >= 9")}),
converted AS (${ids(sources.prospects, "SELECT DISTINCT converted_customer_id AS customer_id FROM canonical_prospects WHERE converted_customer_id IS NOT NULL")}),
people AS (
  SELECT b.customer_id, coalesce(c.acquisition_channel::VARCHAR, 'unknown') AS channel, b.purchases,
         r.customer_id IS NOT NULL AS referred, m.customer_id IS NOT NULL AS promoter
  FROM buyers b LEFT JOIN customer_summary c USING (customer_id) LEFT JOIN referrers r USING (customer_id) LEFT JOIN promoters m USING (customer_id)
),
leads AS (SELECT channel, sum(prospects) AS prospects FROM (${prospects}) counted GROUP BY channel),
steps AS (
  SELECT channel, count(*) AS buyers, count(*) FILTER (WHERE purchases >= 2) AS repeat_buyers,
         count(*) FILTER (WHERE purchases >= ${loyal}) AS loyal,
         count(*) FILTER (WHERE purchases >= ${loyal} AND (referred OR promoter)) AS advocates,
         count(*) FILTER (WHERE referred) AS referrers, count(*) FILTER (WHERE promoter) AS promoters
  FROM people GROUP BY channel
)
SELECT coalesce(s.channel, l.channel) AS channel,
       ${sources.prospects ? "coalesce(l.prospects, 0)::INTEGER" : "NULL::INTEGER"} AS prospects,
       coalesce(s.buyers, 0)::INTEGER AS buyers, coalesce(s.repeat_buyers, 0)::INTEGER AS repeat_buyers, coalesce(s.loyal, 0)::INTEGER AS loyal,
       ${sources.prospects || sources.recommendations ? "coalesce(s.advocates, 0)::INTEGER" : "NULL::INTEGER"} AS advocates,
       ${sources.prospects ? "coalesce(s.referrers, 0)::INTEGER" : "NULL::INTEGER"} AS referrers,
       ${sources.recommendations ? "coalesce(s.promoters, 0)::INTEGER" : "NULL::INTEGER"} AS promoters
FROM steps s FULL JOIN leads l USING (channel)
ORDER BY channel`;
}

export const ladderSteps = ["prospect", "first purchase", "repeat buyer", "loyal", "advocate"] as const;
export type LadderStep = (typeof ladderSteps)[number];

/** What data would fill a step the source cannot count. */
export const missingStepData: Partial<Record<LadderStep, string>> = {
  prospect: "a prospects table: every lead with its first contact, channel and the customer it became",
  advocate: "a prospects table naming who referred each lead, or survey answers to “would you recommend us” (0–10)"
};

export interface LadderRow {
  step: LadderStep;
  /** People at this step; null where the source has no data for it. */
  people: number | null;
  /** Share of the step before who reached this one (null for the first step or unknown counts). */
  conversion: number | null;
  /** Share of the step before who stopped there: 1 − conversion. */
  dropOut: number | null;
  /** Share of the first known step who reached this one. */
  ofFirst: number | null;
}

/** Sums channel rows into one (for "all channels"); a step unknown in any row is unknown. */
export function sumLadder(rows: readonly LadderCounts[], channel = "all"): LadderCounts {
  const add = (key: keyof Omit<LadderCounts, "channel">) =>
    rows.some((r) => r[key] === null) ? null : rows.reduce((s, r) => s + (r[key] ?? 0), 0);
  return {
    channel,
    prospects: add("prospects"),
    buyers: add("buyers") ?? 0,
    repeat_buyers: add("repeat_buyers") ?? 0,
    loyal: add("loyal") ?? 0,
    advocates: add("advocates"),
    referrers: add("referrers"),
    promoters: add("promoters")
  };
}

/** The ladder's steps with conversion from the step before and drop-out at it. */
export function ladder(c: LadderCounts): LadderRow[] {
  const counts = [c.prospects, c.buyers, c.repeat_buyers, c.loyal, c.advocates];
  const first = counts.find((n) => n !== null) ?? null;
  return ladderSteps.map((step, i) => {
    const people = counts[i] ?? null;
    const before = i > 0 ? (counts[i - 1] ?? null) : null;
    const conversion = people !== null && before !== null && before > 0 ? people / before : null;
    return {
      step,
      people,
      conversion,
      dropOut: conversion === null ? null : 1 - conversion,
      ofFirst: people !== null && first ? people / first : null
    };
  });
}
