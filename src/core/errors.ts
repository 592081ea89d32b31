/**
 * Every error sessionflow raises comes from a factory in this file, so that each carries a
 * stable code, an exit code for the CLI and the context a user needs to act on it.
 */

/** Where a configuration value came from: a file position, or a `--set` override. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** One problem found in a session file, with the YAML path and where it was written. */
export interface ConfigIssue {
  /** The YAML path of the offending value, e.g. `session_data_config.streams[2]`. */
  path: string;
  message: string;
  location?: SourceLocation;
}

/** The stable error codes; tests and scripts may rely on them. */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "FILE_NOT_FOUND"
  | "CALENDAR"
  | "DATA"
  | "IMPORT"
  | "ENGINE"
  | "PLUGIN"
  | "REPORT"
  | "USAGE"
  | "API"
  | "LIVE"
  | "INTERNAL";

/** The base class: a message meant for a person, a code, and the process exit code. */
export class SessionflowError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SessionflowError";
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A session that does not validate: every issue at once; the CLI exits with 2. */
export class ConfigError extends SessionflowError {
  readonly issues: ConfigIssue[];
  readonly file: string;
  constructor(file: string, issues: ConfigIssue[]) {
    super("CONFIG_INVALID", formatConfigIssues(file, issues), 2);
    this.name = "ConfigError";
    this.file = file;
    this.issues = issues;
  }
}

/** Renders issues the way valibot's summarize does: `× message` then `→ at place`. */
export function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  const count = issues.length === 1 ? "1 error" : `${issues.length} errors`;
  const lines = [`${file}: ${count}; nothing was run`];
  for (const issue of issues) {
    const where = issue.location ? formatLocation(issue.location) : file;
    const path = issue.path === "" ? "(document)" : issue.path;
    lines.push(`× ${path}: ${issue.message}`, `  → at ${where}`);
  }
  return lines.join("\n");
}

/** `file:line:col`, the form editors and terminals turn into links (line 0: not a file, e.g. `--set`). */
export function formatLocation(location: SourceLocation): string {
  return location.line > 0 ? `${location.file}:${location.line}:${location.col}` : location.file;
}

/** Builds a ConfigError from issues (the caller has already located them). */
export function configError(file: string, issues: ConfigIssue[]): ConfigError {
  return new ConfigError(file, issues);
}

/** A file the user named does not exist or cannot be read. */
export function fileNotFound(what: string, path: string): SessionflowError {
  return new SessionflowError("FILE_NOT_FOUND", `${what} not found: ${path}`, 2);
}

/** Bad command-line usage (a missing flag, a bad flag value). */
export function usageError(message: string): SessionflowError {
  return new SessionflowError("USAGE", message, 2);
}

/** A calendar question that has no answer (unknown market, no trading day in a window ...). */
export function calendarError(message: string): SessionflowError {
  return new SessionflowError("CALENDAR", message, 2);
}

/** A problem with stored data (missing files, a corrupt file, an interval the store cannot answer). */
export function dataError(message: string, options?: { cause?: unknown }): SessionflowError {
  return new SessionflowError("DATA", message, 1, options);
}

/** An import refused: the input file must change (bad rows, missing columns, a format it is not). */
export function importError(message: string): SessionflowError {
  return new SessionflowError("IMPORT", message, 2);
}

/** A report cannot be built (missing run files, no browser for a screenshot ...). */
export function reportError(message: string): SessionflowError {
  return new SessionflowError("REPORT", message, 1);
}

/** The engine refused to go on (an illegal state transition, a clock moved backwards ...). */
export function engineError(message: string): SessionflowError {
  return new SessionflowError("ENGINE", message, 1);
}

/** A live connection failed: `userMustFix` (credentials, plan, configuration) exits with 2, a failure of the service with 1. */
export function liveError(message: string, userMustFix = false): SessionflowError {
  return new SessionflowError("LIVE", message, userMustFix ? 2 : 1);
}

/** A plugin asked the engine for something that does not exist (a stream, an indicator key, a symbol); the hook that asked is reported with it. */
export function apiError(message: string): SessionflowError {
  return new SessionflowError("API", message, 1);
}

/** A broken promise inside sessionflow itself (a bug, not the user's doing): the message says which. */
export function internalError(message: string): SessionflowError {
  return new SessionflowError("INTERNAL", `internal error: ${message}`, 1);
}

/** Context of a plugin failure: which plugin, which hook, and where in the stream. */
export interface PluginErrorContext {
  plugin: string;
  file?: string;
  hook?: string;
  symbol?: string;
  /** The bar's start instant, epoch ms UTC. */
  barTime?: number;
}

/** A plugin file that cannot be used as it is (it must change): it does not type-check or load. Exit code 2. */
export function pluginFileError(file: string, message: string, cause?: unknown): SessionflowError {
  return new SessionflowError("PLUGIN", `plugin file ${file}: ${message}`, 2, { cause });
}

/** A plugin failed to validate or run; the host adds the plugin name and hook. */
export function pluginError(context: PluginErrorContext, message: string, cause?: unknown): SessionflowError {
  const parts = [`plugin ${context.plugin}`];
  if (context.file) parts.push(`(${context.file})`);
  if (context.hook) parts.push(`hook ${context.hook}`);
  if (context.symbol) parts.push(`symbol ${context.symbol}`);
  if (context.barTime !== undefined) parts.push(`bar ${new Date(context.barTime).toISOString()}`);
  return new SessionflowError("PLUGIN", `${parts.join(" ")}: ${message}`, 1, { cause });
}

/** Runs a plugin's code; what it throws comes back as a plugin error naming the plugin, the hook and where. */
export function guarded<T>(context: PluginErrorContext, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw pluginError(context, (error as Error)?.message ?? String(error), error);
  }
}

/** Like guarded, for a plugin's async code. */
export async function guardedAsync<T>(context: PluginErrorContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw pluginError(context, (error as Error)?.message ?? String(error), error);
  }
}
