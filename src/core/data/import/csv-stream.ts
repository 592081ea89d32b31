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
/** A row (or a quoted field's lines) longer than this is refused before it fills the memory. */
const MAX_LINE = 16 * 1024 * 1024;

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
  let line = 0;
  let batch: CsvBatch = { rows: [], lines: [] };
  let first = true;
  // The end of a chunk that is not a whole line yet; a quoted field's lines until its quote closes.
  let carry = "";
  let pending = "";
  let pendingLine = 0;
  const take = (text: string, at: number): void => {
    if (header) {
      header = false;
      return;
    }
    if (text.trim() === "") return;
    // Most lines have no quote: split them; the rest go through the quote-aware parser.
    const fields = text.includes('"') ? parseQuoted(text, delimiter) : text.split(delimiter);
    for (const field of fields) if (field.length > MAX_FIELD) throw importError(`${file}:${at}: a field is longer than ${MAX_FIELD / 1024} KB (it starts ${clip(field)}); is this a CSV of bars or trades?`);
    batch.rows.push(fields);
    batch.lines.push(at);
  };
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, position);
      position += n;
      let text = carry + decoder.decode(buffer.subarray(0, n), { stream: n > 0 });
      carry = "";
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      let pos = 0;
      for (;;) {
        const nl = text.indexOf("\n", pos);
        if (nl < 0) break;
        const raw = text.slice(pos, nl);
        pos = nl + 1;
        line++;
        if (pending !== "" || (raw.includes('"') && !quotesClosed(raw))) {
          // A quoted field holding a line break (kept as written, CR included): the row goes on on the next line.
          if (pending === "") pendingLine = line;
          pending = pending === "" ? raw : `${pending}\n${raw}`;
          if (pending.length > MAX_LINE) throw importError(`${file}:${pendingLine}: a quoted field is never closed (or is longer than ${MAX_LINE / 1024 ** 2} MB)`);
          if (!quotesClosed(pending)) continue;
          const row = pending.endsWith("\r") ? pending.slice(0, -1) : pending;
          pending = "";
          take(row, pendingLine);
        } else take(raw.endsWith("\r") ? raw.slice(0, -1) : raw, line);
        if (batch.rows.length >= options.batchRows) {
          yield batch;
          batch = { rows: [], lines: [] };
        }
      }
      carry = text.slice(pos);
      if (carry.length > MAX_LINE) throw importError(`${file}:${line + 1}: a line longer than ${MAX_LINE / 1024 ** 2} MB (it starts ${clip(carry)}); is this a CSV of bars or trades?`);
      if (n === 0) break;
    }
    if (carry !== "") {
      line++;
      if (pending !== "") {
        pending = `${pending}\n${carry}`;
        if (!quotesClosed(pending)) throw importError(`${file}:${pendingLine}: a quoted field is never closed`);
        take(pending, pendingLine);
      } else take(carry.endsWith("\r") ? carry.slice(0, -1) : carry, line);
    } else if (pending !== "") throw importError(`${file}:${pendingLine}: a quoted field is never closed`);
    if (header) throw importError(`${file}: the file is empty (a header line and rows are needed)`);
    if (batch.rows.length > 0) yield batch;
  } finally {
    closeSync(fd);
  }
}

/** A line's quotes are balanced (an even number of them). */
function quotesClosed(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

/** The fields of a row with quotes (RFC 4180: "" is a quote inside a quoted field). */
function parseQuoted(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += text.slice(start, i + 1);
          i++;
          start = i + 1;
        } else {
          field += text.slice(start, i);
          quoted = false;
          start = i + 1;
        }
      }
    } else if (ch === '"' && field === "" && start === i) {
      quoted = true;
      start = i + 1;
    } else if (ch === delimiter) {
      out.push(field + text.slice(start, i));
      field = "";
      start = i + 1;
    }
  }
  out.push(field + text.slice(start));
  return out;
}
