/**
 * Timestamps on import: ISO 8601 with an offset, naive date-times in a given zone, plain dates
 * (daily bars, stamped with the session open), epoch seconds / ms / µs / ns, and Date values.
 * Results are epoch microseconds (ticks keep them; bars round to ms).
 */
import type { MarketCalendar } from "../../time/calendar.ts";
import { dayFromCivil, DAY_MS, formatDay } from "../../time/dates.ts";
import { localToUtc, offsetAt } from "../../time/tz.ts";

/** How a file's timestamps are written. */
export type TimestampKind = "iso_offset" | "naive" | "date" | "epoch_s" | "epoch_ms" | "epoch_us" | "epoch_ns" | "date_object";

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Describes each kind for summaries and errors. */
export const TIMESTAMP_KINDS: Record<TimestampKind, string> = {
  iso_offset: "ISO 8601 with a UTC offset",
  naive: "date-time without an offset",
  date: "date only (a daily bar, stamped with the session open)",
  epoch_s: "epoch seconds",
  epoch_ms: "epoch milliseconds",
  epoch_us: "epoch microseconds",
  epoch_ns: "epoch nanoseconds",
  date_object: "date-time values",
};

/** Decides the kind from the first non-empty value; undefined when it is none of them. */
export function detectTimestampKind(values: readonly unknown[]): TimestampKind | undefined {
  const sample = values.find((v) => v !== null && v !== undefined && v !== "");
  if (sample instanceof Date) return "date_object";
  const text = String(sample ?? "").trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const magnitude = Math.abs(Number(text));
    if (magnitude < 1e11) return "epoch_s";
    if (magnitude < 1e14) return "epoch_ms";
    if (magnitude < 1e17) return "epoch_us";
    return "epoch_ns";
  }
  const match = ISO.exec(text);
  if (!match) return undefined;
  if (match[4] === undefined) return "date";
  return match[8] !== undefined ? "iso_offset" : "naive";
}

/** What parsing needs besides the value. */
export interface TimestampContext {
  kind: TimestampKind;
  /** The zone of naive date-times. */
  zone: string;
  calendar: MarketCalendar;
  /** The previous row's result, to place naive times in a repeated (fall-back) hour. */
  previousUs: number;
}

/** Epoch µs of one value, or a message saying why it is not a timestamp of the file's kind. */
export function parseTimestamp(value: unknown, context: TimestampContext): number | string {
  if (value instanceof Date) return value.getTime() * 1000;
  const text = String(value ?? "").trim();
  if (text === "") return "the timestamp is empty";
  switch (context.kind) {
    case "epoch_s":
    case "epoch_ms":
    case "epoch_us":
    case "epoch_ns": {
      const n = Number(text);
      if (!Number.isFinite(n)) return `${JSON.stringify(text)} is not an epoch number`;
      const scale = { epoch_s: 1e6, epoch_ms: 1e3, epoch_us: 1, epoch_ns: 1e-3 }[context.kind];
      return Math.round(n * scale);
    }
    case "date_object":
      return `${JSON.stringify(text)} is not a date-time value`;
  }
  const match = ISO.exec(text);
  if (!match) return `${JSON.stringify(text)} is not a timestamp like the file's others (${TIMESTAMP_KINDS[context.kind]})`;
  const [, y, mo, d, hh, mi, ss, frac, zone] = match;
  const day = dayFromCivil(Number(y), Number(mo), Number(d));
  if (context.kind === "date") {
    if (hh !== undefined) return `${JSON.stringify(text)} has a time, but the file's first rows are dates only`;
    const session = context.calendar.session(day);
    if (!session) {
      const info = context.calendar.dayInfo(day);
      return `${formatDay(day)} is not a trading day (${info.holiday ?? info.status})`;
    }
    return session.open * 1000;
  }
  if (hh === undefined) return `${JSON.stringify(text)} has no time of day`;
  const micros = frac ? Math.round(Number(`0.${frac}`) * 1e6) : 0;
  const msOfDay = ((Number(hh) * 60 + Number(mi)) * 60 + Number(ss ?? 0)) * 1000;
  if (context.kind === "iso_offset") {
    if (zone === undefined) return `${JSON.stringify(text)} has no UTC offset, unlike the file's first rows`;
    return (day * DAY_MS + msOfDay - offsetMs(zone)) * 1000 + micros;
  }
  if (zone !== undefined) return `${JSON.stringify(text)} has a UTC offset, unlike the file's first rows`;
  const { utcMs, exists } = localToUtc(context.zone, day, msOfDay);
  if (!exists) return `${text} does not exist in ${context.zone} (the daylight-saving gap)`;
  let us = utcMs * 1000 + micros;
  // In a repeated hour the earlier instant comes first; a later row at the same wall time is the second pass.
  const later = utcMs + 3_600_000;
  if (us <= context.previousUs && later + offsetAt(context.zone, later) === day * DAY_MS + msOfDay) us = later * 1000 + micros;
  return us;
}

function offsetMs(zone: string): number {
  if (zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * ((Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0")) * 60_000);
}

/** Parses `-4h`, `+30m`, `90s`, `1d` into ms; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^([+-]?)(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS }[match[3] as "ms" | "s" | "m" | "h" | "d"];
  return (match[1] === "-" ? -1 : 1) * Number(match[2]) * unit;
}
