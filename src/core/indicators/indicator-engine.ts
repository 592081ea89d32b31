/**
 * Indicators in a session: one instance per (symbol, configured indicator), keyed
 * `name_period_interval`. Stream indicators are updated exactly once per bar of their interval
 * and warmed up from history of the same interval (as much as `lookback` needs, whatever
 * `historical.data` asks for); historical indicators, and session indicators on an interval the
 * session does not stream (1d, 1w), are computed from the trailing history before each session
 * and held for the day.
 */
import type { HistoricalIndicatorConfig, IndicatorConfig } from "../config/load-session.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import type { HistoryWindow } from "../engine/history.ts";
import type { BarCursor } from "../engine/bar-cursor.ts";
import type { TradingSession } from "../time/calendar.ts";
import { DAY_MS } from "../time/dates.ts";
import { interval as parseInterval, type Interval } from "../time/interval.ts";
import type { IndicatorInstance, IndicatorPlugin } from "./define.ts";
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
  private readonly perStream = new Map<number, IndicatorInstance[]>();
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
        if (!slot.warmed && slot.history) feed(slot.instance, this.window(slot).columns());
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
    const interval = parseInterval(config.interval);
    const { plugin, params } = this.resolve(config.name, config.period ?? 0, config.params);
    const stream = this.engine.data.streamId(symbol, interval.text);
    const slot = this.slot(symbol, config.key, plugin, params, interval, stream >= 0 ? "stream" : "history");
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
          instance.update(bar);
          series.push(instance.values, instance.ready);
        });
      } else {
        // One listener per stream updates all its indicators: one indirect call per bar, not one each.
        let batch = this.perStream.get(stream);
        if (!batch) {
          const instances: IndicatorInstance[] = [];
          batch = instances;
          this.perStream.set(stream, instances);
          this.engine.hooks.onBar(stream, (bar: BarCursor) => {
            for (let k = 0; k < instances.length; k++) instances[k]!.update(bar);
          });
        }
        batch.push(instance);
      }
    } else {
      slot.history = this.needHistory(symbol, interval, plugin.lookback(params as never) + 1);
    }
  }

  private addHistorical(symbol: string, config: HistoricalIndicatorConfig): void {
    const interval = parseInterval(config.interval);
    // N weeks hold at most 5 N trading days; the window is cut to the weeks themselves each day.
    const bars = config.unit === "weeks" ? config.period * 5 : config.period;
    const { plugin, params } = this.resolve(config.name, bars, config.params);
    const slot = this.slot(symbol, config.key, plugin, params, interval, "history");
    const lookback = plugin.lookback(params as never);
    if (config.unit === "weeks") slot.weeks = config.period;
    // One bar more than the lookback gives the first bar its previous close (true range, gaps).
    slot.history = this.needHistory(symbol, interval, interval.intraday ? this.warmupDays(lookback, interval) : lookback + 1);
  }

  private resolve(name: string, period: number, extra: Record<string, unknown>): { plugin: IndicatorPlugin; params: unknown } {
    const found = this.registry.get<IndicatorPlugin>("indicator", name);
    if (!found) throw new Error(`unknown indicator ${name}`); // validation names it with its YAML line first
    return { plugin: found.plugin, params: v.parse(found.plugin.params, { period, ...extra }) };
  }

  private slot(symbol: string, key: string, plugin: IndicatorPlugin, params: unknown, interval: Interval, feed: Feed): Slot {
    const instance = plugin.create(params as never);
    const fields = plugin.outputs;
    const slot: Slot = {
      symbol,
      key,
      name: plugin.name,
      interval: interval.text,
      fields,
      instance,
      plugin,
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
        if (i < 0) throw new Error(`${key} has no field ${name}; fields: ${fields.join(", ")}`);
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
      slot.instance = slot.plugin.create(params as never);
    }
    feed(slot.instance, columns);
  }
}

function feed(instance: IndicatorInstance, columns: { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }): void {
  const bar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < columns.ts.length; i++) {
    bar.ts = columns.ts[i]!;
    bar.open = columns.open[i]!;
    bar.high = columns.high[i]!;
    bar.low = columns.low[i]!;
    bar.close = columns.close[i]!;
    bar.volume = columns.volume[i]!;
    instance.update(bar);
  }
}

function sliceColumns<T extends { ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }>(c: T, from: number): T {
  return { ...c, ts: c.ts.subarray(from), open: c.open.subarray(from), high: c.high.subarray(from), low: c.low.subarray(from), close: c.close.subarray(from), volume: c.volume.subarray(from) };
}

function round(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}
