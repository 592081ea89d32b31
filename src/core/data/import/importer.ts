/**
 * `data import`: files -> validated rows -> the store, a batch at a time, with a summary of rows
 * read, written and rejected and the per-day coverage. Memory stays bounded whatever the file's
 * size: rows are read in batches and written a store partition (a symbol's month) at a time, as
 * soon as the file has moved past it. With `refuse` (the default) the files are read twice - once
 * to check every row, once to write - so a file with any bad row writes nothing; with `skip` they
 * are read once and the bad rows left out. A file may hold many symbols (a symbol column) or one
 * (`--symbol`). A timestamp given again by a later file replaces the earlier file's row, as
 * importing the files one after the other would.
 */
import pl from "nodejs-polars";
import { importError } from "../../errors.ts";
import type { MarketCalendar } from "../../time/calendar.ts";
import { civilFromDay, DAY_MS, formatDay } from "../../time/dates.ts";
import { requireInterval, type Interval } from "../../time/interval.ts";
import { yearly, type Table } from "../layout.ts";
import type { PartitionWrite, Store } from "../store.ts";
import { RowParser, type ParsedRows, type Rejection } from "./parse-rows.ts";
import { openRecords, type InputFormat } from "./records.ts";
import { TIMESTAMP_KINDS } from "./timestamps.ts";

/** Options of importFiles (the CLI flags of `data import`). */
export interface ImportOptions {
  /** Every row's symbol; without it the files need a symbol column. */
  symbol?: string;
  /** Bar interval of the input (bars). @default "1m" */
  interval: Interval;
  kind: "bars" | "ticks" | "auto";
  format: InputFormat;
  /** CSV delimiter (default: detected from the header). */
  delimiter?: string;
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
  /** Set when the import held more than one symbol. */
  symbol?: string;
  rows: number;
  regular: number;
  expected: number;
  quality: number | null;
}

/** What an import did. */
export interface ImportSummary {
  /** The symbol, or the symbols joined by ", ". */
  symbol: string;
  symbols: string[];
  table: string;
  files: { file: string; format: string; timestamps: string; rows: number; accepted: number; rejected: number; outside: number }[];
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsWritten: number;
  rowsReplaced: number;
  /** The first MAX_LISTED rejected rows (rowsRejected counts them all). */
  rejected: Rejection[];
  partitions: PartitionWrite[];
  derived: { interval: string; bars: number; partitions: PartitionWrite[] }[];
  coverage: DayCoverage[];
  notes: string[];
}

/** Rejected rows listed in messages and the summary (all are counted). */
const MAX_LISTED = 1000;

/** Imports `files` into `store`. */
export async function importFiles(store: Store, calendar: MarketCalendar, files: string[], options: ImportOptions): Promise<ImportSummary> {
  if (options.onBadRow === "refuse") {
    // First pass: every row checked, nothing kept but the verdicts.
    const checked = await readAll(calendar, files, options, undefined);
    if (checked.rejectedCount > 0) {
      const list = checked.rejected.slice(0, 20).map((r) => `  ${r.file}:${r.line}: ${r.reason}`).join("\n");
      const more = checked.rejectedCount > 20 ? `\n  ... and ${checked.rejectedCount - 20} more` : "";
      throw importError(`import of ${options.symbol ?? (files.length === 1 ? files[0] : `${files.length} files`)} refused: ${checked.rejectedCount} bad row(s); nothing was written. Fix them, or pass --on-bad-row skip to leave them out.\n${list}${more}`);
    }
  }
  const writer = new PartitionWriter(store, calendar, options);
  const read = await readAll(calendar, files, options, writer);
  writer.flushAll();
  const symbols = [...writer.symbols].sort();
  return {
    symbol: symbols.join(", ") || (options.symbol ?? ""),
    symbols,
    table: read.kind === "ticks" ? "ticks" : options.interval.text,
    files: read.files,
    rowsRead: read.files.reduce((n, f) => n + f.rows, 0),
    rowsAccepted: read.files.reduce((n, f) => n + f.accepted, 0),
    rowsRejected: read.rejectedCount,
    rowsWritten: writer.partitions.reduce((n, p) => n + (p.changed ? p.rowsAfter - p.rowsBefore + p.replaced : 0), 0),
    rowsReplaced: writer.partitions.reduce((n, p) => n + p.replaced, 0),
    rejected: read.rejected,
    partitions: writer.partitions,
    derived: writer.derivedSummary(),
    coverage: writer.coverage(symbols.length > 1),
    notes: read.notes,
  };
}

interface ReadResult {
  kind: "bars" | "ticks";
  files: ImportSummary["files"];
  rejected: Rejection[];
  rejectedCount: number;
  notes: string[];
}

/** Reads every file a batch at a time, handing accepted rows to `writer` (none: a checking pass). */
async function readAll(calendar: MarketCalendar, files: string[], options: ImportOptions, writer: PartitionWriter | undefined): Promise<ReadResult> {
  const result: ReadResult = { kind: "bars", files: [], rejected: [], rejectedCount: 0, notes: [] };
  const kinds = new Set<string>();
  for (const file of files) {
    const records = openRecords(file, options.format, { delimiter: options.delimiter });
    const iterator = records.batches()[Symbol.iterator]();
    let next = iterator.next();
    const parser = new RowParser(records, next.done ? undefined : next.value, { kind: options.kind, interval: options.interval, zone: options.zone, shiftMs: options.shiftMs, calendar, window: options.window, symbol: options.symbol });
    kinds.add(parser.kind);
    if (kinds.size > 1) throw importError("the files mix bars and ticks; import them separately");
    result.kind = parser.kind;
    const stats = { file, format: records.format, timestamps: TIMESTAMP_KINDS[parser.timestampKind], rows: 0, accepted: 0, rejected: 0, outside: 0 };
    let reported = 0;
    for (; !next.done; next = iterator.next()) {
      const batch = next.value;
      const rows = parser.parse(batch);
      stats.rows += batch.rows.length;
      stats.accepted += rows.us.length;
      stats.rejected += rows.rejected.length;
      stats.outside += rows.outside;
      result.rejectedCount += rows.rejected.length;
      for (const r of rows.rejected) if (result.rejected.length < MAX_LISTED) result.rejected.push(r);
      writer?.add(rows, parser.kind);
      await releaseNativeMemory();
      if (stats.rows - reported >= 1_000_000) {
        reported = stats.rows;
        options.progress?.(`${file}: ${stats.rows.toLocaleString("en-US")} rows ${writer ? "imported" : "checked"} ...`);
      }
    }
    result.files.push(stats);
    for (const note of parser.notes) if (!result.notes.includes(note)) result.notes.push(note);
  }
  return result;
}

/** Rows of one symbol's current partition, as columns. */
interface Buffer {
  partition: number;
  us: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  vwap: number[];
  tradeCount: number[];
  hasVwap: boolean;
  hasCount: boolean;
}

/** Collects accepted rows per symbol and writes each partition once the rows have moved past it. */
class PartitionWriter {
  readonly partitions: PartitionWrite[] = [];
  readonly symbols = new Set<string>();
  private readonly buffers = new Map<string, Buffer>();
  private readonly derived = new Map<string, { bars: number; partitions: PartitionWrite[] }>();
  private readonly days = new Map<string, DayCoverage>();
  private kind: "bars" | "ticks" = "bars";

  constructor(
    private readonly store: Store,
    private readonly calendar: MarketCalendar,
    private readonly options: ImportOptions,
  ) {}

  add(rows: ParsedRows, kind: "bars" | "ticks"): void {
    this.kind = kind;
    const table = this.table();
    for (let i = 0; i < rows.us.length; i++) {
      const symbol = rows.symbol[i]!;
      const ms = Math.floor(rows.us[i]! / 1000);
      const partition = partitionOf(table, ms);
      let buffer = this.buffers.get(symbol);
      if (buffer && buffer.partition !== partition) {
        this.flush(symbol, buffer);
        buffer = undefined;
      }
      if (!buffer) {
        buffer = { partition, us: [], open: [], high: [], low: [], close: [], volume: [], vwap: [], tradeCount: [], hasVwap: false, hasCount: false };
        this.buffers.set(symbol, buffer);
        this.symbols.add(symbol);
      }
      buffer.us.push(rows.us[i]!);
      buffer.close.push(rows.close[i]!);
      buffer.volume.push(rows.volume[i]!);
      if (kind === "bars") {
        buffer.open.push(rows.open[i]!);
        buffer.high.push(rows.high[i]!);
        buffer.low.push(rows.low[i]!);
        const vwap = rows.vwap?.[i] ?? NaN;
        const count = rows.tradeCount?.[i] ?? NaN;
        buffer.vwap.push(vwap);
        buffer.tradeCount.push(count);
        if (!Number.isNaN(vwap)) buffer.hasVwap = true;
        if (!Number.isNaN(count)) buffer.hasCount = true;
      }
    }
  }

  flushAll(): void {
    for (const [symbol, buffer] of [...this.buffers]) this.flush(symbol, buffer);
    this.buffers.clear();
  }

  derivedSummary(): ImportSummary["derived"] {
    return [...this.derived].map(([interval, d]) => ({ interval, bars: d.bars, partitions: d.partitions }));
  }

  /** Per day (and per symbol when there were several), in date order. */
  coverage(perSymbol: boolean): DayCoverage[] {
    return [...this.days.values()]
      .map(({ symbol, date, rows, regular, expected, quality }): DayCoverage => (perSymbol ? { date, symbol, rows, regular, expected, quality } : { date, rows, regular, expected, quality }))
      .sort((a, b) => a.date.localeCompare(b.date) || (a.symbol ?? "").localeCompare(b.symbol ?? ""));
  }

  private table(): Table {
    return this.kind === "ticks" ? { kind: "ticks" } : { kind: "bars", interval: this.options.interval };
  }

  private flush(symbol: string, buffer: Buffer): void {
    this.buffers.delete(symbol);
    if (buffer.us.length === 0) return;

    const frame = this.kind === "ticks" ? tickFrame(buffer) : barFrameOf(buffer);
    this.partitions.push(...this.store.write(this.table(), symbol, frame));
    let coverageFrame = frame;
    let coverageInterval = this.options.interval;
    if (this.kind === "ticks") {
      for (const target of this.options.tickBars) {
        const bars = ticksToBars(buffer, target);
        const entry = this.derived.get(target.text) ?? { bars: 0, partitions: [] };
        entry.bars += bars.height;
        entry.partitions.push(...this.store.write({ kind: "bars", interval: target }, symbol, bars));
        this.derived.set(target.text, entry);
      }
      coverageInterval = this.options.tickBars.at(-1) ?? requireInterval("1m");
      coverageFrame = ticksToBars(buffer, coverageInterval);
    }
    // A local day can straddle two UTC months: its counts are summed over both.
    for (const day of coverage(this.calendar, coverageFrame, coverageInterval)) {
      const key = `${symbol}|${day.date}`;
      const seen = this.days.get(key);
      if (!seen) this.days.set(key, { ...day, symbol });
      else {
        seen.rows += day.rows;
        seen.regular += day.regular;
        seen.quality = seen.expected > 0 ? round2((100 * Math.min(seen.expected, seen.regular)) / seen.expected) : null;
      }
    }
  }
}

/**
 * Polars' frames hold native memory the JS collector does not see, and it is released only when
 * their finalizers run - on the event loop, after a collection. A long import yields to both
 * between batches, or the partitions it wrote pile up (1.1 GB for a 0.6 GB file, without this).
 */
async function releaseNativeMemory(): Promise<void> {
  Bun.gc(true);
  await Bun.sleep(0);
}

/** The index of the partition an instant is stored in: its UTC month, or year for daily and weekly bars. */
function partitionOf(table: Table, ms: number): number {
  const { year, month } = civilFromDay(Math.floor(ms / DAY_MS));
  return yearly(table) ? year : year * 12 + month;
}

function barFrameOf(rows: Buffer): pl.DataFrame {
  const columns: pl.Series[] = [
    pl.Series("ts", rows.us.map((us) => Math.floor(us / 1000))).cast(pl.Int64),
    pl.Series("open", rows.open, pl.Float64),
    pl.Series("high", rows.high, pl.Float64),
    pl.Series("low", rows.low, pl.Float64),
    pl.Series("close", rows.close, pl.Float64),
    pl.Series("volume", rows.volume, pl.Float64),
  ];
  if (rows.hasVwap) columns.push(pl.Series("vwap", rows.vwap.map((v) => (Number.isNaN(v) ? null : v)), pl.Float64));
  if (rows.hasCount) columns.push(pl.Series("trade_count", rows.tradeCount.map((v) => (Number.isNaN(v) ? null : v)), pl.Float64));
  return pl.DataFrame(columns);
}

function tickFrame(rows: Buffer): pl.DataFrame {
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
  const days = calendar.tradingDays(calendar.dayOf(ts[0]!), calendar.dayOf(ts[ts.length - 1]!));
  const out: DayCoverage[] = [];
  let i = 0;
  for (const day of days) {
    const session = calendar.session(day)!;
    // A date's instants: from its local midnight, or from the evening open the day before (CME).
    const dayStart = calendar.dayStart(day);
    const dayEnd = calendar.dayStart(day + 1);
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
