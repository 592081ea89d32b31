/**
 * A sweep's results: one row a variant (per fold, in a walk-forward) - its number, id, every axis
 * value, every performance metric, whether it passed `keep`, its status and error. Each result
 * is appended to a journal (`.results.jsonl`) the moment it arrives and `results.parquet` is
 * rewritten from it at most once a second and at the end, atomically - so an interrupted sweep
 * keeps what finished and `--resume` knows what did. Rows are ordered by fold and variant, never
 * by arrival: the file is byte-identical whatever the number of workers.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { writeParquetAtomic } from "../data/atomic.ts";
import { PERFORMANCE_FIELDS, type Performance } from "../run/metrics.ts";
import type { SweepAxis } from "./spec.ts";

/** One variant's outcome. */
export interface VariantResult {
  /** The walk-forward fold (1-based), null in a plain sweep. */
  fold: number | null;
  variant: number;
  id: string;
  values: Record<string, unknown>;
  status: "ok" | "failed";
  error: string | null;
  performance: Performance | null;
  /** Passed `keep` (true when there is none); null when it failed. */
  keep: boolean | null;
}

export const RESULTS_FILE = "results.parquet";
const JOURNAL = ".results.jsonl";

/** The results of one sweep directory. */
export class ResultsTable {
  readonly rows: VariantResult[] = [];
  private lastWrite = 0;

  constructor(
    private readonly dir: string,
    private readonly axes: readonly SweepAxis[],
    private readonly folds: boolean,
  ) {}

  /** The results an earlier run of the sweep in `dir` journaled (for --resume). */
  static journaled(dir: string): VariantResult[] {
    const file = join(dir, JOURNAL);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as VariantResult];
        } catch {
          return []; // a line cut by a crash
        }
      });
  }

  /** Adds a result: journaled at once, the Parquet file refreshed when a second has passed. */
  add(result: VariantResult, nowMs: number, journal = true): void {
    this.rows.push(result);
    if (journal) appendFileSync(join(this.dir, JOURNAL), `${JSON.stringify(result)}\n`);
    if (nowMs - this.lastWrite >= 1000) this.write(nowMs);
  }

  /** Writes results.parquet from every result so far. */
  write(nowMs = 0): void {
    this.lastWrite = nowMs;
    writeParquetAtomic(join(this.dir, RESULTS_FILE), this.frame());
  }

  /** The results as a frame, in fold and variant order. */
  frame(): pl.DataFrame {
    const rows = [...this.rows].sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0) || a.variant - b.variant);
    const columns: pl.Series[] = [];
    if (this.folds) columns.push(pl.Series("fold", rows.map((r) => r.fold), pl.Int32));
    columns.push(pl.Series("variant", rows.map((r) => r.variant), pl.Int32), pl.Series("id", rows.map((r) => r.id), pl.Utf8));
    for (const axis of this.axes) columns.push(axisColumn(axis, rows.map((r) => r.values[axis.name])));
    for (const [name, kind] of Object.entries(PERFORMANCE_FIELDS)) {
      const values = rows.map((r) => (r.performance ? (r.performance[name as keyof Performance] ?? null) : null));
      columns.push(pl.Series(name, values as never[], kind === "number" ? pl.Float64 : pl.Utf8));
    }
    columns.push(pl.Series("keep", rows.map((r) => r.keep), pl.Bool), pl.Series("status", rows.map((r) => r.status), pl.Utf8), pl.Series("error", rows.map((r) => r.error), pl.Utf8));
    return pl.DataFrame(columns);
  }
}

/** An axis' column: numbers, flags, or text (other values as JSON). */
function axisColumn(axis: SweepAxis, values: unknown[]): pl.Series {
  if (axis.values.every((v) => typeof v === "number")) return pl.Series(axis.name, values as number[], pl.Float64);
  if (axis.values.every((v) => typeof v === "boolean")) return pl.Series(axis.name, values as boolean[], pl.Bool);
  return pl.Series(axis.name, values.map((v) => (v === undefined || v === null ? null : typeof v === "string" ? v : JSON.stringify(v))), pl.Utf8);
}
