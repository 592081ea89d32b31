/** Williams %R: -100 (highest high - C) / (highest high - lowest low) over `period`; -50 when flat. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingExtreme } from "./_lib/rolling.ts";

const percentR = (close: number, high: number, low: number) => (high === low ? -50 : (-100 * (high - close)) / (high - low));

class WilliamsR extends IndicatorState {
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;
  constructor(n: number) {
    super(1);
    this.highs = new RollingExtreme(n, true);
    this.lows = new RollingExtreme(n, false);
  }
  update(bar: IndicatorBar): void {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return;
    this.values[0] = percentR(bar.close, this.highs.value, this.lows.value);
    this.ready = true;
  }
  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
  }
}

export const williamsR = defineIndicator({
  name: "williams_r",
  description: "Williams %R over `period` bars (default 14), from -100 to 0.",
  outputs: ["value"],
  params: v.strictObject({ period: period(14) }),
  lookback: (p) => p.period,
  create: (p) => new WilliamsR(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) {
      let high = -Infinity;
      let low = Infinity;
      for (let j = i - p.period + 1; j <= i; j++) {
        high = Math.max(high, bars.high[j]!);
        low = Math.min(low, bars.low[j]!);
      }
      out![i] = percentR(bars.close[i]!, high, low);
    }
    return [out!];
  },
});
