/**
 * Input files as records: a header and batches of rows of raw values, each with the line it came
 * from. CSV is streamed (csv-stream.ts) and Parquet read a slice at a time, so an import's memory
 * does not grow with the file; JSON (an array of objects) is read whole, up to MAX_JSON_BYTES.
 * `batches()` may be called again for a second pass over the file.
 */
import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import pl from "nodejs-polars";
import { importError } from "../../errors.ts";
import { csvBatches, csvHeader, DELIMITERS } from "./csv-stream.ts";

/** A batch of raw rows. */
export interface RecordBatch {
  rows: unknown[][];
  /** The 1-based line (CSV), array index + 1 (JSON) or row number (Parquet) of each row. */
  lines: number[];
}

/** An input file, opened. */
export interface Records {
  file: string;
  format: "csv" | "json" | "parquet";
  columns: string[];
  /** CSV: the delimiter used. */
  delimiter?: string;
  batches(): Iterable<RecordBatch>;
}

/** The formats `--format` accepts. */
export const INPUT_FORMATS = ["auto", "csv", "json", "parquet"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Rows per batch. */
export const BATCH_ROWS = 100_000;
/** JSON is parsed whole: larger inputs are refused (CSV and Parquet stream). */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** Opens a file in `format` (auto: by extension); CSV's delimiter is detected unless given. */
export function openRecords(file: string, format: InputFormat = "auto", options: { delimiter?: string } = {}): Records {
  const resolved = format === "auto" ? formatOf(file) : format;
  if (resolved === "parquet") return parquetRecords(file);
  if (resolved === "json") return jsonRecords(file);
  const { columns, delimiter } = csvHeader(file, options.delimiter);
  if (columns.length === 1 && columns[0] === "") throw importError(`${file}: the file is empty (a header line and rows are needed)`);
  return { file, format: "csv", columns: columns.map((c) => c.trim()), delimiter, batches: () => csvBatches(file, { delimiter, batchRows: BATCH_ROWS }) };
}

/** Every row of a (small) file at once: the indicator CLI's input. */
export function readAllRecords(file: string, format: InputFormat = "auto"): { columns: string[]; rows: unknown[][]; lines: number[] } {
  const records = openRecords(file, format);
  const rows: unknown[][] = [];
  const lines: number[] = [];
  for (const batch of records.batches()) {
    for (const row of batch.rows) rows.push(row);
    for (const line of batch.lines) lines.push(line);
  }
  return { columns: records.columns, rows, lines };
}

/** The name of a delimiter for messages. */
export function delimiterName(delimiter: string): string {
  return DELIMITERS[delimiter] ?? JSON.stringify(delimiter);
}

function formatOf(file: string): "csv" | "json" | "parquet" {
  const ext = extname(file).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  if (ext === ".json") return "json";
  if (ext === ".csv" || ext === ".txt" || ext === ".tsv" || ext === "") return "csv";
  throw importError(`${file}: cannot tell the format from "${ext}"; allowed: --format csv, json or parquet`);
}

function jsonRecords(file: string): Records {
  const bytes = statSync(file).size;
  if (bytes > MAX_JSON_BYTES) throw importError(`${file}: a JSON input is read whole and this one is ${(bytes / 1024 ** 2).toFixed(0)} MB (at most ${MAX_JSON_BYTES / 1024 ** 2} MB); convert it to CSV or Parquet, which are read a piece at a time`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw importError(`${file}: not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  if (!Array.isArray(data) || data.some((item) => typeof item !== "object" || item === null || Array.isArray(item))) {
    throw importError(`${file}: a JSON input must be an array of objects, one per bar or trade`);
  }
  const columns = [...new Set(data.flatMap((item) => Object.keys(item as object)))];
  const rows = data.map((item) => columns.map((name) => (item as Record<string, unknown>)[name]));
  return { file, format: "json", columns, batches: () => [{ rows, lines: rows.map((_, i) => i + 1) }] };
}

function parquetRecords(file: string): Records {
  let columns: string[];
  try {
    columns = pl.scanParquet(file).columns;
  } catch (error) {
    throw importError(`${file}: not a readable Parquet file: ${(error as Error).message.slice(0, 200)}`);
  }
  return {
    file,
    format: "parquet",
    columns,
    *batches() {
      for (let offset = 0; ; offset += BATCH_ROWS) {
        const frame = pl.scanParquet(file).slice(offset, BATCH_ROWS).collectSync();
        if (frame.height === 0) return;
        const series = columns.map((name) => {
          const s = frame.getColumn(name);
          return s.dtype.equals(pl.Int64) || s.dtype.equals(pl.UInt64) ? s.cast(pl.Float64).toArray() : s.toArray();
        });
        const rows = Array.from({ length: frame.height }, (_, i) => series.map((values) => values[i]));
        yield { rows, lines: rows.map((_, i) => offset + i + 1) };
        if (frame.height < BATCH_ROWS) return;
      }
    },
  };
}
