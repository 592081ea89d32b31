/**
 * Input files as records: a header and rows of raw values with the line each came from.
 * CSV (RFC 4180 quoting), JSON (an array of objects) and Parquet are read into the same shape.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import pl from "nodejs-polars";
import { importError } from "../../errors.ts";

/** Raw rows of one input file. */
export interface Records {
  file: string;
  format: "csv" | "json" | "parquet";
  columns: string[];
  rows: unknown[][];
  /** The 1-based line (CSV), array index + 1 (JSON) or row number (Parquet) of each row. */
  lines: number[];
}

/** The formats `--format` accepts. */
export const INPUT_FORMATS = ["auto", "csv", "json", "parquet"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Reads a file in `format` (auto: by extension). */
export function readRecords(file: string, format: InputFormat = "auto"): Records {
  const resolved = format === "auto" ? formatOf(file) : format;
  if (resolved === "parquet") return readParquetRecords(file);
  const text = readFileSync(file, "utf8");
  return resolved === "json" ? readJsonRecords(file, text) : readCsvRecords(file, text);
}

function formatOf(file: string): "csv" | "json" | "parquet" {
  const ext = extname(file).toLowerCase();
  if (ext === ".parquet" || ext === ".pq") return "parquet";
  if (ext === ".json") return "json";
  if (ext === ".csv" || ext === ".txt" || ext === "") return "csv";
  throw importError(`${file}: cannot tell the format from "${ext}"; allowed: --format csv, json or parquet`);
}

/** Parses CSV text; blank lines are skipped, quoted fields may hold commas, quotes and newlines. */
export function readCsvRecords(file: string, text: string): Records {
  const rows: unknown[][] = [];
  const lines: number[] = [];
  let header: string[] | undefined;
  let field = "";
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    row.push(field);
    field = "";
    if (!(row.length === 1 && row[0]!.trim() === "")) {
      if (!header) header = row.map((name) => name.trim());
      else {
        rows.push(row);
        lines.push(rowLine);
      }
    }
    row = [];
  };
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (quoted) throw importError(`${file}:${rowLine}: a quoted field is never closed`);
  if (field !== "" || row.length > 0) endRow();
  if (!header) throw importError(`${file}: the file is empty (a header line and rows are needed)`);
  return { file, format: "csv", columns: header, rows, lines };
}

function readJsonRecords(file: string, text: string): Records {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw importError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data) || data.some((item) => typeof item !== "object" || item === null || Array.isArray(item))) {
    throw importError(`${file}: a JSON input must be an array of objects, one per bar or trade`);
  }
  const columns = [...new Set(data.flatMap((item) => Object.keys(item as object)))];
  const rows = data.map((item) => columns.map((name) => (item as Record<string, unknown>)[name]));
  return { file, format: "json", columns, rows, lines: rows.map((_, i) => i + 1) };
}

function readParquetRecords(file: string): Records {
  let frame: pl.DataFrame;
  try {
    frame = pl.readParquet(file);
  } catch (error) {
    throw importError(`${file}: not a readable Parquet file: ${(error as Error).message}`);
  }
  const columns = frame.columns;
  const series = columns.map((name) => {
    const s = frame.getColumn(name);
    return s.dtype.equals(pl.Int64) || s.dtype.equals(pl.UInt64) ? s.cast(pl.Float64).toArray() : s.toArray();
  });
  const rows = Array.from({ length: frame.height }, (_, i) => series.map((values) => values[i]));
  return { file, format: "parquet", columns, rows, lines: rows.map((_, i) => i + 1) };
}
