/**
 * The one writer of a run directory. It is written in place (the path printed at the start is the
 * run's path for its whole life) with `status.json` saying how far it got: tables that grow are
 * appended as the session goes and reach the disk at each day's end, so a session that dies on day
 * 200 leaves days 1-199 readable and marked incomplete. Whole files are written atomically.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic, writeParquetAtomic } from "../data/atomic.ts";
import type { Rows, RunSink } from "../engine/run-sink.ts";
import { internalError, SessionflowError, usageError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { journalFile, RUN_FILES, TABLES, tableFile, type ColumnType, type Schema, type TableName, type TableSpec } from "./run-files.ts";
import { writeStatus, type RunState } from "./run-status.ts";
import { chunkLength, csvHeader, framesOf, TableBuffer } from "./table-buffer.ts";
import type { RunTables } from "./read-run.ts";

/** Which kinds of files a run writes (`report.formats`). */
export interface WriterFormats {
  json: boolean;
  csv: boolean;
  parquet: boolean;
}

/** Writes one run directory. */
export class RunWriter implements RunSink {
  readonly dir: string;
  private readonly formats: WriterFormats;
  private readonly buffers = new Map<TableName, TableBuffer>();
  /** CSV text handed over since the last flush, per file. */
  private readonly pending = new Map<string, string>();
  private readonly keyed: { table: TableName; key: string; rows: Rows }[] = [];
  private readonly started: string;
  private daysComplete = 0;
  private lastDay: string | null = null;
  private logger: Logger | undefined;

  private constructor(dir: string, formats: WriterFormats, startedIso: string) {
    this.dir = dir;
    this.formats = formats;
    this.started = startedIso;
  }

  /** Creates the run directory (refusing one that holds files) and starts every growing table's file. */
  static open(dir: string, formats: WriterFormats, startedIso: string): RunWriter {
    if (existsSync(dir) && readdirSync(dir).length > 0) throw usageError(`the run directory ${dir} already exists and is not empty; choose another --out (nothing was written)`);
    mkdirSync(dir, { recursive: true });
    if (formats.parquet) mkdirSync(join(dir, RUN_FILES.journal), { recursive: true });
    const writer = new RunWriter(dir, formats, startedIso);
    for (const [name, spec] of Object.entries(TABLES) as [TableName, (typeof TABLES)[TableName]][]) {
      if (!spec.grows) continue;
      writer.buffers.set(name, new TableBuffer(name, spec.schema));
      const file = writer.fileOf(name);
      if (file && !(spec as TableSpec).whenUsed) writeFileSync(join(dir, file), csvHeader(spec.schema), { flag: "w" });
    }
    writer.status("running");
    return writer;
  }

  /** Lines of this logger reach the disk with every flush. */
  attachLogger(logger: Logger): void {
    this.logger = logger;
    logger.attachFile(join(this.dir, RUN_FILES.log));
  }

  /** The resolved session, before the first day. */
  writeConfig(yaml: string): void {
    writeFileAtomic(join(this.dir, RUN_FILES.config), yaml);
  }

  append(table: string, rows: Rows): void {
    const buffer = this.buffers.get(table as TableName);
    if (!buffer) throw internalError(`run table ${table} does not grow during a run; growing tables: ${[...this.buffers.keys()].join(", ")}`);
    const file = this.fileOf(table as TableName);
    // A table whose file is not written (its format is off) is kept for the summary, without text.
    if (!file) {
      buffer.push(rows);
      return;
    }
    const text = buffer.add(rows);
    if (text.length === 0) return;
    const spec: TableSpec = TABLES[table as TableName];
    // A table kept only once used starts its file with its first rows.
    const header = spec.whenUsed && !this.pending.has(file) && !existsSync(join(this.dir, file)) ? csvHeader(spec.schema) : "";
    this.pending.set(file, (this.pending.get(file) ?? header) + text);
  }

  put(table: string, key: string, rows: Rows): void {
    const spec = TABLES[table as TableName];
    if (!spec || spec.grows) throw internalError(`run table ${table} is not written whole at the end`);
    chunkLength(table, spec.schema, rows);
    this.keyed.push({ table: table as TableName, key, rows });
  }

  /** A day is done: everything handed over so far goes to the disk, and the status says so. */
  endDay(date: string): void {
    this.flush();
    this.daysComplete++;
    this.lastDay = date;
    this.status("running");
  }

  /** The trading tables as frames, from memory (for the metrics and the report). */
  tables(): RunTables {
    return {
      equity: this.buffer("equity").frame("parquet"),
      daily: this.buffer("equity_daily").frame("parquet"),
      trades: this.buffer("trades").frame("csv"),
      fills: this.buffer("fills").frame("csv"),
      orders: this.sorted("orders").frame("csv"),
    };
  }

  /** The in-memory rows of a growing table. */
  buffer(table: TableName): TableBuffer {
    return this.buffers.get(table)!;
  }

  /** The run ended: whole files are written and the journal goes (the status changes with complete()). */
  finish(summary: unknown): void {
    this.flush();
    if (this.formats.csv) {
      // Orders were appended as they settled; the file is in id order.
      writeFileAtomic(join(this.dir, tableFile("orders")), this.sorted("orders").csv());
    }
    if (this.formats.parquet) {
      writeParquetAtomic(join(this.dir, tableFile("equity")), this.buffer("equity").frame("parquet"));
      writeParquetAtomic(join(this.dir, tableFile("equity_daily")), this.buffer("equity_daily").frame("parquet"));
      for (const { table, key, rows } of this.keyed) writeParquetAtomic(join(this.dir, tableFile(table, key)), framesOf(extended(TABLES[table].schema, rows), rows, "parquet"));
      rmSync(join(this.dir, RUN_FILES.journal), { recursive: true, force: true });
    }
    if (this.formats.json) writeFileAtomic(join(this.dir, RUN_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
    this.logger?.flush();
  }

  /** Everything is written (the report included): the status says complete (or stopped, when asked to) and the log is closed. */
  complete(state: "complete" | "stopped" = "complete", reason?: string): void {
    this.status(state, reason);
    this.logger?.close();
  }

  /** Stopped at once: what was handed over is flushed, the status says stopped; whole files are not written. */
  abort(reason: string): void {
    try {
      this.flush();
    } finally {
      this.status("stopped", reason);
      this.logger?.close();
    }
  }

  /** The run stopped on an error: what was handed over is kept, the status holds the reason. */
  fail(error: unknown): void {
    try {
      this.flush();
    } finally {
      const message = error instanceof SessionflowError || error instanceof Error ? error.message : String(error);
      this.status("failed", message);
      this.logger?.close();
    }
  }

  flush(): void {
    for (const [file, text] of this.pending) appendFileSync(join(this.dir, file), text);
    this.pending.clear();
    this.logger?.flush();
  }

  /** Where a growing table's rows are appended during the run (undefined when its format is off). */
  private fileOf(table: TableName): string | undefined {
    const spec = TABLES[table];
    if (spec.format === "csv") return this.formats.csv ? spec.file : undefined;
    return this.formats.parquet ? journalFile(table) : undefined;
  }

  private sorted(table: TableName): TableBuffer {
    const buffer = this.buffer(table);
    const by: string | undefined = (TABLES[table] as { sortBy?: string }).sortBy;
    if (by) buffer.sortBy(by);
    return buffer;
  }

  private status(state: RunState, error?: string): void {
    writeStatus(this.dir, { state, started: this.started, days_complete: this.daysComplete, last_day: this.lastDay, ...(error ? { error } : {}) });
  }
}

/** Columns a per-stream table may add besides its schema, with their types (others are numbers: indicator values). */
const OPTIONAL_COLUMNS: Record<string, ColumnType> = { partial: "flag" };

/** A per-stream table's schema: its fixed columns, then the stream's own (partial, indicator keys) in the order given. */
function extended(schema: Schema, rows: Rows): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = { ...schema };
  for (const name of Object.keys(rows)) if (!(name in out)) out[name] = OPTIONAL_COLUMNS[name] ?? "number";
  return out;
}
