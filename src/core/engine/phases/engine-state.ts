/**
 * What the six phases share: the engine's parts for the whole run (`Engine`) and one day's state
 * (`DayState`), so each phase is a short function over both.
 */
import type { Session } from "../../config/load-session.ts";
import type { BarColumns } from "../../data/bars.ts";
import type { BarSource } from "../../data/bar-source.ts";
import type { DataManager } from "../../data/data-manager.ts";
import type { DayQueue } from "../../data/day-queue.ts";
import type { Logger, LogLevel } from "../../log.ts";
import type { MarketCalendar, TradingSession } from "../../time/calendar.ts";
import type { Clock, SimulatedClock } from "../../time/clock.ts";
import type { DayNumber } from "../../time/dates.ts";
import type { MarketClock } from "../../time/market-clock.ts";
import type { DerivedBars } from "../derived-bars.ts";
import type { EngineExtension } from "../extension.ts";
import type { HistoryWindow } from "../history.ts";
import type { HookLists } from "../hook-lists.ts";
import type { DayResult, RunTimings } from "../results.ts";
import type { RunSink } from "../run-sink.ts";
import type { SessionData } from "../session-data.ts";
import type { TimerQueue } from "../timers.ts";
import type { StreamLoop } from "../stream-loop.ts";
import type { StreamPlan } from "../stream-plan.ts";

/** The engine's parts for a whole run. */
export interface Engine {
  readonly session: Session;
  readonly calendar: MarketCalendar;
  readonly dataManager: DataManager;
  readonly logger: Logger;
  /** Wall time, for timings only. */
  readonly wall: Clock;
  readonly source: BarSource;
  readonly market: MarketClock;
  readonly sink: RunSink;
  readonly plan: StreamPlan;
  readonly clock: SimulatedClock;
  readonly data: SessionData;
  readonly derived: DerivedBars;
  readonly hooks: HookLists;
  readonly loop: StreamLoop;
  /** Timers set by extensions (ctx.at), run between merge steps. */
  readonly timers: TimerQueue;
  /** In stage order. */
  readonly extensions: readonly EngineExtension[];
  /** Filled once every extension has asked for its history (after setup). */
  readonly windows: HistoryWindow[];
  /** The days done so far. */
  readonly days: DayResult[];
  readonly timings: RunTimings;
  /** Awaited before each merge step, when set (see CoordinatorOptions.beforeStep). */
  readonly beforeStep?: (now: number) => Promise<void> | undefined;
  /** A `[SESSION_FLOW]` line (debug unless said). */
  flow(step: string, message: string, level?: LogLevel): void;
}

/** One trading day as the phases fill it in. */
export interface DayState {
  readonly index: number;
  readonly day: DayNumber;
  readonly session: TradingSession;
  /** The session's next trading day (undefined on the last). */
  readonly next: DayNumber | undefined;
  /** The day before's streamed bars, by `symbol|interval|day`, for the history windows to roll in. */
  rolled: Map<string, BarColumns>;
  historyBarsRead: number;
  queue?: DayQueue;
  result?: DayResult;
}
