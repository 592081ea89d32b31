/**
 * The bar schema and its two forms: a Polars DataFrame at rest (`ts` Int64 epoch ms of the bar
 * START, OHLCV Float64) and struct-of-arrays Float64Array columns for the streaming loop.
 */
import pl from "nodejs-polars";

/** The required bar columns, in file order. */
export const BAR_COLUMNS = ["ts", "open", "high", "low", "close", "volume"] as const;
/** Optional columns the store keeps when a source has them. */
export const OPTIONAL_BAR_COLUMNS = ["vwap", "trade_count"] as const;

/** Bars as columns: `ts` holds epoch ms as float64 (exact below 2^53), one entry per bar. */
export interface BarColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** An empty bar frame with the store's schema. */
export function emptyBarFrame(): pl.DataFrame {
  return pl.DataFrame({
    ts: pl.Series("ts", [], pl.Int64),
    open: pl.Series("open", [], pl.Float64),
    high: pl.Series("high", [], pl.Float64),
    low: pl.Series("low", [], pl.Float64),
    close: pl.Series("close", [], pl.Float64),
    volume: pl.Series("volume", [], pl.Float64),
  });
}

/** A bar frame from columns (ts cast to Int64). */
export function barFrame(columns: BarColumns, extra: Record<string, Float64Array | boolean[]> = {}): pl.DataFrame {
  const series: pl.Series[] = [
    pl.Series("ts", columns.ts).cast(pl.Int64),
    pl.Series("open", columns.open),
    pl.Series("high", columns.high),
    pl.Series("low", columns.low),
    pl.Series("close", columns.close),
    pl.Series("volume", columns.volume),
  ];
  for (const [name, values] of Object.entries(extra)) series.push(pl.Series(name, values as never));
  return pl.DataFrame(series);
}

/** Rows [from, to) of bar columns: zero-copy views, or copies the caller owns with `copy`. */
export function sliceColumns(c: BarColumns, from: number, to = c.ts.length, copy = false): BarColumns {
  const cut = (a: Float64Array) => (copy ? a.slice(from, to) : a.subarray(from, to));
  return { ts: cut(c.ts), open: cut(c.open), high: cut(c.high), low: cut(c.low), close: cut(c.close), volume: cut(c.volume) };
}

/** Zero-filled columns of `length` rows. */
export function emptyColumns(length = 0): BarColumns {
  return { ts: new Float64Array(length), open: new Float64Array(length), high: new Float64Array(length), low: new Float64Array(length), close: new Float64Array(length), volume: new Float64Array(length) };
}

/** Several sets of columns, one after the other, as one (a copy). */
export function concatColumns(parts: readonly BarColumns[]): BarColumns {
  const n = parts.reduce((sum, p) => sum + p.ts.length, 0);
  const out: BarColumns = { ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let offset = 0;
  for (const p of parts) {
    for (const key of BAR_COLUMNS) out[key].set(p[key], offset);
    offset += p.ts.length;
  }
  return out;
}

/** Columns of a bar frame, copied once into typed arrays (ts cast to Float64 in Polars first: BigInt reads are slow). */
export function barColumns(frame: pl.DataFrame): BarColumns {
  return {
    ts: frame.getColumn("ts").cast(pl.Float64).toTypedArray() as Float64Array,
    open: floatColumn(frame, "open"),
    high: floatColumn(frame, "high"),
    low: floatColumn(frame, "low"),
    close: floatColumn(frame, "close"),
    volume: floatColumn(frame, "volume"),
  };
}

function floatColumn(frame: pl.DataFrame, name: string): Float64Array {
  const series = frame.getColumn(name);
  return (series.dtype.equals(pl.Float64) ? series : series.cast(pl.Float64)).toTypedArray() as Float64Array;
}

/** Rows with `ts` in [start, end): the only way bars are ever read. */
export function inWindow(start: number, end: number): pl.Expr {
  return pl.col("ts").gtEq(pl.lit(start).cast(pl.Int64)).and(pl.col("ts").lt(pl.lit(end).cast(pl.Int64)));
}
