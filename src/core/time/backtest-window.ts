/**
 * A backtest's trading days: a start on a closed day rolls forward, an end on one rolls back,
 * and a window without any trading day is an error that says why each day is closed.
 */
import { calendarError } from "../errors.ts";
import type { MarketCalendar } from "./calendar.ts";
import { formatDay, isoDay, type DayNumber } from "./dates.ts";

/** The trading days of a backtest and how the asked dates were adjusted. */
export interface BacktestWindow {
  days: DayNumber[];
  requestedStart: string;
  requestedEnd: string;
  /** Set when the start date was closed and rolled forward to the first trading day. */
  rolledStart?: string;
  /** Set when the end date was closed and rolled back to the last trading day. */
  rolledEnd?: string;
}

/** The trading days from `start` to `end` (YYYY-MM-DD, inclusive). */
export function backtestWindow(calendar: MarketCalendar, start: string, end: string): BacktestWindow {
  const from = isoDay(start);
  const to = isoDay(end);
  const days = calendar.tradingDays(from, to);
  if (days.length === 0) {
    const reasons: string[] = [];
    for (let day = from; day <= to && reasons.length < 10; day++) {
      const info = calendar.dayInfo(day);
      reasons.push(`${info.date} ${info.holiday ?? info.status}`);
    }
    throw calendarError(`no trading day between ${start} and ${end} on ${calendar.market.name}: ${reasons.join(", ")}`);
  }
  const window: BacktestWindow = { days, requestedStart: start, requestedEnd: end };
  if (days[0] !== from) window.rolledStart = formatDay(days[0]!);
  if (days.at(-1) !== to) window.rolledEnd = formatDay(days.at(-1)!);
  return window;
}
