/**
 * Bollinger bands: middle = SMA(close, period), upper / lower = middle +/- num_std x standard
 * deviation (population, as Bollinger, Tulip and TA-Lib), bandwidth = (upper - lower) / middle.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { deviationOf, RollingVariance } from "./_lib/rolling-variance.ts";

const params = v.strictObject({ period: period(20, 2), num_std: v.optional(v.pipe(v.number(), v.gtValue(0)), 2) });

class Bbands extends IndicatorState {
  private readonly stats: RollingVariance;
  constructor(n: number, private readonly k: number) {
    super(4);
    this.stats = new RollingVariance(n);
  }
  update(bar: IndicatorBar): void {
    this.stats.push(bar.close);
    if (!this.stats.full) return;
    const middle = this.stats.average;
    const width = this.k * this.stats.deviation();
    this.values[0] = middle - width;
    this.values[1] = middle;
    this.values[2] = middle + width;
    this.values[3] = (2 * width) / middle;
    this.ready = true;
  }
  protected clear(): void {
    this.stats.clear();
  }
}

export const bbands = defineIndicator({
  name: "bbands",
  description: "Bollinger bands (period 20, num_std 2): lower, middle, upper, bandwidth.",
  outputs: ["lower", "middle", "upper", "bandwidth"],
  params,
  lookback: (p) => p.period,
  create: (p) => new Bbands(p.period, p.num_std),
  batch(bars, p) {
    const out = outputColumns(4, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) {
      let sum = 0;
      for (let j = i - p.period + 1; j <= i; j++) sum += bars.close[j]!;
      const middle = sum / p.period;
      const width = p.num_std * deviationOf(bars.close, i - p.period + 1, i);
      out[0]![i] = middle - width;
      out[1]![i] = middle;
      out[2]![i] = middle + width;
      out[3]![i] = (2 * width) / middle;
    }
    return out;
  },
});
