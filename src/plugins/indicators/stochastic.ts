/**
 * Stochastic oscillator: fast %K = 100 (C - lowest low) / (highest high - lowest low) over
 * `period`, %K = SMA(fast %K, k_period) (the slow stochastic; 1 = fast), %D = SMA(%K, d_period).
 * 50 when the window has no range.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { bars as barCount, period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";
import { RollingRange } from "./_lib/rolling-range.ts";
import { extremesOf, meanOf } from "./_lib/series.ts";

const params = v.strictObject({ period: period(14), k_period: v.optional(barCount(1), 3), d_period: v.optional(barCount(1), 3) });
type Params = v.InferOutput<typeof params>;

const fastK = (close: number, high: number, low: number) => (high === low ? 50 : (100 * (close - low)) / (high - low));

class Stochastic extends IndicatorState {
  private readonly range: RollingRange;
  private readonly k: RollingWindow;
  private readonly d: RollingWindow;
  constructor(p: Params) {
    super(2);
    this.range = new RollingRange(p.period);
    this.k = new RollingWindow(p.k_period);
    this.d = new RollingWindow(p.d_period);
  }
  update(bar: IndicatorBar): void {
    this.range.push(bar.high, bar.low);
    if (!this.range.full) return;
    this.k.push(fastK(bar.close, this.range.high, this.range.low));
    if (!this.k.full) return;
    const k = this.k.mean;
    this.d.push(k);
    if (!this.d.full) return;
    this.values[0] = k;
    this.values[1] = this.d.mean;
    this.ready = true;
  }
  protected clear(): void {
    this.range.clear();
    this.k.clear();
    this.d.clear();
  }
}

export const stochastic = defineIndicator({
  name: "stochastic",
  description: "Slow stochastic %K and %D (period 14, k_period 3, d_period 3).",
  outputs: ["k", "d"],
  params,
  lookback: (p) => p.period + p.k_period + p.d_period - 2,
  create: (p) => new Stochastic(p),
  batch(bars, p) {
    const n = bars.close.length;
    const out = outputColumns(2, n);
    const fast = new Float64Array(n).fill(NaN);
    for (let i = p.period - 1; i < n; i++) {
      const { high, low } = extremesOf(bars.high, bars.low, i - p.period + 1, i);
      fast[i] = fastK(bars.close[i]!, high, low);
    }
    const mean = (series: Float64Array, i: number, w: number) => meanOf(series, i - w + 1, i);
    const k = new Float64Array(n).fill(NaN);
    for (let i = p.period + p.k_period - 2; i < n; i++) k[i] = mean(fast, i, p.k_period);
    for (let i = p.period + p.k_period + p.d_period - 3; i < n; i++) {
      out[0]![i] = k[i]!;
      out[1]![i] = mean(k, i, p.d_period);
    }
    return out;
  },
});
