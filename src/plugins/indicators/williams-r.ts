/** Williams %R: -100 (highest high - C) / (highest high - lowest low) over `period`; -50 when flat. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingRange } from "./_lib/rolling-range.ts";
import { extremesOf } from "./_lib/series.ts";

const percentR = (close: number, high: number, low: number) => (high === low ? -50 : (-100 * (high - close)) / (high - low));

class WilliamsR extends IndicatorState {
  private readonly range: RollingRange;
  constructor(n: number) {
    super(1);
    this.range = new RollingRange(n);
  }
  update(bar: IndicatorBar): void {
    this.range.push(bar.high, bar.low);
    if (!this.range.full) return;
    this.values[0] = percentR(bar.close, this.range.high, this.range.low);
    this.ready = true;
  }
  protected clear(): void {
    this.range.clear();
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
      const { high, low } = extremesOf(bars.high, bars.low, i - p.period + 1, i);
      out![i] = percentR(bars.close[i]!, high, low);
    }
    return [out!];
  },
});
