/**
 * Stochastic oscillator: fast %K = 100 (C - lowest low) / (highest high - lowest low) over
 * `period`, %K = SMA(fast %K, k_period) (the slow stochastic; 1 = fast), %D = SMA(%K, d_period).
 * 50 when the window has no range.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { bars as barCount, period } from "./_lib/params.ts";
import { RollingExtreme, RollingWindow } from "./_lib/rolling.ts";

const params = v.strictObject({ period: period(14), k_period: v.optional(barCount(1), 3), d_period: v.optional(barCount(1), 3) });
type Params = v.InferOutput<typeof params>;

const fastK = (close: number, high: number, low: number) => (high === low ? 50 : (100 * (close - low)) / (high - low));

class Stochastic extends IndicatorState {
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;
  private readonly k: RollingWindow;
  private readonly d: RollingWindow;
  constructor(p: Params) {
    super(2);
    this.highs = new RollingExtreme(p.period, true);
    this.lows = new RollingExtreme(p.period, false);
    this.k = new RollingWindow(p.k_period);
    this.d = new RollingWindow(p.d_period);
  }
  update(bar: IndicatorBar): void {
    this.highs.push(bar.high);
    this.lows.push(bar.low);
    if (!this.highs.full) return;
    this.k.push(fastK(bar.close, this.highs.value, this.lows.value));
    if (!this.k.full) return;
    const k = this.k.mean;
    this.d.push(k);
    if (!this.d.full) return;
    this.values[0] = k;
    this.values[1] = this.d.mean;
    this.ready = true;
  }
  protected clear(): void {
    this.highs.clear();
    this.lows.clear();
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
      let high = -Infinity;
      let low = Infinity;
      for (let j = i - p.period + 1; j <= i; j++) {
        high = Math.max(high, bars.high[j]!);
        low = Math.min(low, bars.low[j]!);
      }
      fast[i] = fastK(bars.close[i]!, high, low);
    }
    const mean = (series: Float64Array, i: number, w: number) => {
      let sum = 0;
      for (let j = i - w + 1; j <= i; j++) sum += series[j]!;
      return sum / w;
    };
    const k = new Float64Array(n).fill(NaN);
    for (let i = p.period + p.k_period - 2; i < n; i++) k[i] = mean(fast, i, p.k_period);
    for (let i = p.period + p.k_period + p.d_period - 3; i < n; i++) {
      out[0]![i] = k[i]!;
      out[1]![i] = mean(k, i, p.d_period);
    }
    return out;
  },
});
