/**
 * Exponential moving average, alpha = 2 / (period + 1). `seed: sma` (default, TA-Lib and most
 * platforms) starts from the mean of the first `period` closes; `seed: first` (Tulip, A-to-Z)
 * starts from the first close and is ready at once.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningEma } from "./_lib/averages.ts";
import { period, seed } from "./_lib/params.ts";

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

/** EMA of a whole series by its definition (used by several batch forms). */
export function emaSeries(input: ArrayLike<number>, n: number, s: "sma" | "first", start = 0, alpha = 2 / (n + 1)): Float64Array {
  const out = new Float64Array(input.length).fill(NaN);
  if (s === "first") {
    if (start >= input.length) return out;
    out[start] = input[start]!;
    for (let i = start + 1; i < input.length; i++) out[i] = alpha * input[i]! + (1 - alpha) * out[i - 1]!;
    return out;
  }
  const first = start + n - 1;
  if (first >= input.length) return out;
  let sum = 0;
  for (let i = start; i <= first; i++) sum += input[i]!;
  out[first] = sum / n;
  for (let i = first + 1; i < input.length; i++) out[i] = alpha * input[i]! + (1 - alpha) * out[i - 1]!;
  return out;
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
