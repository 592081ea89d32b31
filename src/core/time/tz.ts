/**
 * IANA time zones: local wall time <-> UTC instants, through Intl (the only zone database a
 * JavaScript runtime ships). Calendar tables call this once per session boundary and cache it.
 */
import { calendarError } from "../errors.ts";
import { DAY_MS, dayFromCivil, type DayNumber } from "./dates.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let cached = formatters.get(zone);
  if (!cached) {
    try {
      cached = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw calendarError(`unknown time zone ${JSON.stringify(zone)}; allowed: an IANA zone name such as America/New_York or UTC`);
    }
    formatters.set(zone, cached);
  }
  return cached;
}

/** Throws a clear error unless `zone` is an IANA zone this runtime knows. */
export function assertTimeZone(zone: string): void {
  formatter(zone);
}

/** A local wall time: a civil day and the milliseconds since its local midnight. */
export interface LocalTime {
  day: DayNumber;
  msOfDay: number;
}

/** Per zone, per UTC hour: the offset, for hours without a transition (Intl's formatToParts costs ~1 us a call). */
const hourOffsets = new Map<string, Map<number, number>>();

/** The zone's offset from UTC at an instant, in ms (New York in July: -4 h). */
export function offsetAt(zone: string, utcMs: number): number {
  if (zone === "UTC") return 0;
  const hour = Math.floor(utcMs / 3_600_000);
  let hours = hourOffsets.get(zone);
  if (!hours) hourOffsets.set(zone, (hours = new Map()));
  const cached = hours.get(hour);
  if (cached !== undefined) return cached;
  // An hour whose first and last second agree holds no transition (zones change at most once an hour).
  const first = computeOffset(zone, hour * 3_600_000);
  const last = computeOffset(zone, hour * 3_600_000 + 3_599_000);
  if (first === last) {
    hours.set(hour, first);
    return first;
  }
  return computeOffset(zone, utcMs);
}

function computeOffset(zone: string, utcMs: number): number {
  const parts = formatter(zone).formatToParts(utcMs);
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  for (const part of parts) {
    switch (part.type) {
      case "year": year = Number(part.value); break;
      case "month": month = Number(part.value); break;
      case "day": day = Number(part.value); break;
      case "hour": hour = Number(part.value); break;
      case "minute": minute = Number(part.value); break;
      case "second": second = Number(part.value); break;
    }
  }
  const wall = dayFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  const floored = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return wall - floored;
}

/** The local wall time of an instant. */
export function utcToLocal(zone: string, utcMs: number): LocalTime {
  const wall = utcMs + offsetAt(zone, utcMs);
  const day = Math.floor(wall / DAY_MS);
  return { day, msOfDay: wall - day * DAY_MS };
}

/** The instant of a local wall time, and whether that wall time exists (false inside a DST gap). */
export function localToUtc(zone: string, day: DayNumber, msOfDay: number): { utcMs: number; exists: boolean } {
  const wall = day * DAY_MS + msOfDay;
  if (zone === "UTC") return { utcMs: wall, exists: true };
  // Two fixed-point steps find the instant for every wall time outside a transition.
  let guess = wall - offsetAt(zone, wall);
  guess = wall - offsetAt(zone, guess);
  const exists = guess + offsetAt(zone, guess) === wall;
  if (exists) {
    // In a repeated hour (fall back) prefer the earlier instant, as Temporal's "compatible" does.
    const earlier = guess - 3_600_000;
    if (earlier + offsetAt(zone, earlier) === wall) return { utcMs: earlier, exists };
    return { utcMs: guess, exists };
  }
  // Inside a gap (spring forward): the wall time is skipped; move forward by the gap.
  const before = offsetAt(zone, wall - DAY_MS / 2);
  return { utcMs: wall - before, exists: false };
}

/** `HH:MM` -> ms since midnight; `24:00` is allowed (the end of a 24-hour session). */
export function parseClockTime(text: string): number | undefined {
  const match = /^([01][0-9]|2[0-4]):([0-5][0-9])$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours === 24 && minutes !== 0) return undefined;
  return (hours * 60 + minutes) * 60_000;
}

/** ms since midnight -> `HH:MM`. */
export function formatClockTime(msOfDay: number): string {
  const minutes = Math.floor(msOfDay / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
