/** Range ratio (historical): the last day's range over the mean range of the last `period` days (itself included); 1 when that mean is 0. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";
import { meanRange } from "./avg-range.ts";

const ratio = (range: number, mean: number) => (mean === 0 ? 1 : range / mean);

class RangeRatio extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    this.window.push(bar.high - bar.low);
    if (!this.window.full) return;
    this.values[0] = ratio(bar.high - bar.low, this.window.mean);
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

export const rangeRatio = defineIndicator({
  name: "range_ratio",
  description: "The last day's range over its `period`-day mean range (default 20); > 1 means expansion.",
  scope: "historical",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new RangeRatio(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = ratio(bars.high[i]! - bars.low[i]!, meanRange(bars.high, bars.low, i - p.period + 1, i));
    return [out!];
  },
});
