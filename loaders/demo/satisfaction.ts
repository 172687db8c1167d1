// Satisfaction and dropout rules: the SERVQUAL shortfall, the raised dropout probability and NPS classes.
import type {DemoParams} from "./params.js";

/** G⁻: mean over the dimensions of the shortfall max(0, expectation − perception). */
export function meanNegativeGap(expectation: number[], perception: number[]): number {
  let sum = 0;
  for (let d = 0; d < expectation.length; d++) sum += Math.max(0, expectation[d]! - perception[d]!);
  return sum / expectation.length;
}

/** The dropout probability after a repeat purchase: p_eff = min(1, p · (1 + k·G⁻) · (1 + L·late)). */
export function effectiveDropout(p: number, negativeGap: number, late: boolean, params: DemoParams): number {
  return Math.min(1, p * (1 + params.gapDropoutK * negativeGap) * (late ? 1 + params.lateDropoutFactor : 1));
}

/** NPS class of a 0–10 recommendation score. */
export function npsClass(score: number): "promoter" | "passive" | "detractor" {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

export const NPS_CLASSES = ["promoter", "passive", "detractor"] as const;
