/**
 * Trailing history (PHASE_2): for each (symbol, interval), the bars of the N trading days strictly
 * before the session day, kept as one block per day. Each new day drops the blocks that left the
 * window and adds the missing ones: from the day just streamed when that stream covered it
 * (rolled forward), otherwise read from the store (derived intervals aggregated from the base).
 */
import { lowerBound } from "../util/bounds.ts";
import { barColumns, concatColumns, sliceColumns, type BarColumns } from "../data/bars.ts";
import type { DataManager } from "../data/data-manager.ts";
import { dayQuality, type DayQuality } from "../data/day-quality.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import type { DayNumber } from "../time/dates.ts";
import type { Interval } from "../time/interval.ts";

/** One trading day of history; `quality` is null when historical quality is off. */
export interface HistoryDay {
  day: DayNumber;
  bars: BarColumns;
  quality: DayQuality | null;
}

/** The trailing window of one symbol and interval. */
export class HistoryWindow {
  readonly symbol: string;
  readonly interval: Interval;
  /** Trading days wanted before each session day (the largest any consumer asked for). */
  trailingDays: number;
  /** Whether each day's quality is computed (`historical.enable_quality`). */
  readonly withQuality: boolean;
  days: HistoryDay[] = [];
  private joined: BarColumns | undefined;

  constructor(symbol: string, interval: Interval, trailingDays: number, withQuality = true) {
    this.symbol = symbol;
    this.interval = interval;
    this.trailingDays = trailingDays;
    this.withQuality = withQuality;
  }

  /** A day's quality, when the window computes it. */
  qualityOf(bars: BarColumns, session: TradingSession): DayQuality | null {
    return this.withQuality ? dayQuality(bars.ts, 0, bars.ts.length, session, this.interval) : null;
  }

  /** All the window's bars, oldest first, as one set of columns (built once per day). */
  columns(): BarColumns {
    if (!this.joined) this.joined = concatColumns(this.days.map((d) => d.bars));
    return this.joined;
  }

  /** Bars in the window. */
  get length(): number {
    return this.days.reduce((n, d) => n + d.bars.ts.length, 0);
  }

  /** Replaces the days (keeping those still wanted). */
  setDays(days: HistoryDay[]): void {
    this.days = days;
    this.joined = undefined;
  }
}

/** A finished day's bars without a store read (the session just streamed them); the caller owns the copy. */
export type RolledDay = (symbol: string, interval: Interval, day: DayNumber) => BarColumns | undefined;

/** Brings `window` to the N trading days before `sessionDay`; returns how many bars were read from the store. */
export function refreshWindow(window: HistoryWindow, sessionDay: DayNumber, calendar: MarketCalendar, data: DataManager, rolled: RolledDay): number {
  const wanted = calendar.tradingDaysBefore(sessionDay, window.trailingDays);
  if (rollOneDay(window, wanted, calendar, rolled)) return 0;
  const kept = new Map(window.days.map((d) => [d.day, d]));
  const missing = wanted.filter((day) => !kept.has(day));
  const fresh = new Map<DayNumber, BarColumns>();
  const toRead: DayNumber[] = [];
  for (const day of missing) {
    const bars = rolled(window.symbol, window.interval, day);
    if (bars) fresh.set(day, bars);
    else toRead.push(day);
  }
  let read = 0;
  if (toRead.length > 0) {
    // One store read over the span of the missing days, then split by session.
    const first = calendar.session(toRead[0]!)!;
    const last = calendar.session(toRead[toRead.length - 1]!)!;
    const frame = data.getBars(window.symbol, window.interval, first.open, last.close, { regularHoursOnly: true });
    const all = barColumns(frame);
    read = all.ts.length;
    for (const day of toRead) {
      const s = calendar.session(day)!;
      fresh.set(day, sliceColumns(all, lowerBound(all.ts, s.open), lowerBound(all.ts, s.close), true));
    }
  }
  window.setDays(
    wanted.map((day) => {
      const existing = kept.get(day);
      if (existing) return existing;
      const bars = fresh.get(day)!;
      return { day, bars, quality: window.qualityOf(bars, calendar.session(day)!) };
    }),
  );
  return read;
}

/**
 * The everyday case without maps or store reads: the window already holds all but the newest
 * wanted day and the session just streamed that day. True when it applied.
 */
function rollOneDay(window: HistoryWindow, wanted: DayNumber[], calendar: MarketCalendar, rolled: RolledDay): boolean {
  const days = window.days;
  const n = wanted.length;
  if (n === 0 || days.length === 0) return false;
  const shift = days.length === n ? 1 : days.length === n - 1 ? 0 : -1;
  if (shift < 0) return false;
  for (let i = 0; i < n - 1; i++) if (days[i + shift]!.day !== wanted[i]) return false;
  const newest = wanted[n - 1]!;
  const bars = rolled(window.symbol, window.interval, newest);
  if (!bars) return false;
  const kept = shift === 1 ? days.slice(1) : days.slice();
  kept.push({ day: newest, bars, quality: window.qualityOf(bars, calendar.session(newest)!) });
  window.setDays(kept);
  return true;
}
