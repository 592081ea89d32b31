/**
 * `status.json`: how far a run got. Written when the run directory opens, after every day, and
 * when the run ends; a run whose process died keeps `running` with the days it completed, which
 * is how a reader tells an incomplete run from a finished one.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../data/atomic.ts";
import { RUN_FILES } from "./run-files.ts";

/** Where a run is in its life. */
export type RunState = "running" | "complete" | "failed" | "stopped";

/** The contents of status.json. */
export interface RunStatus {
  state: RunState;
  /** When the run started (ISO 8601 UTC, wall time). */
  started: string;
  /** Trading days whose rows are all on disk. */
  days_complete: number;
  /** The last of them (YYYY-MM-DD), null before the first. */
  last_day: string | null;
  /** Why it failed or stopped. */
  error?: string;
}

/** Writes status.json atomically. */
export function writeStatus(dir: string, status: RunStatus): void {
  writeFileAtomic(join(dir, RUN_FILES.status), `${JSON.stringify(status, null, 2)}\n`);
}

/** Reads status.json; undefined for a directory without one (not a run, or made by an older sessionflow). */
export function readStatus(dir: string): RunStatus | undefined {
  const file = join(dir, RUN_FILES.status);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RunStatus) : undefined;
}
