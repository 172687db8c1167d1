// The site's pages, one spec each: the page src/<key>.md, its place in the navigation, the
// loader function that writes its files (loaders/site/<key>.ts) and the headline figure it
// gives the overview's cards and the segment reports. Everything that lists pages derives
// from this list: the config's navigation, the site archive, the segment reports and the tests.
import type {PreviousFigure} from "./metrics/figureChange.js";
import type {MonthSpan} from "./sql/dataEdges.js";
import type {CustomerState} from "./sql/customerStates.js";

export interface PageSpec {
  /** The page is src/<key>.md (the overview: src/index.md); its files come from loaders/site/<key>.ts. */
  readonly key: string;
  /** Its title in the navigation. */
  readonly name: string;
  /** Its address on the site. */
  readonly path: string;
  /** Whether it has a loader function of its own; the segment reports' files are written after every other page's, from their figures. */
  readonly loader: boolean;
  /**
   * The files of the site's archive it writes (loaders/site/<key>.ts; the segment reports':
   * reports.json, and report-<kind>-<slug>.json for each slice), which any page may read as
   * data/source/<file>. The archive refuses a loader that writes a file its spec does not name. A file that grows with
   * the customers or the survey's answers ships gzipped (<name>.csv.gz, <name>.json.gz): a page reads it through
   * src/components/gunzippedCsv.ts.
   */
  readonly files: readonly string[];
  /** Whether it has a headline figure (PageFigures[key]), shown on the overview's card and repeated for each segment report's slice. */
  readonly figure: boolean;
}

/** The pages in the navigation's order; a page's loader runs in the order the archive lists them. */
export const pages = [
  {
    key: "overview",
    name: "Overview",
    path: "/",
    loader: true,
    figure: false,
    files: ["daily_sales.csv", "sales_by_week.csv", "sales_by_month.csv", "sales_by_quarter.csv"]
  },
  {
    key: "profit",
    name: "Profit",
    path: "/profit",
    loader: true,
    figure: true,
    files: ["customer_months.csv.gz", "customer_profit.csv.gz", "profit_profile.json"]
  },
  {
    key: "retention",
    name: "Retention",
    path: "/retention",
    loader: true,
    figure: true,
    files: [
      "retention_days.csv.gz",
      "retention_settings.csv",
      "retention_growth_week.csv",
      "retention_growth_month.csv",
      "retention_growth_quarter.csv",
      "retention_bucket.csv",
      "retention_cohorts_month.csv",
      "retention_cohorts_quarter.csv",
      "retention_curves_year_month.csv",
      "retention_curves_year_quarter.csv",
      "retention_curves_channel_month.csv",
      "retention_curves_channel_quarter.csv",
      "retention_window_week.csv",
      "retention_window_month.csv",
      "retention_window_quarter.csv",
      "retention_states.csv",
      "retention_state_value.csv",
      "retention_warning.csv.gz",
      "retention_ladder.csv",
      "retention_ladder_climbs.csv",
      "retention_bonds.csv",
      "retention_bond_curves.csv",
      "retention_bond_holders.csv.gz"
    ]
  },
  {
    key: "satisfaction",
    name: "Satisfaction",
    path: "/satisfaction",
    loader: true,
    figure: true,
    files: [
      "satisfaction_responses.csv.gz",
      "satisfaction_gaps.csv",
      "satisfaction_cells.csv.gz",
      "satisfaction_importance.csv.gz",
      "satisfaction_importance_all.csv",
      "satisfaction_deliveries.csv.gz",
      "satisfaction_delivery_link.json",
      "satisfaction_late.csv",
      "satisfaction_late_scores.csv.gz",
      "satisfaction_lateness.csv",
      "satisfaction_referrals.csv.gz",
      "satisfaction_referrers.csv.gz",
      "satisfaction_acquisition.csv"
    ]
  },
  {
    key: "equity",
    name: "Customer equity",
    path: "/equity",
    loader: true,
    figure: true,
    files: ["customer_clv.csv.gz", "equity.json", "equity_groups.csv.gz", "equity_slices.json.gz"]
  },
  {
    key: "lifecycle",
    name: "Lifecycle",
    path: "/lifecycle",
    loader: true,
    figure: true,
    files: [
      "lifecycle_settings.csv",
      "lifecycle_counts.csv",
      "lifecycle_flows.csv",
      "lifecycle_durations.csv",
      "lifecycle_declined.csv.gz"
    ]
  },
  // Reads other pages' files: one customer's rows of them, asked of DuckDB-WASM.
  {key: "customer", name: "Customer profile", path: "/customer", loader: false, figure: false, files: []},
  {
    key: "explore",
    name: "Explore",
    path: "/explore",
    loader: true,
    figure: false,
    files: [
      "explore.json",
      "explore_customers.csv.gz",
      "explore_transactions.csv.gz",
      "explore_feedback.csv.gz",
      "explore_prospects.csv.gz"
    ]
  },
  {
    key: "quality",
    name: "Data quality",
    path: "/quality",
    loader: true,
    figure: false,
    files: ["rejects_sample.csv", "returns_netting.csv"]
  },
  {key: "reports", name: "Segment reports", path: "/reports", loader: false, figure: false, files: ["reports.json"]}
] as const satisfies readonly PageSpec[];

/**
 * The archive's files that are no one page's: what the source says of itself and of its
 * rows (source.json, quality.json, customer_summary.csv.gz), whether per-customer files are a
 * sample (browser_sample.json), and every page's figure (kpis.json).
 */
export const sharedFiles = [
  "source.json",
  "quality.json",
  "customer_summary.csv.gz",
  "browser_sample.json",
  "kpis.json"
] as const;

type Spec = (typeof pages)[number];
export type PageKey = Spec["key"];
/** The pages whose files come from a loader function of their own. */
export type LoaderPage = Extract<Spec, {loader: true}>["key"];
/** The pages with a headline figure: the overview's cards and the segment reports. */
export type FigurePage = Extract<Spec, {figure: true}>["key"];

/** The pages with a headline figure, in the navigation's order. */
export const figurePages = pages.filter((page): page is Extract<Spec, {figure: true}> => page.figure);

/**
 * Each page's headline figure, as its loader returns it and kpis.json holds it (JSON has no
 * NaN or Infinity: a ratio with nothing to divide by is null there).
 */
export interface PageFigures {
  /** loaders/site/profit.ts: profitKpis (src/core/metrics/profitProfile.ts) and gross profit by month. */
  profit: {
    customers: number;
    top20Share: number | null;
    lossMakingShare: number | null;
    total: number;
    /** Gross profit in each of the last 12 complete months with sales (trendMonths). */
    trend: number[];
    /** The complete months the trend covers (dataEdges.ts). */
    trendMonths: MonthSpan;
    /** The top-20 share over the data as they stood a year earlier (dataYearEarlier, dataEdges.ts). */
    previous: PreviousFigure;
  };
  /** loaders/site/retention.ts: the leaky bucket over the last (up to) 12 complete months, each customer once (bucketWindowSql, src/core/sql/retentionSql.ts). */
  retention: {
    period: "month";
    months: number;
    /** Customers who bought before the window's end: new + won back, and lost, are each at most this. */
    customers: number;
    new: number;
    reactivated: number;
    lost: number;
    /** (new + reactivated) / lost; null with none lost. */
    quickRatio: number | null;
    /** Each month's quick ratio (per-month flows, as the page's bars). */
    trend: (number | null)[];
    /** The first day of the first and of the last month counted: the last (up to) 12 complete months after the data's first month (dataEdges.ts). */
    from: string | null;
    to: string | null;
    /** The customer states at the last complete month end and the one before (customerStatesSql, src/core/sql/retentionSql.ts). */
    states: {
      monthEnd: string;
      previousMonthEnd: string;
      /** Customers in each state (customerStates.ts) at the month end, and at the month end before. */
      counts: Partial<Record<CustomerState, number>>;
      previous: Partial<Record<CustomerState, number>>;
      /** Slipping away (at risk or lapsed): the call list's length, now and at the month end before. */
      slipping: number;
      previousSlipping: number;
      /** The call list's value at stake (rankWarningSql): CLV, or the past year's spend without a model (ranking). */
      valueAtStake: number;
      ranking: "value" | "spend";
    };
    /** The quick ratio over the window before (previousBucketWindow, src/core/sql/retentionSql.ts). */
    previous: PreviousFigure;
  };
  /** loaders/site/satisfaction.ts: NPS with its interval and quarterly trend; only the count without survey answers. */
  satisfaction: {
    responses: number;
    nps?: number | null;
    npsLow?: number | null;
    npsHigh?: number | null;
    /** Share of the survey's answers below expectation (beyond the tolerance). */
    belowShare?: number | null;
    /** NPS by quarter. */
    trend?: (number | null)[];
    /** NPS over the answers given by the end of the data a year earlier (dataYearEarlier, dataEdges.ts). */
    previous?: PreviousFigure;
  };
  /** loaders/site/equity.ts: the value of today's customers over the default horizon, the sum of their CLV (customerValuation, src/core/models/customerLifetimeValue.ts). */
  equity: {
    customers: number;
    /** null where the models cannot value the customers (equityValuation), and withheld says why. */
    currentValue: number | null;
    meanClv: number | null;
    withheld?: string;
    /** Their value in each year from today. */
    trend: number[];
    /** None: the models are fitted once, at the data's end (fittedOnce). */
    previous: PreviousFigure;
  };
  /** loaders/site/lifecycle.ts: customers per stage at the last month end. */
  lifecycle: {
    monthEnd: string | null;
    customers: number;
    counts: Record<string, number>;
    /** Share of the customers seen by the last month end who are in decline (slipping now, not yet lost). */
    declineShare: number | null;
    /** The headline: the monthly inflow into decline, customers who entered decline at the last month end. */
    newlyDeclined: number;
    /** The monthly inflow into decline at each of the last 12 month ends (from the second month end on). */
    trend: number[];
    /** The inflow into decline at the month end before. */
    previous: PreviousFigure;
  };
}

/** kpis.json: each figure page's figure (absent where the data cannot give it, such as a slice too small for the models). */
export type SiteFigures = Partial<PageFigures>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while the pages that declare a figure are exactly those PageFigures types. */
export const figuresTyped: Same<FigurePage, keyof PageFigures> = true;

/**
 * Whether a view's parameters are the defaults its loader's file was made with, field by
 * field (numbers, strings, booleans, null, and objects of them). A page shows the file at
 * the defaults and asks DuckDB-WASM, with the same builder, otherwise.
 */
export function atDefaults(params: unknown, defaults: unknown): boolean {
  if (params === null || defaults === null || typeof params !== "object" || typeof defaults !== "object")
    return Object.is(params, defaults);
  const keys = new Set([...Object.keys(params), ...Object.keys(defaults)]);
  return [...keys].every((key) =>
    atDefaults((params as Record<string, unknown>)[key], (defaults as Record<string, unknown>)[key])
  );
}
