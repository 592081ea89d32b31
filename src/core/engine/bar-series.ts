/**
 * A growable struct-of-arrays bar series: what SessionData keeps per symbol and interval.
 * Appends write into preallocated Float64Arrays (grown by doubling, rarely), so the streaming
 * loop never allocates; readers get the arrays themselves and a length (zero-copy views).
 */
import pl from "nodejs-polars";
import type { BarColumns } from "../data/bars.ts";

/** One bar series. `ts` is the bar start (epoch ms UTC). */
export class BarSeries implements BarColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** 1 when a derived bar was cut short by the close (an early close, or the last bar of a day). */
  partial: Uint8Array;
  /** How many bars the series holds. */
  length = 0;

  constructor(capacity = 512) {
    const size = Math.max(1, capacity);
    this.ts = new Float64Array(size);
    this.open = new Float64Array(size);
    this.high = new Float64Array(size);
    this.low = new Float64Array(size);
    this.close = new Float64Array(size);
    this.volume = new Float64Array(size);
    this.partial = new Uint8Array(size);
  }

  /** Appends one bar. */
  push(ts: number, open: number, high: number, low: number, close: number, volume: number, partial = 0): void {
    const i = this.length;
    if (i === this.ts.length) this.grow(i * 2);
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.partial[i] = partial;
    this.length = i + 1;
  }

  /** Appends a base bar (never partial: its flag stays 0). */
  pushBase(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.length;
    if (i === this.ts.length) this.grow(i * 2);
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.length = i + 1;
  }

  /** Empties the series, keeping its memory. */
  clear(): void {
    this.length = 0;
  }

  /** Makes room for at least `capacity` bars without further growth. */
  reserve(capacity: number): void {
    if (capacity > this.ts.length) this.grow(capacity);
  }

  /** Zero-copy views of the filled part. */
  view(): BarColumns & { partial: Uint8Array } {
    const n = this.length;
    return {
      ts: this.ts.subarray(0, n),
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      volume: this.volume.subarray(0, n),
      partial: this.partial.subarray(0, n),
    };
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

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array.subarray(0, this.length));
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.ts = copy(this.ts, f64);
    this.open = copy(this.open, f64);
    this.high = copy(this.high, f64);
    this.low = copy(this.low, f64);
    this.close = copy(this.close, f64);
    this.volume = copy(this.volume, f64);
    this.partial = copy(this.partial, (n) => new Uint8Array(n));
  }
}
