/**
 * SessionData: the one store strategies, scanners and indicators read. Per symbol and interval:
 * today's session bars (growable typed-array columns, zero-copy views, a Polars DataFrame on
 * demand), the trailing history by date, quality and gaps at the clock, session metrics.
 */
import { apiError } from "../errors.ts";
import type pl from "nodejs-polars";
import type { LateBar } from "../data/bar-source.ts";
import type { Clock } from "../time/clock.ts";
import type { TradingSession } from "../time/calendar.ts";
import type { Interval } from "../time/interval.ts";
import { BarSeries } from "./bar-series.ts";
import type { HistoryWindow } from "./history.ts";
import { StreamQuality, type StreamGap } from "./stream-quality.ts";
import { breakOverlap, expectedBarsAt, slotEnd } from "../time/session-break.ts";
import { streamOf, type StreamPlan, type StreamRole } from "./stream-plan.ts";

/** A symbol's running session metrics. */
export interface SessionMetrics {
  volume: number;
  high: number;
  low: number;
  last: number;
}

/** A quote: best bid and ask. */
export interface Quote {
  ts: number;
  bid: number;
  ask: number;
  bid_size: number;
  ask_size: number;
  /** True when made from a bar rather than received from a feed. */
  synthetic: boolean;
}

/** The store of one session's data. */
export class SessionData {
  readonly plan: StreamPlan;
  readonly clock: Clock;
  /** Per stream id: today's bars. */
  readonly series: BarSeries[];
  readonly quality: StreamQuality;
  /** Per stream id: derived periods ended today (the expected count of a generated stream). */
  readonly periodsEnded: Float64Array;
  /** Per symbol: the latest quote (backtests synthesize it from each base bar: bid = ask = close). */
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly quoteTime: Float64Array;
  /** Per symbol: whether it streams now (scanner universes start inactive; removed symbols stay, inactive). */
  readonly active: Uint8Array;
  /** Per symbol: whether it was active at some point (only those are reported). */
  readonly everActive: Uint8Array;
  /** Per symbol: when it became active today (the open, unless added mid-session). */
  readonly activeFrom: Float64Array;
  /** Per symbol: when it was removed today (Infinity while it streams). */
  readonly activeUntil: Float64Array;
  /** Per symbol: whether it streamed at any moment today (only those get a day row). */
  readonly activeToday: Uint8Array;
  /** The current trading session. */
  session!: TradingSession;
  private readonly history = new Map<string, HistoryWindow>();
  private readonly symbolIndexes: Map<string, number>;
  private readonly intervalIndexes: Map<string, number>;

  /** Per symbol: the last base close before today (the price a symbol has before its first bar of the day). */
  readonly previousClose: Float64Array;

  /**
   * `active` lists the symbols streaming from the start (default: all); `withQuality` false
   * (`gap_filler.enable_session_quality: false`) keeps no gaps and reports no quality.
   */
  constructor(plan: StreamPlan, clock: Clock, active: readonly string[] = plan.symbols, withQuality = true) {
    this.plan = plan;
    this.clock = clock;
    const streams = plan.symbols.length * plan.intervals.length;
    this.series = Array.from({ length: streams }, (_, id) => new BarSeries(this.roleOf(id) === "unused" ? 1 : 512));
    this.quality = new StreamQuality(streams, withQuality);
    this.periodsEnded = new Float64Array(streams);
    const n = plan.symbols.length;
    this.active = Uint8Array.from(plan.symbols, (symbol) => (active.includes(symbol) ? 1 : 0));
    this.everActive = Uint8Array.from(this.active);
    this.activeFrom = new Float64Array(n);
    this.activeUntil = new Float64Array(n).fill(Infinity);
    this.activeToday = Uint8Array.from(this.active);
    this.bid = new Float64Array(n).fill(NaN);
    this.ask = new Float64Array(n).fill(NaN);
    this.quoteTime = new Float64Array(n).fill(NaN);
    this.previousClose = new Float64Array(n).fill(NaN);
    this.symbolIndexes = new Map(plan.symbols.map((s, i) => [s, i]));
    this.intervalIndexes = new Map(plan.intervals.map((interval, i) => [interval.text, i]));
  }

  /** Starts a session day: clears today's bars, counters and metrics (history is kept). */
  startDay(session: TradingSession): void {
    if (this.session) {
      // Yesterday's last base close is the price before today's first bar.
      for (let s = 0; s < this.plan.symbols.length; s++) {
        const close = this.baseSeries(s).lastClose();
        if (!Number.isNaN(close)) this.previousClose[s] = close;
      }
    }
    this.session = session;
    for (const series of this.series) series.clear();
    this.quality.startDay(session.open, session.breakStart, session.breakEnd);
    this.activeFrom.fill(session.open);
    for (let i = 0; i < this.active.length; i++) {
      this.activeUntil[i] = this.active[i] ? Infinity : session.open;
      this.activeToday[i] = this.active[i]!;
    }
    this.periodsEnded.fill(0);
    this.plan.intervals.forEach((interval, i) => {
      for (let s = 0; s < this.plan.symbols.length; s++) {
        this.quality.step[s * this.plan.intervals.length + i] = interval.intraday ? interval.ms : session.close - session.open;
      }
    });
  }

  /** Today's base bars of symbol index `s`. */
  baseSeries(s: number): BarSeries {
    return this.series[s * this.plan.intervals.length + this.plan.base[s]!]!;
  }

  /**
   * The last price of symbol index `s` at the clock: today's last base close, else the last one
   * before today (the day before, or the end of its base history), else NaN.
   */
  lastPrice(s: number): number {
    const today = this.baseSeries(s).lastClose();
    if (!Number.isNaN(today)) return today;
    const before = this.previousClose[s]!;
    if (!Number.isNaN(before)) return before;
    const history = this.historyOf(this.plan.symbols[s]!, this.plan.intervals[this.plan.base[s]!]!.text);
    if (history && history.length > 0) {
      const columns = history.columns();
      return columns.close[columns.close.length - 1]!;
    }
    return NaN;
  }

  /**
   * A base bar that came after the loop passed its instant (a live feed's gap filling), or a
   * correction of one it passed: today's series holds it from now on and quality counts it;
   * derived bars already built and strategies that already ran are not revisited. Returns the
   * base stream and the row it was inserted at (-1 when it replaced one).
   */
  applyLateBar(bar: LateBar): { stream: number; inserted: number } {
    const s = bar.symbol;
    const stream = s * this.plan.intervals.length + this.plan.base[s]!;
    const series = this.series[stream]!;
    const found = series.find(bar.ts);
    series.put(bar.ts, bar.open, bar.high, bar.low, bar.close, bar.volume);
    if (found >= 0) return { stream, inserted: -1 };
    this.quality.fill(stream, bar.ts);
    return { stream, inserted: -found - 1 };
  }

  /** The symbols of the session, in their fixed order. */
  get symbols(): readonly string[] {
    return this.plan.symbols;
  }

  /** The index of a symbol, or -1. */
  symbolIndex(symbol: string): number {
    return this.symbolIndexes.get(symbol) ?? -1;
  }

  /** The stream id of (symbol, interval), or -1 when the session has no such stream. */
  streamId(symbol: string, interval: string): number {
    const s = this.symbolIndex(symbol);
    const i = this.intervalIndexes.get(interval) ?? -1;
    if (s < 0 || i < 0) return -1;
    const id = s * this.plan.intervals.length + i;
    return this.roleOf(id) === "unused" ? -1 : id;
  }

  /** streamed, generated or unused. */
  roleOf(stream: number): StreamRole {
    return this.plan.roles[stream]!;
  }

  /** The symbol index and interval of a stream id. */
  describe(stream: number): { symbol: string; symbolIndex: number; interval: Interval } {
    return streamOf(this.plan, stream);
  }

  /** Today's bars of (symbol, interval); throws for a stream the session does not have. */
  bars(symbol: string, interval: string): BarSeries {
    const id = this.streamId(symbol, interval);
    if (id < 0) throw apiError(`the session has no ${interval} stream for ${symbol}; streams: ${this.plan.intervals.map((i) => i.text).join(", ")}`);
    return this.series[id]!;
  }

  /** Today's bars of (symbol, interval) as a Polars DataFrame (a copy). */
  frame(symbol: string, interval: string): pl.DataFrame {
    return this.bars(symbol, interval).toFrame(this.roleOf(this.streamId(symbol, interval)) === "generated");
  }

  /** Registers a history window (PHASE_2). */
  setHistory(window: HistoryWindow): void {
    this.history.set(`${window.symbol}|${window.interval.text}`, window);
  }

  /** The trailing history of (symbol, interval), when the session keeps one. */
  historyOf(symbol: string, interval: string): HistoryWindow | undefined {
    return this.history.get(`${symbol}|${interval}`);
  }

  /** Every history window. */
  historyWindows(): HistoryWindow[] {
    return [...this.history.values()];
  }

  /** Bars a complete feed would have delivered for a stream by now. */
  expected(stream: number): number {
    if (this.roleOf(stream) === "generated") return this.periodsEnded[stream]!;
    const s = this.session;
    const step = this.quality.step[stream]!;
    const symbol = Math.floor(stream / this.plan.intervals.length);
    const since = this.activeFrom[symbol]!;
    const until = this.active[symbol] ? this.clock.now() : Math.max(since, Math.min(this.activeUntil[symbol]!, this.clock.now()));
    return expectedBarsAt(s, step, until) - expectedBarsAt(s, step, since);
  }

  /** Quality of a stream today in % (actual / expected of the elapsed session), at the clock; NaN when quality is off. */
  qualityOf(stream: number): number {
    if (!this.quality.enabled) return NaN;
    const expected = this.expected(stream);
    return expected === 0 ? 100 : Math.round((10_000 * Math.min(expected, this.series[stream]!.length)) / expected) / 100;
  }

  /** Gaps of a stream today, including the missing tail of the elapsed session. */
  gapsOf(stream: number): StreamGap[] {
    if (!this.quality.enabled) return [];
    const gaps = this.quality.gaps(stream);
    if (this.roleOf(stream) === "streamed") {
      const s = this.session;
      const step = this.quality.step[stream]!;
      const expected = this.expected(stream);
      const until = expected === 0 ? s.open : slotEnd(s, step, expected);
      let next = this.quality.expectedNext[stream]!;
      // The missing tail starts after the break when the clock is past it.
      if (s.breakStart !== undefined && s.breakEnd !== undefined && until > s.breakStart && next >= s.breakStart && next < s.breakEnd) next = s.breakEnd;
      const end = Math.min(until, s.close);
      if (end > next) {
        const last = gaps[gaps.length - 1];
        const bars = Math.round((end - next - breakOverlap(s, next, end)) / step);
        if (last && last.end === next) gaps[gaps.length - 1] = { start: last.start, end, bars: last.bars + bars };
        else gaps.push({ start: next, end, bars });
      }
    }
    return gaps;
  }

  /** The latest quote of a symbol: synthetic in a backtest (from the last base bar, sizes 0). */
  quote(symbol: string): Quote | undefined {
    const s = this.symbolIndex(symbol);
    if (s < 0 || !this.plan.quotes || Number.isNaN(this.quoteTime[s]!)) return undefined;
    return { ts: this.quoteTime[s]!, bid: this.bid[s]!, ask: this.ask[s]!, bid_size: 0, ask_size: 0, synthetic: true };
  }

  /** A symbol's session metrics so far, from its base bars (computed when asked; the loop keeps none). */
  metrics(symbol: string): SessionMetrics {
    const series = this.baseSeries(this.symbolIndex(symbol));
    const bars = series.view();
    const n = series.length;
    let volume = 0;
    let high = -Infinity;
    let low = Infinity;
    for (let i = 0; i < n; i++) {
      volume += bars.volume[i]!;
      if (bars.high[i]! > high) high = bars.high[i]!;
      if (bars.low[i]! < low) low = bars.low[i]!;
    }
    return { volume, high, low, last: series.lastClose() };
  }
}
