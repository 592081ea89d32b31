/**
 * Commodity channel index: (TP - SMA(TP)) / (0.015 x mean absolute deviation of TP from that SMA),
 * TP = (H + L + C) / 3, over `period` bars; 0 when the window is flat. The mean deviation is
 * recomputed over the window each bar (O(period)); the window itself is a preallocated ring.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

class Cci extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(private readonly n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    const tp = (bar.high + bar.low + bar.close) / 3;
    this.window.push(tp);
    if (!this.window.full) return;
    const mean = this.window.mean;
    let deviation = 0;
    for (let k = 0; k < this.n; k++) deviation += Math.abs(this.window.at(k) - mean);
    deviation /= this.n;
    this.values[0] = deviation === 0 ? 0 : (tp - mean) / (0.015 * deviation);
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

export const cci = defineIndicator({
  name: "cci",
  description: "Commodity channel index of the typical price (default period 20).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new Cci(p.period),
  batch(bars, p) {
    const n = bars.close.length;
    const [out] = outputColumns(1, n);
    const tp = Float64Array.from({ length: n }, (_, i) => (bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3);
    for (let i = p.period - 1; i < n; i++) {
      let sum = 0;
      for (let j = i - p.period + 1; j <= i; j++) sum += tp[j]!;
      const mean = sum / p.period;
      let deviation = 0;
      for (let j = i - p.period + 1; j <= i; j++) deviation += Math.abs(tp[j]! - mean);
      deviation /= p.period;
      out![i] = deviation === 0 ? 0 : (tp[i]! - mean) / (0.015 * deviation);
    }
    return [out!];
  },
});
