/**
 * The session log: every `[SESSION_FLOW]` step line (with the original system's numbering) goes
 * to the run's log file; the console shows the steps at or above its level.
 *
 * A year of 100 symbols logs about 55 thousand lines. Lines are buffered and written through one
 * open descriptor (an append per line cost a second on such a run), and once a file holds them
 * they are not kept in memory, so the log costs the same on day 250 as on day 1.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Console detail, from the least to the most. */
export type LogLevel = "error" | "warn" | "info" | "debug";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Bytes buffered before a write to the file. */
const FLUSH_AT = 64 * 1024;

/** Where log lines go. */
export interface Logger {
  /** A `[SESSION_FLOW] <step>: <message>` line; `level` decides whether the console shows it. */
  flow(step: string, message: string, level?: LogLevel): void;
  /** A plain line at a level (warnings, errors, notes). */
  log(level: LogLevel, message: string): void;
  /** Starts writing to a file; the lines logged before are written to it first. */
  attachFile(path: string): void;
  /** Writes the buffered lines to the file now (they are written in blocks otherwise). */
  flush(): void;
  /** Writes the buffered lines to the file and closes it (lines logged afterwards are kept in memory). */
  close(): void;
  /** The lines logged while no file was attached (all of them for a logger that never gets one). */
  readonly lines: readonly string[];
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** @default "info" */
  level?: LogLevel;
  /** Where console lines go. @default process.stderr */
  console?: (line: string) => void;
}

/** A logger that keeps lines until a file is attached, then writes them there. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = RANK[options.level ?? "info"];
  const write = options.console ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lines: string[] = [];
  let fd: number | undefined;
  let pending = "";
  const flush = () => {
    if (fd !== undefined && pending.length > 0) writeSync(fd, pending);
    pending = "";
  };
  const emit = (lineLevel: LogLevel, line: string) => {
    if (fd === undefined) lines.push(line);
    else {
      pending += `${line}\n`;
      if (pending.length >= FLUSH_AT) flush();
    }
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
      fd = openSync(path, "a");
      pending = lines.length > 0 ? `${lines.join("\n")}\n` : "";
      lines.length = 0;
      flush();
    },
    flush,
    close() {
      if (fd === undefined) return;
      flush();
      closeSync(fd);
      fd = undefined;
    },
    lines,
  };
}

/** A logger that keeps lines and prints nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return createLogger({ level: "error", console: () => {} });
}
