/**
 * Turns raw records into validated bars or trades: every row is checked (timestamp, OHLC
 * invariants, positive prices, volume >= 0, time order, trading day) and rejected rows are kept
 * with their line number and reason.
 */
import { importError } from "../../errors.ts";
import type { MarketCalendar } from "../../time/calendar.ts";
import { DAY_MS, formatDay } from "../../time/dates.ts";
import type { Interval } from "../../time/interval.ts";
import { offsetAt } from "../../time/tz.ts";
import { detectColumns, requireColumns, type ColumnMap } from "./columns.ts";
import type { Records } from "./records.ts";
import { detectTimestampKind, parseTimestamp, TIMESTAMP_KINDS, type TimestampKind } from "./timestamps.ts";

/** A row that was not imported. */
export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

/** Accepted rows of one file, as columns, with `ts` in epoch microseconds. */
export interface ParsedRows {
  file: string;
  kind: "bars" | "ticks";
  timestampKind: TimestampKind;
  us: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  vwap?: number[];
  tradeCount?: number[];
  lines: number[];
  rejected: Rejection[];
  /** Rows left out because they fall outside the asked window (not errors). */
  outside: number;
  notes: string[];
}

/** What parsing needs to know. */
export interface ParseOptions {
  kind: "bars" | "ticks" | "auto";
  /** The bar interval (bars only). */
  interval?: Interval;
  /** The zone of naive timestamps. */
  zone: string;
  /** Added to every timestamp (e.g. -4 h for the original system's dumps). */
  shiftMs: number;
  calendar: MarketCalendar;
  /** Only rows with a timestamp in [start, end) are imported. */
  window?: { start: number; end: number };
}

/** Validates every row of `records`. */
export function parseRows(records: Records, options: ParseOptions): ParsedRows {
  const map = detectColumns(records.columns);
  const kind = options.kind === "auto" ? detectKind(records, map) : options.kind;
  if (kind === "bars") requireColumns(records.file, records.columns, map, ["ts", "open", "high", "low", "close"]);
  else if (map.price === undefined) requireColumns(records.file, records.columns, map, ["ts", "close"]);
  else requireColumns(records.file, records.columns, map, ["ts", "price"]);
  const timestampKind = detectTimestampKind(records.rows.map((row) => row[map.ts!]));
  if (!timestampKind) {
    const sample = records.rows.find((row) => row[map.ts!] !== "")?.[map.ts!];
    throw importError(`${records.file}: the timestamp column "${records.columns[map.ts!]}" holds ${JSON.stringify(sample)}, which is not a timestamp; allowed: ${Object.values(TIMESTAMP_KINDS).join("; ")}`);
  }
  if (kind === "bars" && timestampKind === "date" && options.interval?.intraday) {
    throw importError(`${records.file}: the timestamps are dates only, so the bars are daily; use --interval 1d (not ${options.interval.text})`);
  }
  const out: ParsedRows = { file: records.file, kind, timestampKind, us: [], open: [], high: [], low: [], close: [], volume: [], lines: [], rejected: [], outside: 0, notes: [] };
  if (map.vwap !== undefined) out.vwap = [];
  if (map.trade_count !== undefined) out.tradeCount = [];
  if (map.volume === undefined && map.size === undefined) out.notes.push(`${records.file}: no volume column; volume is 0`);
  if (timestampKind === "naive") out.notes.push(`${records.file}: timestamps have no UTC offset; read as ${options.zone} wall time (--tz)`);
  const tradingDay = tradingDayChecker(options.calendar);
  const context = { kind: timestampKind, zone: options.zone, calendar: options.calendar, previousUs: -Infinity };
  const number = (row: unknown[], field: keyof ColumnMap) => (map[field] === undefined ? undefined : toNumber(row[map[field]!]));
  let lastUs = -Infinity;

  records.rows.forEach((row, index) => {
    const line = records.lines[index]!;
    const reject = (reason: string) => out.rejected.push({ file: records.file, line, reason });
    const parsed = parseTimestamp(row[map.ts!], context);
    if (typeof parsed === "string") return reject(parsed);
    const us = parsed + options.shiftMs * 1000;
    context.previousUs = parsed;
    const ms = Math.floor(us / 1000);
    if (options.window && (ms < options.window.start || ms >= options.window.end)) {
      out.outside++;
      return;
    }
    if (kind === "bars") {
      const open = number(row, "open")!;
      const high = number(row, "high")!;
      const low = number(row, "low")!;
      const close = number(row, "close")!;
      const volume = number(row, "volume") ?? 0;
      const problem = checkBar(open, high, low, close, volume);
      if (problem) return reject(problem);
      if (us <= lastUs) return reject(us === lastUs ? `duplicate timestamp ${iso(ms)}` : `out of order: ${iso(ms)} comes after ${iso(Math.floor(lastUs / 1000))}`);
      const interval = options.interval!;
      if (interval.intraday && ms % Math.min(interval.ms, 60_000) !== 0) return reject(`${iso(ms)} is not on a ${interval.text} boundary`);
      const closed = tradingDay(ms);
      if (closed) return reject(closed);
      out.open.push(open);
      out.high.push(high);
      out.low.push(low);
      out.close.push(close);
      out.volume.push(volume);
      out.vwap?.push(number(row, "vwap") ?? NaN);
      out.tradeCount?.push(number(row, "trade_count") ?? NaN);
    } else {
      const price = number(row, "price") ?? number(row, "close")!;
      const size = number(row, "size") ?? number(row, "volume") ?? 0;
      if (!(price > 0) || !Number.isFinite(price)) return reject(`price ${price} must be a positive number`);
      if (!(size >= 0) || !Number.isFinite(size)) return reject(`size ${size} must be >= 0`);
      if (us < lastUs) return reject(`out of order: ${iso(ms)} comes after ${iso(Math.floor(lastUs / 1000))}`);
      const closed = tradingDay(ms);
      if (closed) return reject(closed);
      out.close.push(price);
      out.volume.push(size);
    }
    out.us.push(us);
    out.lines.push(line);
    lastUs = us;
  });
  return out;
}

function detectKind(records: Records, map: ColumnMap): "bars" | "ticks" {
  if (map.kind !== undefined && String(records.rows[0]?.[map.kind] ?? "").toLowerCase() === "tick") return "ticks";
  if (map.price !== undefined && map.open === undefined) return "ticks";
  return "bars";
}

function checkBar(open: number, high: number, low: number, close: number, volume: number): string | undefined {
  for (const [name, value] of [["open", open], ["high", high], ["low", low], ["close", close]] as const) {
    if (!Number.isFinite(value)) return `${name} is not a number`;
    if (value <= 0) return `${name} ${value} must be > 0`;
  }
  if (!Number.isFinite(volume) || volume < 0) return `volume ${volume} must be a number >= 0`;
  if (high < low) return `high ${high} is below low ${low}`;
  if (high < Math.max(open, close)) return `high ${high} is below open ${open} or close ${close}`;
  if (low > Math.min(open, close)) return `low ${low} is above open ${open} or close ${close}`;
  return undefined;
}

/** A function that says why an instant is on a closed day (undefined when the market trades). */
function tradingDayChecker(calendar: MarketCalendar): (ms: number) => string | undefined {
  const verdicts = new Map<number, string | undefined>();
  const offsets = new Map<number, number>();
  return (ms) => {
    const hour = Math.floor(ms / 3_600_000);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = offsetAt(calendar.timezone, ms);
      offsets.set(hour, offset);
    }
    const day = Math.floor((ms + offset) / DAY_MS);
    if (!verdicts.has(day)) {
      const info = calendar.dayInfo(day);
      verdicts.set(day, info.session ? undefined : `${formatDay(day)} is not a trading day (${info.holiday ?? info.status})`);
    }
    return verdicts.get(day);
  };
}

function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return NaN;
  const text = String(value).trim();
  return text === "" ? NaN : Number(text);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
