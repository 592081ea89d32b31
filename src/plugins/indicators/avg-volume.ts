/** Average daily volume over the last `period` days (a historical indicator, computed before each session). */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";
import { meanOf } from "./volume-sma.ts";

class AvgVolume extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    this.window.push(bar.volume);
    if (!this.window.full) return;
    this.values[0] = this.window.mean;
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

export const avgVolume = defineIndicator({
  name: "avg_volume",
  description: "Mean daily volume over `period` days (default 20).",
  scope: "historical",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new AvgVolume(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = meanOf(bars.volume, i - p.period + 1, i);
    return [out!];
  },
});
