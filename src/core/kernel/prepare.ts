/**
 * Everything a run decides before its first bar, in one place: the session and its plugins, the
 * market, the window of trading days, the extensions, the stream plan (computed once, here), and
 * every check that could refuse the run - each reported at the YAML line it concerns. Both
 * `bun run session` and `bun run session validate` go through it, so a session that validates
 * does not then fail on its configuration.
 */
import * as v from "valibot";
import { BrokerExtension } from "../broker/broker-extension.ts";
import type { SessionValue } from "../config/overrides.ts";
import { loadSessionWithPlugins, type LoadedSessionWithPlugins, type Session } from "../config/load-session.ts";
import { DataManager } from "../data/data-manager.ts";
import { Store } from "../data/store.ts";
import { BarRecorder } from "../engine/bar-recorder.ts";
import type { EngineExtension } from "../engine/extension.ts";
import { planLiveStreams, planStreams, sessionSymbols, type StreamPlan } from "../engine/stream-plan.ts";
import { configError, SessionflowError, type ConfigIssue } from "../errors.ts";
import { IndicatorEngine } from "../indicators/indicator-engine.ts";
import { ScannerEngine } from "../scanner/scanner-engine.ts";
import type { StrategyPlugin } from "../strategy/define.ts";
import { StrategyEngine } from "../strategy/strategy-engine.ts";
import { backtestWindow, type BacktestWindow } from "../time/backtest-window.ts";
import { MarketCalendar } from "../time/calendar.ts";
import { formatPath, getAt, locate, type Located, type PathSegment } from "../yaml/located.ts";

/** How to load a session. */
export interface PrepareOptions {
  file: string;
  /** `--set path=value` overrides. @default [] */
  overrides?: readonly string[];
  /** Values set after the overrides (a sweep's variant). @default [] */
  values?: readonly SessionValue[];
  /** A sweep's variant: the file's `sweep` block is set aside. @default false */
  variant?: boolean;
  /** Environment for ${VAR}. @default process.env */
  env?: Record<string, string | undefined>;
  /** Extra engine extensions (tests). */
  extensions?: (session: Session) => EngineExtension[];
  /** Record bars and indicators for the run directory (report.formats parquet). false: a run kept in memory. @default true */
  record?: boolean;
  /** `--allow-missing`: a session symbol without data in the window is a warning, not an error. @default false */
  allowMissing?: boolean;
}

/** A run ready to start: nothing has been written yet. */
export interface PreparedRun extends LoadedSessionWithPlugins {
  calendar: MarketCalendar;
  dataManager: DataManager;
  /** A backtest's trading days; a paper or live session's are set by the market's clock when it starts. */
  window: BacktestWindow | undefined;
  plan: StreamPlan;
  broker: BrokerExtension;
  indicators: IndicatorEngine;
  strategies: StrategyEngine;
  scanners: ScannerEngine;
  extensions: EngineExtension[];
  /** Choices the plan made that a reader should know (a base that is not the finest stored). */
  notes: string[];
  /** Data the window lacks (partial coverage; symbols without data when allowed). */
  warnings: string[];
}

/** Loads and checks a session and plans its run; throws a ConfigError (exit 2) naming every problem at its line. */
export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  const loaded = await loadSessionWithPlugins(options.file, { overrides: options.overrides ?? [], values: options.values, env: options.env, sweep: options.variant ? "strip" : "refuse" });
  const { session, located, registry } = loaded;
  const issues: ConfigIssue[] = [];
  const at = (path: PathSegment[], message: string) => issues.push({ path: formatPath(path), message, location: locate(located, path) });

  const calendar = MarketCalendar.for(session.exchange_group, session.asset_class);
  const dataManager = new DataManager(new Store(session.data.root, session.exchange_group), calendar);
  const live = session.mode !== "backtest";
  // The live feed (gap filling, catch-up, the market clock) does not know midday breaks or evening opens yet.
  if (live && calendar.market.hours.break_start !== undefined) {
    at(["mode"], `${session.mode} sessions need a market without a midday break; ${calendar.market.name} (${session.exchange_group}) has one, so it runs as a backtest only (mode: backtest)`);
  } else if (live && calendar.eveningOpen !== undefined) {
    at(["mode"], `${session.mode} sessions need a market whose sessions open on their own date; ${calendar.market.name} (${session.exchange_group}) opens the evening before, so it runs as a backtest only (mode: backtest)`);
  }
  let window: BacktestWindow | undefined;
  if (!live) {
    try {
      window = backtestWindow(calendar, session.backtest_config!.start_date, session.backtest_config!.end_date);
    } catch (error) {
      if (!(error instanceof SessionflowError)) throw error;
      at(["backtest_config", "start_date"], error.message);
    }
  }

  const formats = new Set(session.report.formats);
  const broker = new BrokerExtension();
  const record = (options.record ?? true) && formats.has("parquet");
  const indicators = new IndicatorEngine(registry, record);
  const strategies = new StrategyEngine(registry, broker, indicators);
  const scanners = new ScannerEngine(registry, broker);
  const extensions: EngineExtension[] = [broker, indicators, strategies, scanners, ...(options.extensions?.(session) ?? [])];
  if (record) extensions.push(new BarRecorder());

  const symbols = sessionSymbols(session.session_data_config.symbols, extensions.flatMap((e) => e.symbols?.(session) ?? []));
  const extra = extensions.flatMap((e) => e.intervals?.(session) ?? []);
  const symbolStreams = session.session_data_config.symbol_streams;
  // Each symbol's streams: its own list, or the session's; the extensions' (strategy subscriptions) are everyone's.
  const requested = (symbol: string) => [...(symbolStreams[symbol] ?? session.session_data_config.streams), ...extra];
  for (const symbol of Object.keys(symbolStreams)) {
    if (!symbols.includes(symbol)) at(["session_data_config", "symbol_streams", symbol], `${symbol} is not a symbol of the session; symbols: ${symbols.join(", ")}`);
  }
  // A backtest streams the finest interval the store has; a live feed streams what the provider does.
  const own = new Set(session.session_data_config.symbols);
  const planWindow = window ? { sessions: window.days.map((d) => calendar.session(d)!), lenient: (symbol: string) => options.allowMissing === true || !own.has(symbol) } : undefined;
  const planned = live ? planLiveStreams(symbols, requested) : planStreams(symbols, requested, dataManager, planWindow);
  if (!planned.ok) for (const problem of planned.problems) at(symbolPath(session, located, problem.symbol, problem.interval), problem.message);
  issues.push(...subscriptionIssues(loaded, symbols));

  if (issues.length > 0 || !planned.ok || (!live && !window)) throw configError(loaded.file, issues);
  return { ...loaded, calendar, dataManager, window, plan: planned.plan, broker, indicators, strategies, scanners, extensions, notes: planned.notes, warnings: planned.warnings.map((w) => w.message) };
}

/** Where a stream problem belongs: the interval in streams, else the symbol in symbols or in a scanner's universe. */
function symbolPath(session: Session, located: Located, symbol: string, interval?: string): PathSegment[] {
  const streams = getAt(located.value, ["session_data_config", "streams"]);
  if (interval && Array.isArray(streams) && streams.includes(interval)) return ["session_data_config", "streams", streams.indexOf(interval)];
  const index = session.session_data_config.symbols.indexOf(symbol);
  if (index >= 0) return ["session_data_config", "symbols", index];
  const scanner = session.scanners.findIndex((s) => Array.isArray(s.universe) && s.universe.includes(symbol));
  if (scanner >= 0) return ["scanners", scanner, "universe", (session.scanners[scanner]!.universe as string[]).indexOf(symbol)];
  return ["session_data_config", "symbols"];
}

/** A strategy may only subscribe to symbols the session provisions. */
function subscriptionIssues(loaded: LoadedSessionWithPlugins, symbols: readonly string[]): ConfigIssue[] {
  const { session, located, registry } = loaded;
  const issues: ConfigIssue[] = [];
  session.strategies.forEach((entry, index) => {
    if (!entry.enabled) return;
    const plugin = registry.get<StrategyPlugin>("strategy", entry.name)?.plugin;
    if (!plugin) return;
    const params = v.parse(plugin.params, entry.params);
    for (const subscription of plugin.subscribe(params)) {
      if (subscription.symbol === undefined || symbols.includes(subscription.symbol)) continue;
      const listed = getAt(located.value, ["strategies", index, "params", "symbols"]);
      const path: PathSegment[] = Array.isArray(listed) && listed.includes(subscription.symbol) ? ["strategies", index, "params", "symbols", listed.indexOf(subscription.symbol)] : ["strategies", index];
      issues.push({
        path: formatPath(path),
        message: `strategy ${entry.name} subscribes to ${subscription.symbol} ${subscription.interval}, which is not a symbol of the session; symbols: ${symbols.join(", ")}`,
        location: locate(located, path),
      });
    }
  });
  return issues;
}
