/** The default name of a run directory: `<report.dir>/<session>/<timestamp>`. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pad2, civilFromDay, DAY_MS } from "../time/dates.ts";

/** `runs/<session>/<YYYYMMDD-HHMMSS>` for a run started at `nowMs` (a suffix keeps it unique). */
export function defaultRunDir(reportDir: string, sessionName: string, nowMs: number): string {
  const day = Math.floor(nowMs / DAY_MS);
  const { year, month, day: dom } = civilFromDay(day);
  const seconds = Math.floor((nowMs - day * DAY_MS) / 1000);
  const stamp = `${year}${pad2(month)}${pad2(dom)}-${pad2(Math.floor(seconds / 3600))}${pad2(Math.floor((seconds % 3600) / 60))}${pad2(seconds % 60)}`;
  const base = join(reportDir, sessionName.replace(/[^A-Za-z0-9._-]+/g, "_"), stamp);
  let candidate = base;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}
