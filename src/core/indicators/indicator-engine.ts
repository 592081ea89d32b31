/**
 * Indicators in a session: one instance per (symbol, configured indicator), keyed
 * `name_period_interval`. Stream indicators are updated exactly once per bar of their interval
 * and warmed up from history of the same interval (as much as `lookback` needs, whatever
 * `historical.data` asks for); historical indicators, and session indicators on an interval the
 * session does not stream (1d, 1w), are computed from the trailing history before each session
 * and held for the day.
 */
import { apiError, guarded, internalError, pluginError } from "../errors.ts";
import { sliceColumns, type BarColumns } from "../data/bars.ts";
import type { HistoricalIndicatorConfig, IndicatorConfig } from "../config/load-session.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import type { HistoryWindow } from "../engine/history.ts";
import type { BarCursor } from "../engine/bar-cursor.ts";
import type { TradingSession } from "../time/calendar.ts";
import { DAY_MS } from "../time/dates.ts";
import { requireInterval, type Interval } from "../time/interval.ts";
import { feedBars, type IndicatorInstance, type IndicatorPlugin } from "./define.ts";
import { IndicatorSeries } from "./indicator-series.ts";
import type { PluginRegistry } from "../plugins/discover.ts";
import * as v from "valibot";

/** What strategies read: a live view of one indicator of one symbol (no copy, no lookup per bar). */
export interface IndicatorHandle {
  readonly symbol: string;
  readonly key: string;
  readonly name: string;
  readonly interval: string;
  /** Field names, in `values` order. */
  readonly fields: readonly string[];
  readonly ready: boolean;
  /** The first field's value (NaN until ready). */
  readonly value: number;
  readonly values: Float64Array;
  /** One named field's value. */
  field(name: string): number;
}

/** How an indicator is fed. */
type Feed = "stream" | "history";

/** An indicator of the session at its end, as the summary lists it. */
export interface IndicatorSummary {
  symbol: string;
  key: string;
  name: string;
  interval: string;
  feed: Feed;
  ready: boolean;
  values: Record<string, number | null>;
}

interface Slot extends IndicatorHandle {
  instance: IndicatorInstance;
  plugin: IndicatorPlugin;
  /** The plugin's file, for errors. */
  file: string;
  params: unknown;
  feed: Feed;
  resetEachSession: boolean;
  /** The history window (symbol, interval) that warms it up (stream) or computes it (history). */
  history?: Interval;
  /** For `unit: weeks`: only the trading days of the last N weeks count. */
  weeks?: number;
  warmed: boolean;
  series?: IndicatorSeries;
}

/** The extension that runs a session's configured indicators. */
export class IndicatorEngine implements EngineExtension {
  readonly name = "indicators";
  readonly stage = "indicators";
  private readonly slots: Slot[] = [];
  private readonly byKey = new Map<string, Slot>();
  /** Per recorded stream: the bar starts, row-aligned with its indicator series. */
  private readonly times = new Map<string, IndicatorSeries>();
  /** Per stream: the unrecorded instances its one listener updates, in configuration order. */
  private readonly perStream = new Map<number, { slots: Slot[]; instances: IndicatorInstance[] }>();
  private engine!: EngineContext;

  constructor(private readonly registry: PluginRegistry, private readonly record = true) {}

  setup(engine: EngineContext): void {
    this.engine = engine;
    const { session } = engine;
    for (const symbol of engine.plan.symbols) {
      for (const config of session.session_data_config.indicators.session) this.addSession(symbol, config);
      for (const config of session.session_data_config.indicators.historical) this.addHistorical(symbol, config);
    }
  }

  onHistory(session: TradingSession): void {
    for (const slot of this.slots) {
      if (slot.feed === "stream") {
        if (!slot.warmed && slot.history) warm(slot, this.window(slot).columns());
        slot.warmed = true;
      } else this.computeFromHistory(slot, session);
    }
  }

  onDayStart(): void {
    for (const slot of this.slots) if (slot.resetEachSession && slot.feed === "stream") slot.instance.reset();
  }

  /** The handle of (symbol, key), or undefined. */
  handle(symbol: string, key: string): IndicatorHandle | undefined {
    return this.byKey.get(`${symbol}|${key}`);
  }

  /** Every handle, in session order. */
  handles(): IndicatorHandle[] {
    return this.slots;
  }

  /** When the session ends, each recorded stream's indicator columns go to the run (`indicators/<SYMBOL>_<interval>`). */
  onFinish(): void {
    for (const [id, times] of this.times) {
      const [symbol, interval] = id.split("|") as [string, string];
      const rows: Record<string, Float64Array | (number | null)[]> = { ts: times.column(0) };
      for (const slot of this.slots) if (slot.series && slot.symbol === symbol && slot.interval === interval) Object.assign(rows, slot.series.columnsWithNulls());
      this.engine.sink.put("indicators", `${symbol}_${interval}`, rows);
    }
  }

  private recordTimes(symbol: string, interval: Interval, stream: number): void {
    const id = `${symbol}|${interval.text}`;
    if (this.times.has(id)) return;
    const times = new IndicatorSeries("ts", ["ts"]);
    const scratch = new Float64Array(1);
    this.times.set(id, times);
    this.engine.hooks.onBar(stream, (bar) => {
      scratch[0] = bar.ts;
      times.push(scratch, true);
    });
  }

  /** Each indicator's values at the end of the session, for the summary. */
  summary(): IndicatorSummary[] {
    return this.slots.map((s) => ({
      symbol: s.symbol,
      key: s.key,
      name: s.name,
      interval: s.interval,
      feed: s.feed,
      ready: s.ready,
      values: Object.fromEntries(s.fields.map((f, i) => [f, Number.isNaN(s.values[i]!) ? null : round(s.values[i]!)])),
    }));
  }

  private addSession(symbol: string, config: IndicatorConfig): void {
    const interval = requireInterval(config.interval);
    const { plugin, params, file } = this.resolve(config.name, config.period ?? 0, config.params);
    const stream = this.engine.data.streamId(symbol, interval.text);
    const slot = this.slot(symbol, config.key, plugin, file, params, interval, stream >= 0 ? "stream" : "history");
    if (slot.feed === "stream") {
      if (!slot.resetEachSession) slot.history = this.needHistory(symbol, interval, this.warmupDays(plugin.lookback(params as never), interval));
      if (this.record) {
        slot.series = new IndicatorSeries(config.key, slot.fields);
        this.recordTimes(symbol, interval, stream);
      }
      const instance = slot.instance;
      const series = slot.series;
      if (series) {
        this.engine.hooks.onBar(stream, (bar: BarCursor) => {
          try {
            instance.update(bar);
          } catch (error) {
            throw updateFailed(slot, error, bar);
          }
          series.push(instance.values, instance.ready);
        });
      } else {
        // One listener per stream updates all its indicators: one indirect call per bar, not one each.
        let batch = this.perStream.get(stream);
        if (!batch) {
          const slots: Slot[] = [];
          const instances: IndicatorInstance[] = [];
          batch = { slots, instances };
          this.perStream.set(stream, batch);
          this.engine.hooks.onBar(stream, (bar: BarCursor) => {
            let k = 0;
            try {
              for (; k < instances.length; k++) instances[k]!.update(bar);
            } catch (error) {
              throw updateFailed(slots[k]!, error, bar);
            }
          });
        }
        batch.slots.push(slot);
        batch.instances.push(instance);
      }
    } else {
      slot.history = this.needHistory(symbol, interval, plugin.lookback(params as never) + 1);
    }
  }

  private addHistorical(symbol: string, config: HistoricalIndicatorConfig): void {
    const interval = requireInterval(config.interval);
    // N weeks hold at most 5 N trading days; the window is cut to the weeks themselves each day.
    const bars = config.unit === "weeks" ? config.period * 5 : config.period;
    const { plugin, params, file } = this.resolve(config.name, bars, config.params);
    const slot = this.slot(symbol, config.key, plugin, file, params, interval, "history");
    const lookback = plugin.lookback(params as never);
    if (config.unit === "weeks") slot.weeks = config.period;
    // One bar more than the lookback gives the first bar its previous close (true range, gaps).
    slot.history = this.needHistory(symbol, interval, interval.intraday ? this.warmupDays(lookback, interval) : lookback + 1);
  }

  private resolve(name: string, period: number, extra: Record<string, unknown>): { plugin: IndicatorPlugin; params: unknown; file: string } {
    const found = this.registry.get<IndicatorPlugin>("indicator", name);
    if (!found) throw internalError(`unknown indicator ${name} after validation`); // validation names it with its YAML line first
    return { plugin: found.plugin, params: v.parse(found.plugin.params, { period, ...extra }), file: found.file };
  }

  private slot(symbol: string, key: string, plugin: IndicatorPlugin, file: string, params: unknown, interval: Interval, feed: Feed): Slot {
    const instance = guarded({ plugin: plugin.name, file, hook: "create", symbol }, () => plugin.create(params as never));
    const fields = plugin.outputs;
    const slot: Slot = {
      symbol,
      key,
      name: plugin.name,
      interval: interval.text,
      fields,
      instance,
      plugin,
      file,
      params,
      feed,
      resetEachSession: plugin.resetEachSession?.(params as never) ?? false,
      warmed: false,
      // Getters read the slot's current instance: a weeks-based one is rebuilt each day.
      get ready() {
        return this.instance.ready;
      },
      get value() {
        return this.instance.value;
      },
      get values() {
        return this.instance.values;
      },
      field(name: string) {
        const i = fields.indexOf(name);
        if (i < 0) throw apiError(`${key} has no field ${name}; fields: ${fields.join(", ")}`);
        return this.instance.values[i]!;
      },
    };
    this.slots.push(slot);
    this.byKey.set(`${symbol}|${key}`, slot);
    return slot;
  }

  /** Asks the historical phase for `days` trading days of (symbol, interval) before each session. */
  private needHistory(symbol: string, interval: Interval, days: number): Interval {
    this.engine.requireHistory(symbol, interval, days);
    return interval;
  }

  /** The history window of a slot (created by the coordinator after every extension's setup). */
  private window(slot: Slot): HistoryWindow {
    return this.engine.data.historyOf(slot.symbol, slot.history!.text)!;
  }

  /** Trading days of history that hold `bars` bars of `interval`, even on early-close days. */
  private warmupDays(bars: number, interval: Interval): number {
    if (!interval.intraday) return bars + 1;
    const shortest = 3.5 * 3_600_000; // an early-close session, 09:30-13:00
    return Math.ceil(bars / Math.max(1, Math.floor(shortest / interval.ms))) + 1;
  }

  private computeFromHistory(slot: Slot, session: TradingSession): void {
    slot.instance.reset();
    let columns = this.window(slot).columns();
    if (slot.weeks !== undefined) {
      const from = session.open - slot.weeks * 7 * DAY_MS;
      let first = 0;
      while (first < columns.ts.length && columns.ts[first]! < from) first++;
      columns = sliceColumns(columns, first);
      // The plugin's own period becomes "every trading day of those weeks".
      const params = v.parse(slot.plugin.params, { ...(slot.params as object), period: Math.max(1, columns.ts.length) });
      slot.instance = guarded({ plugin: slot.name, file: slot.file, hook: "create", symbol: slot.symbol }, () => slot.plugin.create(params as never));
    }
    warm(slot, columns);
  }
}

/** Feeds history into a slot's instance; a throw names the indicator, its symbol and the bar. */
function warm(slot: Slot, columns: BarColumns): void {
  try {
    feedBars(slot.instance, columns);
  } catch (error) {
    throw pluginError({ plugin: slot.name, file: slot.file, hook: "update (warm-up from history)", symbol: slot.symbol }, (error as Error)?.message ?? String(error), error);
  }
}

/** An indicator's update failed: the session stops with the indicator, symbol, interval and bar named. */
function updateFailed(slot: Slot, error: unknown, bar: BarCursor) {
  return pluginError({ plugin: slot.name, file: slot.file, hook: `update (${slot.key})`, symbol: bar.symbol, barTime: bar.ts }, (error as Error)?.message ?? String(error), error);
}


function round(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}
