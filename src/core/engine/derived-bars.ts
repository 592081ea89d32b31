/**
 * Derived bars, built while the base streams: anchored to the session open (5m at 09:30, 09:35 ...;
 * 1h at 09:30, 10:30 ...; 1d = the regular session; 1w = the week's sessions), emitted when their
 * period ends, a period cut by the close ending there and marked partial, and a period with
 * missing base bars built from the bars that exist. A midday break cuts a period the same way:
 * the period before it ends at the break (partial), the one after it starts at the break's end
 * and runs to the next grid line (partial too when that is less than a full period).
 *
 * Nothing is done per base bar: when a period ends, its bars are the bars appended since the period
 * began to the finest series it can be built from (15m from 5m, 1d from 15m, 1w from 1d ...),
 * so they are folded then, in one tight pass. The grid is shared by every symbol, so one
 * comparison tells whether any period has ended.
 * The batch path (data/aggregate.ts) gives identical bars (tested on real data).
 */
import type { TradingSession } from "../time/calendar.ts";
import { periodFrom } from "../time/session-break.ts";
import { CLOSE, HIGH, LOW, OPEN, ROW, VOLUME, type BarSeries } from "./bar-series.ts";
import type { StreamPlan } from "./stream-plan.ts";

/** Receives a finished derived bar; its OHLCV are in the builder's arrays at `stream` during the call. */
export type DerivedSink = (stream: number, start: number, end: number, partial: boolean) => void;

/** The builder of every generated stream of a session. */
export class DerivedBars {
  /** Per stream: the finished bar's OHLCV, valid while the sink runs. */
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Per interval index: the current period on today's grid. */
  readonly periodStart: Float64Array;
  readonly periodEnd: Float64Array;
  /** The earliest periodEnd of any interval: nothing needs doing before it. */
  nextFlush = Infinity;

  private readonly plan: StreamPlan;
  /** Per stream: the series its bars are folded from (the symbol's base, or a finer generated stream). */
  private readonly source: BarSeries[];
  private readonly intervalCount: number;
  /** Per stream: the index in today's base series where the current period's bars begin. */
  private readonly first: Int32Array;
  /** Per stream (1w only): the week so far, folded at each day's end. */
  private readonly week: { open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array; count: Float64Array };
  private readonly lengths: Float64Array;
  private readonly weekly: boolean[];
  private readonly active: number[];
  private readonly symbolsOf: number[][];
  private session!: TradingSession;

  /** Per symbol: 1 while it streams (periods of inactive symbols are neither built nor counted). */
  private readonly activeSymbols: Uint8Array;

  /** `series` holds every stream's session bars (SessionData's), indexed by stream id. */
  constructor(plan: StreamPlan, series: BarSeries[], active: Uint8Array = new Uint8Array(plan.symbols.length).fill(1)) {
    this.plan = plan;
    this.activeSymbols = active;
    this.intervalCount = plan.intervals.length;
    this.source = series.map((_, id) => series[sourceStream(plan, id)]!);
    const streams = plan.symbols.length * this.intervalCount;
    const f64 = () => new Float64Array(streams);
    this.open = f64();
    this.high = f64();
    this.low = f64();
    this.close = f64();
    this.volume = f64();
    this.first = new Int32Array(streams);
    this.week = { open: f64(), high: f64(), low: f64(), close: f64(), volume: f64(), count: f64() };
    this.periodStart = new Float64Array(this.intervalCount).fill(NaN);
    this.periodEnd = new Float64Array(this.intervalCount).fill(NaN);
    this.lengths = Float64Array.from(plan.intervals, (i) => (i.intraday ? i.ms : 0));
    this.weekly = plan.intervals.map((i) => i.unit === "w");
    this.symbolsOf = plan.intervals.map((_, i) => plan.symbols.map((_, s) => s).filter((s) => plan.generated[s]!.includes(i)));
    this.active = plan.intervals.map((_, i) => i).filter((i) => this.symbolsOf[i]!.length > 0);
  }

  /** Lays today's grid: intraday periods from the open; 1d = the session; 1w ends at `weekClose`. */
  startDay(session: TradingSession, weekOpen: number, weekClose: number): void {
    this.session = session;
    this.first.fill(0);
    for (const i of this.active) {
      const interval = this.plan.intervals[i]!;
      if (interval.intraday) {
        const [start, end] = periodFrom(session, interval.ms, session.open);
        this.periodStart[i] = start;
        this.periodEnd[i] = end;
      } else if (interval.unit === "d") {
        this.periodStart[i] = session.open;
        this.periodEnd[i] = session.close;
      } else {
        this.periodStart[i] = weekOpen;
        this.periodEnd[i] = weekClose;
      }
    }
    this.updateNextFlush();
  }

  /**
   * Ends every period whose end is <= `t`: `sink` receives each non-empty bar (intervals finest
   * first, symbols in session order) and `empty` each symbol with nothing in the period.
   */
  flush(t: number, sink: DerivedSink, empty: (stream: number, start: number, end: number) => void): void {
    if (t < this.nextFlush) return;
    const intervals = this.active;
    for (let a = 0; a < intervals.length; a++) {
      const i = intervals[a]!;
      while (this.periodEnd[i]! <= t) {
        const start = this.periodStart[i]!;
        const end = this.periodEnd[i]!;
        const length = this.lengths[i]!;
        const partial = length > 0 && end - start < length;
        const symbols = this.symbolsOf[i]!;
        for (let k = 0; k < symbols.length; k++) {
          const s = symbols[k]!;
          const id = s * this.intervalCount + i;
          if (this.activeSymbols[s] === 0) {
            this.first[id] = this.source[id]!.length;
            continue;
          }
          if (this.fold(id, this.weekly[i]!)) sink(id, start, end, partial);
          else empty(id, start, end);
          this.first[id] = this.source[id]!.length;
        }
        if (!this.advance(i, end)) break;
      }
    }
    this.updateNextFlush();
  }

  /**
   * A bar was inserted at `index` into base stream `stream`'s series (a late bar): periods still
   * open that fold from it keep pointing at their own first bar - unless the late bar belongs to
   * the open period, which then folds it in.
   */
  baseInserted(stream: number, index: number, ts: number): void {
    const count = this.intervalCount;
    const s = Math.floor(stream / count);
    for (const i of this.plan.generated[s]!) {
      const id = s * count + i;
      if (this.source[id] !== this.source[stream]) continue;
      if (this.first[id]! > index || (this.first[id] === index && ts < this.periodStart[i]!)) this.first[id]!++;
    }
  }

  /** At the close of a day that does not end its week: folds the day into each week bucket. */
  endDay(): void {
    for (const i of this.active) {
      if (!this.weekly[i] || this.periodEnd[i]! === Infinity) continue;
      for (const s of this.symbolsOf[i]!) {
        const id = s * this.intervalCount + i;
        this.foldInto(this.week, id, this.first[id]!);
      }
    }
  }

  /** Writes the period's bar of stream `id` into the output arrays; false when it has no base bars. */
  private fold(id: number, weekly: boolean): boolean {
    if (weekly) {
      this.foldInto(this.week, id, this.first[id]!);
      const w = this.week;
      if (w.count[id] === 0) return false;
      this.open[id] = w.open[id]!;
      this.high[id] = w.high[id]!;
      this.low[id] = w.low[id]!;
      this.close[id] = w.close[id]!;
      this.volume[id] = w.volume[id]!;
      w.count[id] = 0;
      return true;
    }
    const bars = this.source[id]!;
    const from = this.first[id]!;
    const to = bars.length;
    if (to === from) return false;
    // The source's rows: one contiguous pass over the period's bars.
    const rows = bars.rows;
    let j = from * ROW;
    const last = (to - 1) * ROW;
    let high = rows[j + HIGH]!;
    let low = rows[j + LOW]!;
    let volume = 0;
    this.open[id] = rows[j + OPEN]!;
    for (; j <= last; j += ROW) {
      const h = rows[j + HIGH]!;
      const l = rows[j + LOW]!;
      if (h > high) high = h;
      if (l < low) low = l;
      volume += rows[j + VOLUME]!;
    }
    this.high[id] = high;
    this.low[id] = low;
    this.close[id] = rows[last + CLOSE]!;
    this.volume[id] = volume;
    return true;
  }

  /** Adds source bars [from, length) of stream id to a carried bucket. */
  private foldInto(bucket: DerivedBars["week"], id: number, from: number): void {
    const bars = this.source[id]!;
    const rows = bars.rows;
    for (let j = from * ROW, end = bars.length * ROW; j < end; j += ROW) {
      if (bucket.count[id] === 0) {
        bucket.open[id] = rows[j + OPEN]!;
        bucket.high[id] = rows[j + HIGH]!;
        bucket.low[id] = rows[j + LOW]!;
        bucket.volume[id] = 0;
      }
      if (rows[j + HIGH]! > bucket.high[id]!) bucket.high[id] = rows[j + HIGH]!;
      if (rows[j + LOW]! < bucket.low[id]!) bucket.low[id] = rows[j + LOW]!;
      bucket.close[id] = rows[j + CLOSE]!;
      bucket.volume[id] = bucket.volume[id]! + rows[j + VOLUME]!;
      bucket.count[id] = bucket.count[id]! + 1;
    }
    this.first[id] = bars.length;
  }

  /** Moves interval i to its next period today; false when the day (or week) has no more. */
  private advance(i: number, end: number): boolean {
    const length = this.lengths[i]!;
    if (length > 0 && end < this.session.close) {
      // The next period: from this one's end (or from the break's end when this one ended at the break).
      const [start, next] = periodFrom(this.session, length, end);
      this.periodStart[i] = start;
      this.periodEnd[i] = next;
      return true;
    }
    this.periodStart[i] = NaN;
    this.periodEnd[i] = Infinity;
    return false;
  }

  private updateNextFlush(): void {
    let next = Infinity;
    for (const i of this.active) if (this.periodEnd[i]! < next) next = this.periodEnd[i]!;
    this.nextFlush = next;
  }
}

/**
 * The stream a generated stream is folded from: for an intraday interval, the coarsest of the
 * symbol's base and finer generated intervals that divides it; for 1d, the coarsest intraday
 * one; for 1w, 1d when generated. Every intraday grid starts at the open and is cut at the
 * close, so these all tile the same periods and give the same bars as the base itself.
 */
export function sourceStream(plan: StreamPlan, stream: number): number {
  const count = plan.intervals.length;
  const s = Math.floor(stream / count);
  const target = plan.intervals[stream % count]!;
  if (plan.roles[stream] !== "generated") return stream;
  const candidates = [plan.base[s]!, ...plan.generated[s]!].filter((i) => {
    const c = plan.intervals[i]!;
    if (c.ms >= target.ms) return false;
    if (target.intraday) return c.intraday && target.ms % c.ms === 0;
    if (target.unit === "d") return c.intraday;
    return c.unit === "d" || i === plan.base[s];
  });
  const best = candidates.reduce((a, b) => (plan.intervals[b]!.ms > plan.intervals[a]!.ms ? b : a), plan.base[s]!);
  return s * count + best;
}
