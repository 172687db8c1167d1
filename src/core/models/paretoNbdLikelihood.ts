// Pareto/NBD log-likelihood (Schmittlein, Morrison & Colombo 1987; in the form of Fader,
// Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and related expressions",
// brucehardie.com, eqs. 18–20, and Fader & Hardie 2005, "Implementing the Pareto/NBD model
// given interval-censored data"): purchase rate λ ~ Gamma(r, α), dropout rate μ ~ Gamma(s, β),
//
//   L(r, α, s, β | x, t_x, T) = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ]
//
// where s/(r+s+x) · A₀ = s · I and I is the integral over the unobserved dropout time τ,
//
//   I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ = F(t_x) − F(T),  F(t) = ∫_t^∞ (same) dτ.
//
// FHL's A₀ writes F with 2F1(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+t)), the second parameter s+1
// when α ≥ β and r+x when α < β: the ordering keeps the argument in [0, 1). Here, with
// M = max(α, β), m = min(α, β), e_M and e_m the exponents of (M+τ) and (m+τ) in the
// integrand (r+x for α, s+1 for β), n = r+s+x = e_M + e_m − 1 and z = (M−m)/(M+t), Euler's
// transformation (Abramowitz & Stegun 15.3.3) turns FHL's 2F1(n, e_m; n+1; z) into
// (1−z)^(1−e_m) 2F1(1, e_M; n+1; z), so
//
//   F(t) = (M+t)^−e_M (m+t)^(1−e_m) / n · S(t),  S(t) = Σ_k (e_M)_k / (n+1)_k · z^k,
//
// a series of positive terms whose ratio (e_M+k)/(n+1+k) · z stays below z however large x
// is (FHL's own series grows like (e_m)_k/k! first, slowly for large r+x). Where α = β the
// series is its first term, F(t) = (α+t)^−n / n: the limiting form, with no 0/0, and α − β
// tiny is no harder. The series is summed here with its derivatives (in e_M, e_m and z), so
// value and gradient come from the same terms; F(t_x) − F(T) is taken in logs as
// ln F(t_x) + ln(−expm1(ln F(T) − ln F(t_x))), exactly 0 (ln = −∞) when t_x = T, and every
// power stays in logs, so large x neither overflows nor underflows.
//
//   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln(e^(ln A) + e^(ln sI)),
//   ln A = −(r+x) ln(α+T) − s ln(β+T).
//
// Gradient (ψ = digamma), with w_A = A/(A + sI), w_I = 1 − w_A and c_t = s F(t)/(A + sI):
//   ∂/∂r = ψ(r+x) − ψ(r) + ln α − w_A ln(α+T) + c_{t_x} ∂ln F(t_x)/∂r − c_T ∂ln F(T)/∂r
//   ∂/∂α = r/α − w_A (r+x)/(α+T) + (the same two F terms in α)
//   ∂/∂s = ln β − w_A ln(β+T) + w_I/s + (… in s)
//   ∂/∂β = s/β − w_A s/(β+T) + (… in β)
// with, for each t (S_e, S_z the derivatives of S):
//   ∂ln F/∂e_M = −ln(M+t) − 1/n + S_eM/S       ∂ln F/∂e_m = −ln(m+t) − 1/n + S_em/S
//   ∂ln F/∂M = −e_M/(M+t) + S_z/S · (m+t)/(M+t)²   ∂ln F/∂m = (1−e_m)/(m+t) − S_z/S /(M+t)
import digamma from "@stdlib/math-base-special-digamma";
import gammaln from "@stdlib/math-base-special-gammaln";
import {logAddExp} from "./logSumExp.js";
import type {RfmGroups} from "./rfmGroups.js";

/** Pareto/NBD parameters: purchase rate λ ~ Gamma(shape r, rate α); dropout rate μ ~ Gamma(shape s, rate β). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** The parameter names in the order every array in this module uses. */
export const paretoNbdParamNames = ["r", "alpha", "s", "beta"] as const;

/**
 * A bound on the work of one series: reached only where z is within about 1e-4 of 1 (min(α, β) + t
 * below 1e-4 · max(α, β), far from any fit seen), where the sum is then cut short.
 */
const MAX_TERMS = 100_000;

/** ln F(t), ln(α+t), ln(β+t) at points (x, t), and ∂ln F/∂[r, α, s, β] (4 per point) when asked; ln α, ln β. */
interface TailTable {
  logAlpha: number;
  logBeta: number;
  logF: Float64Array;
  logAlphaT: Float64Array;
  logBetaT: Float64Array;
  dLogF: Float64Array | undefined;
}

/** The table at every (x[p], t[p]); F(t) as in the file header, summed with its derivatives. */
function tailTable(
  {r, alpha, s, beta}: ParetoNbdParams,
  xs: ArrayLike<number>,
  ts: ArrayLike<number>,
  withGradient: boolean
): TailTable {
  const size = xs.length;
  const table = {
    logAlpha: Math.log(alpha),
    logBeta: Math.log(beta),
    logF: new Float64Array(size),
    logAlphaT: new Float64Array(size),
    logBetaT: new Float64Array(size),
    dLogF: withGradient ? new Float64Array(4 * size) : undefined
  };
  const alphaIsMax = alpha >= beta;
  const M = alphaIsMax ? alpha : beta;
  const m = alphaIsMax ? beta : alpha;
  for (let p = 0; p < size; ++p) {
    const x = xs[p]!;
    const t = ts[p]!;
    const eM = alphaIsMax ? r + x : s + 1;
    const em = alphaIsMax ? s + 1 : r + x;
    const n = eM + em - 1;
    const z = (M - m) / (M + t);
    // S = Σ c_k z^k, c_k = (e_M)_k/(n+1)_k; Σ c_k z^k ∂ln c_k/∂e_M and ∂ln c_k/∂e_m; and
    // dS/dz = Σ (k+1) c_{k+1} z^k, which is right at z = 0 too.
    let sum = 0;
    let sumEM = 0;
    let sumEm = 0;
    let sumZ = 0;
    let term = 1;
    let dLogEM = 0;
    let dLogEm = 0;
    for (let k = 0; k < MAX_TERMS; ++k) {
      sum += term;
      const ratio = (eM + k) / (n + 1 + k);
      if (withGradient) {
        sumEM += term * dLogEM;
        sumEm += term * dLogEm;
        sumZ += (k + 1) * term * ratio;
        const inverse = 1 / (n + 1 + k);
        dLogEM += 1 / (eM + k) - inverse;
        dLogEm -= inverse;
      }
      term *= ratio * z;
      // The rest is below term / (1 − z) (each ratio is below z); the derivatives' terms carry k more.
      if (term * (k + 2) <= 1e-17 * sum * (1 - z)) break;
    }
    const logMt = Math.log(M + t);
    const logmt = Math.log(m + t);
    table.logF[p] = -eM * logMt + (1 - em) * logmt - Math.log(n) + Math.log(sum);
    table.logAlphaT[p] = alphaIsMax ? logMt : logmt;
    table.logBetaT[p] = alphaIsMax ? logmt : logMt;
    if (table.dLogF) {
      const dEM = -logMt - 1 / n + sumEM / sum;
      const dEm = -logmt - 1 / n + sumEm / sum;
      const dM = -eM / (M + t) + ((sumZ / sum) * (m + t)) / ((M + t) * (M + t));
      const dm = (1 - em) / (m + t) - sumZ / sum / (M + t);
      table.dLogF[4 * p] = alphaIsMax ? dEM : dEm;
      table.dLogF[4 * p + 1] = alphaIsMax ? dM : dm;
      table.dLogF[4 * p + 2] = alphaIsMax ? dEm : dEM;
      table.dLogF[4 * p + 3] = alphaIsMax ? dm : dM;
    }
  }
  return table;
}

/** The table at a single customer's t_x (point 0) and T (point 1). */
const customerTable = (params: ParetoNbdParams, x: number, tx: number, T: number, withGradient: boolean) =>
  tailTable(params, [x, x], [tx, T], withGradient);

/** ln A = −(r+x) ln(α+T) − s ln(β+T) for a customer whose T is the table's point atT. */
function logAlive({r, s}: ParetoNbdParams, table: TailTable, x: number, atT: number): number {
  return -(r + x) * table.logAlphaT[atT]! - s * table.logBetaT[atT]!;
}

/** 1 − F(T)/F(t_x) = I/F(t_x), in [0, 1): F(T) ≤ F(t_x), which rounding may not know; 0 exactly when t_x = T. */
function goneShare(table: TailTable, atTx: number, atT: number): number {
  return -Math.expm1(Math.min(table.logF[atT]! - table.logF[atTx]!, 0));
}

/** ln(s·I) = ln s + ln F(t_x) + ln(1 − F(T)/F(t_x)); −∞ when t_x = T. */
function logGone({s}: ParetoNbdParams, table: TailTable, atTx: number, atT: number): number {
  return Math.log(s) + table.logF[atTx]! + Math.log(goneShare(table, atTx, atT));
}

/** Terms that depend on the parameters and x only, shared by all triples with that x. */
interface XTerms {
  lnGammaRatio: number; // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β
  dR: number; // ψ(r+x) − ψ(r)
}

function xTerms({r, alpha, s, beta}: ParetoNbdParams, x: number, withGradient: boolean): XTerms {
  return {
    lnGammaRatio: gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta),
    dR: withGradient && x > 0 ? digamma(r + x) - digamma(r) : 0
  };
}

function valueWith(params: ParetoNbdParams, terms: XTerms, table: TailTable, x: number, atTx: number, atT: number) {
  return terms.lnGammaRatio + logAddExp(logAlive(params, table, x, atT), logGone(params, table, atTx, atT));
}

/** Adds w · ∇ ln L to out for a customer whose F(t_x) and F(T) are the table's points atTx and atT. */
function addGradient(
  params: ParetoNbdParams,
  terms: XTerms,
  table: TailTable,
  x: number,
  T: number,
  atTx: number,
  atT: number,
  out: number[],
  w: number
): void {
  const {r, alpha, s, beta} = params;
  const dF = table.dLogF!;
  // w_A, w_I from the log-odds ln(sI) − ln A, whichever its sign; c_{t_x} = w_I / (1 − F(T)/F(t_x)) and
  // c_T = c_{t_x} F(T)/F(t_x). Where F(T) = F(t_x) (t_x = T) there is no dropout term and no F terms.
  let [wA, wI, cTx, cT] = [1, 0, 0, 0];
  const gone = goneShare(table, atTx, atT);
  if (gone > 0) {
    const logOdds = Math.log(s) + table.logF[atTx]! + Math.log(gone) - logAlive(params, table, x, atT);
    const e = Math.exp(-Math.abs(logOdds));
    wA = logOdds > 0 ? e / (1 + e) : 1 / (1 + e);
    wI = logOdds > 0 ? 1 / (1 + e) : e / (1 + e);
    cTx = wI / gone;
    cT = cTx * (1 - gone);
  }
  const [i, j] = [4 * atTx, 4 * atT];
  out[0]! += w * (terms.dR + table.logAlpha - wA * table.logAlphaT[atT]! + cTx * dF[i]! - cT * dF[j]!);
  out[1]! += w * (r / alpha - (wA * (r + x)) / (alpha + T) + cTx * dF[i + 1]! - cT * dF[j + 1]!);
  out[2]! += w * (table.logBeta - wA * table.logBetaT[atT]! + wI / s + cTx * dF[i + 2]! - cT * dF[j + 2]!);
  out[3]! += w * (s / beta - (wA * s) / (beta + T) + cTx * dF[i + 3]! - cT * dF[j + 3]!);
}

/**
 * [ln A, ln(s·I)]: the likelihood's two terms without their common factor Γ(r+x) α^r β^s / Γ(r),
 * alive at T and dropped out in (t_x, T]; P(alive) is their share (paretoNbdProbabilityAlive.ts).
 */
export function paretoNbdLogTerms(params: ParetoNbdParams, x: number, tx: number, T: number): [number, number] {
  const table = customerTable(params, x, tx, T, false);
  return [logAlive(params, table, x, 1), logGone(params, table, 0, 1)];
}

/**
 * ln L(r, α, s, β | x, t_x, T) for one customer (FHL 2005 note, eq. 18).
 *
 * @example paretoNbdLogLikelihood({r: 1, alpha: 1, s: 1, beta: 1}, 1, 1, 2)
 * // ln(1/27 + ∫₂³ u⁻⁴ du) = ln(43/648) = −2.7126905806587…
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  return valueWith(params, xTerms(params, x, false), customerTable(params, x, tx, T, false), x, 0, 1);
}

/** ∇ ln L with respect to [r, α, s, β] for one customer (analytic; see the file header). */
export function paretoNbdLogLikelihoodGradient(params: ParetoNbdParams, x: number, tx: number, T: number): number[] {
  const out = [0, 0, 0, 0];
  addGradient(params, xTerms(params, x, true), customerTable(params, x, tx, T, true), x, T, 0, 1, out, 1);
  return out;
}

/** The distinct (x, t) at which a group's F(t) is needed, and each triple's two of them. */
interface TailPoints {
  x: Float64Array;
  t: Float64Array;
  atTx: Int32Array;
  atT: Int32Array;
}

// Triples share their F(t_x) and F(T) (CDNOW master: 8,685 triples, 2,149 distinct (x, t)).
const tailPointsCache = new WeakMap<RfmGroups, TailPoints>();

function tailPoints(groups: RfmGroups): TailPoints {
  const cached = tailPointsCache.get(groups);
  if (cached) return cached;
  const index = new Map<string, number>();
  const x: number[] = [];
  const t: number[] = [];
  const pointOf = (xi: number, ti: number) => {
    const key = `${xi} ${ti}`;
    let at = index.get(key);
    if (at === undefined) {
      index.set(key, (at = x.length));
      x.push(xi);
      t.push(ti);
    }
    return at;
  };
  const atTx = new Int32Array(groups.size);
  const atT = new Int32Array(groups.size);
  for (let i = 0; i < groups.size; ++i) {
    atTx[i] = pointOf(groups.x[i]!, groups.tx[i]!);
    atT[i] = pointOf(groups.x[i]!, groups.T[i]!);
  }
  const points = {x: Float64Array.from(x), t: Float64Array.from(t), atTx, atT};
  tailPointsCache.set(groups, points);
  return points;
}

/** Σ weight · ln L over grouped customers. */
export function paretoNbdTotalLogLikelihood(params: ParetoNbdParams, groups: RfmGroups): number {
  const terms = groups.xLevels.map((x) => xTerms(params, x, false));
  const points = tailPoints(groups);
  const table = tailTable(params, points.x, points.t, false);
  let total = 0;
  for (let i = 0; i < groups.size; ++i) {
    const w = groups.weight[i]!;
    if (w === 0) continue;
    total += w * valueWith(params, terms[groups.xLevel[i]!]!, table, groups.x[i]!, points.atTx[i]!, points.atT[i]!);
  }
  return total;
}

/** ∇ Σ weight · ln L with respect to [r, α, s, β]. */
export function paretoNbdTotalLogLikelihoodGradient(params: ParetoNbdParams, groups: RfmGroups): number[] {
  const terms = groups.xLevels.map((x) => xTerms(params, x, true));
  const points = tailPoints(groups);
  const table = tailTable(params, points.x, points.t, true);
  const out = [0, 0, 0, 0];
  for (let i = 0; i < groups.size; ++i) {
    const w = groups.weight[i]!;
    if (w === 0) continue;
    const [x, T] = [groups.x[i]!, groups.T[i]!];
    addGradient(params, terms[groups.xLevel[i]!]!, table, x, T, points.atTx[i]!, points.atT[i]!, out, w);
  }
  return out;
}
