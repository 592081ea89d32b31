/**
 * Where the engine and its extensions hand the rows they produce. The run writer (run/) owns the
 * files, their names and schemas; producers only name a table and give columns, so nothing below
 * the run layer writes a file.
 */

/** One column of a chunk of rows: numbers (times are epoch ms), texts, flags; null is empty. */
export type Column = Float64Array | readonly (number | null)[] | readonly (string | null)[] | readonly boolean[];

/** A chunk of rows as named columns of equal length. */
export type Rows = Record<string, Column>;

/** The run's tables as the engine feeds them. */
export interface RunSink {
  /** Rows of a table that grows while the session runs; they are on disk by the day's end at the latest. */
  append(table: string, rows: Rows): void;
  /** A table known whole only when the session ends, one per key (bars/MSFT_1m ...). */
  put(table: string, key: string, rows: Rows): void;
  /** A trading day is over: what was appended must reach the disk now. */
  endDay(date: string): void;
  /** What was appended reaches the disk now (a rare event worth keeping at once: a control command). */
  flush?(): void;
}

/** A sink that keeps nothing (benchmarks, and runs that write no files). */
export const DISCARD: RunSink = { append() {}, put() {}, endDay() {} };
