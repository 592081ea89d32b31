/**
 * Relative strength index with Wilder's smoothing: the first average gain and loss are the means
 * of the first `period` changes (so the first value needs period + 1 closes), then
 * avg += (x - avg) / period. 50 when nothing moved. (The original used plain means: not Wilder.)
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { WilderAverage } from "./_lib/averages.ts";
import { period } from "./_lib/params.ts";

const rsiOf = (gain: number, loss: number) => (gain + loss === 0 ? 50 : (100 * gain) / (gain + loss));

class Rsi extends IndicatorState {
  private readonly gains: WilderAverage;
  private readonly losses: WilderAverage;
  private previous = NaN;
  constructor(n: number) {
    super(1);
    this.gains = new WilderAverage(n);
    this.losses = new WilderAverage(n);
  }
  update(bar: IndicatorBar): void {
    const close = bar.close;
    if (!Number.isNaN(this.previous)) {
      const change = close - this.previous;
      this.gains.push(change > 0 ? change : 0);
      this.losses.push(change < 0 ? -change : 0);
      if (this.gains.ready) {
        this.values[0] = rsiOf(this.gains.value, this.losses.value);
        this.ready = true;
      }
    }
    this.previous = close;
  }
  protected clear(): void {
    this.gains.clear();
    this.losses.clear();
    this.previous = NaN;
  }
}

export const rsi = defineIndicator({
  name: "rsi",
  description: "Wilder's RSI of the close (default period 14).",
  outputs: ["value"],
  params: v.strictObject({ period: period(14) }),
  lookback: (p) => p.period + 1,
  create: (p) => new Rsi(p.period),
  batch(bars, p) {
    const n = p.period;
    const [out] = outputColumns(1, bars.close.length);
    if (bars.close.length <= n) return [out!];
    let gain = 0;
    let loss = 0;
    for (let i = 1; i <= n; i++) {
      const change = bars.close[i]! - bars.close[i - 1]!;
      gain += Math.max(change, 0);
      loss += Math.max(-change, 0);
    }
    gain /= n;
    loss /= n;
    out![n] = rsiOf(gain, loss);
    for (let i = n + 1; i < bars.close.length; i++) {
      const change = bars.close[i]! - bars.close[i - 1]!;
      gain = (gain * (n - 1) + Math.max(change, 0)) / n;
      loss = (loss * (n - 1) + Math.max(-change, 0)) / n;
      out![i] = rsiOf(gain, loss);
    }
    return [out!];
  },
});
