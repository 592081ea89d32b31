/**
 * The engine contract: what an extension (the broker, indicators, strategies, scanners, recorders)
 * may reach, the hooks it may implement, and when each runs. The order of extensions is declared
 * here, by stage, not by the order anyone registers them: every hook list runs in STAGES order
 * (ties in registration order), teardowns in the reverse.
 *
 * A trading day, and where each hook runs in it (the coordinator's phases):
 *
 *   before the first day   setup(engine)           streams planned, SessionData exists: register bar,
 *                                                  fill and step hooks, ask for history
 *   PHASE_1 initialization                         the day's state is reset
 *   PHASE_2 historical     onHistory(session)      history windows hold the N trading days before today
 *   PHASE_3 queue loading                          the bar source hands over the day's base bars
 *   PHASE_4 activation     onDayStart(session)     the clock is at the open
 *   PHASE_5 streaming      per merge step (all bars visible at one instant), for each base bar:
 *                            fill hook (execution: pending orders of that symbol, before anyone sees the bar)
 *                            bar hooks of its stream, in stage order
 *                          then each derived bar that ends there, with its stream's bar hooks,
 *                          then step hooks, in stage order (equity marks, scans)
 *   PHASE_6 end of session onDayEnd(session, day)  after the close (day orders expire, rows flushed)
 *   after the last day     onFinish(result)        the run's results are final
 *   always, last           teardown(error)         in reverse stage order, also when a phase threw
 */
import type { Session } from "../config/load-session.ts";
import type { BarColumns } from "../data/bars.ts";
import type { DataManager } from "../data/data-manager.ts";
import type { Logger } from "../log.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import type { Clock } from "../time/clock.ts";
import type { Interval } from "../time/interval.ts";
import type { DayResult, SessionResult } from "./results.ts";
import type { RunSink } from "./run-sink.ts";
import type { SessionData } from "./session-data.ts";
import type { BarCursor } from "./bar-cursor.ts";
import type { StreamPlan } from "./stream-plan.ts";

/** The stages, in the order their hooks run. */
export const STAGES = ["execution", "indicators", "strategies", "scanners", "recorders"] as const;

/** Where an extension runs among the others. */
export type Stage = (typeof STAGES)[number];

/** Called for each bar of a stream, when it becomes visible; the cursor is valid during the call only. */
export type BarListener = (bar: BarCursor) => void;

/** Called for a base bar of symbol `s` before any bar listener sees it (the broker's fills). */
export type FillHook = (s: number, bar: BarCursor) => void;

/** Called after each merge step with the instant it ended. */
export type StepHook = (end: number) => void;

/** Per-bar hook registration, bound to the registering extension's stage. */
export interface StreamHooks {
  /**
   * Kind "fill": runs for a base bar of symbol `s` before the bar hooks of any stage, and only
   * while `gate[s] > 0` (a count the owner keeps, e.g. pending orders), so a symbol with nothing
   * to fill costs one load. One per session.
   */
  onFill(gate: Int32Array, hook: FillHook): void;
  /** Kind "bar": each bar of `stream` (a base or a derived one) when it becomes visible. */
  onBar(stream: number, listener: BarListener): void;
  /** Kind "step": after every merge step. */
  onStep(hook: StepHook): void;
}

/** What an extension may reach. */
export interface EngineContext {
  readonly session: Session;
  readonly plan: StreamPlan;
  readonly data: SessionData;
  /** The session's clock (event time: a bar's end while it is handled). */
  readonly clock: Clock;
  readonly calendar: MarketCalendar;
  readonly dataManager: DataManager;
  readonly logger: Logger;
  /** Per-bar hooks, registered at this extension's stage. */
  readonly hooks: StreamHooks;
  /** Where the rows an extension produces go (the run writer owns the files). */
  readonly sink: RunSink;
  /**
   * Runs `fn` when the session's clock reaches `instant` (within today's session, up to its
   * close), also when no bar comes then; returns a cancel function.
   */
  at(instant: number, fn: () => void): () => void;
  /** Asks the historical phase to keep N trading days of (symbol, interval) before each day. */
  requireHistory(symbol: string, interval: Interval, days: number): void;
  /** Starts streaming a provisioned symbol now; false if it already streams. */
  addSymbol(symbol: string, by: string): boolean;
  /** Stops streaming a symbol; false if it was not streaming. */
  removeSymbol(symbol: string, by: string): boolean;
  /** Today's base bars of a provisioned symbol that have ended by the clock (never later ones). */
  todayBars(symbol: string): BarColumns;
}

/** A part of the engine that plugs into the phases (see the day above). */
export interface EngineExtension {
  readonly name: string;
  readonly stage: Stage;
  /** Intervals this extension needs as streams (a strategy's subscriptions). */
  intervals?(session: Session): string[];
  /** Symbols to provision besides the session's (a scanner's universe); they start inactive. */
  symbols?(session: Session): string[];
  setup?(engine: EngineContext): void | Promise<void>;
  onHistory?(session: TradingSession): void;
  onDayStart?(session: TradingSession): void;
  onDayEnd?(session: TradingSession, day: DayResult): void;
  onFinish?(result: SessionResult): void | Promise<void>;
  /** Always runs, in reverse stage order, also after a failure (`error` is then set). */
  teardown?(error: unknown): void | Promise<void>;
}

/** Extensions in the order their hooks run: by stage, then as given. */
export function inStageOrder<T extends Pick<EngineExtension, "stage">>(extensions: readonly T[]): T[] {
  return extensions
    .map((extension, index) => ({ extension, index }))
    .sort((a, b) => STAGES.indexOf(a.extension.stage) - STAGES.indexOf(b.extension.stage) || a.index - b.index)
    .map((x) => x.extension);
}
