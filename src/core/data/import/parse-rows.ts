/**
 * Turns raw records into validated bars or trades, a batch at a time: every row is checked
 * (timestamp, OHLC invariants, positive prices, volume >= 0, time order per symbol, trading day)
 * and rejected rows are kept with their line number and reason. The parser carries what spans
 * batches (the last timestamp and line of each symbol), so a file of any size parses in pieces.
 */
import { importError } from "../../errors.ts";
import type { MarketCalendar } from "../../time/calendar.ts";
import { DAY_MS, formatDay } from "../../time/dates.ts";
import type { Interval } from "../../time/interval.ts";
import { offsetAt } from "../../time/tz.ts";
import { clip } from "./clip.ts";
import { detectColumns, requireColumns, type ColumnMap } from "./columns.ts";
import { delimiterName, type RecordBatch, type Records } from "./records.ts";
import { detectTimestampKind, parseTimestamp, TIMESTAMP_KINDS, type TimestampKind } from "./timestamps.ts";

/** A row that was not imported. */
export interface Rejection {
  file: string;
  line: number;
  reason: string;
}

/** Accepted rows of one batch, as columns, with `us` in epoch microseconds. */
export interface ParsedRows {
  /** Each row's symbol (from the file's symbol column, or the one --symbol named). */
  symbol: string[];
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
  /** Every row's symbol; without it the file needs a symbol column. */
  symbol?: string;
}

/** Parses one file's batches in order. */
export class RowParser {
  readonly kind: "bars" | "ticks";
  readonly timestampKind: TimestampKind;
  readonly notes: string[] = [];
  private readonly map: ColumnMap;
  private readonly last = new Map<string, { us: number; line: number }>();
  private readonly tradingDay: (ms: number) => string | undefined;
  private readonly context: { kind: TimestampKind; zone: string; calendar: MarketCalendar; previousUs: number };

  /** Reads the header and the first batch's timestamps; throws a clear error when the file cannot be bars or trades. */
  constructor(
    private readonly records: Records,
    first: RecordBatch | undefined,
    private readonly options: ParseOptions,
  ) {
    const { file, columns } = records;
    const map = detectColumns(columns);
    this.map = map;
    if (columns.length === 1 && records.format === "csv" && records.delimiter === ",") {
      const other = Object.keys({ ";": 1, "\t": 1, "|": 1 }).find((d) => columns[0]!.includes(d));
      if (other) throw importError(`${file}: the header is one column (${clip(columns[0])}); its fields look ${delimiterName(other)}-separated: pass --delimiter ${JSON.stringify(other)}`);
    }
    const rows = first?.rows ?? [];
    this.kind = options.kind === "auto" ? detectKind(rows, map) : options.kind;
    if (this.kind === "bars") requireColumns(file, columns, map, ["ts", "open", "high", "low", "close"]);
    else if (map.price === undefined) requireColumns(file, columns, map, ["ts", "close"]);
    else requireColumns(file, columns, map, ["ts", "price"]);
    if (options.symbol === undefined && map.symbol === undefined) {
      throw importError(`${file}: no symbol column (symbol, ticker ...) and no --symbol: name the symbol the rows belong to with --symbol`);
    }
    if (rows.length === 0) throw importError(`${file}: the file has a header (${clip(columns.join(records.delimiter ?? ","), 120)}) but no rows`);
    const timestampKind = detectTimestampKind(rows.slice(0, 1000).map((row) => row[map.ts!]));
    if (!timestampKind) {
      const sample = rows.find((row) => row[map.ts!] !== "" && row[map.ts!] !== undefined)?.[map.ts!];
      throw importError(`${file}: the timestamp column "${columns[map.ts!]}" holds ${sample === undefined ? "no values" : clip(sample)}, which is not a timestamp; allowed: ${Object.values(TIMESTAMP_KINDS).join("; ")}`);
    }
    if (this.kind === "bars" && timestampKind === "date" && options.interval?.intraday) {
      throw importError(`${file}: the timestamps are dates only, so the bars are daily; use --interval 1d (not ${options.interval.text})`);
    }
    this.timestampKind = timestampKind;
    if (map.volume === undefined && map.size === undefined) this.notes.push(`${file}: no volume column; volume is 0`);
    if (timestampKind === "naive") this.notes.push(`${file}: timestamps have no UTC offset; read as ${options.zone} wall time (--tz)`);
    this.tradingDay = tradingDayChecker(options.calendar);
    this.context = { kind: timestampKind, zone: options.zone, calendar: options.calendar, previousUs: -Infinity };
  }

  /** Validates a batch (the file's batches in order). */
  parse(batch: RecordBatch): ParsedRows {
    const { map, options, kind } = this;
    const file = this.records.file;
    const out: ParsedRows = { symbol: [], us: [], open: [], high: [], low: [], close: [], volume: [], lines: [], rejected: [], outside: 0 };
    if (map.vwap !== undefined) out.vwap = [];
    if (map.trade_count !== undefined) out.tradeCount = [];
    const number = (row: unknown[], field: keyof ColumnMap) => (map[field] === undefined ? undefined : toNumber(row[map[field]!]));
    for (let index = 0; index < batch.rows.length; index++) {
      const row = batch.rows[index]!;
      const line = batch.lines[index]!;
      const reject = (reason: string) => out.rejected.push({ file, line, reason });
      const symbol = options.symbol ?? String(row[map.symbol!] ?? "").trim().toUpperCase();
      if (!/^[A-Z0-9][A-Z0-9._/-]{0,31}$/.test(symbol)) {
        reject(`the symbol ${clip(symbol)} is not a symbol (letters, digits, . _ / -, at most 32)`);
        continue;
      }
      const parsed = parseTimestamp(row[map.ts!], this.context);
      if (typeof parsed === "string") {
        reject(parsed.length > 200 ? `${parsed.slice(0, 200)}...` : parsed);
        continue;
      }
      const us = parsed + options.shiftMs * 1000;
      this.context.previousUs = parsed;
      const ms = Math.floor(us / 1000);
      if (options.window && (ms < options.window.start || ms >= options.window.end)) {
        out.outside++;
        continue;
      }
      const last = this.last.get(symbol);
      if (kind === "bars") {
        const open = number(row, "open")!;
        const high = number(row, "high")!;
        const low = number(row, "low")!;
        const close = number(row, "close")!;
        const volume = number(row, "volume") ?? 0;
        const problem = checkBar(open, high, low, close, volume);
        if (problem) {
          reject(problem);
          continue;
        }
        if (last && us <= last.us) {
          reject(us === last.us ? `duplicate of line ${last.line} (the same timestamp ${iso(ms)}${options.symbol ? "" : ` for ${symbol}`})` : `out of order: ${iso(ms)} comes after ${iso(Math.floor(last.us / 1000))} (line ${last.line})`);
          continue;
        }
        const interval = options.interval!;
        if (interval.intraday && ms % Math.min(interval.ms, 60_000) !== 0) {
          reject(`${iso(ms)} is not on a ${interval.text} boundary`);
          continue;
        }
        const closed = this.tradingDay(ms);
        if (closed) {
          reject(closed);
          continue;
        }
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
        if (!(price > 0) || !Number.isFinite(price)) {
          reject(`price ${clip(price)} must be a positive number`);
          continue;
        }
        if (!(size >= 0) || !Number.isFinite(size)) {
          reject(`size ${clip(size)} must be >= 0`);
          continue;
        }
        if (last && us < last.us) {
          reject(`out of order: ${iso(ms)} comes after ${iso(Math.floor(last.us / 1000))} (line ${last.line})`);
          continue;
        }
        const closed = this.tradingDay(ms);
        if (closed) {
          reject(closed);
          continue;
        }
        out.close.push(price);
        out.volume.push(size);
      }
      out.symbol.push(symbol);
      out.us.push(us);
      out.lines.push(line);
      this.last.set(symbol, { us, line });
    }
    return out;
  }
}

function detectKind(rows: unknown[][], map: ColumnMap): "bars" | "ticks" {
  if (map.kind !== undefined && String(rows[0]?.[map.kind] ?? "").toLowerCase() === "tick") return "ticks";
  if (map.price !== undefined && map.open === undefined) return "ticks";
  return "bars";
}

function checkBar(open: number, high: number, low: number, close: number, volume: number): string | undefined {
  for (const [name, value] of [["open", open], ["high", high], ["low", low], ["close", close]] as const) {
    if (!Number.isFinite(value)) return `${name} is not a number`;
    if (value <= 0) return `${name} ${value} must be > 0`;
  }
  if (!Number.isFinite(volume) || volume < 0) return `volume ${clip(volume)} must be a number >= 0`;
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
    const local = Math.floor((ms + offset) / DAY_MS);
    // An evening bar of a market that opens the evening before belongs to the next date.
    const day = calendar.dayOfLocal(local, ms + offset - local * DAY_MS);
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
