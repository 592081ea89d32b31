/**
 * Queue loading (PHASE_3): each trading day's base bars of every symbol as typed-array columns.
 * Days are read in chunks that follow the store's monthly files (one read per symbol per month,
 * on Polars' thread pool). With `prefetch_days` > 0 the next month is read in the background from
 * the first day of the current one (and any later month within `prefetch_days` trading days), so
 * the read overlaps the weeks that stream meanwhile: reading on the month's last day alone left a
 * year of 100 symbols waiting 1.8 s for its files.
 */
import { lowerBound } from "../util/bounds.ts";
import { barColumns, type BarColumns } from "../data/bars.ts";
import type { Store } from "../data/store.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import { civilFromDay, type DayNumber } from "../time/dates.ts";
import type { Interval } from "../time/interval.ts";

/** One day's queues: per symbol, the regular-session base bars. */
export interface DayQueues {
  day: DayNumber;
  bars: BarColumns[];
}

interface Chunk {
  days: DayNumber[];
  /** Per symbol: the chunk's bars, and per day a [from, to) pair of offsets into them. */
  columns: BarColumns[];
  offsets: Int32Array[];
}

/** Loads the days of a session, a chunk at a time. */
export class DayLoader {
  private readonly chunks: DayNumber[][];
  private readonly loading = new Map<number, Promise<Chunk>>();
  /** Bars read so far (for the log). */
  barsRead = 0;

  constructor(
    private readonly store: Store,
    private readonly calendar: MarketCalendar,
    private readonly symbols: readonly string[],
    private readonly bases: readonly Interval[],
    days: readonly DayNumber[],
    private readonly prefetchDays: number,
  ) {
    this.chunks = chunkByMonth(days);
  }

  /** The queues of `day` (a day of the session); prefetches the days ahead when configured. */
  async load(day: DayNumber): Promise<DayQueues> {
    const index = this.chunks.findIndex((days) => days.includes(day));
    if (index === -1) throw new Error(`day ${day} is not in the session`);
    const chunk = await this.chunk(index);
    if (this.prefetchDays > 0) {
      const ahead = Math.max(index + 1, this.chunkIndexAhead(day, this.prefetchDays));
      for (let next = index + 1; next <= ahead; next++) void this.chunk(next);
    }
    for (const key of [...this.loading.keys()]) if (key < index) this.loading.delete(key);
    const position = chunk.days.indexOf(day);
    return {
      day,
      bars: chunk.columns.map((columns, s) => {
        const from = chunk.offsets[s]![2 * position]!;
        const to = chunk.offsets[s]![2 * position + 1]!;
        return {
          ts: columns.ts.subarray(from, to),
          open: columns.open.subarray(from, to),
          high: columns.high.subarray(from, to),
          low: columns.low.subarray(from, to),
          close: columns.close.subarray(from, to),
          volume: columns.volume.subarray(from, to),
        };
      }),
    };
  }

  private chunkIndexAhead(day: DayNumber, ahead: number): number {
    const all = this.chunks.flat();
    const target = all[Math.min(all.length - 1, all.indexOf(day) + ahead)]!;
    return this.chunks.findIndex((days) => days.includes(target));
  }

  private chunk(index: number): Promise<Chunk> {
    if (index >= this.chunks.length) return Promise.resolve({ days: [], columns: [], offsets: [] });
    let pending = this.loading.get(index);
    if (!pending) {
      pending = this.read(this.chunks[index]!);
      this.loading.set(index, pending);
    }
    return pending;
  }

  private async read(days: DayNumber[]): Promise<Chunk> {
    const sessions = days.map((day) => this.calendar.session(day)!);
    const start = sessions[0]!.open;
    const end = sessions[sessions.length - 1]!.close;
    const frames = await Promise.all(this.symbols.map((symbol, s) => this.store.readAsync({ kind: "bars", interval: this.bases[s]! }, symbol, start, end)));
    const columns = frames.map(barColumns);
    for (const c of columns) this.barsRead += c.ts.length;
    return { days, columns, offsets: columns.map((c) => regularOffsets(c.ts, sessions)) };
  }
}

/** Per session d: [pairs[2d], pairs[2d + 1]) indexes its regular bars [open, close) in `ts`. */
function regularOffsets(ts: Float64Array, sessions: TradingSession[]): Int32Array {
  const pairs = new Int32Array(sessions.length * 2);
  sessions.forEach((session, d) => {
    pairs[2 * d] = lowerBound(ts, session.open);
    pairs[2 * d + 1] = lowerBound(ts, session.close);
  });
  return pairs;
}


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
