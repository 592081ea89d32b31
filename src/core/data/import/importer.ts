/**
 * `data import`: files -> validated rows -> the store, with a summary of rows read, written and
 * rejected and the per-day coverage. With `refuse` (the default) a file with any bad row writes
 * nothing; with `skip` the bad rows are left out and listed.
 */
import pl from "nodejs-polars";
import { importError } from "../../errors.ts";
import type { MarketCalendar } from "../../time/calendar.ts";
import { formatDay } from "../../time/dates.ts";
import { requireInterval, type Interval } from "../../time/interval.ts";
import type { PartitionWrite, Store } from "../store.ts";
import { parseRows, type ParsedRows, type Rejection } from "./parse-rows.ts";
import { readRecords, type InputFormat } from "./records.ts";
import { TIMESTAMP_KINDS } from "./timestamps.ts";

/** Options of importFiles (the CLI flags of `data import`). */
export interface ImportOptions {
  symbol: string;
  /** Bar interval of the input (bars). @default "1m" */
  interval: Interval;
  kind: "bars" | "ticks" | "auto";
  format: InputFormat;
  /** Zone of naive timestamps. @default "UTC" */
  zone: string;
  shiftMs: number;
  onBadRow: "refuse" | "skip";
  /** Bar intervals built from imported ticks. @default ["1s", "1m"] */
  tickBars: Interval[];
  /** Only rows with a timestamp in [start, end) are imported. */
  window?: { start: number; end: number };
  /** Called with progress lines for long imports. */
  progress?: (line: string) => void;
}

/** A day's coverage after the import. */
export interface DayCoverage {
  date: string;
  rows: number;
  regular: number;
  expected: number;
  quality: number | null;
}

/** What an import did. */
export interface ImportSummary {
  symbol: string;
  table: string;
  files: { file: string; format: string; timestamps: string; rows: number; accepted: number; rejected: number; outside: number }[];
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWritten: number;
  rowsReplaced: number;
  rejected: Rejection[];
  partitions: PartitionWrite[];
  derived: { interval: string; bars: number; partitions: PartitionWrite[] }[];
  coverage: DayCoverage[];
  notes: string[];
}

/** Imports `files` for one symbol into `store`. */
export function importFiles(store: Store, calendar: MarketCalendar, files: string[], options: ImportOptions): ImportSummary {
  const parsed: ParsedRows[] = [];
  const summaryFiles: ImportSummary["files"] = [];
  for (const file of files) {
    const records = readRecords(file, options.format);
    if (records.rows.length > 200_000) options.progress?.(`${file}: ${records.rows.length.toLocaleString("en-US")} rows read, validating ...`);
    const rows = parseRows(records, { kind: options.kind, interval: options.interval, zone: options.zone, shiftMs: options.shiftMs, calendar, window: options.window });
    parsed.push(rows);
    summaryFiles.push({ file, format: records.format, timestamps: TIMESTAMP_KINDS[rows.timestampKind], rows: records.rows.length, accepted: rows.us.length, rejected: rows.rejected.length, outside: rows.outside });
  }
  const kinds = new Set(parsed.map((p) => p.kind));
  if (kinds.size > 1) throw importError("the files mix bars and ticks; import them separately");
  const kind = parsed[0]?.kind ?? "bars";
  const combined = combine(parsed);
  const rejected = [...parsed.flatMap((p) => p.rejected), ...combined.rejected];
  const table = kind === "ticks" ? "ticks" : options.interval.text;
  if (rejected.length > 0 && options.onBadRow === "refuse") {
    const list = rejected.slice(0, 20).map((r) => `  ${r.file}:${r.line}: ${r.reason}`).join("\n");
    const more = rejected.length > 20 ? `\n  ... and ${rejected.length - 20} more` : "";
    throw importError(`import of ${options.symbol} refused: ${rejected.length} bad row(s); nothing was written. Fix them, or pass --on-bad-row skip to leave them out.\n${list}${more}`);
  }
  const frame = kind === "ticks" ? tickFrame(combined) : barFrameOf(combined);
  const partitions = store.write(kind === "ticks" ? { kind: "ticks" } : { kind: "bars", interval: options.interval }, options.symbol, frame);
  const derived: ImportSummary["derived"] = [];
  if (kind === "ticks") {
    for (const target of options.tickBars) {
      const bars = ticksToBars(combined, target);
      derived.push({ interval: target.text, bars: bars.height, partitions: store.write({ kind: "bars", interval: target }, options.symbol, bars) });
    }
  }
  const coverageInterval = kind === "ticks" ? (options.tickBars.at(-1) ?? requireInterval("1m")) : options.interval;
  return {
    symbol: options.symbol,
    table,
    files: summaryFiles,
    rowsRead: summaryFiles.reduce((n, f) => n + f.rows, 0),
    rowsAccepted: combined.us.length,
    rowsRejected: rejected.length,
    rowsWritten: partitions.reduce((n, p) => n + (p.changed ? p.rowsAfter - p.rowsBefore + p.replaced : 0), 0),
    rowsReplaced: partitions.reduce((n, p) => n + p.replaced, 0),
    rejected,
    partitions,
    derived,
    coverage: kind === "ticks" ? coverage(calendar, ticksToBars(combined, coverageInterval), coverageInterval) : coverage(calendar, frame, options.interval),
    notes: [...new Set(parsed.flatMap((p) => p.notes))],
  };
}

/** Rows of all files in time order; a timestamp given by two files is kept once (the first). */
function combine(parsed: ParsedRows[]): ParsedRows {
  const order: { file: number; row: number }[] = [];
  parsed.forEach((p, file) => p.us.forEach((_, row) => order.push({ file, row })));
  order.sort((a, b) => parsed[a.file]!.us[a.row]! - parsed[b.file]!.us[b.row]! || a.file - b.file || a.row - b.row);
  const out: ParsedRows = { file: "", kind: parsed[0]?.kind ?? "bars", timestampKind: parsed[0]?.timestampKind ?? "naive", us: [], open: [], high: [], low: [], close: [], volume: [], lines: [], rejected: [], outside: 0, notes: [] };
  if (parsed.some((p) => p.vwap)) out.vwap = [];
  if (parsed.some((p) => p.tradeCount)) out.tradeCount = [];
  let last = -Infinity;
  let lastFile = -1;
  for (const { file, row } of order) {
    const p = parsed[file]!;
    const us = p.us[row]!;
    if (out.kind === "bars" && us === last && file !== lastFile) {
      out.rejected.push({ file: p.file, line: p.lines[row]!, reason: `duplicate of a row at the same time in ${parsed[lastFile]!.file}` });
      continue;
    }
    out.us.push(us);
    out.open.push(p.open[row] ?? NaN);
    out.high.push(p.high[row] ?? NaN);
    out.low.push(p.low[row] ?? NaN);
    out.close.push(p.close[row]!);
    out.volume.push(p.volume[row]!);
    out.vwap?.push(p.vwap?.[row] ?? NaN);
    out.tradeCount?.push(p.tradeCount?.[row] ?? NaN);
    out.lines.push(p.lines[row]!);
    last = us;
    lastFile = file;
  }
  return out;
}

function barFrameOf(rows: ParsedRows): pl.DataFrame {
  const columns: pl.Series[] = [
    pl.Series("ts", rows.us.map((us) => Math.floor(us / 1000))).cast(pl.Int64),
    pl.Series("open", rows.open, pl.Float64),
    pl.Series("high", rows.high, pl.Float64),
    pl.Series("low", rows.low, pl.Float64),
    pl.Series("close", rows.close, pl.Float64),
    pl.Series("volume", rows.volume, pl.Float64),
  ];
  const optional = (name: string, values: number[] | undefined) => {
    if (values && values.some((v) => !Number.isNaN(v))) columns.push(pl.Series(name, values.map((v) => (Number.isNaN(v) ? null : v)), pl.Float64));
  };
  optional("vwap", rows.vwap);
  optional("trade_count", rows.tradeCount);
  return pl.DataFrame(columns);
}

function tickFrame(rows: ParsedRows): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("ts", rows.us.map((us) => Math.floor(us / 1000))).cast(pl.Int64),
    pl.Series("ts_us", rows.us).cast(pl.Int64),
    pl.Series("price", rows.close, pl.Float64),
    pl.Series("size", rows.volume, pl.Float64),
  ]);
}

/** Clock-aligned bars of `target` from trades in time order: OHLC of prices, sum of sizes, count, VWAP. */
export function ticksToBars(rows: { us: number[]; close: number[]; volume: number[] }, target: Interval): pl.DataFrame {
  const ts: number[] = [], open: number[] = [], high: number[] = [], low: number[] = [], close: number[] = [], volume: number[] = [], count: number[] = [], vwap: number[] = [];
  let notional = 0;
  for (let i = 0; i < rows.us.length; i++) {
    const ms = Math.floor(rows.us[i]! / 1000);
    const bucket = ms - (((ms % target.ms) + target.ms) % target.ms);
    const price = rows.close[i]!;
    const size = rows.volume[i]!;
    const last = ts.length - 1;
    if (last < 0 || ts[last] !== bucket) {
      if (last >= 0) vwap[last] = volume[last]! > 0 ? notional / volume[last]! : close[last]!;
      ts.push(bucket); open.push(price); high.push(price); low.push(price); close.push(price); volume.push(size); count.push(1);
      notional = price * size;
    } else {
      if (price > high[last]!) high[last] = price;
      if (price < low[last]!) low[last] = price;
      close[last] = price;
      volume[last] = volume[last]! + size;
      count[last] = count[last]! + 1;
      notional += price * size;
    }
  }
  if (ts.length > 0) vwap[ts.length - 1] = volume[ts.length - 1]! > 0 ? notional / volume[ts.length - 1]! : close[ts.length - 1]!;
  return pl.DataFrame([
    pl.Series("ts", ts).cast(pl.Int64),
    pl.Series("open", open, pl.Float64),
    pl.Series("high", high, pl.Float64),
    pl.Series("low", low, pl.Float64),
    pl.Series("close", close, pl.Float64),
    pl.Series("volume", volume, pl.Float64),
    pl.Series("vwap", vwap, pl.Float64),
    pl.Series("trade_count", count, pl.Float64),
  ]);
}

/** Per trading day: rows, rows in the regular session, the bars a complete feed has there, quality %. */
export function coverage(calendar: MarketCalendar, frame: pl.DataFrame, interval: Interval): DayCoverage[] {
  if (frame.height === 0) return [];
  const ts = frame.getColumn("ts").cast(pl.Float64).toTypedArray() as Float64Array;
  const days = calendar.tradingDays(calendar.localTime(ts[0]!).day, calendar.localTime(ts[ts.length - 1]!).day);
  const out: DayCoverage[] = [];
  let i = 0;
  for (const day of days) {
    const session = calendar.session(day)!;
    const dayStart = calendar.toUtc(day, 0);
    const dayEnd = calendar.toUtc(day + 1, 0);
    while (i < ts.length && ts[i]! < dayStart) i++;
    let rows = 0;
    let regular = 0;
    while (i < ts.length && ts[i]! < dayEnd) {
      rows++;
      if (ts[i]! >= session.open && ts[i]! < session.close) regular++;
      i++;
    }
    const expected = interval.intraday ? calendar.barsBetween(session.open, session.close, interval) : 1;
    out.push({ date: formatDay(day), rows, regular: interval.intraday ? regular : rows, expected, quality: expected > 0 ? round2((100 * Math.min(expected, interval.intraday ? regular : rows)) / expected) : null });
  }
  return out;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
