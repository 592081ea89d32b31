/**
 * The summary of a run that did not finish (its process died, or it failed), rebuilt from what
 * reached the disk: config.yaml, status.json, days.csv, quality.csv and the trading tables. It has
 * the RunSummary's shape so the report renders it like any run; what only the finished session
 * knew (indicator values, history windows, scans, strategy errors) is empty, and `incomplete`
 * says how far the run got.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Session } from "../config/load-session.ts";
import { reportError } from "../errors.ts";
import { MarketCalendar } from "../time/calendar.ts";
import { isoDay, isoUtc } from "../time/dates.ts";
import { computePerformance } from "./metrics.ts";
import { roundMoney } from "../util/money.ts";
import { readCsvTable, readRunTables } from "./read-run.ts";
import { RUN_FILES } from "./run-files.ts";
import { readStatus } from "./run-status.ts";
import { configDigest, marketOf, overallQuality, type DaySummary, type RunSummary, type StreamSummary } from "./summary.ts";

/** The summary of an unfinished run directory. */
export function unfinishedSummary(dir: string): RunSummary {
  const status = readStatus(dir);
  const configFile = join(dir, RUN_FILES.config);
  if (!status || !existsSync(configFile)) throw reportError(`${dir}: no summary.json and no status.json or config.yaml; is it a run directory?`);
  const session = parse(readFileSync(configFile, "utf8")) as Session;
  const calendar = MarketCalendar.for(session.exchange_group, session.asset_class);
  const days = readCsvTable(dir, "days").toRecords() as unknown as (Omit<DaySummary, "final_time"> & { final_time: string })[];
  const quality = readCsvTable(dir, "quality").toRecords() as unknown as { date: string; symbol: string; interval: string; source: "streamed" | "generated"; bars: number; expected: number; quality: number | null; gaps: number }[];
  const tables = readRunTables(dir);
  const strategies = session.strategies.filter((s) => s.enabled).map((s) => s.name);
  const symbols = [...new Set(quality.map((q) => q.symbol))];
  const performance = computePerformance(tables, { initialEquity: session.broker.initial_cash, dateOf: (ms) => calendar.dayInfo(calendar.dayOf(ms)).date, strategies, symbols });
  const orders = tables.orders.toRecords() as unknown as { status: string; reason: string | null }[];
  const rejected = orders.filter((o) => o.status === "rejected");
  const reasons: Record<string, number> = {};
  for (const o of rejected) reasons[o.reason ?? ""] = (reasons[o.reason ?? ""] ?? 0) + 1;
  const equity = tables.equity.getColumn("equity").toArray() as number[];
  const cash = tables.equity.getColumn("cash").toArray() as number[];
  const pnl = tables.trades.height > 0 ? Number(tables.trades.getColumn("pnl").sum()) : 0;
  const window = session.backtest_config;
  return {
    session_name: session.session_name,
    mode: session.mode,
    config_digest: configDigest(session),
    market: marketOf(session, calendar),
    window: {
      requested_start: window?.start_date ?? days[0]?.date ?? "",
      requested_end: window?.end_date ?? days.at(-1)?.date ?? "",
      start: days[0]?.date ?? "",
      end: days.at(-1)?.date ?? "",
      rolled_start: null,
      rolled_end: null,
    },
    trading_days: days.map((d) => {
      const s = calendar.requireSession(isoDay(d.date));
      return { date: d.date, open_utc: isoUtc(s.open), close_utc: isoUtc(s.close), early_close: s.earlyClose };
    }),
    streams: streamTotals(quality),
    history: [],
    days: days.map((d) => ({ ...d, final_time: d.final_time })),
    totals: { trading_days: days.length, bars: days.reduce((n, d) => n + d.bars, 0), derived_bars: days.reduce((n, d) => n + d.derived_bars, 0) },
    indicators: [],
    strategies: strategies.map((name) => ({ name, plugin: name, file: "", stopped: false })),
    strategy_errors: [],
    trading: {
      orders: orders.length,
      fills: tables.fills.height,
      trades: tables.trades.height,
      rejected_orders: rejected.length,
      rejected_reasons: reasons,
      ambiguous_fills: performance.performance.ambiguous_fills,
      commissions: performance.performance.commissions,
      realized_pnl: roundMoney(pnl),
      initial_cash: session.broker.initial_cash,
      final_cash: cash.at(-1) ?? session.broker.initial_cash,
      final_equity: equity.at(-1) ?? session.broker.initial_cash,
      open_positions: [],
    },
    ...performance,
    scans: [],
    timings: { load_ms: 0, history_ms: 0, stream_ms: 0, waited_ms: 0, total_ms: 0, bars_per_second: null },
    incomplete: status,
  };
}

/** Each stream's totals over the days that reached the disk. */
function streamTotals(rows: { symbol: string; interval: string; source: "streamed" | "generated"; bars: number; expected: number; quality: number | null; gaps: number }[]): StreamSummary[] {
  const totals = new Map<string, StreamSummary>();
  let qualityOff = false;
  for (const row of rows) {
    if (row.quality === null) qualityOff = true;
    const key = `${row.symbol}|${row.interval}`;
    const entry = totals.get(key) ?? { symbol: row.symbol, interval: row.interval, source: row.source, bars: 0, expected: 0, quality: 100, gaps: 0 };
    entry.bars += row.bars;
    entry.expected += row.expected;
    entry.gaps += row.gaps;
    totals.set(key, entry);
  }
  return [...totals.values()].map((s) => ({ ...s, quality: qualityOff ? null : overallQuality(s.bars, s.expected) }));
}
