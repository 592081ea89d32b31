/**
 * Performance metrics, computed once, here, from the run's tables (equity.parquet,
 * equity_daily.parquet, trades.csv, fills.csv, orders.csv), for the account and for each strategy
 * and symbol. Definitions (also stated in the report):
 * - daily return r_d = E_d / E_{d-1} - 1, E_0 the initial equity, E_d the equity at day d's close;
 * - sharpe = mean(r) / sd(r) * sqrt(252) (sample sd, risk-free 0), null with < 2 days or sd 0;
 * - sortino = mean(r) / sqrt(mean(min(r, 0)^2)) * sqrt(252), null with < 2 days or no down day;
 * - cagr = (E_n / E_0)^(1 / years) - 1 with years = calendar days / 365.25, null under 365 days;
 * - max_drawdown = max(1 - E / running peak) over the curve that starts at E_0 (every merge step
 *   for the account, every close for a strategy or symbol), with the dates the peak was set, of
 *   the trough, and of the recovery to the peak (null while not recovered);
 * - win_rate, avg_win, avg_loss, profit_factor over round trips (trades.csv; a win has pnl > 0);
 *   profit_factor = gross wins / |gross losses|, null without a loss;
 * - exposure = merge steps that ended with a position open / all merge steps;
 * - turnover = traded value (sum of |qty x price| of fills) / mean daily equity.
 * A strategy's or symbol's equity is the account's initial equity plus that scope's own P&L.
 */
import pl from "nodejs-polars";
import type { RunTables } from "./run-tables.ts";

/** The metrics of one scope; these field names are a contract (summary.json `performance`). */
export interface Performance {
  initial_equity: number;
  final_equity: number;
  total_return: number;
  cagr: number | null;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown: number;
  max_drawdown_start: string | null;
  max_drawdown_trough: string | null;
  max_drawdown_recovery: string | null;
  win_rate: number | null;
  avg_win: number | null;
  avg_loss: number | null;
  profit_factor: number | null;
  exposure: number;
  turnover: number;
  trades: number;
  commissions: number;
  rejected_orders: number;
  ambiguous_fills: number;
}

/** The `performance`, `performance_by_strategy` and `performance_by_symbol` sections. */
export interface PerformanceSections {
  performance: Performance;
  performance_by_strategy: Record<string, Performance>;
  performance_by_symbol: Record<string, Performance>;
}

/** What the metrics need besides the tables. */
export interface MetricsContext {
  initialEquity: number;
  /** The session date (YYYY-MM-DD) an instant belongs to (the exchange's local date). */
  dateOf: (ms: number) => string;
  strategies: readonly string[];
  symbols: readonly string[];
}

const TRADING_DAYS_PER_YEAR = 252;

/** Every section, from the tables. */
export function computePerformance(tables: RunTables, context: MetricsContext): PerformanceSections {
  const account = tables.equity.sort("ts");
  const steps = {
    dates: (account.getColumn("ts").cast(pl.Float64).toArray() as number[]).map(context.dateOf),
    equity: account.getColumn("equity").toArray() as number[],
  };
  const by = (scope: "strategy" | "symbol", names: readonly string[]) =>
    Object.fromEntries(names.map((name) => [name, scopePerformance(tables, context, { scope, name, column: scope })]));
  return {
    performance: scopePerformance(tables, context, { scope: "account", name: "account", steps }),
    performance_by_strategy: by("strategy", context.strategies),
    performance_by_symbol: by("symbol", context.symbols),
  };
}

interface Scope {
  scope: "account" | "strategy" | "symbol";
  name: string;
  /** The column of trades/fills/orders that selects the scope (none: every row). */
  column?: "strategy" | "symbol";
  /** A finer equity curve for the drawdown (the account's merge steps). */
  steps?: { dates: string[]; equity: number[] };
}

function scopePerformance(tables: RunTables, context: MetricsContext, scope: Scope): Performance {
  const mine = (frame: pl.DataFrame) => (scope.column ? frame.filter(pl.col(scope.column).eq(pl.lit(scope.name))) : frame);
  const initial = context.initialEquity;
  const daily = tables.daily.filter(pl.col("scope").eq(pl.lit(scope.scope)).and(pl.col("name").eq(pl.lit(scope.name)))).sort("date");
  const dates = daily.getColumn("date").toArray() as string[];
  const closes = daily.getColumn("equity").toArray() as number[];
  const final = closes.length > 0 ? closes[closes.length - 1]! : initial;

  const returns = daily.select(pl.col("equity").div(pl.col("equity").shift(1).fillNull(pl.lit(initial))).minus(1).alias("r"));
  const stats = returns
    .select(
      pl.col("r").mean().alias("mean"),
      pl.col("r").std().alias("sd"),
      pl.col("r").clip(-Infinity, 0).pow(2).mean().pow(0.5).alias("downside"),
      pl.col("r").count().alias("n"),
    )
    .toRecords()[0] as { mean: number | null; sd: number | null; downside: number | null; n: number };
  const n = Number(stats.n);
  const annual = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const sharpe = n >= 2 && stats.sd ? (stats.mean! / stats.sd) * annual : null;
  const sortino = n >= 2 && stats.downside ? (stats.mean! / stats.downside) * annual : null;

  const spanDays = dates.length > 0 ? (Date.parse(dates[dates.length - 1]!) - Date.parse(dates[0]!)) / 86_400_000 + 1 : 0;
  const cagr = spanDays >= 365 && final > 0 ? (final / initial) ** (365.25 / spanDays) - 1 : null;

  const curve = scope.steps ?? { dates, equity: closes };
  const drawdown = maxDrawdown(dates[0] ?? null, initial, curve.dates, curve.equity);

  const trades = mine(tables.trades)
    .select(
      pl.len().alias("trades"),
      pl.col("pnl").filter(pl.col("pnl").gt(0)).count().alias("wins"),
      pl.col("pnl").filter(pl.col("pnl").gt(0)).sum().alias("gross_win"),
      pl.col("pnl").filter(pl.col("pnl").lt(0)).count().alias("losses"),
      pl.col("pnl").filter(pl.col("pnl").lt(0)).sum().alias("gross_loss"),
    )
    .toRecords()[0] as { trades: number; wins: number; gross_win: number | null; losses: number; gross_loss: number | null };
  const tradeCount = Number(trades.trades);
  const wins = Number(trades.wins);
  const losses = Number(trades.losses);
  const grossWin = trades.gross_win ?? 0;
  const grossLoss = trades.gross_loss ?? 0;

  const fills = mine(tables.fills)
    .select(
      pl.col("commission").sum().alias("commissions"),
      pl.col("qty").mul(pl.col("price")).abs().sum().alias("notional"),
      pl.col("ambiguous").cast(pl.Float64).sum().alias("ambiguous"),
    )
    .toRecords()[0] as { commissions: number | null; notional: number | null; ambiguous: number | null };
  const rejected = mine(tables.orders).filter(pl.col("status").eq(pl.lit("rejected"))).height;
  const time = daily.select(pl.col("steps").sum().alias("steps"), pl.col("steps_in_market").sum().alias("in")).toRecords()[0] as { steps: number | null; in: number | null };
  const meanEquity = closes.length > 0 ? closes.reduce((a, b) => a + b, 0) / closes.length : initial;

  return {
    initial_equity: initial,
    final_equity: final,
    total_return: fraction(final / initial - 1),
    cagr: cagr === null ? null : fraction(cagr),
    sharpe: sharpe === null ? null : fraction(sharpe),
    sortino: sortino === null ? null : fraction(sortino),
    max_drawdown: fraction(drawdown.depth),
    max_drawdown_start: drawdown.start,
    max_drawdown_trough: drawdown.trough,
    max_drawdown_recovery: drawdown.recovery,
    win_rate: tradeCount > 0 ? fraction(wins / tradeCount) : null,
    avg_win: wins > 0 ? money(grossWin / wins) : null,
    avg_loss: losses > 0 ? money(grossLoss / losses) : null,
    profit_factor: losses > 0 ? fraction(grossWin / -grossLoss) : null,
    exposure: time.steps ? fraction((time.in ?? 0) / time.steps) : 0,
    turnover: meanEquity > 0 ? fraction((fills.notional ?? 0) / meanEquity) : 0,
    trades: tradeCount,
    commissions: money(fills.commissions ?? 0),
    rejected_orders: rejected,
    ambiguous_fills: fills.ambiguous ?? 0,
  };
}

/** The deepest fall from a running peak, over a curve that starts at `initial` on `firstDate`. */
export function maxDrawdown(firstDate: string | null, initial: number, dates: readonly string[], equity: readonly number[]): { depth: number; start: string | null; trough: string | null; recovery: string | null } {
  let peak = initial;
  let peakDate = firstDate;
  let depth = 0;
  let start: string | null = null;
  let trough: string | null = null;
  let troughPeak = initial;
  let troughIndex = -1;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) {
      peak = e;
      peakDate = dates[i]!;
    }
    const dd = peak > 0 ? 1 - e / peak : 0;
    if (dd > depth) {
      depth = dd;
      start = peakDate;
      trough = dates[i]!;
      troughPeak = peak;
      troughIndex = i;
    }
  }
  let recovery: string | null = null;
  if (troughIndex >= 0) {
    for (let i = troughIndex + 1; i < equity.length; i++) {
      if (equity[i]! >= troughPeak) {
        recovery = dates[i]!;
        break;
      }
    }
  }
  return { depth, start, trough, recovery };
}

/** Ratios to 10 decimals: stable text in summary.json, far below any meaningful difference. */
function fraction(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/** Money to 1/10000, as the broker books it. */
function money(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
