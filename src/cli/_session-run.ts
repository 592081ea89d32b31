/**
 * The main job of `bun run session <file>`: validate, then replay. The replay engine is not part
 * of this build yet, so the command validates and says so instead of pretending to run.
 */
import { loadSession } from "../core/config/load-session.ts";

/** Options of the run command. */
export interface RunCommandOptions {
  file: string;
  json: boolean;
  out?: string;
  logLevel: "error" | "warn" | "info" | "debug";
  overrides: string[];
}

/** Validates the session; the replay arrives with the engine. */
export async function runSessionCommand(options: RunCommandOptions): Promise<void> {
  const { session, file } = loadSession(options.file, { overrides: options.overrides });
  process.stdout.write(`${file}: valid (session "${session.session_name}"). The replay engine is not in this build yet; nothing was run.\n`);
}
