/**
 * The one entry point to the session language: file -> resolved, validated Session, or a
 * ConfigError listing every problem with its file, line, column and YAML path.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { configError, type ConfigIssue } from "../errors.ts";
import { markets } from "../time/markets.ts";
import { checkSchema } from "../yaml/check-schema.ts";
import { BUILTIN_PLUGIN_DIRS, discoverPlugins, OWN_SOURCES, type PluginRegistry } from "../plugins/discover.ts";
import { typecheckPlugins } from "../plugins/typecheck.ts";
import { pluginIssues } from "./check-plugins.ts";
import { upgradeLegacy } from "./legacy.ts";
import { getAt, type Located } from "../yaml/located.ts";
import { displayPath, resolveSession, type ResolveOptions } from "./resolve.ts";
import { sessionSchema, type SessionInput } from "./schema.ts";
import { indicatorKey, semanticIssues } from "./semantic.ts";

/** A configured indicator with its resolved key. */
export type IndicatorConfig = SessionInput["session_data_config"]["indicators"]["session"][number] & { key: string };
/** A configured historical indicator with its resolved key. */
export type HistoricalIndicatorConfig = SessionInput["session_data_config"]["indicators"]["historical"][number] & { key: string };

/** A fully resolved session: defaults, extends and overrides applied, every value checked. */
export type Session = Omit<SessionInput, "session_name" | "broker" | "session_data_config" | "api_config"> & {
  api_config: Omit<SessionInput["api_config"], "alpaca"> & { alpaca: SessionInput["api_config"]["alpaca"] & { stream_url: string } };
  session_name: string;
  session_data_config: Omit<SessionInput["session_data_config"], "indicators"> & {
    indicators: { session: IndicatorConfig[]; historical: HistoricalIndicatorConfig[] };
  };
  broker: Omit<SessionInput["broker"], "initial_cash"> & { initial_cash: number };
};

/** A validated session together with where it came from (for plugin checks and error positions). */
export interface LoadedSession {
  session: Session;
  located: Located;
  /** The file as given, for messages. */
  file: string;
  /** Every file read, the session first and then its bases. */
  files: string[];
}

/** Options of loadSession. */
export type LoadOptions = ResolveOptions;

/** Validates the session file (without its plugins); throws ConfigError (exit code 2) with all issues found. */
export function loadSession(file: string, options: LoadOptions = {}): LoadedSession {
  const display = displayPath(file);
  const resolved = resolveSession(file, options);
  if (!resolved.ok) throw configError(display, resolved.issues);
  return validate(file, resolved.located, resolved.files);
}

/** A validated session and the plugins it was checked against. */
export interface LoadedSessionWithPlugins extends LoadedSession {
  registry: PluginRegistry;
}

/**
 * Validates the session file and the plugins it names (discovered from its `plugins.dirs`): all
 * errors at once, the plugins' own params schemas included.
 */
export async function loadSessionWithPlugins(file: string, options: LoadOptions = {}): Promise<LoadedSessionWithPlugins> {
  const display = displayPath(file);
  const resolved = resolveSession(file, options);
  if (!resolved.ok) throw configError(display, resolved.issues);
  const dirs = pluginDirs(resolved.located);
  if (dirs.issues.length > 0) throw configError(display, dirs.issues);
  const typecheck = getAt(resolved.located.value, ["plugins", "typecheck"]) !== false;
  const registry = await discoverPlugins([...BUILTIN_PLUGIN_DIRS, ...dirs.paths]);
  const loaded = { ...validate(file, resolved.located, resolved.files, registry), registry };
  // Only the files of the plugins this session names are type-checked (sessionflow's own are by its CI).
  if (typecheck) typecheckPlugins(usedPluginFiles(loaded.session, registry).filter((f) => !f.startsWith(OWN_SOURCES) && f.endsWith(".ts")));
  loaded.session.plugins = { ...loaded.session.plugins, dirs: dirs.paths };
  return loaded;
}

/**
 * The session's own plugin folders, absolute: a relative path is resolved against the folder of
 * the file that wrote it (like `extends`), or the working directory for `--set`. A folder that
 * does not exist is an error at its line.
 */
export function pluginDirs(located: Located): { paths: string[]; issues: ConfigIssue[] } {
  const dirs = getAt(located.value, ["plugins", "dirs"]);
  const paths: string[] = [];
  const issues: ConfigIssue[] = [];
  if (!Array.isArray(dirs)) return { paths, issues };
  dirs.forEach((dir, i) => {
    if (typeof dir !== "string") return;
    const location = located.locations.get(`plugins.dirs[${i}]`) ?? located.locations.get("plugins.dirs");
    const base = location && location.line > 0 ? dirname(resolve(location.file)) : process.cwd();
    const path = resolve(base, dir);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      issues.push({ path: `plugins.dirs[${i}]`, message: `the folder ${JSON.stringify(dir)} does not exist (looked for ${path}; a relative path is read from ${location && location.line > 0 ? "the session file's folder" : "the working directory"})`, location });
      return;
    }
    if (!paths.includes(path) && !BUILTIN_PLUGIN_DIRS.includes(path)) paths.push(path);
  });
  return { paths, issues };
}

/** The files of the plugins a session names. */
function usedPluginFiles(session: Session, registry: PluginRegistry): string[] {
  const indicators = [...session.session_data_config.indicators.session, ...session.session_data_config.indicators.historical].map((i) => i.name);
  return [...new Set([
    ...registry.filesOf("strategy", session.strategies.filter((s) => s.enabled).map((s) => s.name)),
    ...registry.filesOf("scanner", session.scanners.filter((s) => s.enabled).map((s) => s.name)),
    ...registry.filesOf("indicator", indicators),
  ])];
}

function validate(file: string, located: Located, files: string[], registry?: PluginRegistry): LoadedSession {
  const display = displayPath(file);
  const issues: ConfigIssue[] = [];
  defaultAssetClass(located);
  // The original system's own forms (module paths, the historical indicator map) become ours first.
  issues.push(...upgradeLegacy(located));
  const checked = checkSchema(sessionSchema, located);
  if (!checked.ok) issues.push(...checked.issues);
  issues.push(...semanticIssues(located));
  if (checked.ok) issues.push(...marketIssues(checked.output, located));
  if (registry) issues.push(...pluginIssues(located, registry));
  if (issues.length > 0 || !checked.ok) throw configError(display, dedupe(issues));
  return { session: complete(checked.output, file), located, file: display, files };
}

/** Without an asset_class, a group with one market (CRYPTO) takes that market's; EQUITY otherwise. */
function defaultAssetClass(located: Located): void {
  const doc = located.value as Record<string, unknown>;
  if (doc.asset_class !== undefined || typeof doc.exchange_group !== "string") return;
  const classes = markets().filter((m) => m.exchange_group === doc.exchange_group).map((m) => m.asset_class);
  if (classes.length === 1) doc.asset_class = classes[0];
}

function marketIssues(input: SessionInput, located: Located): ConfigIssue[] {
  const known = markets();
  if (known.some((m) => m.exchange_group === input.exchange_group && m.asset_class === input.asset_class)) return [];
  const pairs = known.map((m) => `${m.exchange_group}/${m.asset_class}`).join(", ");
  const path = located.locations.has("exchange_group") ? "exchange_group" : "asset_class";
  return [{
    path,
    message: `${input.exchange_group}/${input.asset_class} is not a known market; allowed (exchange_group/asset_class): ${pairs} (add one in src/core/time/markets.yaml)`,
    location: located.locations.get(path) ?? located.locations.get(""),
  }];
}

function complete(input: SessionInput, file: string): Session {
  const { indicators } = input.session_data_config;
  return {
    ...input,
    session_name: input.session_name ?? basename(file, extname(file)),
    session_data_config: {
      ...input.session_data_config,
      indicators: {
        session: indicators.session.map((entry) => ({ ...entry, key: indicatorKey(entry) })),
        historical: indicators.historical.map((entry) => ({ ...entry, key: indicatorKey(entry) })),
      },
    },
    broker: { ...input.broker, initial_cash: input.broker.initial_cash ?? input.trading_config.max_buying_power },
    api_config: {
      ...input.api_config,
      // The stream's URL names the feed: by default, Alpaca's stream of the configured one.
      alpaca: { ...input.api_config.alpaca, stream_url: input.api_config.alpaca.stream_url ?? `wss://stream.data.alpaca.markets/v2/${input.api_config.alpaca.feed}` },
    },
  };
}

/** One issue per path and message, in the order a reader meets them (files by line, then --set). */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const id = `${issue.path}\u0000${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const rank = (issue: ConfigIssue) => (issue.location && issue.location.line > 0 ? 0 : 1);
  return unique.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.location?.file ?? "").localeCompare(b.location?.file ?? "") ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.col ?? 0) - (b.location?.col ?? 0),
  );
}
