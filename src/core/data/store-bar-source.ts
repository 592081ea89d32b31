/**
 * The backtest's bar source: each trading day's regular-session base bars of every symbol, read
 * from the store a month at a time (the store's files) and put in time-major order by Polars on
 * its own threads (tagged with their session, cut at its close, sorted by visibility instant and
 * symbol), so the streaming loop merges nothing. With `prefetchDays` > 0 the next month is read in
 * the background from the first day of the current one (and any later month within that many
 * trading days): reading on a month's last day alone left a year of 100 symbols waiting 1.8 s.
 */
import { internalError } from "../errors.ts";
import pl from "nodejs-polars";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import { civilFromDay, type DayNumber } from "../time/dates.ts";
import type { Interval } from "../time/interval.ts";
import { upperBound } from "../util/bounds.ts";
import { regularSessionBars, sessionsFrame } from "./aggregate.ts";
import type { BarSource } from "./bar-source.ts";
import { DayQueue, type DayQueueColumns } from "./day-queue.ts";
import type { Store } from "./store.ts";

/** One month of queues: the rows of its days, and per day a [from, to) pair of row offsets. */
interface Chunk {
  days: DayNumber[];
  columns: DayQueueColumns;
  offsets: Int32Array;
}

/** What a store source reads. */
export interface StoreSourceOptions {
  store: Store;
  calendar: MarketCalendar;
  /** The plan's symbols, in session order, and each one's streamed base interval. */
  symbols: readonly string[];
  bases: readonly Interval[];
  /** The session's trading days. */
  days: readonly DayNumber[];
  /** Trading days ahead whose months are read in the background. @default 1 */
  prefetchDays?: number;
}

/** Replays the store day by day. */
export class StoreBarSource implements BarSource {
  readonly name = "store";
  private readonly options: StoreSourceOptions;
  private readonly chunks: DayNumber[][];
  private readonly loading = new Map<number, Promise<Chunk>>();

  constructor(options: StoreSourceOptions) {
    this.options = options;
    this.chunks = chunkByMonth(options.days);
  }

  async openDay(session: TradingSession): Promise<DayQueue> {
    const day = session.day;
    const index = this.chunks.findIndex((days) => days.includes(day));
    if (index === -1) throw internalError(`${session.date} is not a day of the session`);
    const chunk = await this.chunk(index);
    const ahead = this.options.prefetchDays ?? 1;
    if (ahead > 0) {
      const last = Math.max(index + 1, this.chunkIndexAhead(day, ahead));
      for (let next = index + 1; next <= last; next++) void this.chunk(next);
    }
    for (const key of [...this.loading.keys()]) if (key < index) this.loading.delete(key);
    const position = chunk.days.indexOf(day);
    const from = chunk.offsets[2 * position]!;
    const to = chunk.offsets[2 * position + 1]!;
    const c = chunk.columns;
    return DayQueue.of({
      ts: c.ts.subarray(from, to),
      end: c.end.subarray(from, to),
      symbol: c.symbol.subarray(from, to),
      open: c.open.subarray(from, to),
      high: c.high.subarray(from, to),
      low: c.low.subarray(from, to),
      close: c.close.subarray(from, to),
      volume: c.volume.subarray(from, to),
    });
  }

  /** The store's day is whole once it is loaded. */
  completeUntil(): number {
    return Infinity;
  }

  async waitForBars(): Promise<void> {}

  private chunkIndexAhead(day: DayNumber, ahead: number): number {
    const all = this.chunks.flat();
    const target = all[Math.min(all.length - 1, all.indexOf(day) + ahead)]!;
    return this.chunks.findIndex((days) => days.includes(target));
  }

  private chunk(index: number): Promise<Chunk> {
    if (index >= this.chunks.length) return Promise.resolve(EMPTY);
    let pending = this.loading.get(index);
    if (!pending) {
      pending = this.read(this.chunks[index]!);
      this.loading.set(index, pending);
    }
    return pending;
  }

  private async read(days: DayNumber[]): Promise<Chunk> {
    const { store, calendar, symbols, bases } = this.options;
    const sessions = days.map((day) => calendar.session(day)!);
    const start = sessions[0]!.open;
    const end = sessions[sessions.length - 1]!.close;
    const frame = sessionsFrame(calendar, start, end);
    const parts: pl.LazyDataFrame[] = [];
    symbols.forEach((symbol, s) => {
      const scan = store.scan({ kind: "bars", interval: bases[s]! }, symbol, start, end);
      if (!scan) return;
      const length = pl.lit(bases[s]!.ms).cast(pl.Int64);
      const gridEnd = pl.col("ts").add(length);
      parts.push(
        regularSessionBars(scan.select("ts", "open", "high", "low", "close", "volume"), frame).select(
          pl.col("ts").cast(pl.Float64),
          pl.when(gridEnd.gt(pl.col("s_close"))).then(pl.col("s_close")).otherwise(gridEnd).cast(pl.Float64).alias("end"),
          pl.lit(s).cast(pl.Int32).alias("symbol"),
          ...(["open", "high", "low", "close", "volume"] as const).map((name) => pl.col(name).cast(pl.Float64)),
        ),
      );
    });
    if (parts.length === 0) return { days, columns: new DayQueue(1), offsets: new Int32Array(days.length * 2) };
    // The parts are concatenated in symbol order, so a stable sort by end alone gives ties in
    // symbol order: the same rows as sorting by (end, symbol), a third faster (no row encoding).
    const sorted = await pl.concat(parts).sort({ by: "end", maintainOrder: true }).collect();
    const f64 = (name: string) => sorted.getColumn(name).toTypedArray() as Float64Array;
    const columns: DayQueueColumns = {
      ts: f64("ts"),
      end: f64("end"),
      symbol: sorted.getColumn("symbol").toTypedArray() as Int32Array,
      open: f64("open"),
      high: f64("high"),
      low: f64("low"),
      close: f64("close"),
      volume: f64("volume"),
    };
    // A day's bars become visible in (open, close]; days do not overlap.
    const offsets = new Int32Array(days.length * 2);
    sessions.forEach((session, d) => {
      offsets[2 * d] = upperBound(columns.end, session.open);
      offsets[2 * d + 1] = upperBound(columns.end, session.close);
    });
    return { days, columns, offsets };
  }
}

const EMPTY: Chunk = { days: [], columns: new DayQueue(1), offsets: new Int32Array(0) };

/** Groups days by the UTC month of their open (the store's monthly files). */
function chunkByMonth(days: readonly DayNumber[]): DayNumber[][] {
  const chunks: DayNumber[][] = [];
  let key = "";
  for (const day of days) {
    const { year, month } = civilFromDay(day);
    const k = `${year}-${month}`;
    if (k !== key) {
      chunks.push([]);
      key = k;
    }
    chunks[chunks.length - 1]!.push(day);
  }
  return chunks;
}
