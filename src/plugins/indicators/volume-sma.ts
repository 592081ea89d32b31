/** Simple moving average of volume over `period` bars. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

class VolumeSma extends IndicatorState {
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

/** Mean of values[from .. to] (inclusive). */
export function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i <= to; i++) sum += values[i]!;
  return sum / (to - from + 1);
}

export const volumeSma = defineIndicator({
  name: "volume_sma",
  description: "Simple moving average of volume over `period` bars (default 20).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new VolumeSma(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = meanOf(bars.volume, i - p.period + 1, i);
    return [out!];
  },
});
