// Number formats used across pages, so that a figure reads the same everywhere.
import {format} from "d3";

export const formatCount = format(",d");
export const formatPercent = (share: number, digits = 0) => (Number.isFinite(share) ? `${(share * 100).toFixed(digits)} %` : "–");
export const formatMoney = (value: number, currency = "USD") =>
  new Intl.NumberFormat("en-US", {style: "currency", currency, maximumFractionDigits: 0}).format(value);
