/**
 * PHASE_5, the streaming loop: a k-way merge of every symbol's day queue by bar END (the instant a
 * bar becomes visible; ties in session symbol order), the clock moved to each bar's end, bars
 * appended to SessionData, derived bars built and emitted when their period ends, quality kept,
 * and the listeners (broker fills, indicators, strategies, in that order) called with one reused
 * cursor. It works on the typed-array columns of the day's queues: no allocation and no lookups
 * by name per bar. It never passes the close: the clock's limit is the session close.
 */
import type { BarColumns } from "../data/bars.ts";
import type { SimulatedClock } from "../time/clock.ts";
import type { BarSeries } from "./bar-series.ts";
import type { DerivedBars } from "./derived-bars.ts";
import type { SessionData } from "./session-data.ts";
import type { StreamQuality } from "./stream-quality.ts";

/** The bar a listener is called with: valid during the call only (the object is reused). */
export interface BarCursor {
  symbol: string;
  symbolIndex: number;
  interval: string;
  stream: number;
  /** Bar start, epoch ms UTC. */
  ts: number;
  /** When the bar became visible (its end, or the close that cut it). */
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** True for a derived bar cut short by the close. */
  partial: boolean;
  /** True for a bar of the streamed base interval. */
  base: boolean;
}

/** Called for each bar of a stream. */
export type BarListener = (bar: BarCursor) => void;

/** Counters of one day's streaming (for PHASE_5.SUMMARY). */
export interface LoopStats {
  iterations: number;
  baseBars: number;
  derivedBars: number;
}

/** The per-day streaming state and the loop over it. */
export class StreamLoop {
  /** Per stream id: listeners in call order. */
  readonly listeners: BarListener[][];
  /** Called after every merge step with the step's end instant (equity marks, scanners). */
  readonly stepHooks: ((end: number) => void)[] = [];
  readonly stats: LoopStats = { iterations: 0, baseBars: 0, derivedBars: 0 };

  /**
   * Runs on a base bar before its listeners, only while the symbol's gate is above zero: the
   * broker's pending orders (a count per symbol), so a symbol without orders costs one load.
   */
  private gate: Int32Array | undefined;
  private gated: ((s: number, bar: BarCursor) => void) | undefined;

  private readonly data: SessionData;
  private readonly derived: DerivedBars;
  private readonly clock: SimulatedClock;
  private readonly symbolCount: number;
  private readonly intervalCount: number;
  private readonly baseMs: Float64Array;
  private readonly baseStream: Int32Array;
  private readonly heads: Int32Array;
  private readonly lengths: Int32Array;
  private readonly matches: Int32Array;
  /** One cursor per stream, its symbol and interval set once: a bar only writes its numbers. */
  private readonly cursors: BarCursor[];
  private readonly symbols: readonly string[];
  private readonly quotes: boolean;
  private readonly intervalTexts: string[];
  private queues: BarColumns[] = [];
  private qTs: Float64Array[] = [];
  private qOpen: Float64Array[] = [];
  private qHigh: Float64Array[] = [];
  private qLow: Float64Array[] = [];
  private qClose: Float64Array[] = [];
  private qVolume: Float64Array[] = [];
  // SessionData's arrays, held directly: the loop reads them for every bar.
  private readonly baseSeries: BarSeries[];
  private readonly active: Uint8Array;
  private readonly quality: StreamQuality;
  private readonly expectedNext: Float64Array;
  private readonly qualityStep: Float64Array;
  private close = 0;
  private readonly sink = (stream: number, start: number, end: number, partial: boolean) => this.emitDerived(stream, start, end, partial);
  private readonly empty = (stream: number, _start: number, end: number) => {
    this.data.quality.missingUntil(stream, end);
    this.data.periodsEnded[stream]!++;
  };

  constructor(data: SessionData, derived: DerivedBars, clock: SimulatedClock) {
    this.data = data;
    this.derived = derived;
    this.clock = clock;
    const plan = data.plan;
    this.symbols = plan.symbols;
    this.quotes = plan.quotes;
    this.symbolCount = plan.symbols.length;
    this.intervalCount = plan.intervals.length;
    this.intervalTexts = plan.intervals.map((i) => i.text);
    this.baseMs = Float64Array.from(plan.base, (i) => plan.intervals[i]!.ms);
    this.baseStream = Int32Array.from(plan.base, (i, s) => s * this.intervalCount + i);
    this.heads = new Int32Array(this.symbolCount);
    this.lengths = new Int32Array(this.symbolCount);
    this.matches = new Int32Array(this.symbolCount);
    this.listeners = Array.from({ length: this.symbolCount * this.intervalCount }, () => []);
    this.baseSeries = plan.symbols.map((_, s) => data.series[this.baseStream[s]!]!);
    this.active = data.active;
    this.quality = data.quality;
    this.expectedNext = data.quality.expectedNext;
    this.qualityStep = data.quality.step;
    this.cursors = Array.from({ length: this.symbolCount * this.intervalCount }, (_, stream) => {
      const s = Math.floor(stream / this.intervalCount);
      const base = plan.roles[stream] === "streamed";
      return { symbol: plan.symbols[s]!, symbolIndex: s, interval: this.intervalTexts[stream % this.intervalCount]!, stream, ts: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, partial: false, base };
    });
  }

  /** Installs the gated base-bar hook (one per loop: the broker's). */
  setGatedHook(gate: Int32Array, hook: (s: number, bar: BarCursor) => void): void {
    if (this.gated) throw new Error("the stream loop already has a gated hook");
    this.gate = gate;
    this.gated = hook;
  }

  /** Sets the day's queues (one per symbol, regular-session base bars) and its close. */
  startDay(queues: BarColumns[], close: number): void {
    this.queues = queues;
    this.qTs = queues.map((q) => q.ts);
    this.qOpen = queues.map((q) => q.open);
    this.qHigh = queues.map((q) => q.high);
    this.qLow = queues.map((q) => q.low);
    this.qClose = queues.map((q) => q.close);
    this.qVolume = queues.map((q) => q.volume);
    this.close = close;
    this.heads.fill(0);
    for (let s = 0; s < this.symbolCount; s++) this.lengths[s] = queues[s]?.ts.length ?? 0;
    this.stats.iterations = 0;
    this.stats.baseBars = 0;
    this.stats.derivedBars = 0;
  }

  /**
   * Starts streaming symbol `s` at instant `now` (a scanner added it): its queue resumes at the
   * first bar starting at or after `now`, so nothing earlier is ever seen.
   */
  activate(s: number, now: number): void {
    const ts = this.qTs[s];
    let h = 0;
    if (ts) while (h < ts.length && ts[h]! < now) h++;
    this.heads[s] = h;
    this.data.active[s] = 1;
    this.data.everActive[s] = 1;
    this.data.activeToday[s] = 1;
    this.data.activeFrom[s] = now;
    this.data.activeUntil[s] = Infinity;
    const count = this.intervalCount;
    for (let i = 0; i < count; i++) {
      const stream = s * count + i;
      const step = this.qualityStep[stream]!;
      const open = this.data.session.open;
      // The first grid slot starting at or after now.
      this.expectedNext[stream] = open + Math.ceil(Math.max(0, now - open) / step) * step;
    }
  }

  /** Stops streaming symbol `s` (its bars so far stay in SessionData). */
  deactivate(s: number): void {
    this.data.active[s] = 0;
    this.data.activeUntil[s] = this.clock.now();
  }

  /** Today's queued base bars of symbol `s` that have ended by `now` (for scanners; never later bars). */
  queueUntil(s: number, now: number): BarColumns {
    const ts = this.qTs[s] ?? new Float64Array(0);
    const length = this.baseMs[s]!;
    let n = 0;
    while (n < ts.length && Math.min(ts[n]! + length, this.close) <= now) n++;
    return {
      ts: ts.subarray(0, n),
      open: this.qOpen[s]!.subarray(0, n),
      high: this.qHigh[s]!.subarray(0, n),
      low: this.qLow[s]!.subarray(0, n),
      close: this.qClose[s]!.subarray(0, n),
      volume: this.qVolume[s]!.subarray(0, n),
    };
  }

  /** The end of the next merge step, or Infinity when every queue is done. */
  peekEnd(): number {
    let next = Infinity;
    for (let s = 0; s < this.symbolCount; s++) {
      const h = this.heads[s]!;
      if (h >= this.lengths[s]! || this.active[s] === 0) continue;
      let end = this.qTs[s]![h]! + this.baseMs[s]!;
      if (end > this.close) end = this.close;
      if (end < next) next = end;
    }
    return next;
  }

  /** Processes merge steps while their end is <= `until`; returns false once every queue is done. */
  run(until: number): boolean {
    const { symbolCount, heads, lengths, matches, baseMs, qTs, active, derived, clock } = this;
    const close = this.close;
    for (;;) {
      let next = Infinity;
      let n = 0;
      for (let s = 0; s < symbolCount; s++) {
        const h = heads[s]!;
        if (h >= lengths[s]! || active[s] === 0) continue;
        let end = qTs[s]![h]! + baseMs[s]!;
        if (end > close) end = close;
        if (end < next) {
          next = end;
          n = 0;
          matches[n++] = s;
        } else if (end === next) matches[n++] = s;
      }
      if (n === 0) return false;
      if (next > until) return true;
      this.stats.iterations++;
      // Periods that ended before these bars started are complete: emit them first, at their end.
      // (Generated intervals are multiples of every base, so no period boundary falls inside a bar.)
      derived.flush(qTs[matches[0]!]![heads[matches[0]!]!]!, this.sink, this.empty);
      clock.advanceTo(next);
      for (let k = 0; k < n; k++) {
        const s = matches[k]!;
        this.processBase(s, heads[s]!, next);
        heads[s]!++;
      }
      derived.flush(next, this.sink, this.empty);
      const hooks = this.stepHooks;
      for (let k = 0; k < hooks.length; k++) hooks[k]!(next);
    }
  }

  /** After the last bar: the clock goes to the close and the periods the close cuts are emitted. */
  finishDay(): void {
    if (this.clock.now() < this.close) this.clock.advanceTo(this.close);
    this.derived.flush(this.close, this.sink, this.empty);
    this.derived.endDay();
    let bars = 0;
    for (let s = 0; s < this.symbolCount; s++) bars += this.heads[s]!;
    this.stats.baseBars = bars;
  }

  private processBase(s: number, h: number, end: number): void {
    const ts = this.qTs[s]![h]!;
    const open = this.qOpen[s]![h]!;
    const high = this.qHigh[s]![h]!;
    const low = this.qLow[s]![h]!;
    const close = this.qClose[s]![h]!;
    const volume = this.qVolume[s]![h]!;
    const stream = this.baseStream[s]!;
    this.baseSeries[s]!.pushBase(ts, open, high, low, close, volume);
    // Quality: a bar that starts after the expected one leaves a gap.
    if (ts > this.expectedNext[stream]!) this.quality.bar(stream, ts);
    else this.expectedNext[stream] = ts + this.qualityStep[stream]!;
    if (this.quotes) {
      this.data.bid[s] = close;
      this.data.ask[s] = close;
      this.data.quoteTime[s] = end;
    }
    const listeners = this.listeners[stream]!;
    const gate = this.gate;
    const gated = gate !== undefined && gate[s]! > 0;
    if (listeners.length === 0 && !gated) return;
    const c = this.cursors[stream]!;
    c.ts = ts;
    c.end = end;
    c.open = open;
    c.high = high;
    c.low = low;
    c.close = close;
    c.volume = volume;
    if (gated) this.gated!(s, c);
    for (let k = 0; k < listeners.length; k++) listeners[k]!(c);
  }

  private emitDerived(stream: number, start: number, end: number, partial: boolean): void {
    const clock = this.clock;
    if (end > clock.now()) clock.advanceTo(end);
    const d = this.derived;
    const data = this.data;
    data.series[stream]!.push(start, d.open[stream]!, d.high[stream]!, d.low[stream]!, d.close[stream]!, d.volume[stream]!, partial ? 1 : 0);
    data.quality.bar(stream, start);
    data.periodsEnded[stream]!++;
    this.stats.derivedBars++;
    const listeners = this.listeners[stream]!;
    if (listeners.length === 0) return;
    const c = this.cursors[stream]!;
    c.ts = start;
    c.end = end;
    c.open = d.open[stream]!;
    c.high = d.high[stream]!;
    c.low = d.low[stream]!;
    c.close = d.close[stream]!;
    c.volume = d.volume[stream]!;
    c.partial = partial;
    for (let k = 0; k < listeners.length; k++) listeners[k]!(c);
  }
}
