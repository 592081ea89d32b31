/**
 * The replay server's bars in memory: each symbol's one-minute bars read from the store a month
 * at a time, once, so a REST request or a streamed minute costs a binary search, not a Parquet
 * scan (REST is asked a lot: every gap, retry and backfill of a session).
 */
import { barColumns, concatColumns, sliceColumns, type BarColumns } from "../data/bars.ts";
import { partitionsFor } from "../data/layout.ts";
import type { Store } from "../data/store.ts";
import { requireInterval } from "../time/interval.ts";
import { lowerBound } from "../util/bounds.ts";

const MINUTE = requireInterval("1m");

/** One-minute bars by symbol and month. */
export class BarCache {
  private readonly months = new Map<string, BarColumns>();
  private readonly stored = new Map<string, boolean>();

  constructor(private readonly store: Store) {}

  /** True when the store has one-minute bars of the symbol. */
  has(symbol: string): boolean {
    let known = this.stored.get(symbol);
    if (known === undefined) this.stored.set(symbol, (known = this.store.has({ kind: "bars", interval: MINUTE }, symbol)));
    return known;
  }

  /** Bars of `symbol` with start in [start, end), ascending. */
  bars(symbol: string, start: number, end: number): BarColumns {
    const parts: BarColumns[] = [];
    for (const month of partitionsFor("", { kind: "bars", interval: MINUTE }, start, end)) {
      const key = `${symbol}|${month.label}`;
      let columns = this.months.get(key);
      if (!columns) this.months.set(key, (columns = barColumns(this.store.read({ kind: "bars", interval: MINUTE }, symbol, month.start, month.end))));
      parts.push(sliceColumns(columns, lowerBound(columns.ts, start), lowerBound(columns.ts, end)));
    }
    return parts.length === 1 ? parts[0]! : concatColumns(parts);
  }
}
