/**
 * The run summary (`summary.json`, `--json`): trading days, streams with their source, bars,
 * quality and gaps, history, a line per day (the per-day, per-stream table is quality.csv). Everything but `timings` is a pure function of the
 * inputs, so two runs of the same session give byte-identical summaries once timings are removed.
 */
import { createHash } from "node:crypto";
import type { Session } from "../config/load-session.ts";
import type { DayResult, SessionResult } from "../engine/coordinator.ts";
import type { StreamPlan } from "../engine/stream-plan.ts";
import type { IndicatorEngine } from "../indicators/indicator-engine.ts";
import type { BrokerExtension } from "../broker/broker-extension.ts";
import type { PerformanceSections } from "../report/metrics.ts";
import type { StrategyEngine } from "../strategy/strategy-engine.ts";
import type { ScannerEngine } from "../scanner/scanner-engine.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import { formatDay, isoUtc } from "../time/dates.ts";
import { streamName } from "./day-quality-table.ts";

/** One stream over the whole session. */
export interface StreamSummary {
  symbol: string;
  interval: string;
  source: "streamed" | "generated";
  bars: number;
  expected: number;
  quality: number;
  gaps: number;
}

/** Digest of the resolved session: equal digests mean the same configuration ran. */
export function configDigest(session: Session): string {
  return createHash("sha256").update(JSON.stringify(session)).digest("hex");
}

/** Builds the summary object; `sections` are added by extensions (indicators, orders, performance ...). */
export function buildSummary<S extends Record<string, unknown>>(session: Session, calendar: MarketCalendar, result: SessionResult, sections: S) {
  const { plan, days, window } = result;
  const describe = (stream: number) => streamName(plan, stream);
  const totals = new Map<number, StreamSummary>();
  for (const day of days) {
    for (const s of day.streams) {
      const name = describe(s.stream);
      const entry = totals.get(s.stream) ?? { ...name, source: plan.roles[s.stream] as "streamed" | "generated", bars: 0, expected: 0, quality: 100, gaps: 0 };
      entry.bars += s.bars;
      entry.expected += s.expected;
      entry.gaps += s.gaps.length;
      totals.set(s.stream, entry);
    }
  }
  const streams = [...totals.values()].map((s) => ({ ...s, quality: s.expected === 0 ? 100 : Math.round((10_000 * Math.min(s.bars, s.expected)) / s.expected) / 100 }));
  if (plan.quotes) {
    // Backtest quotes are synthesized from each base bar (bid = ask = close), so they follow it.
    for (const symbol of plan.symbols) {
      const base = streams.find((x) => x.symbol === symbol && x.source === "streamed")!;
      streams.push({ symbol, interval: "quotes", source: "generated", bars: base.bars, expected: base.expected, quality: base.quality, gaps: base.gaps });
    }
  }
  const baseBars = days.reduce((n, d) => n + d.baseBars, 0);
  const derivedBars = days.reduce((n, d) => n + d.derivedBars, 0);
  const streamSeconds = result.timings.streamMs / 1000;
  return {
    session_name: session.session_name,
    mode: session.mode,
    config_digest: configDigest(session),
    market: { exchange_group: session.exchange_group, asset_class: session.asset_class, name: calendar.market.name, timezone: calendar.timezone },
    window: {
      requested_start: window.requestedStart,
      requested_end: window.requestedEnd,
      start: formatDay(window.days[0]!),
      end: formatDay(window.days.at(-1)!),
      rolled_start: window.rolledStart ?? null,
      rolled_end: window.rolledEnd ?? null,
    },
    trading_days: days.map((d) => ({ date: d.date, open_utc: isoUtc(d.session.open), close_utc: isoUtc(d.session.close), early_close: d.session.earlyClose })),
    streams,
    history: result.history.map((w) => ({
      symbol: w.symbol,
      interval: w.interval.text,
      trailing_days: w.trailingDays,
      days: w.days.map((d) => ({ date: formatDay(d.day), bars: d.quality.actual, expected: d.quality.expected, quality: d.quality.quality, gaps: d.quality.gaps.length })),
    })),
    days: days.map((d) => ({
      date: d.date,
      early_close: d.session.earlyClose,
      iterations: d.iterations,
      bars: d.baseBars,
      derived_bars: d.derivedBars,
      final_time: isoUtc(d.finalTime),
      ...dayQuality(plan, d),
    })),
    totals: { trading_days: days.length, bars: baseBars, derived_bars: derivedBars },
    ...sections,
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

/** The summary's type, with the sections the kernel adds. */
export type RunSummary = ReturnType<typeof buildSummary<SummarySections>>;

/** Sections of the summary contributed by the engine's extensions. */
export interface SummarySections extends Record<string, unknown> {
  indicators: ReturnType<IndicatorEngine["summary"]>;
  strategies: ReturnType<StrategyEngine["summary"]>;
  strategy_errors: StrategyEngine["errors"];
  trading: ReturnType<BrokerExtension["summary"]>;
  performance: PerformanceSections["performance"];
  performance_by_strategy: PerformanceSections["performance_by_strategy"];
  performance_by_symbol: PerformanceSections["performance_by_symbol"];
  scans: ReturnType<ScannerEngine["summary"]>;
}

/** A day's quality in one line: the mean over streamed streams, gaps over all, streams below 100 %. */
function dayQuality(plan: StreamPlan, day: DayResult) {
  const base = day.streams.filter((s) => plan.roles[s.stream] === "streamed");
  const mean = base.length ? base.reduce((n, s) => n + s.quality, 0) / base.length : 100;
  return {
    base_quality: Math.round(mean * 100) / 100,
    gaps: day.streams.reduce((n, s) => n + s.gaps.length, 0),
    incomplete_streams: day.streams.filter((s) => s.quality < 100).length,
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
