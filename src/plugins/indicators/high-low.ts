/**
 * Highest high and lowest low of the last `period` bars. On daily bars with `unit: weeks` in the
 * historical list, the period is the trading days of that many weeks (52 weeks: the 52-week range).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingExtreme } from "./_lib/rolling.ts";

class HighLow extends IndicatorState {
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;
  constructor(n: number) {
    super(2);
    this.highs = new RollingExtreme(n, true);
    this.lows = new RollingExtreme(n, false);
  }
  update(bar: IndicatorBar): void {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return;
    this.values[0] = this.highs.value;
    this.values[1] = this.lows.value;
    this.ready = true;
  }
  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
  }
}

export const highLow = defineIndicator({
  name: "high_low",
  description: "Highest high and lowest low over `period` bars (default 20): high, low.",
  outputs: ["high", "low"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new HighLow(p.period),
  batch(bars, p) {
    const out = outputColumns(2, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) {
      let high = -Infinity;
      let low = Infinity;
      for (let j = i - p.period + 1; j <= i; j++) {
        high = Math.max(high, bars.high[j]!);
        low = Math.min(low, bars.low[j]!);
      }
      out[0]![i] = high;
      out[1]![i] = low;
    }
    return out;
  },
});
