/** Donchian channels over `period` bars: upper = highest high, lower = lowest low, middle = their mean. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingExtreme } from "./_lib/rolling.ts";

class Donchian extends IndicatorState {
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;
  constructor(n: number) {
    super(3);
    this.highs = new RollingExtreme(n, true);
    this.lows = new RollingExtreme(n, false);
  }
  update(bar: IndicatorBar): void {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return;
    this.values[0] = this.lows.value;
    this.values[1] = (this.highs.value + this.lows.value) / 2;
    this.values[2] = this.highs.value;
    this.ready = true;
  }
  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
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
      let high = -Infinity;
      let low = Infinity;
      for (let j = i - p.period + 1; j <= i; j++) {
        high = Math.max(high, bars.high[j]!);
        low = Math.min(low, bars.low[j]!);
      }
      out[0]![i] = low;
      out[1]![i] = (high + low) / 2;
      out[2]![i] = high;
    }
    return out;
  },
});
