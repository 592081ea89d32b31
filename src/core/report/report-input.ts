/**
 * What the report page shows, gathered from a run directory's files: summary.json, the trading
 * tables, the bar series (bars/*.parquet) and the quality tables. The session builds its report
 * through this too, so `bun run report <run-dir>` rebuilds exactly the same page.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { reportError } from "../errors.ts";
import type { RunSummary } from "../run/summary.ts";
import { offsetAt } from "../time/tz.ts";
import { readRunTables } from "../run/read-run.ts";
import { RUN_FILES } from "../run/run-files.ts";
import { readStatus } from "../run/run-status.ts";
import { unfinishedSummary } from "../run/unfinished-summary.ts";

/** How much of a run the page embeds (a year of 100 symbols would otherwise be gigabytes). */
export interface ReportLimits {
  /** Price charts: at most this many symbols (traded symbols first) ... */
  charts: number;
  /** ... and at most this many bars across them (coarser intervals are embedded first). */
  bars: number;
  /** The equity curve is thinned to about this many points (the lowest point of each stretch kept). */
  equityPoints: number;
  /** Rows shown of the trades and gaps tables (the files hold them all). */
  tableRows: number;
}

export const REPORT_LIMITS: ReportLimits = { charts: 20, bars: 300_000, equityPoints: 100_000, tableRows: 2_000 };

/** A trade row as the page shows it. */
export interface TradeRow {
  symbol: string;
  side: string;
  qty: number;
  entry_time: string;
  entry_price: number;
  exit_time: string;
  exit_price: number;
  pnl: number;
  commission: number;
  strategy: string;
}

export interface GapRow {
  date: string;
  symbol: string;
  interval: string;
  start_utc: string;
  end_utc: string;
  bars: number;
}

/** One symbol's embedded price series. Times are exchange-local wall-clock seconds. */
export interface PriceChart {
  symbol: string;
  intervals: { interval: string; bars: [number, number, number, number, number][]; markers: [number, "buy" | "sell", string][] }[];
}

export interface ReportInput {
  summary: RunSummary;
  trades: TradeRow[];
  gaps: GapRow[];
  gapCount: number;
  limits: ReportLimits;
  /** [local seconds, equity] per merge step (thinned past limits.equityPoints). */
  equity: [number, number][];
  prices: PriceChart[];
  /** Streams whose bars are not embedded (too many, or no file), with why. */
  omitted: { symbol: string; interval: string; why: string }[];
}

/** Loads what the page needs from a finished run directory. */
export function loadReportInput(dir: string, limits: ReportLimits = REPORT_LIMITS): ReportInput {
  const summaryFile = join(dir, RUN_FILES.summary);
  const status = readStatus(dir);
  if (!existsSync(summaryFile) && !status) throw reportError(`${dir}: no summary.json; is it a run directory? (a run writes it when report.formats includes json)`);
  // A run that did not finish has no summary.json: its summary is rebuilt from the days that reached the disk.
  const summary = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, "utf8")) as RunSummary) : unfinishedSummary(dir);
  if (!summary.performance) throw reportError(`${summaryFile}: no performance section; the run was made by an older sessionflow - run the session again`);
  const tables = readRunTables(dir);
  const zone = summary.market.timezone;
  const local = (ms: number) => (ms + offsetAt(zone, ms)) / 1000;

  const trades = tables.trades.toRecords() as unknown as TradeRow[];
  const gapsFile = join(dir, "gaps.csv");
  const allGaps = existsSync(gapsFile)
    ? (pl.readCSV(readFileSync(gapsFile, "utf8"), { schema: { date: pl.Utf8, symbol: pl.Utf8, interval: pl.Utf8, start_utc: pl.Utf8, end_utc: pl.Utf8, bars: pl.Float64 } }).toRecords() as unknown as GapRow[])
    : [];

  const equityTs = tables.equity.getColumn("ts").cast(pl.Float64).toArray() as number[];
  const equityValues = tables.equity.getColumn("equity").toArray() as number[];
  const equity = thin(equityTs, equityValues, limits.equityPoints).map(([ts, value]) => [local(ts), value] as [number, number]);

  const { prices, omitted } = priceCharts(dir, summary, trades, local, limits);
  return { summary, limits, trades, gaps: allGaps.slice(0, limits.tableRows), gapCount: allGaps.length, equity, prices, omitted };
}

/** Every point up to `max`; beyond, the lowest point of each stretch of k (drawdowns stay visible). */
function thin(ts: number[], values: number[], max: number): [number, number][] {
  const n = ts.length;
  const k = Math.max(1, Math.ceil(n / max));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i += k) {
    let low = i;
    for (let j = i; j < Math.min(n, i + k); j++) if (values[j]! < values[low]!) low = j;
    out.push([ts[low]!, values[low]!]);
  }
  return out;
}

function priceCharts(dir: string, summary: RunSummary, trades: TradeRow[], local: (ms: number) => number, limits: ReportLimits): { prices: PriceChart[]; omitted: ReportInput["omitted"] } {
  const symbols = [...new Set(summary.streams.map((s) => s.symbol))];
  const traded = new Set(trades.map((t) => t.symbol));
  const charted = [...symbols.filter((s) => traded.has(s)), ...symbols.filter((s) => !traded.has(s))].slice(0, limits.charts);
  const omitted: ReportInput["omitted"] = [];
  for (const s of symbols.filter((x) => !charted.includes(x))) omitted.push({ symbol: s, interval: "all", why: `only ${limits.charts} symbols are charted (traded ones first)` });
  const intervalsOf = (symbol: string) => summary.streams.filter((s) => s.symbol === symbol && s.interval !== "quotes").map((s) => s.interval);
  // Coarsest first across symbols, so every charted symbol gets a series before any gets its finest.
  const byCoarseness = new Map<string, string[]>(charted.map((s) => [s, [...intervalsOf(s)].reverse()]));
  const embedded = new Map<string, PriceChart["intervals"]>(charted.map((s) => [s, []]));
  let budget = limits.bars;
  const depth = Math.max(0, ...[...byCoarseness.values()].map((v) => v.length));
  for (let level = 0; level < depth; level++) {
    for (const symbol of charted) {
      const interval = byCoarseness.get(symbol)![level];
      if (!interval) continue;
      const file = join(dir, "bars", `${symbol}_${interval}.parquet`);
      if (!existsSync(file)) {
        omitted.push({ symbol, interval, why: "no bars file (report.formats without parquet)" });
        continue;
      }
      const frame = pl.readParquet(file);
      if (frame.height > budget) {
        omitted.push({ symbol, interval, why: `${frame.height.toLocaleString("en-US")} bars: over the page's budget of ${limits.bars.toLocaleString("en-US")}; see bars/${symbol}_${interval}.parquet` });
        continue;
      }
      budget -= frame.height;
      const ts = frame.getColumn("ts").cast(pl.Float64).toArray() as number[];
      const col = (name: string) => frame.getColumn(name).toArray() as number[];
      const [open, high, low, close] = [col("open"), col("high"), col("low"), col("close")];
      const bars = ts.map((t, i) => [local(t), open[i]!, high[i]!, low[i]!, close[i]!] as [number, number, number, number, number]);
      embedded.get(symbol)!.push({ interval, bars, markers: markersFor(symbol, trades, ts, local) });
    }
  }
  // Finest first on the page (the base stream is what a trade filled on).
  const prices = charted
    .map((symbol) => ({ symbol, intervals: embedded.get(symbol)!.sort((a, b) => intervalsOf(symbol).indexOf(a.interval) - intervalsOf(symbol).indexOf(b.interval)) }))
    .filter((p) => p.intervals.length > 0);
  return { prices, omitted };
}

/** Entry and exit markers of the symbol's round trips, on the bar that holds each fill. */
function markersFor(symbol: string, trades: TradeRow[], ts: number[], local: (ms: number) => number): [number, "buy" | "sell", string][] {
  const barOf = (iso: string) => {
    const t = Date.parse(iso);
    let lo = 0;
    let hi = ts.length - 1;
    if (hi < 0) return undefined;
    if (t < ts[0]!) return ts[0]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return ts[lo]!;
  };
  const out: [number, "buy" | "sell", string][] = [];
  for (const t of trades) {
    if (t.symbol !== symbol) continue;
    const long = t.side === "long";
    const entry = barOf(t.entry_time);
    const exit = barOf(t.exit_time);
    if (entry !== undefined) out.push([local(entry), long ? "buy" : "sell", `${long ? "L" : "S"} ${t.qty} @ ${t.entry_price.toFixed(2)}`]);
    if (exit !== undefined) out.push([local(exit), long ? "sell" : "buy", `exit ${t.pnl >= 0 ? "+" : ""}${t.pnl.toFixed(2)}`]);
  }
  // Markers must be in time order.
  return out.sort((a, b) => a[0] - b[0]);
}
