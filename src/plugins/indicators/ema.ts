/**
 * Exponential moving average, alpha = 2 / (period + 1). `seed: sma` (default, TA-Lib and most
 * platforms) starts from the mean of the first `period` closes; `seed: first` (Tulip, A-to-Z)
 * starts from the first close and is ready at once.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningEma } from "./_lib/averages.ts";
import { period, seed } from "./_lib/params.ts";
import { emaSeries } from "./_lib/series.ts";

class Ema extends IndicatorState {
  private readonly ema: RunningEma;
  constructor(n: number, s: "sma" | "first") {
    super(1);
    this.ema = new RunningEma(n, s);
  }
  update(bar: IndicatorBar): void {
    this.ema.push(bar.close);
    if (this.ema.ready) {
      this.values[0] = this.ema.value;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.ema.clear();
  }
}

export const ema = defineIndicator({
  name: "ema",
  description: "Exponential moving average of the close (default period 9; seed sma or first).",
  outputs: ["value"],
  params: v.strictObject({ period: period(9), seed }),
  lookback: (p) => p.period,
  create: (p) => new Ema(p.period, p.seed),
  batch(bars, p) {
    const out = outputColumns(1, bars.close.length);
    out[0]!.set(emaSeries(bars.close, p.period, p.seed));
    return out;
  },
});
