/**
 * Indicators that are a rolling mean of one number of the bar (the close, the volume, the range
 * high - low), or the bar's number over that mean (a ratio; 1 when the mean is 0): SMA, volume SMA,
 * average volume, volume ratio, average range, range ratio are each one call of this.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../../core/indicators/define.ts";
import { period } from "./params.ts";
import { RollingWindow } from "./rolling.ts";
import { meanOf } from "./series.ts";

/** The number of a bar that is averaged. */
export type BarNumber = "close" | "volume" | "range";

const CLOSE = 0;
const VOLUME = 1;
const RANGE = 2;
const CODES: Record<BarNumber, number> = { close: CLOSE, volume: VOLUME, range: RANGE };

/** The bar's number (a branch on a small constant, cheaper per update than a function call). */
function numberOf(code: number, bar: IndicatorBar): number {
  return code === CLOSE ? bar.close : code === VOLUME ? bar.volume : bar.high - bar.low;
}

const ratioOf = (value: number, mean: number) => (mean === 0 ? 1 : value / mean);

class RollingMean extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number, private readonly code: number, private readonly ratio: boolean) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    const x = numberOf(this.code, bar);
    this.window.push(x);
    if (!this.window.full) return;
    this.values[0] = this.ratio ? ratioOf(x, this.window.mean) : this.window.mean;
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

/** What distinguishes one rolling-mean indicator from another. */
export interface RollingMeanSpec {
  name: string;
  description: string;
  of: BarNumber;
  /** The bar's number over the mean instead of the mean. @default false */
  ratio?: boolean;
  defaultPeriod: number;
}

/** A rolling-mean indicator plugin. */
export function rollingMeanIndicator(spec: RollingMeanSpec) {
  const code = CODES[spec.of];
  const ratio = spec.ratio ?? false;
  return defineIndicator({
    name: spec.name,
    description: spec.description,
    outputs: ["value"],
    params: v.strictObject({ period: period(spec.defaultPeriod) }),
    lookback: (p) => p.period,
    create: (p) => new RollingMean(p.period, code, ratio),
    batch(bars, p) {
      const [out] = outputColumns(1, bars.close.length);
      const values = spec.of === "range" ? Float64Array.from(bars.high, (h, i) => h - bars.low[i]!) : bars[spec.of];
      for (let i = p.period - 1; i < values.length; i++) {
        const mean = meanOf(values, i - p.period + 1, i);
        out![i] = ratio ? ratioOf(values[i]!, mean) : mean;
      }
      return [out!];
    },
  });
}
