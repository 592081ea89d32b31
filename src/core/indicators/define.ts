/**
 * The indicator plugin model: `defineIndicator({ name, params, outputs, lookback, create, batch })`.
 * An instance updates in O(1) per bar without allocating; `batch` is an independent, plain
 * computation over whole columns, and a test checks the two agree on real data.
 */
import * as v from "valibot";
import { parse } from "valibot";
import type { BarColumns } from "../data/bars.ts";

/** The fields an indicator reads from a bar (the engine's reused cursor satisfies it). */
export interface IndicatorBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A running indicator. `values` holds every output in `outputs` order (NaN until ready). */
export interface IndicatorInstance {
  update(bar: IndicatorBar): void;
  readonly ready: boolean;
  /** The first output. */
  readonly value: number;
  readonly values: Float64Array;
  reset(): void;
}

/** An indicator plugin. */
export interface IndicatorPlugin<TParams extends v.GenericSchema = v.GenericSchema> {
  readonly kind: "indicator";
  readonly name: string;
  readonly description: string;
  /** Output names; one output is `["value"]`. */
  readonly outputs: readonly string[];
  /** The params schema; `period` (from the session entry) is passed in with the entry's `params`. */
  readonly params: TParams;
  /** Reset at each session's start (VWAP, TWAP, cumulative volume indicators). */
  readonly resetEachSession?: (params: v.InferOutput<TParams>) => boolean;
  /** Bars needed before the first value (the history a warm-up needs). */
  lookback(params: v.InferOutput<TParams>): number;
  create(params: v.InferOutput<TParams>): IndicatorInstance;
  /** Every bar's outputs over whole columns (NaN before ready), computed independently of `create`. */
  batch(bars: BarColumns, params: v.InferOutput<TParams>): Float64Array[];
}

/** Identity helper that marks an indicator plugin and carries its types. */
export function defineIndicator<const TParams extends v.GenericSchema>(
  definition: Omit<IndicatorPlugin<TParams>, "kind">,
): IndicatorPlugin<TParams> {
  return { ...definition, kind: "indicator" };
}

/** A base for instances: outputs in a preallocated array, `value` the first, `ready` a flag. */
export abstract class IndicatorState implements IndicatorInstance {
  readonly values: Float64Array;
  ready = false;

  constructor(outputs: number) {
    this.values = new Float64Array(outputs).fill(NaN);
  }

  get value(): number {
    return this.values[0]!;
  }

  abstract update(bar: IndicatorBar): void;

  reset(): void {
    this.ready = false;
    this.values.fill(NaN);
    this.clear();
  }

  /** Clears the subclass's own state. */
  protected abstract clear(): void;
}

/** NaN-filled output columns for a batch computation. */
export function outputColumns(count: number, length: number): Float64Array[] {
  return Array.from({ length: count }, () => new Float64Array(length).fill(NaN));
}

/** Updates an instance with every bar of some columns, oldest first (a warm-up from history). */
export function feedBars(instance: IndicatorInstance, bars: BarColumns): void {
  const bar: IndicatorBar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  const { ts, open, high, low, close, volume } = bars;
  for (let i = 0; i < ts.length; i++) {
    bar.ts = ts[i]!;
    bar.open = open[i]!;
    bar.high = high[i]!;
    bar.low = low[i]!;
    bar.close = close[i]!;
    bar.volume = volume[i]!;
    instance.update(bar);
  }
}

/** A running instance of `plugin` with validated params (defaults filled in), for strategies. */
export function createIndicator<TParams extends v.GenericSchema>(plugin: IndicatorPlugin<TParams>, params: v.InferInput<TParams> | Record<string, unknown> = {}): IndicatorInstance {
  return plugin.create(parse(plugin.params, params));
}
