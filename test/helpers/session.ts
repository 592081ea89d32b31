/** Runs a session in-process with a temp run directory and a fixed wall clock. */
import { readFileSync } from "node:fs";
import type { Session } from "../../src/core/config/load-session.ts";
import type { EngineExtension } from "../../src/core/engine/extension.ts";
import { runSession, type RunOptions, type RunOutcome } from "../../src/core/kernel/run-session.ts";
import type { Clock } from "../../src/core/time/clock.ts";
import { ROOT } from "./cli.ts";
import { tempDir } from "./tmp.ts";

/** A wall clock that advances 1 ms per read (deterministic timings in tests). */
export function fakeWall(start = Date.parse("2026-01-01T00:00:00Z")): Clock {
  let now = start;
  return { kind: "live", now: () => (now += 1) };
}

/** Runs `file` (relative to the repo root) with overrides; the run directory is removed afterwards unless kept. */
export async function runTestSession(
  file: string,
  overrides: string[] = [],
  options: { extensions?: (session: Session) => EngineExtension[]; keep?: string; wall?: Clock; run?: Partial<RunOptions> } = {},
): Promise<RunOutcome & { lines: string[]; log: string[] }> {
  const dir = tempDir("run");
  const lines: string[] = [];
  try {
    const outcome = await runSession({
      file: `${ROOT}/${file}`,
      overrides: [`data.root=${ROOT}/data`, ...overrides],
      out: options.keep ?? `${dir.path}/run`,
      console: (line) => lines.push(line),
      wall: options.wall ?? fakeWall(),
      extensions: options.extensions,
      ...options.run,
    });
    // The whole session.log, read before the temporary run directory goes.
    const log = readFileSync(`${outcome.runDir}/session.log`, "utf8").trimEnd().split("\n");
    return { ...outcome, lines, log };
  } finally {
    if (!options.keep) dir[Symbol.dispose]();
  }
}
