/**
 * Atomic writes: every file sessionflow writes is written next to its destination under a
 * temporary name and renamed into place, so a crash leaves the old file or the new one, never half.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type pl from "nodejs-polars";

let sequence = 0;

/** The temporary name used while `path` is being written (matched by TEMP_FILE). */
export function tempPathFor(path: string): string {
  sequence += 1;
  return `${path}.tmp-${process.pid}-${sequence}`;
}

/** Leftovers of an interrupted write. */
export const TEMP_FILE = /\.tmp-\d+-\d+$/;

/** Runs `write(tmp)` and renames tmp to `path`; the temp file is removed if writing fails. */
export function atomically(path: string, write: (tmp: string) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    write(tmp);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Writes text or bytes atomically. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  atomically(path, (tmp) => writeFileSync(tmp, data));
}

/** Writes a frame as zstd-compressed Parquet, atomically. */
export function writeParquetAtomic(path: string, frame: pl.DataFrame): void {
  atomically(path, (tmp) => frame.writeParquet(tmp, { compression: "zstd" }));
}
