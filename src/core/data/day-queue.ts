/**
 * One trading day's base bars of every symbol, time-major: rows sorted by the instant each bar
 * becomes visible (its end, or the close that cuts it), ties in session symbol order. The
 * streaming loop walks it front to back, so merging the symbols costs nothing per bar; a backtest
 * source fills it once (sorted on Polars' threads), a live source appends rows as the feed
 * delivers them. Columns are struct-of-arrays Float64Array (symbol as Int32Array) and may be
 * reallocated when the queue grows: read them through the queue, never keep them across a push.
 */

/** The columns of a queue. */
export interface DayQueueColumns {
  ts: Float64Array;
  end: Float64Array;
  symbol: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** The day's queue. Rows [0, length) are valid. */
export class DayQueue implements DayQueueColumns {
  /** Bar start, epoch ms UTC. */
  ts: Float64Array;
  /** When the bar becomes visible: min(start + base interval, the session close). */
  end: Float64Array;
  /** The symbol's index in the session's plan. */
  symbol: Int32Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;

  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    this.ts = new Float64Array(n);
    this.end = new Float64Array(n);
    this.symbol = new Int32Array(n);
    this.open = new Float64Array(n);
    this.high = new Float64Array(n);
    this.low = new Float64Array(n);
    this.close = new Float64Array(n);
    this.volume = new Float64Array(n);
    this.length = 0;
  }

  /** A queue over columns already in time-major order (no copy). */
  static of(columns: DayQueueColumns): DayQueue {
    const queue = new DayQueue(1);
    queue.ts = columns.ts;
    queue.end = columns.end;
    queue.symbol = columns.symbol;
    queue.open = columns.open;
    queue.high = columns.high;
    queue.low = columns.low;
    queue.close = columns.close;
    queue.volume = columns.volume;
    queue.length = columns.ts.length;
    return queue;
  }

  /**
   * The time-major queue of per-symbol bars (each sorted by start): a bar of symbol s becomes
   * visible at min(start + baseMs[s], close); ties in symbol order.
   */
  static merge(perSymbol: readonly { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }[], baseMs: ArrayLike<number>, close: number): DayQueue {
    const total = perSymbol.reduce((n, c) => n + c.ts.length, 0);
    const queue = new DayQueue(total);
    const heads = new Int32Array(perSymbol.length);
    for (;;) {
      let best = -1;
      let bestEnd = Infinity;
      for (let s = 0; s < perSymbol.length; s++) {
        const c = perSymbol[s]!;
        const h = heads[s]!;
        if (h >= c.ts.length) continue;
        const end = Math.min(c.ts[h]! + baseMs[s]!, close);
        if (end < bestEnd) {
          bestEnd = end;
          best = s;
        }
      }
      if (best < 0) return queue;
      const c = perSymbol[best]!;
      const h = heads[best]!++;
      queue.push(best, c.ts[h]!, bestEnd, c.open[h]!, c.high[h]!, c.low[h]!, c.close[h]!, c.volume[h]!);
    }
  }

  /** The end of the newest row (-Infinity when empty). */
  lastEnd(): number {
    return this.length > 0 ? this.end[this.length - 1]! : -Infinity;
  }

  /** Appends a row; it must not be visible before the newest one (time-major order). */
  push(symbol: number, ts: number, end: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.length;
    if (i === this.ts.length) this.grow(i * 2);
    this.ts[i] = ts;
    this.end[i] = end;
    this.symbol[i] = symbol;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.length = i + 1;
  }

  /**
   * Inserts a row at its time-major place among rows [from, length) (a bar that arrives late but
   * before the loop has passed its instant); `from` is the first row not yet streamed.
   */
  insert(from: number, symbol: number, ts: number, end: number, open: number, high: number, low: number, close: number, volume: number): void {
    let at = this.length;
    while (at > from && (this.end[at - 1]! > end || (this.end[at - 1] === end && this.symbol[at - 1]! > symbol))) at--;
    if (this.length === this.ts.length) this.grow(this.length * 2);
    for (const column of [this.ts, this.end, this.open, this.high, this.low, this.close, this.volume] as Float64Array[]) column.copyWithin(at + 1, at, this.length);
    this.symbol.copyWithin(at + 1, at, this.length);
    this.length++;
    this.ts[at] = ts;
    this.end[at] = end;
    this.symbol[at] = symbol;
    this.open[at] = open;
    this.high[at] = high;
    this.low[at] = low;
    this.close[at] = close;
    this.volume[at] = volume;
  }

  /** Rows [0, until) of one symbol, as columns (copies; for scanners, which look rarely). */
  ofSymbol(s: number, until = this.length): { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
    const rows: number[] = [];
    for (let i = 0; i < until; i++) if (this.symbol[i] === s) rows.push(i);
    const pick = (column: Float64Array) => Float64Array.from(rows, (i) => column[i]!);
    return { ts: pick(this.ts), open: pick(this.open), high: pick(this.high), low: pick(this.low), close: pick(this.close), volume: pick(this.volume) };
  }

  private grow(capacity: number): void {
    const f64 = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old.subarray(0, this.length));
      return next;
    };
    this.ts = f64(this.ts);
    this.end = f64(this.end);
    this.open = f64(this.open);
    this.high = f64(this.high);
    this.low = f64(this.low);
    this.close = f64(this.close);
    this.volume = f64(this.volume);
    const symbols = new Int32Array(capacity);
    symbols.set(this.symbol.subarray(0, this.length));
    this.symbol = symbols;
  }
}
