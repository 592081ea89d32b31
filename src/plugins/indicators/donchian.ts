/** Donchian channels over `period` bars: upper = highest high, lower = lowest low, middle = their mean. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingRange } from "./_lib/rolling-range.ts";
import { extremesOf } from "./_lib/series.ts";

class Donchian extends IndicatorState {
  private readonly range: RollingRange;
  constructor(n: number) {
    super(3);
    this.range = new RollingRange(n);
  }
  update(bar: IndicatorBar): void {
    const range = this.range;
    range.push(bar.high, bar.low);
    if (!range.full) return;
    this.values[0] = range.low;
    this.values[1] = (range.high + range.low) / 2;
    this.values[2] = range.high;
    this.ready = true;
  }
  protected clear(): void {
    this.range.clear();
  }
}

export const donchian = defineIndicator({
  name: "donchian",
  description: "Donchian channels over `period` bars (default 20): lower, middle, upper.",
  outputs: ["lower", "middle", "upper"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new Donchian(p.period),
  batch(bars, p) {
    const out = outputColumns(3, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) {
      const { high, low } = extremesOf(bars.high, bars.low, i - p.period + 1, i);
      out[0]![i] = low;
      out[1]![i] = (high + low) / 2;
      out[2]![i] = high;
    }
    return out;
  },
});
