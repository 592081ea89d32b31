/**
 * A backtest run kept in memory: the same preparation, coordinator and summary as
 * `bun run session`, with nothing written and as fast as possible (a sweep's variant, an audit's
 * rerun). Returns the summary and the trading tables it was computed from.
 */
import type { Session } from "../config/load-session.ts";
import type { SessionValue } from "../config/overrides.ts";
import { SessionCoordinator } from "../engine/coordinator.ts";
import type { EngineExtension } from "../engine/extension.ts";
import type { SessionResult } from "../engine/results.ts";
import { usageError } from "../errors.ts";
import { createLogger } from "../log.ts";
import { MemorySink } from "../run/memory-sink.ts";
import type { RunTables } from "../run/read-run.ts";
import type { RunSummary } from "../run/summary.ts";
import type { Clock } from "../time/clock.ts";
import { prepareRun } from "./prepare.ts";
import { backtestParts, summarizeRun } from "./run-session.ts";

/** What to run. */
export interface MemoryRunOptions {
  file: string;
  overrides?: readonly string[];
  values?: readonly SessionValue[];
  /** The file is a sweep's: its `sweep` block is set aside. */
  variant?: boolean;
  env?: Record<string, string | undefined>;
  wall: Clock;
  extensions?: (session: Session) => EngineExtension[];
}

/** A finished in-memory run. */
export interface MemoryRunOutcome {
  session: Session;
  summary: RunSummary;
  tables: RunTables;
  result: SessionResult;
}

/** Runs a backtest session without a run directory; throws a SessionflowError when it cannot. */
export async function runInMemory(options: MemoryRunOptions): Promise<MemoryRunOutcome> {
  const prepared = await prepareRun({ ...options, record: false });
  const { session, file } = prepared;
  if (session.mode !== "backtest") throw usageError(`${file}: mode ${session.mode}: only backtests run in memory (sweeps, audits)`);
  const { window, source, market } = backtestParts(prepared, 0, options.wall);
  const sink = new MemorySink();
  const logger = createLogger({ level: "error", console: () => {} });
  const { calendar, dataManager, plan, extensions } = prepared;
  const coordinator = new SessionCoordinator({ session, window, plan, calendar, dataManager, logger, extensions, wall: options.wall, source, market, sink });
  const result = await coordinator.run();
  const tables = sink.tables();
  return { session, summary: summarizeRun(prepared, result, tables), tables, result };
}
