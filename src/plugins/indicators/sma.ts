/** Simple moving average of closes over `period` bars. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

class Sma extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    this.window.push(bar.close);
    if (this.window.full) {
      this.values[0] = this.window.mean;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.window.clear();
  }
}

export const sma = defineIndicator({
  name: "sma",
  description: "Simple moving average of the close over `period` bars (default 20).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new Sma(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) {
      let sum = 0;
      for (let j = i - p.period + 1; j <= i; j++) sum += bars.close[j]!;
      out![i] = sum / p.period;
    }
    return [out!];
  },
});
