/** Volume ratio: the bar's volume over the mean volume of the last `period` bars (itself included); 1 when that mean is 0. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";
import { meanOf } from "./volume-sma.ts";

const ratio = (volume: number, mean: number) => (mean === 0 ? 1 : volume / mean);

class VolumeRatio extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(n: number) {
    super(1);
    this.window = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    this.window.push(bar.volume);
    if (!this.window.full) return;
    this.values[0] = ratio(bar.volume, this.window.mean);
    this.ready = true;
  }
  protected clear(): void {
    this.window.clear();
  }
}

export const volumeRatio = defineIndicator({
  name: "volume_ratio",
  description: "Volume over its `period`-bar mean (default 20).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new VolumeRatio(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = ratio(bars.volume[i]!, meanOf(bars.volume, i - p.period + 1, i));
    return [out!];
  },
});
