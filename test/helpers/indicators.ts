/** Built-in indicator plugins by name, and helpers to run one over columns. */
import type { BarColumns } from "../../src/core/data/bars.ts";
import type { IndicatorPlugin } from "../../src/core/indicators/define.ts";
import { discoverPlugins } from "../../src/core/plugins/discover.ts";
import { ROOT } from "./cli.ts";
import * as v from "valibot";

const registry = await discoverPlugins([`${ROOT}/src/plugins`]);

/** The built-in indicator named `name`. */
export function indicator(name: string): IndicatorPlugin {
  const found = registry.get<IndicatorPlugin>("indicator", name);
  if (!found) throw new Error(`no indicator ${name}`);
  return found.plugin;
}

/** Every built-in indicator's name. */
export const indicatorNames = registry.names("indicator");

/** Validated params. */
export function paramsOf(plugin: IndicatorPlugin, raw: Record<string, unknown>): unknown {
  return v.parse(plugin.params, raw);
}

/** Runs the streaming instance over columns: one row of outputs per bar (NaN until ready). */
export function stream(plugin: IndicatorPlugin, raw: Record<string, unknown>, bars: BarColumns): Float64Array[] {
  const params = paramsOf(plugin, raw);
  const instance = plugin.create(params as never);
  const out = plugin.outputs.map(() => new Float64Array(bars.close.length).fill(NaN));
  const bar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < bars.close.length; i++) {
    bar.ts = bars.ts[i]!;
    bar.open = bars.open[i]!;
    bar.high = bars.high[i]!;
    bar.low = bars.low[i]!;
    bar.close = bars.close[i]!;
    bar.volume = bars.volume[i]!;
    instance.update(bar);
    if (instance.ready) for (let k = 0; k < out.length; k++) out[k]![i] = instance.values[k]!;
  }
  return out;
}

/** Runs the batch form. */
export function batch(plugin: IndicatorPlugin, raw: Record<string, unknown>, bars: BarColumns): Float64Array[] {
  return plugin.batch(bars, paramsOf(plugin, raw) as never);
}

/** Columns from partial series (missing ones copy close; volume defaults to 1). */
export function columns(series: Partial<Record<keyof BarColumns, number[]>>): BarColumns {
  const n = (series.close ?? series.high ?? [])!.length;
  const of = (values: number[] | undefined, fallback: number[] | undefined, fill = 0) =>
    Float64Array.from(values ?? fallback ?? Array.from({ length: n }, () => fill));
  return {
    ts: Float64Array.from({ length: n }, (_, i) => i * 60_000),
    open: of(series.open, series.close),
    high: of(series.high, series.close),
    low: of(series.low, series.close),
    close: of(series.close, undefined),
    volume: of(series.volume, undefined, 1),
  };
}
