/**
 * The exchange calendar every component asks about time: trading days, holidays, early closes,
 * session instants, navigation between trading days and trading time between two instants.
 */
import { calendarError } from "../errors.ts";
import { lowerBound, upperBound } from "../util/bounds.ts";
import { civilFromDay, formatDay, parseIsoDate, type DayNumber } from "./dates.ts";
import type { Interval } from "./interval.ts";
import { findMarket, type MarketDefinition } from "./markets.ts";
import { localToUtc, parseClockTime, utcToLocal, type LocalTime } from "./tz.ts";
import { buildYearTable, DayCode, type YearTable } from "./year-table.ts";

/** What a day is in a market. */
export type DayStatus = "open" | "early_close" | "holiday" | "weekend";

/** The part of the day an instant falls in. */
export type SessionType = "pre" | "regular" | "post" | "closed";

/** One trading session's instants (epoch ms UTC) and its kind. */
export interface TradingSession {
  day: DayNumber;
  date: string;
  earlyClose: boolean;
  /** The early close's name (e.g. "Day before Independence Day"), when it is one. */
  earlyCloseName?: string;
  preOpen: number;
  open: number;
  close: number;
  postClose: number;
  /** The midday break (Tokyo's lunch), epoch ms UTC, on markets that have one. */
  breakStart?: number;
  breakEnd?: number;
}

/** A day's status, its holiday name and its session, if it trades. */
export interface DayInfo {
  day: DayNumber;
  date: string;
  status: DayStatus;
  holiday?: string;
  session?: TradingSession;
}

const STATUS: Record<number, DayStatus> = {
  [DayCode.Open]: "open",
  [DayCode.EarlyClose]: "early_close",
  [DayCode.Holiday]: "holiday",
  [DayCode.Weekend]: "weekend",
};

/** How far navigation looks for a trading day before concluding there is none. */
const SEARCH_YEARS = 10;

/** A market's calendar; year tables are built on first use and kept. */
export class MarketCalendar {
  readonly market: MarketDefinition;
  readonly timezone: string;
  private readonly years = new Map<number, YearTable>();
  /** The first day the market's rules are known to be right for. */
  private readonly validFrom: DayNumber | undefined;
  /** The open's local time of day when sessions open the evening before their date (else undefined). */
  readonly eveningOpen: number | undefined;

  constructor(market: MarketDefinition) {
    this.market = market;
    this.timezone = market.timezone;
    this.validFrom = market.valid_from ? parseIsoDate(market.valid_from) : undefined;
    this.eveningOpen = market.hours.open_day === "previous" ? parseClockTime(market.hours.open)! : undefined;
  }

  /** The calendar of (exchange_group, asset_class) from the market table. */
  static for(exchangeGroup: string, assetClass: string): MarketCalendar {
    const key = `${exchangeGroup}/${assetClass}`;
    let cached = calendars.get(key);
    if (!cached) {
      cached = new MarketCalendar(findMarket(exchangeGroup, assetClass));
      calendars.set(key, cached);
    }
    return cached;
  }

  /** Everything about one day. */
  dayInfo(day: DayNumber): DayInfo {
    const { table, i } = this.locate(day);
    const status = STATUS[table.codes[i]!]!;
    const info: DayInfo = { day, date: formatDay(day), status };
    if (status === "holiday") info.holiday = table.names[i];
    if (status === "open" || status === "early_close") info.session = this.sessionAt(table, i);
    return info;
  }

  /** True when the market trades on `day`. */
  isTradingDay(day: DayNumber): boolean {
    const { table, i } = this.locate(day);
    const code = table.codes[i];
    return code === DayCode.Open || code === DayCode.EarlyClose;
  }

  /** The holiday's name, when `day` is a holiday (weekends are not holidays). */
  holidayName(day: DayNumber): string | undefined {
    const { table, i } = this.locate(day);
    return table.codes[i] === DayCode.Holiday ? table.names[i] : undefined;
  }

  /** True when `day` trades and closes early. */
  isEarlyClose(day: DayNumber): boolean {
    const { table, i } = this.locate(day);
    return table.codes[i] === DayCode.EarlyClose;
  }

  /** The session of a trading day, or undefined when the market is closed that day. */
  session(day: DayNumber): TradingSession | undefined {
    const { table, i } = this.locate(day);
    const code = table.codes[i];
    return code === DayCode.Open || code === DayCode.EarlyClose ? this.sessionAt(table, i) : undefined;
  }

  /** Like session, but throws a clear error for a day without one. */
  requireSession(day: DayNumber): TradingSession {
    const found = this.session(day);
    if (found) return found;
    const info = this.dayInfo(day);
    throw calendarError(`${this.market.name} does not trade on ${info.date} (${info.holiday ?? info.status})`);
  }

  /** The n-th trading day after `day` (exclusive). */
  nextTradingDay(day: DayNumber, n = 1): DayNumber {
    let remaining = n;
    let current = day;
    for (let year = this.yearOf(day), limit = year + SEARCH_YEARS * Math.max(1, n); year <= limit; year++) {
      const days = this.table(year).tradingDays;
      let index = upperBound(days, current);
      if (index + remaining - 1 < days.length) return days[index + remaining - 1]!;
      remaining -= days.length - index;
      current = days.length > 0 ? days[days.length - 1]! : current;
    }
    throw calendarError(`${this.market.name}: no trading day within ${SEARCH_YEARS} years after ${formatDay(day)}`);
  }

  /** The n-th trading day before `day` (exclusive). */
  previousTradingDay(day: DayNumber, n = 1): DayNumber {
    let remaining = n;
    let current = day;
    for (let year = this.yearOf(day), limit = year - SEARCH_YEARS * Math.max(1, n); year >= limit; year--) {
      const days = this.table(year).tradingDays;
      const index = lowerBound(days, current) - 1;
      if (index - remaining + 1 >= 0) return days[index - remaining + 1]!;
      remaining -= index + 1;
      current = days.length > 0 ? days[0]! : current;
    }
    throw calendarError(`${this.market.name}: no trading day within ${SEARCH_YEARS} years before ${formatDay(day)}`);
  }

  /** `day` if it trades, else the next trading day. */
  firstTradingDayOnOrAfter(day: DayNumber): DayNumber {
    return this.isTradingDay(day) ? day : this.nextTradingDay(day);
  }

  /** `day` if it trades, else the previous trading day. */
  lastTradingDayOnOrBefore(day: DayNumber): DayNumber {
    return this.isTradingDay(day) ? day : this.previousTradingDay(day);
  }

  /** The trading days in [from, to], both inclusive. */
  tradingDays(from: DayNumber, to: DayNumber): DayNumber[] {
    const out: DayNumber[] = [];
    for (let year = this.yearOf(from); year <= this.yearOf(to); year++) {
      const days = this.table(year).tradingDays;
      for (let i = lowerBound(days, from); i < days.length && days[i]! <= to; i++) out.push(days[i]!);
    }
    return out;
  }

  /** The n trading days strictly before `day`, oldest first. */
  tradingDaysBefore(day: DayNumber, n: number): DayNumber[] {
    if (n <= 0) return [];
    const first = this.previousTradingDay(day, n);
    return this.tradingDays(first, day - 1);
  }

  /** Whether an instant is in the pre-market, the regular session, the post-market, or closed. */
  sessionType(ms: number): SessionType {
    const day = this.localTime(ms).day;
    for (const candidate of [day, day - 1, day + 1]) {
      const s = this.session(candidate);
      if (!s) continue;
      if (ms >= s.open && ms < s.close) return "regular";
      if (ms >= s.preOpen && ms < s.open) return "pre";
      if (ms >= s.close && ms < s.postClose) return "post";
    }
    return "closed";
  }

  /** Regular-session time in [from, to), in ms (early closes and closed days count what they trade). */
  tradingMsBetween(from: number, to: number): number {
    if (to <= from) return 0;
    let total = 0;
    for (const day of this.tradingDays(this.localTime(from).day - 1, this.localTime(to).day + 1)) {
      const s = this.session(day)!;
      total += Math.max(0, Math.min(to, s.close) - Math.max(from, s.open));
    }
    return total;
  }

  /** Regular-session minutes in [from, to). */
  tradingMinutesBetween(from: number, to: number): number {
    return this.tradingMsBetween(from, to) / 60_000;
  }

  /**
   * Session-anchored bars of an intraday interval that end within [from, to] and start at or
   * after `from` (a last bar cut by the close counts): the bars a complete feed delivers.
   */
  barsBetween(from: number, to: number, interval: Interval): number {
    if (!interval.intraday) return this.tradingDaysBetween(from, to);
    let bars = 0;
    for (const day of this.tradingDays(this.localTime(from).day - 1, this.localTime(to).day + 1)) {
      const s = this.session(day)!;
      for (let start = s.open; start < s.close; start += interval.ms) {
        const end = Math.min(start + interval.ms, s.close);
        if (start >= from && end <= to) bars++;
      }
    }
    return bars;
  }

  /** Trading days whose regular session lies entirely within [from, to]. */
  tradingDaysBetween(from: number, to: number): number {
    let days = 0;
    for (const day of this.tradingDays(this.localTime(from).day - 1, this.localTime(to).day + 1)) {
      const s = this.session(day)!;
      if (s.open >= from && s.close <= to) days++;
    }
    return days;
  }

  /** The instant of a local wall time in this market's zone. */
  toUtc(day: DayNumber, msOfDay: number): number {
    return localToUtc(this.timezone, day, msOfDay).utcMs;
  }

  /** The local wall time of an instant in this market's zone. */
  localTime(ms: number): LocalTime {
    return utcToLocal(this.timezone, ms);
  }

  /**
   * The date an instant's trading belongs to: its local date - or, on a market whose session opens
   * the evening before (CME Globex), the next date from the open's time of day on.
   */
  dayOf(ms: number): DayNumber {
    const local = utcToLocal(this.timezone, ms);
    return this.dayOfLocal(local.day, local.msOfDay);
  }

  /** dayOf for a local date and time of day. */
  dayOfLocal(day: DayNumber, msOfDay: number): DayNumber {
    return this.eveningOpen !== undefined && msOfDay >= this.eveningOpen ? day + 1 : day;
  }

  /**
   * The instant of a local time of day within trading date `day`'s session: on a market that opens
   * the evening before, times from the open's time of day on are that evening's.
   */
  sessionInstant(day: DayNumber, msOfDay: number): number {
    return localToUtc(this.timezone, this.eveningOpen !== undefined && msOfDay >= this.eveningOpen ? day - 1 : day, msOfDay).utcMs;
  }

  /** Where a trading date's instants begin: its local midnight, or the evening open the day before. */
  dayStart(day: DayNumber): number {
    return this.eveningOpen !== undefined ? localToUtc(this.timezone, day - 1, this.eveningOpen).utcMs : localToUtc(this.timezone, day, 0).utcMs;
  }

  private sessionAt(table: YearTable, i: number): TradingSession {
    const invalid = table.invalid[i];
    if (invalid) throw calendarError(invalid);
    const day = table.firstDay + i;
    const earlyClose = table.codes[i] === DayCode.EarlyClose;
    const session: TradingSession = {
      day,
      date: formatDay(day),
      earlyClose,
      preOpen: table.preOpen[i]!,
      open: table.open[i]!,
      close: table.close[i]!,
      postClose: table.postClose[i]!,
    };
    if (earlyClose) session.earlyCloseName = table.names[i];
    if (!Number.isNaN(table.breakStart[i]!)) {
      session.breakStart = table.breakStart[i]!;
      session.breakEnd = table.breakEnd[i]!;
    }
    return session;
  }

  private locate(day: DayNumber): { table: YearTable; i: number } {
    const table = this.table(this.yearOf(day));
    return { table, i: day - table.firstDay };
  }

  private yearOf(day: DayNumber): number {
    return civilFromDay(day).year;
  }

  private table(year: number): YearTable {
    let table = this.years.get(year);
    if (!table) {
      if (this.validFrom !== undefined && year < civilFromDay(this.validFrom).year) {
        throw calendarError(`${this.market.name}: the calendar is defined from ${formatDay(this.validFrom)}; ${year} is before it`);
      }
      table = buildYearTable(this.market, year);
      this.years.set(year, table);
    }
    return table;
  }
}

const calendars = new Map<string, MarketCalendar>();
