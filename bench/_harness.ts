/**
 * The benchmarks' engine: the real coordinator pieces (SessionData, the streaming loop, derived
 * bars, quality, the broker, indicator and strategy engines) wired exactly as a session wires
 * them, fed from in-memory synthetic days so that a benchmark measures the loop, not the disk.
 */
import { join } from "node:path";
import { BrokerExtension } from "../src/core/broker/broker-extension.ts";
import { loadSessionWithPlugins, type LoadedSessionWithPlugins } from "../src/core/config/load-session.ts";
import { DayQueue } from "../src/core/data/day-queue.ts";
import { SyntheticMarket } from "../src/core/data/synthetic.ts";
import { inStageOrder, type EngineContext, type EngineExtension } from "../src/core/engine/extension.ts";
import { HookLists } from "../src/core/engine/hook-lists.ts";
import { DISCARD } from "../src/core/engine/run-sink.ts";
import { DerivedBars } from "../src/core/engine/derived-bars.ts";
import { SessionData } from "../src/core/engine/session-data.ts";
import { StreamLoop } from "../src/core/engine/stream-loop.ts";
import { buildPlan, type StreamPlan } from "../src/core/engine/stream-plan.ts";
import { IndicatorEngine } from "../src/core/indicators/indicator-engine.ts";
import { silentLogger } from "../src/core/log.ts";
import { StrategyEngine } from "../src/core/strategy/strategy-engine.ts";
import { MarketCalendar, type TradingSession } from "../src/core/time/calendar.ts";
import { SimulatedClock } from "../src/core/time/clock.ts";
import { isoDay, weekdayOf } from "../src/core/time/dates.ts";
import { requireInterval } from "../src/core/time/interval.ts";

export const NYSE = MarketCalendar.for("US_EQUITY", "EQUITY");

/** `S0001` ... */
export function symbolNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(4, "0")}`);
}

/** Days held in memory: each day's time-major queue, as the store's bar source hands it to the loop. */
export interface MemoryDays {
  sessions: TradingSession[];
  queues: DayQueue[];
}

/** Seeded synthetic days: per day, every symbol's regular-session 1m bars, time-major (every 20th symbol thin). */
export function syntheticDays(symbols: readonly string[], days: number, seed = 42): MemoryDays {
  const sessions = NYSE.tradingDays(isoDay("2024-01-02"), isoDay("2026-12-31")).slice(0, days).map((d) => NYSE.session(d)!);
  const market = new SyntheticMarket(NYSE, symbols, { seed, missingRate: (i) => (i % 20 === 19 ? 0.3 : 0) });
  const minute = symbols.map(() => 60_000);
  return { sessions, queues: sessions.map((s) => DayQueue.merge(market.day(s.day), minute, s.close)) };
}

/** Loads the benchmark session for `symbols`, with its plugins. */
export async function benchSession(symbols: readonly string[], streams = ["1m", "5m", "15m"]): Promise<LoadedSessionWithPlugins> {
  return loadSessionWithPlugins(`${import.meta.dir}/hot-path.yaml`, {
    overrides: [
      `session_data_config.symbols=[${symbols.join(",")}]`,
      `session_data_config.streams=[${streams.join(",")}]`,
      // Absolute, so the benchmarks run from any directory.
      `plugins.dirs=[${join(import.meta.dir, "..", "src/plugins")}, ${join(import.meta.dir, "plugins")}]`,
    ],
    env: {},
  });
}

/** What a hot-path pass runs with. */
export interface HotPathOptions {
  /** Indicators, the strategy and the broker, as in a session (true), none (false), or some. @default true */
  extensions?: boolean | ("broker" | "indicators" | "strategies")[];
  streams?: string[];
}

/** A fresh engine over `symbols`; `run(days)` streams the given days once and returns the base bars seen. */
export function engine(loaded: LoadedSessionWithPlugins, days: MemoryDays, options: HotPathOptions = {}) {
  const { session, registry } = loaded;
  const symbols = session.session_data_config.symbols;
  const plan: StreamPlan = buildPlan(symbols, symbols.map(() => requireInterval("1m")), options.streams ?? session.session_data_config.streams);
  const clock = new SimulatedClock(days.sessions[0]!.preOpen);
  const data = new SessionData(plan, clock);
  const derived = new DerivedBars(plan, data.series, data.active);
  const hooks = new HookLists(data.series.length);
  const loop = new StreamLoop(data, derived, clock, hooks);
  const extensions: EngineExtension[] = [];
  let strategyEngine: StrategyEngine | undefined;
  const parts = Array.isArray(options.extensions) ? options.extensions : options.extensions === false ? [] : ["broker", "indicators", "strategies"];
  if (parts.length > 0) {
    // The strategy engine holds the other two; only the listed ones are wired into the loop.
    const broker = new BrokerExtension();
    const indicators = new IndicatorEngine(registry, false);
    const strategies = new StrategyEngine(registry, broker, indicators);
    strategyEngine = strategies;
    // Strategies place orders through the broker: they never run without it.
    if (parts.includes("broker") || parts.includes("strategies")) extensions.push(broker);
    if (parts.includes("indicators")) extensions.push(indicators);
    if (parts.includes("strategies")) extensions.push(strategies);
  }
  for (const e of inStageOrder(extensions)) {
    const context: EngineContext = {
      session, plan, data, clock, calendar: NYSE, dataManager: undefined as never, logger: silentLogger(), sink: DISCARD,
      hooks: hooks.forStage(e.stage, e.name),
      requireHistory: () => {},
      addSymbol: () => false,
      removeSymbol: () => false,
      todayBars: () => { throw new Error("the benchmark engine provisions no scanner symbols"); },
      at: () => { throw new Error("the benchmark engine runs no timers"); },
    };
    void e.setup?.(context);
  }
  let index = 0;
  return {
    plan,
    /** Orders the strategies placed so far. */
    orders: () => (strategyEngine ? (extensions.find((e) => e.name === "broker") as BrokerExtension | undefined)?.book.orders.length ?? 0 : 0),
    /** Streams the next `count` days (they follow each other: the clock only moves forward). */
    run(count = days.sessions.length): number {
      let bars = 0;
      for (let k = 0; k < count; k++, index++) {
        if (index >= days.sessions.length) throw new Error("an engine streams each day once; make a new one");
        const s = days.sessions[index]!;
        clock.setLimit(Infinity);
        if (clock.now() < s.preOpen) clock.advanceTo(s.preOpen);
        clock.setLimit(s.close);
        data.startDay(s);
        const monday = s.day - ((weekdayOf(s.day) + 6) % 7);
        const week = NYSE.tradingDays(monday, monday + 6).map((d) => NYSE.session(d)!);
        derived.startDay(s, week[0]!.open, week.at(-1)!.close);
        loop.startDay(days.queues[index]!, s.close);
        // The strategies' setup runs where PHASE_2 runs it (the benchmark keeps no history windows).
        strategyEngine?.onHistory();
        clock.advanceTo(s.open);
        for (const e of extensions) e.onDayStart?.(s);
        loop.run(Infinity);
        loop.finishDay();
        for (const e of extensions) e.onDayEnd?.(s, undefined as never);
        // A strategy that threw would be measured doing nothing: the benchmark fails instead.
        const failed = strategyEngine?.errors[0];
        if (failed) throw new Error(`the benchmark's strategy ${failed.strategy} threw in ${failed.hook}: ${failed.message}`);
        bars += loop.stats.baseBars;
      }
      return bars;
    },
  };
}

/** The floor: every bar's six fields read once, from the same memory the loop reads. */
export function readOnce(days: { queues: DayQueue[] }): number {
  let sum = 0;
  for (const q of days.queues) {
    const { ts, open, high, low, close, volume } = q;
    for (let i = 0; i < q.length; i++) sum += ts[i]! + open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!;
  }
  return sum;
}

/** Total base bars of some days. */
export function barCount(days: { queues: DayQueue[] }): number {
  return days.queues.reduce((n, q) => n + q.length, 0);
}
