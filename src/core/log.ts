/**
 * The session log: every `[SESSION_FLOW]` step line (with the original system's numbering) goes
 * to the run's log file; the console shows the steps at or above its level.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** Console detail, from the least to the most. */
export type LogLevel = "error" | "warn" | "info" | "debug";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Where log lines go. */
export interface Logger {
  /** A `[SESSION_FLOW] <step>: <message>` line; `level` decides whether the console shows it. */
  flow(step: string, message: string, level?: LogLevel): void;
  /** A plain line at a level (warnings, errors, notes). */
  log(level: LogLevel, message: string): void;
  /** Starts writing to a file; the lines logged before are written to it first. */
  attachFile(path: string): void;
  /** Lines written so far (the whole log, for tests and the summary). */
  readonly lines: readonly string[];
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** Where console lines go. @default process.stderr */
  console?: (line: string) => void;
}

/** A logger that buffers until a file is attached, then appends to it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = RANK[options.level ?? "info"];
  const write = options.console ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lines: string[] = [];
  let file: string | undefined;
  const emit = (lineLevel: LogLevel, line: string) => {
    lines.push(line);
    if (file) appendFileSync(file, `${line}\n`);
    if (RANK[lineLevel] <= level) write(line);
  };
  return {
    flow(step, message, lineLevel = "debug") {
      emit(lineLevel, `[SESSION_FLOW] ${step}: ${message}`);
    },
    log(lineLevel, message) {
      emit(lineLevel, lineLevel === "info" ? message : `${lineLevel.toUpperCase()}: ${message}`);
    },
    attachFile(path) {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
      file = path;
    },
    lines,
  };
}

/** A logger that keeps lines and prints nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return createLogger({ level: "error", console: () => {} });
}
