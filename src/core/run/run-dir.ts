/**
 * The run directory: built under `<dir>.incomplete` while the session runs and renamed into place
 * when it ends, so a finished-looking run directory is always a finished run. An existing,
 * non-empty directory is never written into.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SessionflowError } from "../errors.ts";
import { pad2, civilFromDay, DAY_MS } from "../time/dates.ts";

/** A run directory being written. */
export interface RunDir {
  /** Where it will be once finished. */
  final: string;
  /** Where files are written until then. */
  work: string;
  /** Renames the work folder into place. */
  finish(): void;
  /** Leaves the work folder as `<final>.failed` (its log explains why). */
  fail(): string;
}

/** `runs/<session>/<YYYYMMDD-HHMMSS>` for a run started at `nowMs` (a suffix keeps it unique). */
export function defaultRunDir(reportDir: string, sessionName: string, nowMs: number): string {
  const day = Math.floor(nowMs / DAY_MS);
  const { year, month, day: dom } = civilFromDay(day);
  const seconds = Math.floor((nowMs - day * DAY_MS) / 1000);
  const stamp = `${year}${pad2(month)}${pad2(dom)}-${pad2(Math.floor(seconds / 3600))}${pad2(Math.floor((seconds % 3600) / 60))}${pad2(seconds % 60)}`;
  const base = join(reportDir, sessionName.replace(/[^A-Za-z0-9._-]+/g, "_"), stamp);
  let candidate = base;
  for (let n = 2; existsSync(candidate) || existsSync(`${candidate}.incomplete`); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** Prepares `final` for writing; refuses a directory that already holds files. */
export function openRunDir(final: string): RunDir {
  if (existsSync(final) && readdirSync(final).length > 0) {
    throw new SessionflowError("USAGE", `the run directory ${final} already exists and is not empty; choose another --out (nothing was written)`, 2);
  }
  const work = `${final}.incomplete`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  return {
    final,
    work,
    finish() {
      if (existsSync(final)) rmSync(final, { recursive: true, force: true }); // an empty folder the user made
      renameSync(work, final);
    },
    fail() {
      const failed = `${final}.failed`;
      rmSync(failed, { recursive: true, force: true });
      renameSync(work, failed);
      return failed;
    },
  };
}
