/**
 * CSV read in bounded pieces: the file is read a few megabytes at a time and parsed (RFC 4180
 * quoting: quoted fields may hold delimiters, quotes and newlines) into batches of rows, so memory
 * does not grow with the file. The delimiter is the header line's most frequent of , ; tab |
 * unless given. A field longer than MAX_FIELD is refused: no column of a bar or a trade is that long.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { importError } from "../../errors.ts";
import { clip } from "./clip.ts";

/** One batch of rows with the line each started on. */
export interface CsvBatch {
  rows: string[][];
  lines: number[];
}

/** The delimiters detected, and the names `--delimiter` takes. */
export const DELIMITERS: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };

/** Reads `file`'s header line and works out its delimiter (when not given) - without reading the rest. */
export function csvHeader(file: string, delimiter?: string): { columns: string[]; delimiter: string } {
  const first = firstLine(file);
  const chosen = delimiter ?? detectDelimiter(first);
  const columns = splitLine(first, chosen);
  return { columns, delimiter: chosen };
}

const CHUNK = 4 * 1024 * 1024;
const MAX_FIELD = 64 * 1024;

/** The first line of a file (up to 1 MB). */
function firstLine(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    let text = buffer.subarray(0, n).toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

function detectDelimiter(header: string): string {
  let best = ",";
  let bestCount = 0;
  for (const candidate of Object.keys(DELIMITERS)) {
    const count = header.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) out.push(field.trim()), (field = "");
    else field += ch;
  }
  out.push(field.trim());
  return out;
}

/** The rows after the header, in batches of at most `batchRows`; blank lines are skipped. */
export function* csvBatches(file: string, options: { delimiter: string; batchRows: number }): Generator<CsvBatch> {
  const fd = openSync(file, "r");
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const buffer = Buffer.alloc(CHUNK);
  const delimiter = options.delimiter;
  let position = 0;
  let header = true;
  let field = "";
  let row: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let batch: CsvBatch = { rows: [], lines: [] };
  let first = true;
  // A quote or a CR at a chunk's end is decided by the next chunk's first character: carried over.
  let carry = "";
  const endRow = (): void => {
    row.push(field);
    field = "";
    const blank = row.length === 1 && row[0]!.trim() === "";
    const done = row;
    row = [];
    if (blank) return;
    if (header) {
      header = false;
      return;
    }
    batch.rows.push(done);
    batch.lines.push(rowLine);
  };
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, position);
      position += n;
      let text = carry + decoder.decode(buffer.subarray(0, n), { stream: n > 0 });
      carry = "";
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (n > 0 && (text.endsWith('"') || text.endsWith("\r"))) {
        carry = text.slice(-1);
        text = text.slice(0, -1);
      }
      for (let i = 0; i < text.length; i++) {
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
        } else if (ch === '"' && field === "") quoted = true;
        else if (ch === delimiter) {
          row.push(field);
          field = "";
        } else if (ch === "\n" || ch === "\r") {
          if (ch === "\r" && text[i + 1] === "\n") i++;
          endRow();
          line++;
          rowLine = line;
          if (batch.rows.length >= options.batchRows) {
            yield batch;
            batch = { rows: [], lines: [] };
          }
        } else field += ch;
        if (field.length > MAX_FIELD) throw importError(`${file}:${rowLine}: a field is longer than ${MAX_FIELD / 1024} KB (it starts ${clip(field)}); is this a CSV of bars or trades?`);
      }
      if (n === 0) break;
    }
    if (quoted) throw importError(`${file}:${rowLine}: a quoted field is never closed`);
    if (field !== "" || row.length > 0) endRow();
    if (header) throw importError(`${file}: the file is empty (a header line and rows are needed)`);
    if (batch.rows.length > 0) yield batch;
  } finally {
    closeSync(fd);
  }
}
