/**
 * Quality of one day of bars against the calendar: expected vs actual regular-session bars and
 * the gaps, as [start, end) runs of missing bars. Used by `data quality` and by the historical phase.
 */
import type { TradingSession } from "../time/calendar.ts";
import type { Interval } from "../time/interval.ts";

/** A run of missing bars: [start, end) and how many bars it spans. */
export interface Gap {
  start: number;
  end: number;
  bars: number;
}

/** One day's quality. */
export interface DayQuality {
  date: string;
  expected: number;
  actual: number;
  /** actual / expected in %, two decimals; 100 for a complete day. */
  quality: number;
  gaps: Gap[];
  /** Bars with the same start as an earlier one (a store never holds them; imports of raw feeds may). */
  duplicates: number;
}

/**
 * Quality of the bars `ts[from..to)` (sorted bar starts) within `session`, for bars of
 * `interval` on the grid from the open; bars outside [open, close) are ignored, and so are bars
 * in a midday break (none is expected there; the grid resumes at the break's end).
 */
export function dayQuality(ts: ArrayLike<number>, from: number, to: number, session: TradingSession, interval: Interval): DayQuality {
  const step = interval.intraday ? interval.ms : session.close - session.open;
  const breakStart = interval.intraday && session.breakStart !== undefined ? session.breakStart : Infinity;
  const breakEnd = interval.intraday && session.breakEnd !== undefined ? session.breakEnd : Infinity;
  const hasBreak = breakStart < session.close;
  const expected = hasBreak ? Math.ceil((breakStart - session.open) / step) + Math.ceil((session.close - breakEnd) / step) : Math.ceil((session.close - session.open) / step);
  const gaps: Gap[] = [];
  let actual = 0;
  let duplicates = 0;
  let next = session.open; // the first grid start not yet seen
  let previous = -Infinity;
  // Past the break: what was missing before it is a gap up to its start, and the grid restarts at its end.
  const crossBreak = () => {
    if (next < breakStart) gaps.push({ start: next, end: breakStart, bars: Math.ceil((breakStart - next) / step) });
    next = breakEnd;
  };
  for (let i = from; i < to; i++) {
    const t = ts[i]!;
    if (t === previous) {
      duplicates++;
      continue;
    }
    previous = t;
    if (t < session.open || t >= session.close || (t >= breakStart && t < breakEnd)) continue;
    if (t >= breakEnd && next < breakEnd) crossBreak();
    const origin = t >= breakEnd ? breakEnd : session.open;
    const slot = origin + Math.floor((t - origin) / step) * step;
    if (slot < next) continue; // a second bar in a slot already counted (finer data than the grid)
    if (slot > next) gaps.push({ start: next, end: slot, bars: Math.round((slot - next) / step) });
    actual++;
    next = slot + step;
  }
  if (hasBreak && next < breakEnd) crossBreak();
  if (next < session.close) gaps.push({ start: next, end: session.close, bars: Math.ceil((session.close - next) / step) });
  return { date: session.date, expected, actual, quality: percent(actual, expected), gaps, duplicates };
}

/** 100 * actual / expected, rounded to two decimals (100 when nothing was expected). */
export function percent(actual: number, expected: number): number {
  return expected === 0 ? 100 : Math.round((10_000 * actual) / expected) / 100;
}
