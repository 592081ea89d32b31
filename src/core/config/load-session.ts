/**
 * The one entry point to the session language: file -> resolved, validated Session, or a
 * ConfigError listing every problem with its file, line, column and YAML path.
 */
import { basename, extname } from "node:path";
import { configError, type ConfigIssue } from "../errors.ts";
import { markets } from "../time/markets.ts";
import { checkSchema } from "../yaml/check-schema.ts";
import { discoverPlugins, type PluginRegistry } from "../plugins/discover.ts";
import { pluginIssues } from "./check-plugins.ts";
import { getAt, type Located } from "../yaml/located.ts";
import { displayPath, resolveSession, type ResolveOptions } from "./resolve.ts";
import { DEFAULT_PLUGIN_DIRS, sessionSchema, type SessionInput } from "./schema.ts";
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
  const dirs = getAt(resolved.located.value, ["plugins", "dirs"]);
  const typecheck = getAt(resolved.located.value, ["plugins", "typecheck"]) !== false;
  const registry = await discoverPlugins(Array.isArray(dirs) && dirs.every((d) => typeof d === "string") ? dirs : DEFAULT_PLUGIN_DIRS, process.cwd(), { typecheck });
  return { ...validate(file, resolved.located, resolved.files, registry), registry };
}

function validate(file: string, located: Located, files: string[], registry?: PluginRegistry): LoadedSession {
  const display = displayPath(file);
  const issues: ConfigIssue[] = [];
  const checked = checkSchema(sessionSchema, located);
  if (!checked.ok) issues.push(...checked.issues);
  issues.push(...semanticIssues(located));
  if (checked.ok) issues.push(...marketIssues(checked.output, located));
  if (registry) issues.push(...pluginIssues(located, registry));
  if (issues.length > 0 || !checked.ok) throw configError(display, dedupe(issues));
  return { session: complete(checked.output, file), located, file: display, files };
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
