/**
 * Hull moving average: WMA(2 WMA(n/2) - WMA(n), sqrt n), with its final smoothing (the original
 * returned the raw difference). Periods are floored as in Tulip: n/2 and sqrt n rounded down.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningWma } from "./_lib/averages.ts";
import { period } from "./_lib/params.ts";
import { wmaSeries } from "./_lib/series.ts";

const half = (n: number) => Math.max(1, Math.floor(n / 2));
const root = (n: number) => Math.max(1, Math.floor(Math.sqrt(n)));

class Hma extends IndicatorState {
  private readonly full: RunningWma;
  private readonly halfWma: RunningWma;
  private readonly smooth: RunningWma;
  constructor(n: number) {
    super(1);
    this.full = new RunningWma(n);
    this.halfWma = new RunningWma(half(n));
    this.smooth = new RunningWma(root(n));
  }
  update(bar: IndicatorBar): void {
    const a = this.halfWma.push(bar.close);
    const b = this.full.push(bar.close);
    if (!this.full.ready) return;
    const value = this.smooth.push(2 * a - b);
    if (this.smooth.ready) {
      this.values[0] = value;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.full.clear();
    this.halfWma.clear();
    this.smooth.clear();
  }
}

export const hma = defineIndicator({
  name: "hma",
  description: "Hull moving average of the close (default period 16).",
  outputs: ["value"],
  params: v.strictObject({ period: period(16, 2) }),
  lookback: (p) => p.period + root(p.period) - 1,
  create: (p) => new Hma(p.period),
  batch(bars, p) {
    const n = p.period;
    const full = wmaSeries(bars.close, n);
    const halfSeries = wmaSeries(bars.close, half(n));
    const diff = new Float64Array(bars.close.length - (n - 1) > 0 ? bars.close.length - (n - 1) : 0);
    for (let i = n - 1; i < bars.close.length; i++) diff[i - (n - 1)] = 2 * halfSeries[i]! - full[i]!;
    const smoothed = wmaSeries(diff, root(n));
    const out = new Float64Array(bars.close.length).fill(NaN);
    for (let i = 0; i < smoothed.length; i++) out[i + n - 1] = smoothed[i]!;
    return [out];
  },
});
