/**
 * Highest high and lowest low of the last `period` bars. On daily bars with `unit: weeks` in the
 * historical list, the period is the trading days of that many weeks (52 weeks: the 52-week range).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingRange } from "./_lib/rolling-range.ts";
import { extremesOf } from "./_lib/series.ts";

class HighLow extends IndicatorState {
  private readonly range: RollingRange;
  constructor(n: number) {
    super(2);
    this.range = new RollingRange(n);
  }
  update(bar: IndicatorBar): void {
    this.range.push(bar.high, bar.low);
    if (!this.range.full) return;
    this.values[0] = this.range.high;
    this.values[1] = this.range.low;
    this.ready = true;
  }
  protected clear(): void {
    this.range.clear();
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
      const { high, low } = extremesOf(bars.high, bars.low, i - p.period + 1, i);
      out[0]![i] = high;
      out[1]![i] = low;
    }
    return out;
  },
});
