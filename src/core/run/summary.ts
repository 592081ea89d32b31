/**
 * The run summary (`summary.json`, `--json`): its type, field by field, and how it is built from a
 * finished run. Everything but `timings` is a pure function of the inputs, so two runs of the same
 * session give byte-identical summaries once timings are removed.
 */
import { createHash } from "node:crypto";
import type { TradingSummary } from "../broker/broker-extension.ts";
import type { Session } from "../config/load-session.ts";
import { dayQualityLine, type DayResult, type SessionResult } from "../engine/results.ts";
import { streamOf, type StreamPlan } from "../engine/stream-plan.ts";
import type { IndicatorSummary } from "../indicators/indicator-engine.ts";
import type { ScanRecord } from "../scanner/scanner-engine.ts";
import type { StrategyErrorRecord, StrategySummary } from "../strategy/strategy-engine.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import { formatDay, isoUtc } from "../time/dates.ts";
import type { Performance, PerformanceSections } from "./metrics.ts";
import type { RunStatus } from "./run-status.ts";

/** One stream over the whole session; `quality` is null when session quality is off. */
export interface StreamSummary {
  symbol: string;
  interval: string;
  source: "streamed" | "generated";
  bars: number;
  expected: number;
  quality: number | null;
  gaps: number;
}

/** A history window and its days (quality fields null when historical quality is off). */
export interface HistorySummary {
  symbol: string;
  interval: string;
  trailing_days: number;
  days: { date: string; bars: number; expected: number | null; quality: number | null; gaps: number | null }[];
}

/** One trading day's line (the per-stream rows are in quality.csv). */
export interface DaySummary {
  date: string;
  early_close: boolean;
  iterations: number;
  bars: number;
  derived_bars: number;
  final_time: string;
  /** The mean quality of the streamed streams, %; null when session quality is off. */
  base_quality: number | null;
  gaps: number;
  incomplete_streams: number;
}

/** One place where a strategy's orders up to a cut differ between the whole data and the data cut there. */
export interface AuditFinding {
  strategy: string;
  /** The symbol of the first differing order. */
  symbol: string;
  /** The cut (ISO 8601 UTC). */
  cut: string;
  /** The time of the first differing order. */
  time: string;
  /** That order with all the data, and with the data cut (null: there was none). */
  expected: string | null;
  got: string | null;
}

/** The look-ahead audit: each strategy's orders up to each cut, with all the data and with the data cut there. */
export interface AuditSummary {
  verdict: "pass" | "look-ahead";
  cuts: string[];
  strategies: string[];
  /** Orders compared over all cuts. */
  compared_orders: number;
  findings: AuditFinding[];
}

/** Wall time spent (the only part that differs between two runs of the same session). */
export interface TimingsSummary {
  load_ms: number;
  history_ms: number;
  stream_ms: number;
  waited_ms: number;
  total_ms: number;
  bars_per_second: number | null;
}

/** summary.json. */
export interface RunSummary {
  session_name: string;
  mode: Session["mode"];
  /** SHA-256 of the resolved session: equal digests mean the same configuration ran. */
  config_digest: string;
  market: { exchange_group: string; asset_class: string; name: string; timezone: string };
  window: { requested_start: string; requested_end: string; start: string; end: string; rolled_start: string | null; rolled_end: string | null };
  trading_days: { date: string; open_utc: string; close_utc: string; early_close: boolean }[];
  streams: StreamSummary[];
  history: HistorySummary[];
  days: DaySummary[];
  totals: { trading_days: number; bars: number; derived_bars: number };
  indicators: IndicatorSummary[];
  strategies: StrategySummary[];
  strategy_errors: StrategyErrorRecord[];
  trading: TradingSummary;
  performance: Performance;
  performance_by_strategy: Record<string, Performance>;
  performance_by_symbol: Record<string, Performance>;
  scans: ScanRecord[];
  timings: TimingsSummary;
  /** Paper and live sessions: the market's clock, why it stopped early (null when it did not), and the live source's counters. */
  live?: { market_clock: string; replay: { speed: number; from: string; to: string } | null; stopped: string | null } & Record<string, unknown>;
  /** `--audit`: the look-ahead audit's verdict. */
  audit?: AuditSummary;
  /** What the data lacked (a symbol with bars on only some days ...), when anything. */
  warnings?: string[];
  /** Only on a summary rebuilt from the files of a run that did not finish (`bun run report`). */
  incomplete?: RunStatus;
}

/** What the extensions contribute. */
export interface SummarySections extends PerformanceSections {
  indicators: IndicatorSummary[];
  strategies: StrategySummary[];
  strategy_errors: StrategyErrorRecord[];
  trading: TradingSummary;
  scans: ScanRecord[];
}

/** Digest of the resolved session. */
export function configDigest(session: Session): string {
  return createHash("sha256").update(JSON.stringify(session)).digest("hex");
}

/** The summary of a finished run. */
export function buildSummary(session: Session, calendar: MarketCalendar, result: SessionResult, sections: SummarySections): RunSummary {
  const { plan, days, window } = result;
  const baseBars = days.reduce((n, d) => n + d.baseBars, 0);
  const derivedBars = days.reduce((n, d) => n + d.derivedBars, 0);
  const streamSeconds = result.timings.streamMs / 1000;
  return {
    session_name: session.session_name,
    mode: session.mode,
    config_digest: configDigest(session),
    market: marketOf(session, calendar),
    window: {
      requested_start: window.requestedStart,
      requested_end: window.requestedEnd,
      start: formatDay(window.days[0]!),
      end: formatDay(window.days.at(-1)!),
      rolled_start: window.rolledStart ?? null,
      rolled_end: window.rolledEnd ?? null,
    },
    trading_days: days.map((d) => ({ date: d.date, open_utc: isoUtc(d.session.open), close_utc: isoUtc(d.session.close), early_close: d.session.earlyClose })),
    streams: streamTotals(plan, days),
    history: result.history.map((w) => ({
      symbol: w.symbol,
      interval: w.interval.text,
      trailing_days: w.trailingDays,
      days: w.days.map((d) => ({ date: formatDay(d.day), bars: d.quality?.actual ?? d.bars.ts.length, expected: d.quality?.expected ?? null, quality: d.quality?.quality ?? null, gaps: d.quality?.gaps.length ?? null })),
    })),
    days: days.map((d) => ({ date: d.date, early_close: d.session.earlyClose, iterations: d.iterations, bars: d.baseBars, derived_bars: d.derivedBars, final_time: isoUtc(d.finalTime), ...dayQualityLine(plan, d) })),
    totals: { trading_days: days.length, bars: baseBars, derived_bars: derivedBars },
    indicators: sections.indicators,
    strategies: sections.strategies,
    strategy_errors: sections.strategy_errors,
    trading: sections.trading,
    performance: sections.performance,
    performance_by_strategy: sections.performance_by_strategy,
    performance_by_symbol: sections.performance_by_symbol,
    scans: sections.scans,
    timings: {
      load_ms: round(result.timings.loadMs),
      history_ms: round(result.timings.historyMs),
      stream_ms: round(result.timings.streamMs),
      waited_ms: round(result.timings.waitedMs),
      total_ms: round(result.timings.totalMs),
      bars_per_second: streamSeconds > 0 ? Math.round(baseBars / streamSeconds) : null,
    },
  };
}

/** The market section. */
export function marketOf(session: Session, calendar: MarketCalendar): RunSummary["market"] {
  return { exchange_group: session.exchange_group, asset_class: session.asset_class, name: calendar.market.name, timezone: calendar.timezone };
}

/** Each stream's totals over the days (quotes, synthesized from the base bars in a backtest, follow it). */
function streamTotals(plan: StreamPlan, days: readonly DayResult[]): StreamSummary[] {
  const totals = new Map<number, StreamSummary>();
  let qualityOff = false;
  for (const day of days) {
    for (const s of day.streams) {
      if (s.quality === null) qualityOff = true;
      const entry = totals.get(s.stream) ?? {
        symbol: streamOf(plan, s.stream).symbol,
        interval: streamOf(plan, s.stream).interval.text,
        source: plan.roles[s.stream] as "streamed" | "generated",
        bars: 0,
        expected: 0,
        quality: 100,
        gaps: 0,
      };
      entry.bars += s.bars;
      entry.expected += s.expected;
      entry.gaps += s.gaps.length;
      totals.set(s.stream, entry);
    }
  }
  const streams = [...totals.values()].map((s) => ({ ...s, quality: qualityOff ? null : overallQuality(s.bars, s.expected) }));
  if (plan.quotes) {
    for (const symbol of plan.symbols) {
      const base = streams.find((x) => x.symbol === symbol && x.source === "streamed");
      if (base) streams.push({ symbol, interval: "quotes", source: "generated", bars: base.bars, expected: base.expected, quality: base.quality, gaps: base.gaps });
    }
  }
  return streams;
}

/** Quality over several days: bars / expected, in %. */
export function overallQuality(bars: number, expected: number): number {
  return expected === 0 ? 100 : Math.round((10_000 * Math.min(bars, expected)) / expected) / 100;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
