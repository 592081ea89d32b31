/** Average daily range (high - low) over the last `period` days (historical). */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

class AvgRange extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    this.window.push(bar.high - bar.low);
    if (!this.window.full) return;
    this.values[0] = this.window.mean;
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

/** Mean of (high - low) over rows from .. to (inclusive). */
export function meanRange(high: ArrayLike<number>, low: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i <= to; i++) sum += high[i]! - low[i]!;
  return sum / (to - from + 1);
}

export const avgRange = defineIndicator({
  name: "avg_range",
  description: "Mean daily range (high - low) over `period` days (default 10).",
  scope: "historical",
  outputs: ["value"],
  params: v.strictObject({ period: period(10) }),
  lookback: (p) => p.period,
  create: (p) => new AvgRange(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = meanRange(bars.high, bars.low, i - p.period + 1, i);
    return [out!];
  },
});
