/**
 * Derived bars, built incrementally while the base streams: anchored to the session open (5m at
 * 09:30, 09:35 ...; 1h at 09:30, 10:30 ...; 1d = the regular session; 1w = the week's sessions),
 * emitted when their period ends, a period cut by the close ending there and marked partial, and
 * a period with missing base bars built from the bars that exist. State lives in typed arrays
 * indexed by stream id; the grid is shared by every symbol, so one comparison per interval tells
 * whether a period has ended. The batch path (data/aggregate.ts) gives identical bars.
 */
import type { TradingSession } from "../time/calendar.ts";
import type { StreamPlan } from "./stream-plan.ts";

/** Receives a finished derived bar (the builder's state is readable during the call). */
export type DerivedSink = (stream: number, start: number, end: number, partial: boolean) => void;

/** The incremental builder of every generated stream of a session. */
export class DerivedBars {
  /** Per stream: the bucket's OHLCV and how many base bars it holds (0 = empty). */
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly count: Float64Array;
  /** Per interval index: the current period's start and end on today's grid (NaN = not generated). */
  readonly periodStart: Float64Array;
  readonly periodEnd: Float64Array;
  /** The earliest periodEnd over all intervals: nothing needs flushing before it. */
  nextFlush = Infinity;

  private readonly plan: StreamPlan;
  private readonly intervalCount: number;
  /** Per interval index: its length in ms for intraday intervals, 0 for 1d and 1w. */
  private readonly lengths: Float64Array;
  /** Interval indexes that some symbol generates, finest first. */
  private readonly active: number[];
  /** Per interval index: the symbols generating it. */
  private readonly symbolsOf: number[][];
  private session!: TradingSession;
  private weekEnd = NaN;

  constructor(plan: StreamPlan) {
    this.plan = plan;
    this.intervalCount = plan.intervals.length;
    const streams = plan.symbols.length * this.intervalCount;
    this.open = new Float64Array(streams);
    this.high = new Float64Array(streams);
    this.low = new Float64Array(streams);
    this.close = new Float64Array(streams);
    this.volume = new Float64Array(streams);
    this.count = new Float64Array(streams);
    this.periodStart = new Float64Array(this.intervalCount).fill(NaN);
    this.periodEnd = new Float64Array(this.intervalCount).fill(NaN);
    this.lengths = Float64Array.from(plan.intervals, (i) => (i.intraday ? i.ms : 0));
    this.symbolsOf = plan.intervals.map((_, i) => plan.symbols.map((_, s) => s).filter((s) => plan.generated[s]!.includes(i)));
    this.active = plan.intervals.map((_, i) => i).filter((i) => this.symbolsOf[i]!.length > 0);
  }

  /** Lays today's grid: intraday periods from the open; 1d = the session; 1w ends at `weekClose`. */
  startDay(session: TradingSession, weekOpen: number, weekClose: number): void {
    this.session = session;
    this.weekEnd = weekClose;
    for (const i of this.active) {
      const interval = this.plan.intervals[i]!;
      if (interval.intraday) {
        this.periodStart[i] = session.open;
        this.periodEnd[i] = Math.min(session.open + interval.ms, session.close);
      } else if (interval.unit === "d") {
        this.periodStart[i] = session.open;
        this.periodEnd[i] = session.close;
      } else {
        // A week bucket carries over from the week's earlier sessions.
        this.periodStart[i] = weekOpen;
        this.periodEnd[i] = weekClose;
      }
    }
    this.updateNextFlush();
  }

  /** Adds a base bar of symbol `s` to each of its generated buckets. */
  add(s: number, open: number, high: number, low: number, close: number, volume: number): void {
    const generated = this.plan.generated[s]!;
    const row = s * this.intervalCount;
    for (let k = 0; k < generated.length; k++) {
      const id = row + generated[k]!;
      if (this.count[id] === 0) {
        this.open[id] = open;
        this.high[id] = high;
        this.low[id] = low;
        this.close[id] = close;
        this.volume[id] = volume;
        this.count[id] = 1;
      } else {
        if (high > this.high[id]!) this.high[id] = high;
        if (low < this.low[id]!) this.low[id] = low;
        this.close[id] = close;
        this.volume[id] = this.volume[id]! + volume;
        this.count[id] = this.count[id]! + 1;
      }
    }
  }

  /**
   * Ends every period whose end is <= `t`: `sink` receives each non-empty bucket (intervals finest
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
          const id = symbols[k]! * this.intervalCount + i;
          if (this.count[id]! > 0) {
            sink(id, start, end, partial);
            this.count[id] = 0;
          } else empty(id, start, end);
        }
        if (!this.advance(i, end)) break;
      }
    }
    this.updateNextFlush();
  }

  /** Moves interval i to its next period today; false when the day (or week) has no more. */
  private advance(i: number, end: number): boolean {
    const length = this.lengths[i]!;
    if (length > 0 && end < this.session.close) {
      this.periodStart[i] = end;
      this.periodEnd[i] = Math.min(end + length, this.session.close);
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

  /** The close of the current week's last session (for 1w streams). */
  get weekClose(): number {
    return this.weekEnd;
  }
}
