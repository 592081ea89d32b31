/**
 * A growable bar series: what SessionData keeps per symbol and interval.
 *
 * The loop appends to row-major storage, one 8-slot row per bar (ts, open, high, low, close,
 * volume, partial, spare), so a bar is one contiguous write. Columns (`ts`, `open`, ...) are
 * what readers get; they are caught up from the rows when first read after an append, so a
 * series nobody reads costs no transposition and no column memory.
 *
 * Why: with one array per column, a step over 100 symbols wrote into 700 separate pages and the
 * merge cost 35-40 ns per bar; with rows, 13 ns (bench/README.md has the measurements).
 */
import pl from "nodejs-polars";
import type { BarColumns } from "../data/bars.ts";

/** Slots per row. */
export const ROW = 8;
/** Slot offsets inside a row. */
export const TS = 0;
export const OPEN = 1;
export const HIGH = 2;
export const LOW = 3;
export const CLOSE = 4;
export const VOLUME = 5;
export const PARTIAL = 6;

/** Columns of a series, sized to its capacity (valid up to `length`). */
interface Columns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  partial: Uint8Array;
}

/** One bar series. `ts` is the bar start (epoch ms UTC). */
export class BarSeries implements BarColumns {
  /** Row-major bars: bar i is rows[i * ROW + TS .. i * ROW + PARTIAL]. */
  rows: Float64Array;
  /** How many bars the series holds. */
  length = 0;
  private columns: Columns | undefined;
  /** Bars already copied into the columns. */
  private synced = 0;

  constructor(capacity = 512) {
    this.rows = new Float64Array(Math.max(1, capacity) * ROW);
  }

  /** Appends one bar. */
  push(ts: number, open: number, high: number, low: number, close: number, volume: number, partial = 0): void {
    const i = this.length;
    let j = i * ROW;
    if (j === this.rows.length) this.grow(i * 2);
    const rows = this.rows;
    rows[j] = ts;
    rows[++j] = open;
    rows[++j] = high;
    rows[++j] = low;
    rows[++j] = close;
    rows[++j] = volume;
    rows[++j] = partial;
    this.length = i + 1;
  }

  /** Appends a base bar (never partial). */
  pushBase(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    this.push(ts, open, high, low, close, volume, 0);
  }

  /** Appends every bar of another series (one copy of its rows). */
  append(other: BarSeries): void {
    const total = this.length + other.length;
    if (total * ROW > this.rows.length) this.grow(Math.max(total, this.length * 2));
    this.rows.set(other.rows.subarray(0, other.length * ROW), this.length * ROW);
    this.length = total;
  }

  /** The index of the bar starting at `ts`, or -(insertion point) - 1 when there is none. */
  find(ts: number): number {
    let lo = 0;
    let hi = this.length - 1;
    const rows = this.rows;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = rows[mid * ROW + TS]!;
      if (t < ts) lo = mid + 1;
      else if (t > ts) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /**
   * Puts a bar at its place by start (a late bar a live feed found), or replaces the bar with the
   * same start (a corrected one). Bars after it move up one row.
   */
  put(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    const found = this.find(ts);
    let i = found;
    if (found < 0) {
      i = -found - 1;
      if (this.length * ROW === this.rows.length) this.grow(this.length * 2);
      this.rows.copyWithin((i + 1) * ROW, i * ROW, this.length * ROW);
      this.length++;
    }
    const j = i * ROW;
    this.rows[j + TS] = ts;
    this.rows[j + OPEN] = open;
    this.rows[j + HIGH] = high;
    this.rows[j + LOW] = low;
    this.rows[j + CLOSE] = close;
    this.rows[j + VOLUME] = volume;
    this.rows[j + PARTIAL] = 0;
    // Columns from this row on are caught up again when next read.
    if (this.synced > i) this.synced = i;
  }

  /** The close of the newest bar, NaN when empty (no column catch-up). */
  lastClose(): number {
    return this.length > 0 ? this.rows[(this.length - 1) * ROW + CLOSE]! : NaN;
  }

  /** Empties the series, keeping its memory. */
  clear(): void {
    this.length = 0;
    this.synced = 0;
  }

  get ts(): Float64Array {
    return this.sync().ts;
  }
  get open(): Float64Array {
    return this.sync().open;
  }
  get high(): Float64Array {
    return this.sync().high;
  }
  get low(): Float64Array {
    return this.sync().low;
  }
  get close(): Float64Array {
    return this.sync().close;
  }
  get volume(): Float64Array {
    return this.sync().volume;
  }
  /** 1 when a derived bar was cut short by the close (an early close, or the last bar of a day). */
  get partial(): Uint8Array {
    return this.sync().partial;
  }

  /** Zero-copy views of the filled part. */
  view(): BarColumns & { partial: Uint8Array } {
    const n = this.length;
    const c = this.sync();
    return {
      ts: c.ts.subarray(0, n),
      open: c.open.subarray(0, n),
      high: c.high.subarray(0, n),
      low: c.low.subarray(0, n),
      close: c.close.subarray(0, n),
      volume: c.volume.subarray(0, n),
      partial: c.partial.subarray(0, n),
    };
  }

  /** A copy of the filled part, owned by the caller (the series' memory is reused tomorrow). */
  copy(): BarColumns {
    const n = this.length;
    const out: BarColumns = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
    transpose(this.rows, 0, n, out);
    return out;
  }

  /** The bars as a Polars DataFrame (a copy), with the `partial` flag when asked. */
  toFrame(withPartial = false): pl.DataFrame {
    const v = this.view();
    const series: pl.Series[] = [
      pl.Series("ts", v.ts).cast(pl.Int64),
      pl.Series("open", v.open),
      pl.Series("high", v.high),
      pl.Series("low", v.low),
      pl.Series("close", v.close),
      pl.Series("volume", v.volume),
    ];
    if (withPartial) series.push(pl.Series("partial", Array.from(v.partial, (p) => p === 1)));
    return pl.DataFrame(series);
  }

  /** The columns, caught up with the rows. */
  private sync(): Columns {
    const capacity = this.rows.length / ROW;
    let c = this.columns;
    if (!c || c.ts.length < capacity) {
      const next: Columns = { ts: new Float64Array(capacity), open: new Float64Array(capacity), high: new Float64Array(capacity), low: new Float64Array(capacity), close: new Float64Array(capacity), volume: new Float64Array(capacity), partial: new Uint8Array(capacity) };
      if (c) for (const key of ["ts", "open", "high", "low", "close", "volume", "partial"] as const) (next[key] as Float64Array).set(c[key].subarray(0, this.synced) as Float64Array);
      this.columns = c = next;
    }
    if (this.synced < this.length) {
      transpose(this.rows, this.synced, this.length, c);
      const rows = this.rows;
      for (let i = this.synced; i < this.length; i++) c.partial[i] = rows[i * ROW + PARTIAL]!;
      this.synced = this.length;
    }
    return c;
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity * ROW);
    next.set(this.rows.subarray(0, this.length * ROW));
    this.rows = next;
  }
}

/** Copies rows [from, to) into the same positions of the columns. */
function transpose(rows: Float64Array, from: number, to: number, out: BarColumns): void {
  const { ts, open, high, low, close, volume } = out;
  for (let i = from, j = from * ROW; i < to; i++, j += ROW) {
    ts[i] = rows[j + TS]!;
    open[i] = rows[j + OPEN]!;
    high[i] = rows[j + HIGH]!;
    low[i] = rows[j + LOW]!;
    close[i] = rows[j + CLOSE]!;
    volume[i] = rows[j + VOLUME]!;
  }
}
