/**
 * Strategies in a session: each enabled entry of `strategies` becomes an instance with its own
 * context and state, subscribed to its streams before the first bar. Hooks are called in a fixed
 * order; a hook that throws stops that strategy (its orders are cancelled) and is reported with
 * the plugin, the hook, the symbol and the bar time, and the session goes on, or stops when the
 * entry says `on_error: stop`. Every strategy trades the one shared account.
 */
import * as v from "valibot";
import type { BrokerExtension } from "../broker/broker-extension.ts";
import type { Fill } from "../broker/orders.ts";
import type { Session } from "../config/load-session.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import { pluginError, SessionflowError } from "../errors.ts";
import type { IndicatorEngine } from "../indicators/indicator-engine.ts";
import type { PluginRegistry } from "../plugins/discover.ts";
import { isoUtc } from "../time/dates.ts";
import { displayPath } from "../util/paths.ts";
import { createContext } from "./context.ts";
import type { Bar, StrategyContext, StrategyPlugin } from "./define.ts";

/** A strategy of the session, as the summary lists it. */
export interface StrategySummary {
  name: string;
  plugin: string;
  file: string;
  stopped: boolean;
}

/** A strategy error, as reported in the summary. */
export interface StrategyErrorRecord {
  strategy: string;
  hook: string;
  symbol: string | null;
  bar_time: string | null;
  message: string;
  /** Where in the strategy's file it threw (file:line:col), when the stack says. */
  at: string | null;
  /** The stack, down to the strategy's own frames. */
  stack: string | null;
  /** Its orders were cancelled and its positions closed (on_error.flatten). */
  flattened: boolean;
}

interface Instance {
  name: string;
  plugin: StrategyPlugin;
  file: string;
  /** The plugin file's absolute path (to find its frames in a stack). */
  path: string;
  ctx: StrategyContext<unknown, unknown> & { state: unknown };
  onError: Session["strategies"][number]["on_error"];
  stopped: boolean;
}

/** The extension that runs the session's strategies. */
export class StrategyEngine implements EngineExtension {
  readonly name = "strategies";
  readonly stage = "strategies";
  readonly errors: StrategyErrorRecord[] = [];
  private readonly instances: Instance[] = [];
  private engine!: EngineContext;

  constructor(
    private readonly registry: PluginRegistry,
    private readonly broker: BrokerExtension,
    private readonly indicators: IndicatorEngine,
  ) {}

  /** The intervals the strategies subscribe to (they become streams of the session). */
  intervals(session: Session): string[] {
    return this.configured(session).flatMap(({ plugin, params }) => plugin.subscribe(params).map((s) => s.interval));
  }

  /** The strategies' own setup has run (on the first day's history). */
  private setUp = false;

  setup(engine: EngineContext): void {
    this.engine = engine;
    for (const { entry, plugin, params, file, path } of this.configured(engine.session)) {
      const instance = { name: entry.name, plugin, file, path, onError: entry.on_error, stopped: false } as Instance;
      instance.ctx = createContext({ engine, broker: this.broker.execution, indicators: this.indicators, strategy: entry.name, params, guard: (hook, run) => void this.call(instance, hook, run) });
      const ctx = instance.ctx;
      this.instances.push(instance);
      for (const subscription of plugin.subscribe(params)) {
        const symbols = subscription.symbol === undefined ? engine.plan.symbols : [subscription.symbol];
        for (const symbol of symbols) {
          const stream = engine.data.streamId(symbol, subscription.interval);
          if (stream < 0) throw pluginError({ plugin: entry.name, file, hook: "subscribe" }, `${symbol} ${subscription.interval} is not a stream of the session; symbols: ${engine.plan.symbols.join(", ")}`);
          engine.hooks.onBar(stream, this.barListener(instance, stream));
        }
      }
    }
    this.broker.onFill((fill) => this.dispatchFill(fill));
  }

  /**
   * The first day's history is in: the strategies' setup runs now, so `ctx.history()` holds the
   * trailing days and `ctx.session` is today's session (a setup that warms its averages needs both).
   */
  onHistory(): void {
    if (this.setUp) return;
    this.setUp = true;
    for (const instance of this.instances) {
      const setup = instance.plugin.setup;
      if (setup) instance.ctx.state = this.call(instance, "setup", () => setup(instance.ctx as never));
    }
  }

  onDayStart(): void {
    for (const instance of this.instances) if (instance.plugin.onSessionStart) this.call(instance, "onSessionStart", () => instance.plugin.onSessionStart!(instance.ctx as never));
  }

  onDayEnd(): void {
    for (const instance of this.instances) if (instance.plugin.onSessionEnd) this.call(instance, "onSessionEnd", () => instance.plugin.onSessionEnd!(instance.ctx as never));
  }

  /** The strategies that ran, with whether an error stopped them. */
  summary(): StrategySummary[] {
    return this.instances.map((i) => ({ name: i.name, plugin: i.plugin.name, file: i.file, stopped: i.stopped }));
  }

  private configured(session: Session) {
    return session.strategies
      .filter((entry) => entry.enabled)
      .map((entry) => {
        const found = this.registry.get<StrategyPlugin>("strategy", entry.name)!;
        return { entry, plugin: found.plugin, file: found.file, path: found.path, params: v.parse(found.plugin.params, entry.params) };
      });
  }

  private barListener(instance: Instance, stream: number): (bar: Bar) => void {
    const { plugin, ctx } = instance;
    const onBar = plugin.onBar;
    const onQuality = plugin.onQualityChange;
    const quality = this.engine.data.quality;
    let gaps = 0;
    return (bar) => {
      if (instance.stopped) return;
      let hook = "onBar";
      try {
        if (onQuality && quality.gapCount[stream] !== gaps) {
          gaps = quality.gapCount[stream]!;
          hook = "onQualityChange";
          onQuality(ctx as never, { symbol: bar.symbol, interval: bar.interval, quality: this.engine.data.qualityOf(stream), gaps });
          hook = "onBar";
        }
        onBar(ctx as never, bar);
      } catch (error) {
        this.fail(instance, hook, error, bar.symbol, bar.ts);
      }
    };
  }

  private dispatchFill(fill: Fill): void {
    const instance = this.instances.find((i) => i.name === fill.strategy);
    if (!instance || instance.stopped || !instance.plugin.onFill) return;
    this.call(instance, "onFill", () => instance.plugin.onFill!(instance.ctx as never, fill), fill.symbol, fill.time);
  }

  private call<T>(instance: Instance, hook: string, run: () => T, symbol?: string, barTime?: number): T | undefined {
    if (instance.stopped) return undefined;
    try {
      return run();
    } catch (error) {
      this.fail(instance, hook, error, symbol, barTime);
      return undefined;
    }
  }

  private fail(instance: Instance, hook: string, error: unknown, symbol?: string, barTime?: number): void {
    const message = (error as Error)?.message ?? String(error);
    const { at, stack } = whereInFile(error, instance.path);
    const reported = pluginError({ plugin: instance.name, file: at ?? instance.file, hook, symbol, barTime }, message, error);
    if (instance.onError.action === "stop") throw new SessionflowError("PLUGIN", `${reported.message}\n(on_error: stop, so the session stopped)${stack ? `\n${stack}` : ""}`, 1, { cause: error });
    instance.stopped = true;
    for (const order of this.broker.book.openOrders()) if (order.strategy === instance.name) this.broker.execution.cancel(order.id, "the strategy stopped after an error");
    const flattened = instance.onError.flatten;
    if (flattened) this.flatten(instance.name);
    this.errors.push({ strategy: instance.name, hook, symbol: symbol ?? null, bar_time: barTime === undefined ? null : isoUtc(barTime), message, at, stack, flattened });
    this.engine.logger.log("error", `${reported.message} (the strategy is stopped${flattened ? ", its positions closed" : ""}; the session goes on)`);
    if (stack) this.engine.logger.log("debug", stack);
  }

  /** Closes a stopped strategy's positions at market (its own book's; the others' are theirs). */
  private flatten(strategy: string): void {
    const book = this.broker.book;
    const now = this.engine.clock.now();
    for (const s of [...book.portfolio.open]) {
      const qty = book.portfolio.strategyPosition(strategy, s).qty;
      if (qty !== 0) this.broker.execution.submit({ symbol: book.symbols[s]!, side: qty > 0 ? "sell" : "buy", qty: Math.abs(qty) }, strategy, now);
    }
  }

  /** A strategy stopped after an error and its entry wants the run to fail for it. */
  failedRun(): boolean {
    return this.instances.some((i) => i.stopped && i.onError.fail_run);
  }

}

/** Where in the strategy's file an error was thrown, and the stack down to that file's frames. */
function whereInFile(error: unknown, path: string): { at: string | null; stack: string | null } {
  const stack = (error as Error)?.stack;
  if (typeof stack !== "string") return { at: null, stack: null };
  const lines = stack.split("\n");
  const own = lines.findIndex((line) => line.includes(path));
  if (own < 0) return { at: null, stack: null };
  const match = /([^\s(]+):(\d+):(\d+)\)?\s*$/.exec(lines[own]!);
  const at = match ? `${displayPath(match[1]!)}:${match[2]}:${match[3]}` : null;
  // The frames up to the last one in the strategy's file: the engine's below it are noise.
  const last = lines.reduce((n, line, i) => (line.includes(path) ? i : n), own);
  return { at, stack: lines.slice(0, last + 1).join("\n") };
}
