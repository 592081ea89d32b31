/**
 * The Parquet store: atomic, idempotent writes (overlapping rows replace by timestamp) and reads
 * that are always row-filtered to the asked window.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { dataError } from "../errors.ts";
import { parseInterval, type Interval } from "../time/interval.ts";
import { lowerBound } from "../util/bounds.ts";
import { writeParquetAtomic } from "./atomic.ts";
import { emptyBarFrame, inWindow } from "./bars.ts";
import { PARTITION_FILE, partitionsFor, tableDir, type Table } from "./layout.ts";

/** What a write did to one partition. */
export interface PartitionWrite {
  path: string;
  label: string;
  rowsBefore: number;
  rowsAfter: number;
  /** Rows of the new data that replaced stored rows with the same timestamp. */
  replaced: number;
  changed: boolean;
}

/** One stored (symbol, table) and its extent. */
export interface StoredSeries {
  symbol: string;
  table: string;
  files: number;
  rows: number;
  first: number | null;
  last: number | null;
}

/** The store of one exchange group under `root`. */
export class Store {
  readonly root: string;
  readonly exchangeGroup: string;

  constructor(root: string, exchangeGroup: string) {
    this.root = root;
    this.exchangeGroup = exchangeGroup;
  }

  /** Merges `frame` (sorted by ts, unique ts) into the table; unchanged partitions are not rewritten. */
  write(table: Table, symbol: string, frame: pl.DataFrame): PartitionWrite[] {
    if (frame.height === 0) return [];
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    const ts = frame.getColumn("ts").cast(pl.Float64).toTypedArray() as Float64Array;
    const results: PartitionWrite[] = [];
    for (const partition of partitionsFor(dir, table, ts[0]!, ts[ts.length - 1]! + 1)) {
      const incoming = frame.filter(inWindow(partition.start, partition.end));
      if (incoming.height === 0) continue;
      const existing = existsSync(partition.path) ? readPartition(partition.path) : undefined;
      const { merged, replaced } = merge(table, existing, incoming);
      const changed = !existing || !existing.frameEqual(merged, true);
      if (changed) writeParquetAtomic(partition.path, merged);
      results.push({ path: partition.path, label: partition.label, rowsBefore: existing?.height ?? 0, rowsAfter: merged.height, replaced, changed });
    }
    return results;
  }

  /** Rows of the table with ts in [start, end), ascending. */
  read(table: Table, symbol: string, start: number, end: number): pl.DataFrame {
    const scans = this.scans(table, symbol, start, end);
    if (scans.length === 0) return emptyFor(table);
    return pl.concat(scans).filter(inWindow(start, end)).collectSync();
  }

  /** Like read, on Polars' thread pool (the event loop keeps turning while it reads). */
  async readAsync(table: Table, symbol: string, start: number, end: number): Promise<pl.DataFrame> {
    const scans = this.scans(table, symbol, start, end);
    if (scans.length === 0) return emptyFor(table);
    return pl.concat(scans).filter(inWindow(start, end)).collect();
  }

  /** A lazy scan of the rows with ts in [start, end) (undefined when no file covers them), for queries built on top. */
  scan(table: Table, symbol: string, start: number, end: number): pl.LazyDataFrame | undefined {
    const scans = this.scans(table, symbol, start, end);
    return scans.length === 0 ? undefined : pl.concat(scans).filter(inWindow(start, end));
  }

  /**
   * The files covering [start, end), read whole and eagerly (the rows outside are the caller's to
   * skip): a month of minutes reads faster this way than through a lazy scan with a filter.
   */
  partitionFrames(table: Table, symbol: string, start: number, end: number, columns: string[]): pl.DataFrame[] {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    return partitionsFor(dir, table, start, end)
      .filter((partition) => existsSync(partition.path))
      .map((partition) => (partitionCache ? partitionCache.frame(partition.path).select(...columns) : readPartition(partition.path, columns)));
  }

  /**
   * The timestamps (epoch ms, ascending) of the rows with ts in [start, end). Reads only the ts
   * column of each file, eagerly: for a month of minutes a few times faster than a lazy scan's
   * plan, which matters when a session checks the coverage of hundreds of files before it starts.
   */
  timestamps(table: Table, symbol: string, start: number, end: number): Float64Array {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    const parts: Float64Array[] = [];
    for (const partition of partitionsFor(dir, table, start, end)) {
      if (!existsSync(partition.path)) continue;
      const frame = partitionCache ? partitionCache.frame(partition.path) : readPartition(partition.path, ["ts"]);
      const ts = frame.getColumn("ts").cast(pl.Float64).toTypedArray() as Float64Array;
      const from = lowerBound(ts, start);
      const to = lowerBound(ts, end);
      if (to > from) parts.push(ts.subarray(from, to));
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  /** The size and time of each file covering [start, end): changes when any of them does. */
  stamp(table: Table, symbol: string, start: number, end: number): string {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    return partitionsFor(dir, table, start, end)
      .map((p) => {
        if (!existsSync(p.path)) return "-";
        const stat = statSync(p.path);
        return `${stat.size}:${stat.mtimeMs}`;
      })
      .join(",");
  }

  /** The first and last timestamp stored for a symbol's table (null when nothing is). */
  extent(table: Table, symbol: string): { first: number; last: number } | null {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    if (!existsSync(dir)) return null;
    const files = readdirSync(dir).filter((name) => PARTITION_FILE.test(name)).sort();
    if (files.length === 0) return null;
    const range = pl
      .concat([pl.scanParquet(join(dir, files[0]!)), pl.scanParquet(join(dir, files.at(-1)!))])
      .select(pl.col("ts").min().cast(pl.Float64).alias("first"), pl.col("ts").max().cast(pl.Float64).alias("last"))
      .collectSync();
    const first = range.getColumn("first").get(0) as number | null;
    const last = range.getColumn("last").get(0) as number | null;
    return first === null || last === null ? null : { first, last };
  }

  /** True when the table has at least one file for the symbol. */
  has(table: Table, symbol: string): boolean {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    return existsSync(dir) && readdirSync(dir).some((name) => PARTITION_FILE.test(name));
  }

  /** The bar intervals stored for a symbol, finest first. */
  barIntervals(symbol: string): Interval[] {
    const dir = join(this.root, this.exchangeGroup, "bars");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => parseInterval(name))
      .filter((interval): interval is Interval => interval !== undefined && this.has({ kind: "bars", interval }, symbol))
      .sort((a, b) => a.ms - b.ms);
  }

  /** Every stored series with its row count and time range. */
  list(): StoredSeries[] {
    const base = join(this.root, this.exchangeGroup);
    if (!existsSync(base)) return [];
    const tables: { name: string; table: Table }[] = [];
    const barsDir = join(base, "bars");
    if (existsSync(barsDir)) {
      for (const name of readdirSync(barsDir).sort()) {
        const interval = parseInterval(name);
        if (interval) tables.push({ name, table: { kind: "bars", interval } });
      }
    }
    for (const kind of ["ticks", "quotes"] as const) if (existsSync(join(base, kind))) tables.push({ name: kind, table: { kind } });
    const out: StoredSeries[] = [];
    for (const { name, table } of tables) {
      const parent = table.kind === "bars" ? join(base, "bars", name) : join(base, name);
      for (const symbol of readdirSync(parent).sort()) {
        const dir = join(parent, symbol);
        if (!statSync(dir).isDirectory()) continue;
        const files = readdirSync(dir).filter((f) => PARTITION_FILE.test(f)).sort();
        if (files.length === 0) continue;
        const stats = pl
          .concat(files.map((f) => pl.scanParquet(join(dir, f)).select(pl.col("ts"))))
          .select(pl.col("ts").min().cast(pl.Float64).alias("first"), pl.col("ts").max().cast(pl.Float64).alias("last"), pl.len().alias("rows"))
          .collectSync();
        out.push({ symbol, table: name, files: files.length, rows: Number(stats.getColumn("rows").get(0)), first: stats.getColumn("first").get(0), last: stats.getColumn("last").get(0) });
      }
    }
    return out.sort((a, b) => a.symbol.localeCompare(b.symbol) || tableOrder(a.table) - tableOrder(b.table));
  }

  private scans(table: Table, symbol: string, start: number, end: number): pl.LazyDataFrame[] {
    const dir = tableDir(this.root, this.exchangeGroup, table, symbol);
    return partitionsFor(dir, table, start, end)
      .filter((p) => existsSync(p.path))
      .map((p) => (partitionCache ? partitionCache.frame(p.path).lazy() : pl.scanParquet(p.path)));
  }
}

/**
 * Partition files kept in memory once read, for a process that runs many sessions on the same
 * data (a sweep's worker): a file is read once, and again only when its size or time changes.
 */
class PartitionCache {
  private readonly frames = new Map<string, { frame: pl.DataFrame; stamp: string; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  frame(path: string): pl.DataFrame {
    const stat = statSync(path);
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.frames.get(path);
    if (hit && hit.stamp === stamp) {
      // Most recently used last: the oldest go first when the cache is full.
      this.frames.delete(path);
      this.frames.set(path, hit);
      return hit.frame;
    }
    if (hit) this.forget(path);
    const frame = readPartition(path);
    const bytes = stat.size * 4; // decoded columns take a few times the compressed file
    this.frames.set(path, { frame, stamp, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.frames) {
      if (this.bytes <= this.maxBytes || oldest === path) break;
      this.forget(oldest);
    }
    return frame;
  }

  private forget(path: string): void {
    this.bytes -= this.frames.get(path)?.bytes ?? 0;
    this.frames.delete(path);
  }
}

let partitionCache: PartitionCache | undefined;

/** Keeps partition files in memory (up to `maxBytes`) for every Store of this process (or thread). */
export function cachePartitions(maxBytes: number): void {
  partitionCache = new PartitionCache(maxBytes);
  answers = new Map();
}

/** Answers computed from partitions (aggregated history ...), kept while their files do not change. */
let answers: Map<string, pl.DataFrame> | undefined;
const MAX_ANSWERS = 4096;

/**
 * With the cache on, the answer stored under `key` (whose files' stamp is `stamp`) or a new one
 * computed and kept; without it, computed every time.
 */
export function cachedAnswer(key: string, stamp: string, compute: () => pl.DataFrame): pl.DataFrame {
  if (!answers) return compute();
  const full = `${key}|${stamp}`;
  const hit = answers.get(full);
  if (hit) return hit;
  const frame = compute();
  if (answers.size >= MAX_ANSWERS) answers.delete(answers.keys().next().value!);
  answers.set(full, frame);
  return frame;
}

function tableOrder(name: string): number {
  const interval = parseInterval(name);
  return interval ? interval.ms : name === "ticks" ? -2 : -1;
}

function readPartition(path: string, columns?: string[]): pl.DataFrame {
  try {
    return columns ? pl.readParquet(path, { columns }) : pl.readParquet(path);
  } catch (error) {
    throw dataError(`cannot read ${path}: ${(error as Error).message}. The file is damaged; restore it or delete it and import again.`, { cause: error });
  }
}

/**
 * Bars and quotes: a new row replaces the stored row with the same ts. Ticks have no unique
 * key (two trades can share a microsecond), so new ticks replace the stored ticks of the span they cover.
 */
function merge(table: Table, existing: pl.DataFrame | undefined, incoming: pl.DataFrame): { merged: pl.DataFrame; replaced: number } {
  if (!existing || existing.height === 0) return { merged: incoming, replaced: 0 };
  const aligned = alignColumns(existing, incoming);
  if (table.kind === "ticks") {
    const us = incoming.getColumn("ts_us").cast(pl.Float64).toTypedArray() as Float64Array;
    const from = us[0]!;
    const to = us[us.length - 1]!;
    const outside = aligned.existing.filter(pl.col("ts_us").lt(pl.lit(from).cast(pl.Int64)).or(pl.col("ts_us").gt(pl.lit(to).cast(pl.Int64))));
    const merged = pl.concat([outside, aligned.incoming]).sort({ by: "ts_us", maintainOrder: true });
    return { merged, replaced: existing.height - outside.height };
  }
  const combined = pl.concat([aligned.existing, aligned.incoming]);
  const merged = combined.sort({ by: "ts", maintainOrder: true }).unique({ subset: "ts", keep: "last", maintainOrder: true });
  return { merged, replaced: combined.height - merged.height };
}

/** Makes two frames share columns (a column one of them lacks is filled with nulls). */
function alignColumns(a: pl.DataFrame, b: pl.DataFrame): { existing: pl.DataFrame; incoming: pl.DataFrame } {
  const names = [...new Set([...a.columns, ...b.columns])];
  const fill = (frame: pl.DataFrame, other: pl.DataFrame) =>
    frame.select(...names.map((name) => (frame.columns.includes(name) ? pl.col(name) : pl.lit(null).cast(other.getColumn(name).dtype).alias(name))));
  return { existing: fill(a, b), incoming: fill(b, a) };
}

function emptyFor(table: Table): pl.DataFrame {
  if (table.kind === "bars") return emptyBarFrame();
  if (table.kind === "ticks") {
    return pl.DataFrame({ ts: pl.Series("ts", [], pl.Int64), ts_us: pl.Series("ts_us", [], pl.Int64), price: pl.Series("price", [], pl.Float64), size: pl.Series("size", [], pl.Float64) });
  }
  return pl.DataFrame({
    ts: pl.Series("ts", [], pl.Int64),
    bid: pl.Series("bid", [], pl.Float64),
    ask: pl.Series("ask", [], pl.Float64),
    bid_size: pl.Series("bid_size", [], pl.Float64),
    ask_size: pl.Series("ask_size", [], pl.Float64),
  });
}
