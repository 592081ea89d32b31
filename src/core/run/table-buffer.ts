/**
 * A run table in memory: the rows handed over so far, column by column, and the two forms they
 * leave in: CSV text (JS number formatting, times as ISO 8601 UTC, RFC 4180 quoting) and a Polars
 * frame typed by the schema. Numbers and times are kept in growable Float64Arrays and flags in a
 * Uint8Array, so a frame is built from typed memory (no per-value conversion, no text round trip).
 * A CSV of this text
 * parsed with `frameSchema` gives the same frame, which is how a finished run and its files agree.
 */
import pl, { type DataType } from "nodejs-polars";
import type { Column, Rows } from "../engine/run-sink.ts";
import { internalError } from "../errors.ts";
import { isoUtc } from "../time/dates.ts";
import type { ColumnType, Schema } from "./run-files.ts";

/** The Polars type of a column in a CSV table (times stay text, as the file holds them) or a Parquet one. */
export function columnDtype(type: ColumnType, format: "csv" | "parquet"): DataType {
  switch (type) {
    case "time":
      return format === "csv" ? pl.Utf8 : pl.Int64;
    case "number":
      return pl.Float64;
    case "text":
      return pl.Utf8;
    case "flag":
      return pl.Bool;
  }
}

/** The Polars schema of a table as its file holds it. */
export function frameSchema(schema: Schema, format: "csv" | "parquet"): Record<string, DataType> {
  return Object.fromEntries(Object.entries(schema).map(([name, type]) => [name, columnDtype(type, format)]));
}

/** One CSV cell. */
export function csvCell(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return "";
  if (type === "time") return typeof value === "number" ? isoUtc(value) : String(value);
  // Text outputs carry 12 significant digits: 497.31, not 497.31000000000006 (Parquet keeps every bit).
  if (type === "number" && typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value)) return String(Number(value.toPrecision(12)));
  const text = String(value);
  return type === "text" && /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line. */
export function csvHeader(schema: Schema): string {
  return `${Object.keys(schema).join(",")}\n`;
}

/** Checks a chunk against a schema: every column present, equal lengths; returns the row count. */
export function chunkLength(table: string, schema: Schema, rows: Rows): number {
  const names = Object.keys(schema);
  const missing = names.filter((name) => !(name in rows));
  if (missing.length > 0) throw internalError(`run table ${table}: missing column(s) ${missing.join(", ")}; its columns are ${names.join(", ")}`);
  const length = rows[names[0]!]!.length;
  for (const name of names) if (rows[name]!.length !== length) throw internalError(`run table ${table}: column ${name} has ${rows[name]!.length} rows, ${names[0]} has ${length}`);
  return length;
}

/**
 * One column's values: numbers (times are epoch ms) in a Float64Array with a null mask when
 * needed, flags as 0/1, text as codes into the column's distinct values (a run's text columns -
 * strategy, symbol, side, status - hold few, and Polars maps codes to text on its own).
 */
class ColumnStore {
  numbers: Float64Array | undefined;
  flags: Uint8Array | undefined;
  /** Text: per row, an index into `distinct` (0 is null). */
  codes: Uint32Array | undefined;
  readonly distinct: (string | null)[] = [null];
  private readonly codeOf = new Map<string, number>();
  /** 1 where the value is null (allocated at the first null; text uses code 0). */
  nulls: Uint8Array | undefined;

  constructor(readonly type: ColumnType) {
    if (type === "text") this.codes = new Uint32Array(64);
    else if (type === "flag") this.flags = new Uint8Array(64);
    else this.numbers = new Float64Array(64);
  }

  /** Appends `n` values of `source` after row `at`. */
  append(source: Column, n: number, at: number): void {
    this.reserve(at + n);
    if (this.codes) {
      for (let i = 0; i < n; i++) {
        const v = source[i];
        this.codes[at + i] = v === null || v === undefined ? 0 : this.code(String(v));
      }
      return;
    }
    if (this.flags) {
      for (let i = 0; i < n; i++) {
        const v = source[i];
        if (v === null || v === undefined) this.setNull(at + i);
        else this.flags[at + i] = v ? 1 : 0;
      }
      return;
    }
    const numbers = this.numbers!;
    if (source instanceof Float64Array) {
      numbers.set(source.subarray(0, n), at);
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = source[i];
      if (v === null || v === undefined) this.setNull(at + i);
      else numbers[at + i] = v as number;
    }
  }

  /** The value of row `i` (null when null). */
  value(i: number): unknown {
    if (this.codes) return this.distinct[this.codes[i]!];
    if (this.nulls?.[i]) return null;
    return this.flags ? this.flags[i] === 1 : this.numbers![i];
  }

  /** Rows in the order of `order` (indexes of the current rows). */
  permute(order: readonly number[], length: number): void {
    const take = <T extends Float64Array | Uint8Array | Uint32Array>(values: T): T => {
      const out = new (values.constructor as new (n: number) => T)(values.length);
      for (let k = 0; k < length; k++) out[k] = values[order[k]!]!;
      return out;
    };
    if (this.codes) this.codes = take(this.codes);
    if (this.numbers) this.numbers = take(this.numbers);
    if (this.flags) this.flags = take(this.flags);
    if (this.nulls) this.nulls = take(this.nulls);
  }

  /** A Polars series of the first `length` rows, typed as the file holds the column. */
  series(name: string, length: number, format: "csv" | "parquet"): pl.Series {
    if (this.codes) return this.textSeries(name, length);
    if (this.flags) return withNulls(pl.Series(name, this.flags.slice(0, length)).cast(pl.Bool), this.nulls, length);
    if (this.type === "time" && format === "csv") return this.timeText(name, length);
    const numbers = withNulls(pl.Series(name, this.numbers!.slice(0, length)), this.nulls, length);
    return this.type === "time" ? numbers.cast(pl.Int64) : numbers;
  }

  private textSeries(name: string, length: number): pl.Series {
    return textFromCodes(name, this.codes!.subarray(0, length), this.distinct);
  }

  /** Times as ISO text: each distinct instant formatted once (a run's rows share the bar ends). */
  private timeText(name: string, length: number): pl.Series {
    const { numbers, nulls } = this;
    const codes = new Uint32Array(length);
    const distinct: (string | null)[] = [null];
    const codeOf = new Map<number, number>();
    for (let i = 0; i < length; i++) {
      if (nulls?.[i]) continue;
      const ms = numbers![i]!;
      let code = codeOf.get(ms);
      if (code === undefined) {
        code = distinct.length;
        distinct.push(isoUtc(ms));
        codeOf.set(ms, code);
      }
      codes[i] = code;
    }
    return textFromCodes(name, codes, distinct);
  }

  private code(text: string): number {
    let code = this.codeOf.get(text);
    if (code === undefined) {
      code = this.distinct.length;
      this.distinct.push(text);
      this.codeOf.set(text, code);
    }
    return code;
  }

  private reserve(n: number): void {
    const capacity = (this.numbers ?? this.flags ?? this.codes)!.length;
    if (n <= capacity) return;
    const size = Math.max(n, capacity * 2);
    if (this.numbers) this.numbers = grown(this.numbers, size);
    if (this.flags) this.flags = grown(this.flags, size);
    if (this.codes) this.codes = grown(this.codes, size);
    if (this.nulls) this.nulls = grown(this.nulls, size);
  }

  private setNull(i: number): void {
    this.nulls ??= new Uint8Array((this.numbers ?? this.flags)!.length);
    this.nulls[i] = 1;
  }
}

/** A table's rows so far. */
export class TableBuffer {
  private readonly stores: [string, ColumnStore][];
  length = 0;

  constructor(readonly name: string, readonly schema: Schema) {
    this.stores = Object.entries(schema).map(([column, type]) => [column, new ColumnStore(type)]);
  }

  /** Adds a chunk; returns its CSV text (without header). */
  add(rows: Rows): string {
    const n = this.push(rows);
    return this.csvRows(this.length - n, this.length);
  }

  /** Adds a chunk (no text: a table whose file is not written, a run kept in memory); returns its row count. */
  push(rows: Rows): number {
    const n = chunkLength(this.name, this.schema, rows);
    for (const [name, store] of this.stores) store.append(rows[name] as Column, n, this.length);
    this.length += n;
    return n;
  }

  /** Rows in the order of a numeric column (settled orders arrive out of id order). */
  sortBy(column: string): void {
    const key = this.stores.find(([name]) => name === column)![1];
    const values = key.numbers!;
    const order = Array.from({ length: this.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
    for (const [, store] of this.stores) store.permute(order, this.length);
  }

  /** The whole table as CSV text with its header. */
  csv(): string {
    return csvHeader(this.schema) + this.csvRows(0, this.length);
  }

  /** The rows as a Polars frame typed as the file holds them. */
  frame(format: "csv" | "parquet"): pl.DataFrame {
    return pl.DataFrame(this.stores.map(([name, store]) => store.series(name, this.length, format)));
  }

  private csvRows(from: number, to: number): string {
    let text = "";
    for (let i = from; i < to; i++) {
      let line = "";
      for (let k = 0; k < this.stores.length; k++) {
        const store = this.stores[k]![1];
        if (k > 0) line += ",";
        line += csvCell(store.value(i), store.type);
      }
      text += `${line}\n`;
    }
    return text;
  }
}

/** A typed frame from plain columns (a per-stream table put whole: bars, indicators). */
export function framesOf(schema: Schema, columns: Record<string, ArrayLike<unknown>>, format: "csv" | "parquet"): pl.DataFrame {
  const table = new TableBuffer("frame", schema);
  table.push(Object.fromEntries(Object.keys(schema).map((name) => [name, (columns[name] ?? []) as Column])));
  return table.frame(format);
}

/** A text series from codes into `distinct` (code 0 is null): mostly distinct values go as they are, few are mapped by Polars. */
function textFromCodes(name: string, codes: Uint32Array, distinct: readonly (string | null)[]): pl.Series {
  if (distinct.length > codes.length / 4) return pl.Series(name, Array.from(codes, (c) => distinct[c]!), pl.Utf8);
  const olds = distinct.map((_, i) => i).slice(1);
  return pl
    .DataFrame([pl.Series(name, codes.slice())])
    .select(pl.col(name).replaceStrict(olds, distinct.slice(1) as string[], pl.lit(null).cast(pl.Utf8), pl.Utf8).alias(name))
    .getColumn(name);
}

function withNulls(series: pl.Series, nulls: Uint8Array | undefined, length: number): pl.Series {
  if (!nulls || !nulls.subarray(0, length).includes(1)) return series;
  const mask = pl.Series("mask", nulls.slice(0, length)).cast(pl.Bool);
  return pl
    .DataFrame([series, mask])
    .select(pl.when(pl.col("mask")).then(pl.lit(null)).otherwise(pl.col(series.name)).cast(series.dtype).alias(series.name))
    .getColumn(series.name);
}

function grown<T extends Float64Array | Uint8Array | Uint32Array>(values: T, size: number): T {
  const out = new (values.constructor as new (n: number) => T)(size);
  out.set(values);
  return out;
}
