/**
 * Civil dates as day numbers (days since 1970-01-01), computed with integer arithmetic
 * (Howard Hinnant's algorithms) so calendar code never builds Date objects or reads the system time.
 */
import { usageError } from "../errors.ts";

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export type DayNumber = number;

/** A civil date; month 1-12, day 1-31. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The day number of year-month-day. */
export function dayFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day number. */
export function civilFromDay(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(dayNumber: DayNumber): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Short English weekday names, Sunday first. */
export const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; undefined unless it is a real calendar date. */
export function parseIsoDate(text: string): DayNumber | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

/** True when `text` is a real `YYYY-MM-DD` date. */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}

/** Like parseIsoDate, but throws (use on validated input). */
export function isoDay(text: string): DayNumber {
  const day = parseIsoDate(text);
  if (day === undefined) throw usageError(`not a YYYY-MM-DD date: ${JSON.stringify(text)}`);
  return day;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: DayNumber): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}


/** Days in a month of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `07` from 7. */
export function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** The last day isoUtc formatted: run tables format thousands of instants of the same few days. */
let isoDayNumber = NaN;
let isoDayPrefix = "";

/** ISO 8601 UTC text of an instant, e.g. `2025-07-03T13:30:00.000Z` (no system time involved). */
export function isoUtc(ms: number): string {
  // Whole milliseconds from 1970 to 9999 are formatted here (3-4x Date's toISOString); the rest by Date.
  if (!(ms >= 0 && ms < 253_402_300_800_000) || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / 86_400_000);
  if (day !== isoDayNumber) {
    isoDayNumber = day;
    isoDayPrefix = `${new Date(day * 86_400_000).toISOString().slice(0, 10)}T`;
  }
  let rest = ms - day * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${isoDayPrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}
