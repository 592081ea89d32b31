/**
 * PHASE_5, the streaming loop: it walks the day's time-major queue (every symbol's base bars in the
 * order they become visible, ties in symbol order), one merge step per instant: the clock moves to
 * the step's end, each base bar is appended to SessionData with its quality, the fill hook and the
 * bar hooks run, derived bars that end there are emitted with theirs, then the step hooks. No
 * allocation and no lookup by name per bar; it never passes the close (the clock's limit).
 */
import type { BarColumns } from "../data/bars.ts";
import type { DayQueue } from "../data/day-queue.ts";
import type { SimulatedClock } from "../time/clock.ts";
import type { BarCursor } from "./bar-cursor.ts";
import type { BarSeries } from "./bar-series.ts";
import type { DerivedBars } from "./derived-bars.ts";
import type { HookLists } from "./hook-lists.ts";
import type { SessionData } from "./session-data.ts";
import type { StreamQuality } from "./stream-quality.ts";

/** Counters of one day's streaming (for PHASE_5.SUMMARY). */
export interface LoopStats {
  iterations: number;
  baseBars: number;
  derivedBars: number;
}

/** The per-day streaming state and the loop over it. */
export class StreamLoop {
  readonly stats: LoopStats = { iterations: 0, baseBars: 0, derivedBars: 0 };

  private readonly data: SessionData;
  private readonly derived: DerivedBars;
  private readonly clock: SimulatedClock;
  private readonly hooks: HookLists;
  private readonly intervalCount: number;
  private readonly baseStream: Int32Array;
  /** One cursor per stream, its symbol and interval set once: a bar only writes its numbers. */
  private readonly cursors: BarCursor[];
  private readonly quotes: boolean;
  private queue: DayQueue | undefined;
  /** The first row of the queue not yet streamed. */
  private head = 0;
  // SessionData's arrays, held directly: the loop reads them for every bar.
  private readonly baseSeries: BarSeries[];
  private readonly active: Uint8Array;
  private readonly activeFrom: Float64Array;
  private readonly quality: StreamQuality;
  private readonly expectedNext: Float64Array;
  private readonly qualityStep: Float64Array;
  private close = 0;
  private readonly sink = (stream: number, start: number, end: number, partial: boolean) => this.emitDerived(stream, start, end, partial);
  private readonly empty = (stream: number, _start: number, end: number) => {
    this.data.quality.missingUntil(stream, end);
    this.data.periodsEnded[stream]!++;
  };

  constructor(data: SessionData, derived: DerivedBars, clock: SimulatedClock, hooks: HookLists) {
    this.data = data;
    this.derived = derived;
    this.clock = clock;
    this.hooks = hooks;
    const plan = data.plan;
    this.quotes = plan.quotes;
    this.intervalCount = plan.intervals.length;
    const texts = plan.intervals.map((i) => i.text);
    this.baseStream = Int32Array.from(plan.base, (i, s) => s * this.intervalCount + i);
    this.baseSeries = plan.symbols.map((_, s) => data.series[this.baseStream[s]!]!);
    this.active = data.active;
    this.activeFrom = data.activeFrom;
    this.quality = data.quality;
    this.expectedNext = data.quality.expectedNext;
    this.qualityStep = data.quality.step;
    this.cursors = Array.from({ length: plan.symbols.length * this.intervalCount }, (_, stream) => {
      const s = Math.floor(stream / this.intervalCount);
      const base = plan.roles[stream] === "streamed";
      return { symbol: plan.symbols[s]!, symbolIndex: s, interval: texts[stream % this.intervalCount]!, stream, ts: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, partial: false, base };
    });
  }

  /** Sets the day's queue and its close. */
  startDay(queue: DayQueue, close: number): void {
    this.queue = queue;
    this.head = 0;
    this.close = close;
    this.stats.iterations = 0;
    this.stats.baseBars = 0;
    this.stats.derivedBars = 0;
  }

  /**
   * Starts streaming symbol `s` at instant `now` (a scanner added it): its bars resume at the first
   * one starting at or after `now`, so nothing earlier is ever seen.
   */
  activate(s: number, now: number): void {
    const data = this.data;
    data.active[s] = 1;
    data.everActive[s] = 1;
    data.activeToday[s] = 1;
    data.activeFrom[s] = now;
    data.activeUntil[s] = Infinity;
    const open = data.session.open;
    for (let i = 0; i < this.intervalCount; i++) {
      const stream = s * this.intervalCount + i;
      const step = this.qualityStep[stream]!;
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
    const queue = this.queue;
    if (!queue) return { ts: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0) };
    let n = 0;
    while (n < queue.length && queue.end[n]! <= now) n++;
    return queue.ofSymbol(s, n);
  }

  /** The end of the next merge step among the queued bars, or Infinity when none is queued. */
  peekEnd(): number {
    const q = this.queue;
    if (!q) return Infinity;
    for (let h = this.head; h < q.length; h++) {
      const s = q.symbol[h]!;
      if (this.active[s] !== 0 && q.ts[h]! >= this.activeFrom[s]!) return q.end[h]!;
    }
    return Infinity;
  }

  /** Processes the merge steps that end at or before `until`. */
  run(until: number): void {
    const q = this.queue;
    if (!q) return;
    const { active, activeFrom, derived, clock, stats } = this;
    const steps = this.hooks.steps;
    // The queue's columns are read once per call: a live source may have replaced them since.
    const ts = q.ts;
    const end = q.end;
    const symbol = q.symbol;
    const length = q.length;
    let h = this.head;
    while (h < length) {
      const first = symbol[h]!;
      if (active[first] === 0 || ts[h]! < activeFrom[first]!) {
        h++;
        continue;
      }
      const next = end[h]!;
      if (next > until) break;
      stats.iterations++;
      // Periods that ended before these bars started are complete: emit them first, at their end.
      // (Generated intervals are multiples of every base, so no period boundary falls inside a bar.)
      derived.flush(ts[h]!, this.sink, this.empty);
      clock.advanceTo(next);
      do {
        const s = symbol[h]!;
        if (active[s] !== 0 && ts[h]! >= activeFrom[s]!) {
          this.processBase(q, h, s, next);
          stats.baseBars++;
        }
        h++;
      } while (h < length && end[h] === next);
      derived.flush(next, this.sink, this.empty);
      for (let k = 0; k < steps.length; k++) steps[k]!(next);
    }
    this.head = h;
  }

  /** After the last bar: the clock goes to the close and the periods the close cuts are emitted. */
  finishDay(): void {
    if (this.clock.now() < this.close) this.clock.advanceTo(this.close);
    this.derived.flush(this.close, this.sink, this.empty);
    this.derived.endDay();
    // The day's queue is done: nothing may read it as "today" once the next day starts.
    this.queue = undefined;
  }

  private processBase(q: DayQueue, h: number, s: number, end: number): void {
    const ts = q.ts[h]!;
    const open = q.open[h]!;
    const high = q.high[h]!;
    const low = q.low[h]!;
    const close = q.close[h]!;
    const volume = q.volume[h]!;
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
    const hooks = this.hooks;
    const listeners = hooks.bars[stream]!;
    const gate = hooks.fillGate;
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
    if (gated) hooks.fill!(s, c);
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
    const listeners = this.hooks.bars[stream]!;
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
