/** How the report and the console show the metrics (one place, so both agree). */
import type { Performance } from "../run/metrics.ts";

/** Which metrics are fractions (shown as %), money, ratios, counts or dates. */
export const METRIC_KINDS: Record<keyof Performance, "percent" | "money" | "ratio" | "count" | "date"> = {
  initial_equity: "money",
  final_equity: "money",
  total_return: "percent",
  cagr: "percent",
  sharpe: "ratio",
  sortino: "ratio",
  max_drawdown: "percent",
  max_drawdown_start: "date",
  max_drawdown_trough: "date",
  max_drawdown_recovery: "date",
  win_rate: "percent",
  avg_win: "money",
  avg_loss: "money",
  profit_factor: "ratio",
  exposure: "percent",
  turnover: "ratio",
  trades: "count",
  commissions: "money",
  rejected_orders: "count",
  ambiguous_fills: "count",
};

export const METRIC_LABELS: Record<keyof Performance, string> = {
  initial_equity: "Initial equity",
  final_equity: "Final equity",
  total_return: "Total return",
  cagr: "CAGR",
  sharpe: "Sharpe (daily, x sqrt 252, rf 0)",
  sortino: "Sortino (daily, x sqrt 252, target 0)",
  max_drawdown: "Max drawdown",
  max_drawdown_start: "Drawdown peak",
  max_drawdown_trough: "Drawdown trough",
  max_drawdown_recovery: "Recovered",
  win_rate: "Win rate",
  avg_win: "Average win",
  avg_loss: "Average loss",
  profit_factor: "Profit factor",
  exposure: "Exposure (time in market)",
  turnover: "Turnover (traded / mean equity)",
  trades: "Round trips",
  commissions: "Commissions",
  rejected_orders: "Rejected orders",
  ambiguous_fills: "Ambiguous fills",
};

/** The text of a metric's value ("-" where there is none). */
export function formatMetric(metric: keyof Performance, value: number | string | null): string {
  if (value === null || value === undefined) return "-";
  if (typeof value === "string") return value;
  switch (METRIC_KINDS[metric]) {
    case "percent":
      return percent(value);
    case "money":
      return money(value);
    case "ratio":
      return value.toFixed(2);
    default:
      return String(value);
  }
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function money(x: number): string {
  return x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Text safe inside HTML (and its attributes). */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON safe inside a <script> element. */
export function json(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
