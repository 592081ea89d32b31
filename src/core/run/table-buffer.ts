/**
 * A run table in memory: the rows handed over so far, column by column, and the two forms they
 * leave in: CSV text (JS number formatting, times as ISO 8601 UTC, RFC 4180 quoting) and a Polars
 * frame typed by the schema (no text round trip). A CSV of this text parsed with `frameSchema`
 * gives the same frame, which is how a finished run and its files agree.
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

/** A table's rows so far. */
export class TableBuffer {
  readonly columns: Record<string, unknown[]>;
  length = 0;

  constructor(readonly name: string, readonly schema: Schema) {
    this.columns = Object.fromEntries(Object.keys(schema).map((k) => [k, []]));
  }

  /** Adds a chunk; returns its CSV text (without header). */
  add(rows: Rows): string {
    const n = this.push(rows);
    return csvRows(this.schema, this.columns, this.length - n, this.length);
  }

  /** Adds a chunk (no text: a run kept in memory); returns its row count. */
  push(rows: Rows): number {
    const n = chunkLength(this.name, this.schema, rows);
    const names = Object.keys(this.schema);
    for (const name of names) {
      const target = this.columns[name]!;
      const source = rows[name] as Column;
      for (let i = 0; i < n; i++) target.push(source[i] ?? null);
    }
    this.length += n;
    return n;
  }

  /** Rows in the order of a numeric column (settled orders arrive out of id order). */
  sortBy(column: string): void {
    const key = this.columns[column]! as number[];
    const order = Array.from(key, (_, i) => i).sort((a, b) => key[a]! - key[b]!);
    for (const name of Object.keys(this.columns)) {
      const values = this.columns[name]!;
      this.columns[name] = order.map((i) => values[i]);
    }
  }

  /** The whole table as CSV text with its header. */
  csv(): string {
    return csvHeader(this.schema) + csvRows(this.schema, this.columns, 0, this.length);
  }

  /** The rows as a Polars frame typed as the file holds them. */
  frame(format: "csv" | "parquet"): pl.DataFrame {
    return framesOf(this.schema, this.columns, format);
  }
}

/** A typed frame from plain columns. */
export function framesOf(schema: Schema, columns: Record<string, ArrayLike<unknown>>, format: "csv" | "parquet"): pl.DataFrame {
  return pl.DataFrame(
    Object.entries(schema).map(([name, type]) => {
      const values = Array.from(columns[name] ?? [], (v) => (type === "time" && format === "csv" && typeof v === "number" ? isoUtc(v) : v ?? null));
      return pl.Series(name, values as never[], columnDtype(type, format));
    }),
  );
}

function csvRows(schema: Schema, columns: Record<string, unknown[]>, from: number, to: number): string {
  const entries = Object.entries(schema);
  let text = "";
  for (let i = from; i < to; i++) {
    let line = "";
    for (let k = 0; k < entries.length; k++) {
      const [name, type] = entries[k]!;
      if (k > 0) line += ",";
      line += csvCell(columns[name]![i], type);
    }
    text += `${line}\n`;
  }
  return text;
}
