/** Spawns the real CLI the way a user does (`bun run <script> ...`) and captures everything. */
import { resolve } from "node:path";

/** The repository root. */
export const ROOT = resolve(import.meta.dir, "../..");
/** The shared references and data beside the repository. */
export const SHARED = resolve(ROOT, "../shared");

/** What a CLI run produced. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `bun run <script> <args>` in `cwd` (default: the repository root). */
export function runScript(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = Bun.spawnSync(["bun", "run", "--silent", script, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
