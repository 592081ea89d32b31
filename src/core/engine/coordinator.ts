/**
 * The SessionCoordinator: for every trading day of the window, the six phases (initialization,
 * historical, queue loading, activation, streaming, end of session), each step logged with
 * `[SESSION_FLOW]` and the original system's numbering.
 */
import type { Session } from "../config/load-session.ts";
import type { BarColumns } from "../data/bars.ts";
import type { DataManager } from "../data/data-manager.ts";
import type { Logger } from "../log.ts";
import { backtestWindow, type BacktestWindow } from "../time/backtest-window.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import { SimulatedClock, type Clock } from "../time/clock.ts";
import { formatDay, type DayNumber } from "../time/dates.ts";
import { interval as parseInterval, type Interval } from "../time/interval.ts";
import { formatClockTime } from "../time/tz.ts";
import { DayLoader } from "./day-loader.ts";
import { DerivedBars } from "./derived-bars.ts";
import { HistoryWindow, refreshWindow } from "./history.ts";
import { Lifecycle } from "./lifecycle.ts";
import { Pacer } from "./pacer.ts";
import { SessionData } from "./session-data.ts";
import { StreamLoop } from "./stream-loop.ts";
import { planStreams, type StreamPlan } from "./stream-plan.ts";
import type { StreamGap } from "./stream-quality.ts";

/** What an extension (indicators, strategies, the broker, a recorder) may reach. */
export interface EngineContext {
  session: Session;
  plan: StreamPlan;
  data: SessionData;
  loop: StreamLoop;
  clock: SimulatedClock;
  calendar: MarketCalendar;
  dataManager: DataManager;
  logger: Logger;
  /** Asks the historical phase to keep N trading days of (symbol, interval) before each day. */
  requireHistory(symbol: string, interval: Interval, days: number): void;
  /** Starts streaming a provisioned symbol now (history, indicators and queue are ready); false if it already streams. */
  addSymbol(symbol: string, by: string): boolean;
  /** Stops streaming a symbol; its open orders are cancelled by the broker's owner. False if it was not streaming. */
  removeSymbol(symbol: string, by: string): boolean;
}

/** A part of the engine that plugs into the phases. Hooks run in registration order. */
export interface EngineExtension {
  readonly name: string;
  /** Intervals this extension needs as streams (e.g. a strategy's subscriptions). */
  intervals?(session: Session): string[];
  /** Symbols to provision besides the session's (a scanner's universe); they start inactive. */
  symbols?(session: Session): string[];
  /** After the plan exists, before the first day: register listeners, ask for history. */
  setup?(engine: EngineContext): void | Promise<void>;
  /** PHASE_2, after the history is refreshed (historical indicators). */
  onHistory?(session: TradingSession): void;
  /** PHASE_4: the session is active (open-of-day hooks). */
  onDayStart?(session: TradingSession): void;
  /** PHASE_6: after the close (close-of-day hooks). */
  onDayEnd?(session: TradingSession, day: DayResult): void;
  /** After the last day. */
  onFinish?(result: SessionResult): void | Promise<void>;
}

/** A stream's numbers for one day (or, summed, for the session). */
export interface StreamDayResult {
  stream: number;
  bars: number;
  expected: number;
  quality: number;
  gaps: StreamGap[];
}

/** What happened on one trading day. */
export interface DayResult {
  date: string;
  session: TradingSession;
  iterations: number;
  baseBars: number;
  derivedBars: number;
  historyBarsRead: number;
  streams: StreamDayResult[];
  finalTime: number;
}

/** What a whole run produced. */
export interface SessionResult {
  window: BacktestWindow;
  plan: StreamPlan;
  days: DayResult[];
  history: HistoryWindow[];
  timings: { loadMs: number; streamMs: number; historyMs: number; totalMs: number; waitedMs: number };
}

/** Dependencies of the coordinator. */
export interface CoordinatorOptions {
  session: Session;
  dataManager: DataManager;
  calendar: MarketCalendar;
  logger: Logger;
  /** Wall time, for pacing and timings (never for the simulation itself). */
  wall: Clock;
  extensions?: EngineExtension[];
}

/** Runs a backtest session day by day. */
export class SessionCoordinator {
  readonly lifecycle = new Lifecycle();
  private readonly options: CoordinatorOptions;
  private readonly extensions: EngineExtension[];
  private readonly historyNeeds = new Map<string, { symbol: string; interval: Interval; days: number }>();

  constructor(options: CoordinatorOptions) {
    this.options = options;
    this.extensions = options.extensions ?? [];
  }

  /** Runs every day of the window and returns what happened. */
  async run(): Promise<SessionResult> {
    const { session, calendar, logger, wall, dataManager } = this.options;
    const started = wall.now();
    const flow = (step: string, message: string, level: "info" | "debug" = "debug") => logger.flow(step, message, level);
    try {
      flow("3", "SessionCoordinator.run() - started");
      flow("3.a", "SessionCoordinator - starting backtest timing");
      const config = session.backtest_config!;
      const window = backtestWindow(calendar, config.start_date, config.end_date);
      if (window.rolledStart) flow("3.a", `start date ${config.start_date} is not a trading day; starting on ${window.rolledStart}`, "info");
      if (window.rolledEnd) flow("3.a", `end date ${config.end_date} is not a trading day; ending on ${window.rolledEnd}`, "info");

      const requested = [...session.session_data_config.streams, ...this.extensions.flatMap((e) => e.intervals?.(session) ?? [])];
      const configured = session.session_data_config.symbols;
      const extra = this.extensions.flatMap((e) => e.symbols?.(session) ?? []).filter((symbol) => !configured.includes(symbol));
      const plan = planStreams([...configured, ...new Set(extra)], requested, dataManager);
      const firstSession = calendar.requireSession(window.days[0]!);
      const clock = new SimulatedClock(firstSession.preOpen);
      const data = new SessionData(plan, clock, configured);
      const derived = new DerivedBars(plan, data.series, data.active);
      const loop = new StreamLoop(data, derived, clock);
      this.addConfiguredHistory(session, plan.symbols);
      const context: EngineContext = {
        session, plan, data, loop, clock, calendar, dataManager, logger,
        requireHistory: (symbol, interval, days) => this.requireHistory(symbol, interval, days),
        addSymbol: (symbol, by) => {
          const s = data.symbolIndex(symbol);
          if (s < 0) throw new Error(`${symbol} cannot be added: it is in no scanner universe of the session`);
          if (data.active[s]) return false;
          loop.activate(s, clock.now());
          logger.flow("PHASE_5.ADD", `${symbol} added at ${formatClockTime(calendar.localTime(clock.now()).msOfDay)} by ${by}`, "info");
          return true;
        },
        removeSymbol: (symbol, by) => {
          const s = data.symbolIndex(symbol);
          if (s < 0 || !data.active[s]) return false;
          loop.deactivate(s);
          logger.flow("PHASE_5.REMOVE", `${symbol} removed at ${formatClockTime(calendar.localTime(clock.now()).msOfDay)} by ${by}`, "info");
          return true;
        },
      };
      for (const extension of this.extensions) await extension.setup?.(context);
      const loader = new DayLoader(dataManager.store, calendar, plan.symbols, plan.base.map((i) => plan.intervals[i]!), window.days, session.backtest_config!.prefetch_days);
      const pacer = new Pacer(config.speed_multiplier, wall);
      const windows = this.createWindows(data);
      this.lifecycle.to("initialized");
      flow("3.b", "SessionCoordinator - entering coordinator loop");
      this.lifecycle.to("running");

      const days: DayResult[] = [];
      const timings = { loadMs: 0, streamMs: 0, historyMs: 0, totalMs: 0, waitedMs: 0 };
      for (const [index, day] of window.days.entries()) {
        const tradingSession = calendar.requireSession(day);
        // PHASE_1
        flow("3.b.2.PHASE_1", "Initialization phase starting");
        if (index === 0) this.logPlan(plan);
        if (clock.now() < tradingSession.preOpen) {
          clock.setLimit(Infinity);
          clock.advanceTo(tradingSession.preOpen);
        }
        clock.setLimit(tradingSession.close);
        // The day just streamed rolls into the history windows: keep it before the reset.
        const rolled = this.snapshotPreviousDay(data, days.at(-1), windows);
        data.startDay(tradingSession);
        const week = weekBounds(calendar, day);
        derived.startDay(tradingSession, week.open, week.close);
        flow("PHASE_1.2", "session state reset");
        flow("PHASE_1.3", `current session date: ${tradingSession.date}${tradingSession.earlyClose ? ` (early close ${formatClockTime(calendar.localTime(tradingSession.close).msOfDay)})` : ""}`);
        flow("3.b.2.PHASE_1", "Complete");

        // PHASE_2
        flow("3.b.2.PHASE_2", "Historical Management phase starting");
        const historyStart = wall.now();
        let historyBarsRead = 0;
        for (const w of windows) historyBarsRead += refreshWindow(w, day, calendar, dataManager, (symbol, interval, d) => rolled.get(`${symbol}|${interval.text}|${d}`));
        for (const w of windows) {
          const quality = w.days.length ? w.days.reduce((n, d) => n + d.quality.quality, 0) / w.days.length : 100;
          flow("PHASE_2.1", `${w.symbol} ${w.interval.text}: ${w.days.length} days (${w.days.at(0) ? formatDay(w.days[0]!.day) : "-"} .. ${w.days.at(-1) ? formatDay(w.days.at(-1)!.day) : "-"}), ${w.length} bars, quality ${quality.toFixed(2)}%`);
        }
        for (const extension of this.extensions) extension.onHistory?.(tradingSession);
        timings.historyMs += wall.now() - historyStart;
        flow("3.b.2.PHASE_2", `Complete - ${historyBarsRead} bars read from the store`);

        // PHASE_3
        flow("3.b.2.PHASE_3", "Queue Loading phase starting");
        const loadStart = wall.now();
        const queues = await loader.load(day);
        timings.loadMs += wall.now() - loadStart;
        const queued = queues.bars.reduce((n, b) => n + b.ts.length, 0);
        flow("PHASE_3.1", `${queued} ${plan.symbols.length > 1 ? "bars across" : "bars in"} ${plan.symbols.length} base streams${session.backtest_config!.prefetch_days > 0 ? ` (prefetching ${session.backtest_config!.prefetch_days} day(s) ahead)` : ""}`);
        flow("3.b.2.PHASE_3", "Complete");

        // PHASE_4
        flow("3.b.2.PHASE_4", "Session Activation phase starting");
        loop.startDay(queues.bars, tradingSession.close);
        clock.advanceTo(tradingSession.open);
        for (const extension of this.extensions) extension.onDayStart?.(tradingSession);
        flow("PHASE_4.1", "session active");
        flow("3.b.2.PHASE_4", "Complete");

        // PHASE_5
        flow("3.b.2.PHASE_5", "Streaming phase starting");
        const local = (ms: number) => formatClockTime(calendar.localTime(ms).msOfDay);
        flow("PHASE_5.1", `market hours: ${local(tradingSession.open)} to ${local(tradingSession.close)} ${calendar.timezone}`);
        const streamStart = wall.now();
        if (pacer.paced) {
          pacer.start(tradingSession.open);
          for (let next = loop.peekEnd(); next !== Infinity; next = loop.peekEnd()) {
            await pacer.until(next);
            loop.run(next);
          }
        } else {
          loop.run(Infinity);
        }
        loop.finishDay();
        timings.streamMs += wall.now() - streamStart;
        flow("PHASE_5.SUMMARY", `${loop.stats.iterations} iterations, ${loop.stats.baseBars} bars, ${loop.stats.derivedBars} derived bars, final time = ${local(clock.now())}`);
        flow("3.b.2.PHASE_5", "Complete");

        // PHASE_6
        flow("3.b.2.PHASE_6", "End-of-Session phase starting");
        const result: DayResult = {
          date: tradingSession.date,
          session: tradingSession,
          iterations: loop.stats.iterations,
          baseBars: loop.stats.baseBars,
          derivedBars: loop.stats.derivedBars,
          historyBarsRead,
          streams: this.streamResults(data),
          finalTime: clock.now(),
        };
        days.push(result);
        for (const extension of this.extensions) extension.onDayEnd?.(tradingSession, result);
        logger.log("info", this.dayLine(result, plan));
        // Memory after the day (resident set and JS heap): a year's run shows whether it stays flat.
        flow("PHASE_6.1", `memory: rss ${megabytes(process.memoryUsage.rss())} MB, js heap ${megabytes(process.memoryUsage().heapUsed)} MB`);
        flow("3.b.2.PHASE_6", "Complete");
        flow("3.b.2.CHECK", index === window.days.length - 1 ? "termination condition met (last trading day)" : `continuing to next session ${formatDay(window.days[index + 1]!)}`);
        await Bun.sleep(0); // lets Bun free the day's Polars memory before the next one
      }
      flow("3.b", "Complete - coordinator loop exited");
      flow("3.c", "SessionCoordinator - ending backtest timing");
      timings.waitedMs = pacer.waited;
      timings.totalMs = wall.now() - started;
      const result: SessionResult = { window, plan, days, history: windows, timings };
      for (const extension of this.extensions) await extension.onFinish?.(result);
      this.lifecycle.to("stopped");
      return result;
    } catch (error) {
      if (this.lifecycle.state !== "failed" && this.lifecycle.state !== "stopped") this.lifecycle.to("failed");
      throw error;
    }
  }

  private addConfiguredHistory(session: Session, symbols: readonly string[]): void {
    for (const entry of session.session_data_config.historical.data) {
      const targets = entry.apply_to === "all" ? symbols : entry.apply_to;
      for (const symbol of targets) for (const text of entry.intervals) this.requireHistory(symbol, parseInterval(text), entry.trailing_days);
    }
  }

  private requireHistory(symbol: string, interval: Interval, days: number): void {
    const key = `${symbol}|${interval.text}`;
    const existing = this.historyNeeds.get(key);
    if (!existing || existing.days < days) this.historyNeeds.set(key, { symbol, interval, days });
  }

  private createWindows(data: SessionData): HistoryWindow[] {
    const windows = [...this.historyNeeds.values()].map((need) => new HistoryWindow(need.symbol, need.interval, need.days));
    for (const w of windows) data.setHistory(w);
    return windows;
  }

  /** Copies of the day just streamed, for each history window that has it as a session stream. */
  private snapshotPreviousDay(data: SessionData, previous: DayResult | undefined, windows: HistoryWindow[]): Map<string, BarColumns> {
    const out = new Map<string, BarColumns>();
    if (!previous) return out;
    for (const w of windows) {
      const stream = data.streamId(w.symbol, w.interval.text);
      if (stream < 0 || data.active[data.symbolIndex(w.symbol)] === 0) continue;
      out.set(`${w.symbol}|${w.interval.text}|${previous.session.day}`, data.series[stream]!.copy());
    }
    return out;
  }

  private streamResults(data: SessionData): StreamDayResult[] {
    const out: StreamDayResult[] = [];
    for (let stream = 0; stream < data.series.length; stream++) {
      if (data.roleOf(stream) === "unused" || !data.activeToday[data.describe(stream).symbolIndex]) continue;
      out.push({ stream, bars: data.series[stream]!.length, expected: data.expected(stream), quality: data.qualityOf(stream), gaps: data.gapsOf(stream) });
    }
    return out;
  }

  private logPlan(plan: StreamPlan): void {
    const { logger } = this.options;
    logger.flow("PHASE_1.1", "first session - marking STREAMED/GENERATED");
    plan.symbols.forEach((symbol, s) => {
      const generated = plan.generated[s]!.map((i) => plan.intervals[i]!.text);
      logger.flow("PHASE_1.1", `${symbol}: ${plan.intervals[plan.base[s]!]!.text} streamed${generated.length ? `; ${generated.join(", ")} generated` : ""}${plan.quotes ? "; quotes synthesized from bars" : ""}`);
    });
    logger.flow("PHASE_1.1", "stream/generate marking complete");
  }

  private dayLine(day: DayResult, plan: StreamPlan): string {
    const base = day.streams.filter((s) => plan.roles[s.stream] === "streamed");
    const quality = base.length ? base.reduce((n, s) => n + s.quality, 0) / base.length : 100;
    const early = day.session.earlyClose ? " (early close)" : "";
    return `${day.date}${early}: ${day.baseBars} bars streamed, ${day.derivedBars} generated, mean base quality ${quality.toFixed(2)}%`;
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** The open of the week's first session and the close of its last (Monday-to-Sunday weeks). */
function weekBounds(calendar: MarketCalendar, day: DayNumber): { open: number; close: number } {
  const weekday = (((day + 4) % 7) + 7) % 7;
  const monday = day - ((weekday + 6) % 7);
  const sessions = calendar.tradingDays(monday, monday + 6);
  return { open: calendar.session(sessions[0]!)!.open, close: calendar.session(sessions[sessions.length - 1]!)!.close };
}
