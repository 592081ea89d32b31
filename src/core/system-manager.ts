/**
 * The SystemManager (kernel): loads and validates the session, creates the TimeManager (calendar
 * and clock), the DataManager and the extensions, wires them into one deterministic coordinator,
 * runs it, and writes the run directory. Steps are logged with the original's 2.a-2.h numbering.
 */
import { stringify } from "yaml";
import { loadSessionWithPlugins, type Session } from "./config/load-session.ts";
import { IndicatorEngine } from "./indicators/indicator-engine.ts";
import { BrokerExtension } from "./broker/broker-extension.ts";
import { StrategyEngine } from "./strategy/strategy-engine.ts";
import { ScannerEngine } from "./scanner/scanner-engine.ts";
import { DataManager } from "./data/data-manager.ts";
import { writeFileAtomic, writeParquetAtomic } from "./data/atomic.ts";
import { Store } from "./data/store.ts";
import { SessionCoordinator, type EngineExtension, type SessionResult } from "./engine/coordinator.ts";
import { SessionflowError } from "./errors.ts";
import { writeDayQuality } from "./run/day-quality-table.ts";
import { computePerformance } from "./report/metrics.ts";
import { writeReport } from "./report/write-report.ts";
import { formatDay } from "./time/dates.ts";
import { createLogger, type Logger, type LogLevel } from "./log.ts";
import { BarRecorder } from "./run/bar-recorder.ts";
import { defaultRunDir, openRunDir } from "./run/run-dir.ts";
import { buildSummary, type RunSummary } from "./run/summary.ts";
import { planStreams } from "./engine/stream-plan.ts";
import { backtestWindow } from "./time/backtest-window.ts";
import { MarketCalendar } from "./time/calendar.ts";
import type { Clock } from "./time/clock.ts";
import { join } from "node:path";

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
}

/** What a finished run returns. */
export interface RunOutcome {
  summary: RunSummary;
  runDir: string;
  result: SessionResult;
  logger: Logger;
}

/** Runs a session file end to end; throws a SessionflowError with the reason when it cannot. */
export async function runSession(options: RunOptions): Promise<RunOutcome> {
  const logger = createLogger({ level: options.logLevel ?? "info", console: options.console });
  logger.flow("2.a", "SystemManager - loading configuration");
  const { session, file, registry } = await loadSessionWithPlugins(options.file, { overrides: options.overrides ?? [], env: options.env });
  logger.flow("2.a", `Complete - config loaded: ${session.session_name} (${file})`);
  if (session.mode !== "backtest") {
    throw new SessionflowError("ENGINE", `mode ${session.mode} needs a live data provider (api_config.data_api: ${session.api_config.data_api}); this build has none, so only mode: backtest runs. Validate with bun run session validate.`, 2);
  }

  // Everything that can be refused is checked before the run directory exists.
  const calendar = MarketCalendar.for(session.exchange_group, session.asset_class);
  const dataManager = new DataManager(new Store(session.data.root, session.exchange_group), calendar);
  backtestWindow(calendar, session.backtest_config!.start_date, session.backtest_config!.end_date);
  const broker = new BrokerExtension();
  const indicators = new IndicatorEngine(registry, session.report.formats.includes("parquet"));
  const strategies = new StrategyEngine(registry, broker, indicators);
  const scanners = new ScannerEngine(registry, broker);
  const extensions: EngineExtension[] = [broker, indicators, strategies, scanners, ...(options.extensions?.(session) ?? [])];
  planStreams(
    [...new Set([...session.session_data_config.symbols, ...extensions.flatMap((e) => e.symbols?.(session) ?? [])])],
    [...session.session_data_config.streams, ...extensions.flatMap((e) => e.intervals?.(session) ?? [])],
    dataManager,
  );

  const runDir = openRunDir(options.out ?? defaultRunDir(session.report.dir, session.session_name, options.wall.now()));
  logger.attachFile(join(runDir.work, "session.log"));
  try {
    logger.flow("2.b", "SystemManager - initializing managers");
    logger.flow("2.b.1", `TimeManager created: ${calendar.market.name}, ${calendar.timezone}`);
    logger.flow("2.b.2", `DataManager created: store ${session.data.root}/${session.exchange_group}`);
    logger.flow("2.c", `SystemManager - backtest window ${session.backtest_config!.start_date} to ${session.backtest_config!.end_date}, speed ${session.backtest_config!.speed_multiplier}`);
    const recorder = session.report.formats.includes("parquet") ? new BarRecorder() : undefined;
    if (recorder) extensions.push(recorder);
    logger.flow("2.d", "SessionData is created by the coordinator once streams are marked");
    logger.flow("2.e", "components wired into one single-threaded, deterministic kernel");
    logger.flow("2.f", `extensions: ${extensions.map((e) => e.name).join(", ") || "none"}`);
    const coordinator = new SessionCoordinator({ session, dataManager, calendar, logger, wall: options.wall, extensions });
    logger.flow("2.g", "SystemManager - starting SessionCoordinator");
    logger.flow("2.h", "SystemManager - state set to RUNNING");
    const result = await coordinator.run();
    logger.flow("2", "Complete - session finished");

    const tables = broker.tables();
    const performance = computePerformance(tables, {
      initialEquity: session.broker.initial_cash,
      dateOf: (ms) => formatDay(calendar.localTime(ms).day),
      strategies: strategies.summary().map((s) => s.name),
      symbols: result.plan.symbols,
    });
    const summary = buildSummary(session, calendar, result, {
      indicators: indicators.summary(),
      strategies: strategies.summary(),
      strategy_errors: strategies.errors,
      trading: broker.summary(),
      ...performance,
      scans: scanners.summary(),
    });
    const formats = new Set(session.report.formats);
    writeFileAtomic(join(runDir.work, "config.yaml"), stringify(session, { lineWidth: 0 }));
    if (formats.has("json")) writeFileAtomic(join(runDir.work, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    if (formats.has("csv")) {
      broker.writeCsv(runDir.work);
      writeDayQuality(runDir.work, result);
    }
    if (formats.has("parquet")) {
      broker.writeParquet(runDir.work, tables);
      recorder?.write(runDir.work);
      for (const { symbol, interval, frame } of indicators.recorded()) writeParquetAtomic(join(runDir.work, "indicators", `${symbol}_${interval}.parquet`), frame);
    }
    if (formats.has("html")) {
      logger.flow("2.i", "SystemManager - writing the report");
      await writeReport(runDir.work, { png: options.screenshot });
    }
    logger.close();
    runDir.finish();
    return { summary, runDir: runDir.final, result, logger };
  } catch (error) {
    logger.log("error", (error as Error).message);
    logger.close();
    const failed = runDir.fail();
    if (error instanceof SessionflowError) throw new SessionflowError(error.code, `${error.message}\n(the log is in ${failed})`, error.exitCode, { cause: error });
    throw error;
  }
}
