/**
 * The SystemManager (kernel): prepares the session (every check before anything is written),
 * picks the parts for its mode (the bar source and the market clock), wires the extensions into
 * one deterministic coordinator, runs it, and has the run writer keep the run directory. Steps are
 * logged with the original's 2.a-2.i numbering.
 */
import { stringify } from "yaml";
import type { Session } from "../config/load-session.ts";
import { StoreBarSource } from "../data/store-bar-source.ts";
import { SessionCoordinator } from "../engine/coordinator.ts";
import type { EngineExtension } from "../engine/extension.ts";
import type { SessionResult } from "../engine/results.ts";
import { SessionflowError } from "../errors.ts";
import { AlpacaBroker } from "../execution/alpaca-broker.ts";
import type { BarSource } from "../data/bar-source.ts";
import type { BacktestWindow } from "../time/backtest-window.ts";
import type { MarketClock } from "../time/market-clock.ts";
import { createLogger, type Logger, type LogLevel } from "../log.ts";
import { writeReport } from "../report/write-report.ts";
import { computePerformance } from "../run/metrics.ts";
import type { RunTables } from "../run/read-run.ts";
import { RUN_FILES } from "../run/run-files.ts";
import { defaultRunDir } from "../run/run-dir.ts";
import { RunWriter } from "../run/run-writer.ts";
import { buildSummary, type AuditSummary, type RunSummary } from "../run/summary.ts";
import type { Clock } from "../time/clock.ts";
import { formatDay, isoUtc } from "../time/dates.ts";
import { SimulatedMarketClock } from "../time/market-clock.ts";
import { basename, join } from "node:path";
import { LiveMonitor, type MonitorOutput } from "./live-monitor.ts";
import { liveParts, type LiveParts } from "./live-parts.ts";
import { prepareRun, type PreparedRun } from "./prepare.ts";
import { RunControl } from "./run-control.ts";
import { RunStop } from "./run-stop.ts";

/** Options of runSession. */
export interface RunOptions {
  /** The session file. */
  file: string;
  /** `--set path=value` overrides. @default [] */
  overrides?: string[];
  /** The run directory. @default <report.dir>/<session>/<timestamp> */
  out?: string;
  /** Console detail. @default "info" */
  logLevel?: LogLevel;
  /** Where console lines go. @default stderr */
  console?: (line: string) => void;
  /** Wall time for pacing, timings and the run directory's name. */
  wall: Clock;
  /** Environment for ${VAR}. @default process.env */
  env?: Record<string, string | undefined>;
  /** Also write report.png, the report captured in headless Chromium. @default false */
  screenshot?: boolean;
  /** Extra engine extensions (tests). */
  extensions?: (session: Session) => EngineExtension[];
  /** Stop requests from outside (Ctrl-C, SIGTERM). */
  stop?: RunStop;
  /** Where a paper or live session reports as it goes (the console's status line, or JSON lines). */
  monitor?: MonitorOutput;
  /** `--confirm-live`: a live session may send orders to a live-money host (api.alpaca.markets). @default false */
  confirmLive?: boolean;
  /** How long an order request may take before its outcome counts as unknown and is read back. @default 10000 */
  orderTimeoutMs?: number;
  /** `--allow-missing`: a session symbol without data in the window runs anyway (a warning). */
  allowMissing?: boolean;
  /** `--audit`: after the run, the look-ahead audit (given the run's orders); its verdict goes into the summary and the report. */
  audit?: (orders: RunTables["orders"]) => Promise<AuditSummary>;
}

/** What a finished run returns. */
export interface RunOutcome {
  summary: RunSummary;
  runDir: string;
  result: SessionResult;
  logger: Logger;
  /** A strategy stopped after an error and its on_error.fail_run asks for the run to fail (exit 1). */
  failed: boolean;
}

/** Runs a session file end to end; throws a SessionflowError with the reason when it cannot. */
export async function runSession(options: RunOptions): Promise<RunOutcome> {
  const logger = createLogger({ level: options.logLevel ?? "info", console: options.console });
  logger.flow("2.a", "SystemManager - loading configuration");
  // Everything that can be refused is checked before the run directory exists.
  const prepared = await prepareRun(options);
  const { session, file, calendar, dataManager, plan, extensions, broker } = prepared;
  logger.flow("2.a", `Complete - config loaded: ${session.session_name} (${file})`);
  for (const note of prepared.notes) logger.log("info", note);
  for (const warning of prepared.warnings) logger.log("warn", warning);
  let monitor: LiveMonitor | undefined;
  const parts = await partsFor(prepared, options, (line) => {
    // The log file has every notice; the console shows them once, through the monitor when there is one.
    logger.log(monitor ? "debug" : "info", line);
    monitor?.notice(line);
  });
  if (parts.live && options.monitor) extensions.push((monitor = new LiveMonitor(options.monitor, parts.market, broker)));
  const { window, source, market } = parts;

  const formats = new Set(session.report.formats);
  const dir = options.out ?? defaultRunDir(session.report.dir, session.session_name, options.wall.now());
  // A live session's orders go to the broker; client_order_ids carry the run's name.
  let venue: AlpacaBroker | undefined;
  if (parts.live?.trading) {
    const trading = parts.live.trading;
    broker.useVenue((venueParts) => (venue = new AlpacaBroker(venueParts, { ...trading, runId: basename(dir), now: () => market.now() })));
    parts.live.afterReconnect.push(async () => {
      await venue?.resync().catch((error: Error) => logger.log("warn", `after the market data stream reconnected, the broker's orders could not be read back: ${error.message}`));
    });
  }
  const writer = RunWriter.open(dir, { json: formats.has("json"), csv: formats.has("csv"), parquet: formats.has("parquet") }, isoUtc(options.wall.now()));
  writer.attachLogger(logger);
  const stop = options.stop ?? new RunStop();
  stop.whenRequested((reason) => {
    logger.log("warn", `stopping (${reason}): the day under way ends cleanly; a second interrupt stops at once`);
    source.stop?.();
  });
  stop.whenKilled((reason) => writer.abort(reason));
  // pause/resume/stop from another terminal (bun run session pause|resume|stop <run-dir>).
  const control = new RunControl(dir, broker, stop, () => isoUtc(options.wall.now()));
  extensions.push(control);
  // A paced or live session goes step by step: a pause holds the clock, a live broker reports its fills up to each step.
  const stepwise = market.paced || parts.live !== undefined;
  const beforeStep = stepwise
    ? (stepEnd: number) => {
        control.poll(); // a command sent during the last step applies before the next one
        if (!control.paused && !venue) return undefined; // the common case: no await per step
        return (async () => {
          await control.whilePaused();
          await venue?.settle(stepEnd);
        })();
      }
    : undefined;
  try {
    writer.writeConfig(stringify(session, { lineWidth: 0 }));
    logger.flow("2.b", "SystemManager - initializing managers");
    logger.flow("2.b.1", `TimeManager created: ${calendar.market.name}, ${calendar.timezone}`);
    logger.flow("2.b.2", `DataManager created: store ${session.data.root}/${session.exchange_group}`);
    logger.flow("2.c", parts.describe);
    logger.flow("2.d", "SessionData is created by the coordinator once streams are marked");
    logger.flow("2.e", "components wired into one single-threaded, deterministic kernel");
    const coordinator = new SessionCoordinator({ session, window, plan, calendar, dataManager, logger, extensions, wall: options.wall, source, market, sink: writer, stop, beforeStep });
    logger.flow("2.f", `extensions: ${coordinator.extensionNames().join(", ") || "none"}`);
    logger.flow("2.g", "SystemManager - starting SessionCoordinator");
    logger.flow("2.h", "SystemManager - state set to RUNNING");
    const result = await coordinator.run();
    logger.flow("2", "Complete - session finished");

    const summary = summarizeRun(prepared, result, writer.tables());
    if (prepared.warnings.length > 0) summary.warnings = prepared.warnings;
    if (options.audit) {
      logger.log("info", "look-ahead audit: rerunning the session on the data cut at several instants");
      summary.audit = await options.audit(writer.tables().orders);
    }
    if (parts.live) summary.live = { market_clock: market.kind, replay: parts.live.replay ?? null, stopped: stop.requested ? stop.reason : null, ...(source.stats?.() ?? {}), ...(venue ? { execution: { venue: venue.name, ...venue.stats } } : {}) };
    if (formats.has("html")) logger.flow("2.i", "SystemManager - writing the report");
    writer.finish(summary);
    if (formats.has("html")) await writeReport(dir, { png: options.screenshot });
    writer.complete(stop.requested ? "stopped" : "complete", stop.requested ? stop.reason : undefined);
    return { summary, runDir: dir, result, logger, failed: prepared.strategies.failedRun() };
  } catch (error) {
    // In the log file; the console shows it once, where the caller reports the error.
    logger.log("debug", `the run failed: ${(error as Error)?.message ?? String(error)}`);
    writer.fail(error);
    const where = `(the log is in ${join(dir, RUN_FILES.log)})`;
    if (error instanceof SessionflowError) throw new SessionflowError(error.code, `${error.message}\n${where}`, error.exitCode, { cause: error });
    throw error;
  } finally {
    await source.close?.();
  }
}

/** The seams a mode runs on: the bar source, the market clock, and the days. */
interface ModeParts {
  window: BacktestWindow;
  source: BarSource & { stop?(): void };
  market: MarketClock;
  /** The 2.c log line. */
  describe: string;
  live?: Pick<LiveParts, "replay" | "trading" | "afterReconnect">;
}

async function partsFor(prepared: PreparedRun, options: RunOptions, log: (line: string) => void): Promise<ModeParts> {
  const { session } = prepared;
  if (session.mode === "backtest") {
    const config = session.backtest_config!;
    return { ...backtestParts(prepared, config.speed_multiplier, options.wall), describe: `SystemManager - backtest window ${config.start_date} to ${config.end_date}, speed ${config.speed_multiplier}` };
  }
  const live = await liveParts(prepared, { wall: options.wall, env: options.env ?? process.env, log, confirmLive: options.confirmLive ?? false, orderTimeoutMs: options.orderTimeoutMs ?? 10_000 });
  const { days } = live.window;
  const where = live.replay ? `a replay server (speed ${live.replay.speed}, ${live.replay.from} to ${live.replay.to})` : "the wall clock";
  return {
    window: live.window,
    source: live.source,
    market: live.market,
    describe: `SystemManager - ${session.mode} session ${formatDay(days[0]!)} to ${formatDay(days.at(-1)!)} on ${where}, data ${session.api_config.alpaca.stream_url}`,
    live,
  };
}

/** A backtest's seams: the store's bars over the window, a simulated market clock at `speed` x wall time. */
export function backtestParts(prepared: PreparedRun, speed: number, wall: Clock): { window: BacktestWindow; source: StoreBarSource; market: SimulatedMarketClock } {
  const { session, calendar, dataManager, plan } = prepared;
  const window = prepared.window!;
  const source = new StoreBarSource({ store: dataManager.store, calendar, symbols: plan.symbols, bases: plan.base.map((i) => plan.intervals[i]!), days: window.days, prefetchDays: session.backtest_config!.prefetch_days });
  return { window, source, market: new SimulatedMarketClock(speed, wall) };
}

/** summary.json of a finished run, from its results and its trading tables. */
export function summarizeRun(prepared: PreparedRun, result: SessionResult, tables: RunTables): RunSummary {
  const { session, calendar, indicators, strategies, scanners, broker } = prepared;
  const performance = computePerformance(tables, {
    initialEquity: session.broker.initial_cash,
    dateOf: (ms) => formatDay(calendar.dayOf(ms)),
    strategies: strategies.summary().map((s) => s.name),
    symbols: result.plan.symbols,
  });
  return buildSummary(session, calendar, result, {
    indicators: indicators.summary(),
    strategies: strategies.summary(),
    strategy_errors: strategies.errors,
    trading: broker.summary(),
    ...performance,
    scans: scanners.summary(),
  });
}
