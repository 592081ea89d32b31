/**
 * Holiday and early-close rules as data: each names one date per year (fixed, n-th weekday,
 * relative to Easter, or an equinox), optionally moved by an observance, filtered by weekday and
 * by years. The `substitute` observance depends on the other holidays, so the year table applies it.
 */
import { dayFromCivil, daysInMonth, weekdayOf, type DayNumber } from "./dates.ts";

/** Weekday names as written in the market table. */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/**
 * How a rule's date moves when it falls on a weekend. `substitute` (Japan's rule): a holiday on a
 * Sunday adds the next day that is not already a holiday.
 */
export type Observance = "none" | "sunday_to_monday" | "nearest_weekday" | "substitute";

/** Japan's equinox days: the March (vernal) and September (autumnal) equinox. */
export type Equinox = "march" | "september";

/** One rule of the market table (see markets.yaml for the grammar). */
export interface DateRule {
  name: string;
  month?: number;
  day?: number;
  weekday?: WeekdayName;
  nth?: number;
  easter_offset?: number;
  equinox?: Equinox;
  offset_days?: number;
  observance?: Observance;
  weekdays?: WeekdayName[];
  /** The exchange's own closing day, not a national holiday (Japan's substitute and sandwich rules skip it). */
  exchange_only?: boolean;
  from?: number;
  to?: number;
}

/** The date the rule gives in `year`, or undefined when it does not apply that year. */
export function ruleDate(rule: DateRule, year: number): DayNumber | undefined {
  if (rule.from !== undefined && year < rule.from) return undefined;
  if (rule.to !== undefined && year > rule.to) return undefined;
  let date: DayNumber;
  if (rule.easter_offset !== undefined) date = easterSunday(year) + rule.easter_offset;
  else if (rule.equinox !== undefined) date = equinoxDay(year, rule.equinox);
  else if (rule.weekday !== undefined) date = nthWeekday(year, rule.month!, WEEKDAYS.indexOf(rule.weekday), rule.nth ?? 1);
  else date = dayFromCivil(year, rule.month!, rule.day!);
  date += rule.offset_days ?? 0;
  date = observe(date, rule.observance ?? "none");
  if (rule.weekdays && !rule.weekdays.includes(WEEKDAYS[weekdayOf(date)]!)) return undefined;
  return date;
}

/**
 * The day of an equinox in Japan's calendar, by the formula of Japan's National Astronomical
 * Observatory's almanac (valid 1980-2099): March 20.8431, September 23.2488, plus 0.242194 days a
 * year since 1980, less the leap days.
 */
export function equinoxDay(year: number, equinox: Equinox): DayNumber {
  const base = equinox === "march" ? 20.8431 : 23.2488;
  const day = Math.floor(base + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4));
  return dayFromCivil(year, equinox === "march" ? 3 : 9, day);
}

function observe(date: DayNumber, observance: Observance): DayNumber {
  const weekday = weekdayOf(date);
  if (observance === "sunday_to_monday") return weekday === 0 ? date + 1 : date;
  if (observance === "nearest_weekday") return weekday === 6 ? date - 1 : weekday === 0 ? date + 1 : date;
  return date;
}

/** The n-th (1-based; -1 = last) `weekday` (0 = Sunday) of a month. */
export function nthWeekday(year: number, month: number, weekday: number, nth: number): DayNumber {
  if (nth > 0) {
    const first = dayFromCivil(year, month, 1);
    return first + ((weekday - weekdayOf(first) + 7) % 7) + (nth - 1) * 7;
  }
  const last = dayFromCivil(year, month, daysInMonth(year, month));
  return last - ((weekdayOf(last) - weekday + 7) % 7) + (nth + 1) * 7;
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromCivil(year, month, day);
}
