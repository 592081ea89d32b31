/**
 * The SessionCoordinator: builds the engine's parts for a planned session, sets its extensions up
 * in stage order, then runs the six phases for every trading day of the window (phases/), each
 * step logged with `[SESSION_FLOW]` and the original system's numbering. Teardowns always run, in
 * reverse stage order, also when a phase throws.
 */
import type { Session } from "../config/load-session.ts";
import type { BarSource } from "../data/bar-source.ts";
import type { DataManager } from "../data/data-manager.ts";
import { engineError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { BacktestWindow } from "../time/backtest-window.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import { SimulatedClock, type Clock } from "../time/clock.ts";
import { TimerQueue } from "./timers.ts";
import { isoUtc } from "../time/dates.ts";
import { requireInterval, type Interval } from "../time/interval.ts";
import type { MarketClock } from "../time/market-clock.ts";
import { formatClockTime } from "../time/tz.ts";
import { DerivedBars } from "./derived-bars.ts";
import { inStageOrder, type EngineContext, type EngineExtension } from "./extension.ts";
import { HistoryWindow } from "./history.ts";
import { HookLists } from "./hook-lists.ts";
import { Lifecycle } from "./lifecycle.ts";
import { activate } from "./phases/activate.ts";
import { endSession } from "./phases/end-session.ts";
import type { DayState, Engine } from "./phases/engine-state.ts";
import { historical } from "./phases/historical.ts";
import { initialize } from "./phases/initialize.ts";
import { loadQueues } from "./phases/load-queues.ts";
import { stream } from "./phases/stream.ts";
import type { SessionResult } from "./results.ts";
import type { RunSink } from "./run-sink.ts";
import { SessionData } from "./session-data.ts";
import { StreamLoop } from "./stream-loop.ts";
import type { StreamPlan } from "./stream-plan.ts";

/** What the coordinator runs: a planned session, its two seams and its extensions. */
export interface CoordinatorOptions {
  session: Session;
  /** The trading days (planned once, by the kernel). */
  window: BacktestWindow;
  plan: StreamPlan;
  calendar: MarketCalendar;
  dataManager: DataManager;
  logger: Logger;
  /** Wall time, for timings (never for the simulation itself). */
  wall: Clock;
  /** Where base bars come from (the store, a feed). */
  source: BarSource;
  /** When the market reaches an instant (simulated, paced, the wall clock). */
  market: MarketClock;
  /** Where the rows of the run go. */
  sink: RunSink;
  extensions: readonly EngineExtension[];
  /** Asked to stop: the day under way ends cleanly (its hooks, its rows) and no other day starts. */
  stop?: { readonly requested: boolean };
  /**
   * Called before every merge step with the step's end (a live broker in lock-step reports its
   * fills up to there; a pause holds here); a promise it returns is awaited, undefined goes on at
   * once. Absent, a day streams without a pause per step.
   */
  beforeStep?: (now: number) => Promise<void> | undefined;
}

/** The phases of one day, in order. */
const PHASES = [initialize, historical, loadQueues, activate, stream, endSession];

/** Runs a session day by day. */
export class SessionCoordinator {
  readonly lifecycle = new Lifecycle();
  private readonly options: CoordinatorOptions;
  private readonly historyNeeds = new Map<string, { symbol: string; interval: Interval; days: number }>();

  constructor(options: CoordinatorOptions) {
    this.options = options;
  }

  /** The extensions' names in the order their hooks run. */
  extensionNames(): string[] {
    return inStageOrder(this.options.extensions).map((e) => e.name);
  }

  /** Runs every day of the window and returns what happened. */
  async run(): Promise<SessionResult> {
    const { session, calendar, logger, wall, window, plan } = this.options;
    const started = wall.now();
    const flow = (step: string, message: string, level: "info" | "debug" | "warn" | "error" = "debug") => logger.flow(step, message, level);
    const extensions = inStageOrder(this.options.extensions);
    const setUp: EngineExtension[] = [];
    let failure: unknown;
    try {
      flow("3", "SessionCoordinator.run() - started");
      flow("3.a", "SessionCoordinator - starting backtest timing");
      const config = session.backtest_config;
      if (window.rolledStart) flow("3.a", `start date ${config?.start_date ?? window.requestedStart} is not a trading day; starting on ${window.rolledStart}`, "info");
      if (window.rolledEnd) flow("3.a", `end date ${config?.end_date ?? window.requestedEnd} is not a trading day; ending on ${window.rolledEnd}`, "info");

      const engine = this.build(extensions, flow);
      for (const extension of extensions) {
        setUp.push(extension);
        await extension.setup?.(this.contextFor(engine, extension));
      }
      this.createWindows(engine);
      this.lifecycle.to("initialized");
      flow("3.b", "SessionCoordinator - entering coordinator loop");
      this.lifecycle.to("running");

      for (const [index, day] of window.days.entries()) {
        const state: DayState = { index, day, session: calendar.requireSession(day), next: window.days[index + 1], rolled: new Map(), historyBarsRead: 0 };
        for (const phase of PHASES) await phase(engine, state);
        await Bun.sleep(0); // lets Bun free the day's Polars memory before the next one
        if (this.options.stop?.requested) {
          flow("3.b", `stop requested: no session after ${state.session.date}`, "info");
          break;
        }
      }
      flow("3.b", "Complete - coordinator loop exited");
      flow("3.c", "SessionCoordinator - ending backtest timing");
      engine.timings.waitedMs = this.options.market.waited;
      engine.timings.totalMs = wall.now() - started;
      const result: SessionResult = { window, plan, days: engine.days, history: [...engine.windows], timings: engine.timings };
      for (const extension of extensions) await extension.onFinish?.(result);
      this.lifecycle.to("stopped");
      return result;
    } catch (error) {
      failure = error;
      if (this.lifecycle.state !== "failed" && this.lifecycle.state !== "stopped") this.lifecycle.to("failed");
      throw error;
    } finally {
      await this.teardown(setUp, failure);
    }
  }

  /** Reverse stage order, every one of them even if some throw; the first teardown error surfaces when the run itself succeeded. */
  private async teardown(extensions: EngineExtension[], failure: unknown): Promise<void> {
    const errors: unknown[] = [];
    for (const extension of [...extensions].reverse()) {
      try {
        await extension.teardown?.(failure);
      } catch (error) {
        errors.push(error);
      }
    }
    if (failure === undefined && errors.length > 0) throw errors[0];
    for (const error of errors) this.options.logger.log("error", `teardown: ${(error as Error)?.message ?? String(error)}`);
  }

  private build(extensions: EngineExtension[], flow: Engine["flow"]): Engine {
    const { session, calendar, dataManager, logger, wall, source, market, sink, window, plan } = this.options;
    const clock = new SimulatedClock(calendar.requireSession(window.days[0]!).preOpen);
    const data = new SessionData(plan, clock, session.session_data_config.symbols, session.session_data_config.gap_filler.enable_session_quality);
    const derived = new DerivedBars(plan, data.series, data.active);
    const hooks = new HookLists(data.series.length);
    const loop = new StreamLoop(data, derived, clock, hooks);
    // Bars a live source finds after the loop passed them: SessionData keeps them, periods still open fold them.
    source.onLateBar = (bar) => {
      const { stream, inserted } = data.applyLateBar(bar);
      if (inserted >= 0) derived.baseInserted(stream, inserted, bar.ts);
    };
    this.addConfiguredHistory(session, plan.symbols);
    return {
      session, calendar, dataManager, logger, wall, source, market, sink, plan, clock, data, derived, hooks, loop, extensions, flow, timers: new TimerQueue(),
      beforeStep: this.options.beforeStep,
      windows: [],
      days: [],
      timings: { loadMs: 0, streamMs: 0, historyMs: 0, totalMs: 0, waitedMs: 0 },
    };
  }

  /** The context an extension sees: hooks registered at its stage. */
  private contextFor(engine: Engine, extension: EngineExtension): EngineContext {
    const { session, plan, data, clock, calendar, dataManager, logger, sink, loop, source } = engine;
    const hooks = engine.hooks.forStage(extension.stage, extension.name);
    const local = (ms: number) => formatClockTime(calendar.localTime(ms).msOfDay);
    return {
      session, plan, data, clock, calendar, dataManager, logger, sink, hooks,
      at: (instant, fn) => {
        const today = data.session;
        if (instant < clock.now()) throw engineError(`a timer at ${isoUtc(instant)} is in the past (the clock is at ${isoUtc(clock.now())})`);
        if (today && instant > today.close) throw engineError(`a timer at ${isoUtc(instant)} is after today's close (${isoUtc(today.close)}); a timer runs within the session`);
        return engine.timers.at(instant, fn);
      },
      requireHistory: (symbol, interval, days) => this.requireHistory(symbol, interval, days),
      addSymbol: (symbol, by) => {
        const s = data.symbolIndex(symbol);
        if (s < 0) throw engineError(`${symbol} cannot be added by ${by}: it is in no scanner universe of the session`);
        if (data.active[s]) return false;
        loop.activate(s, clock.now());
        source.activeChanged?.(s, true);
        logger.flow("PHASE_5.ADD", `${symbol} added at ${local(clock.now())} by ${by}`, "info");
        return true;
      },
      removeSymbol: (symbol, by) => {
        const s = data.symbolIndex(symbol);
        if (s < 0 || !data.active[s]) return false;
        loop.deactivate(s);
        source.activeChanged?.(s, false);
        logger.flow("PHASE_5.REMOVE", `${symbol} removed at ${local(clock.now())} by ${by}`, "info");
        return true;
      },
      todayBars: (symbol) => {
        const s = data.symbolIndex(symbol);
        if (s < 0) throw engineError(`${symbol} is not provisioned in this session; symbols: ${plan.symbols.join(", ")}`);
        return loop.queueUntil(s, clock.now());
      },
    };
  }

  private addConfiguredHistory(session: Session, symbols: readonly string[]): void {
    for (const entry of session.session_data_config.historical.data) {
      const targets = entry.apply_to === "all" ? symbols : entry.apply_to;
      for (const symbol of targets) for (const text of entry.intervals) this.requireHistory(symbol, requireInterval(text), entry.trailing_days);
    }
  }

  private requireHistory(symbol: string, interval: Interval, days: number): void {
    const key = `${symbol}|${interval.text}`;
    const existing = this.historyNeeds.get(key);
    if (!existing || existing.days < days) this.historyNeeds.set(key, { symbol, interval, days });
  }

  /** One window per (symbol, interval) asked for (after every extension's setup). */
  private createWindows(engine: Engine): void {
    const withQuality = engine.session.session_data_config.historical.enable_quality;
    const windows = [...this.historyNeeds.values()].map((need) => new HistoryWindow(need.symbol, need.interval, need.days, withQuality));
    for (const w of windows) engine.data.setHistory(w);
    engine.windows.push(...windows);
  }
}
