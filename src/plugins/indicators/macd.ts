/**
 * MACD: EMA(fast) - EMA(slow), its EMA(signal), and the histogram. Two conventions:
 * `standard` (TA-Lib): the slow EMA starts from the mean of the first `slow` closes and the fast
 * one from the mean of the `fast` closes ending at the same bar; the signal starts from the mean
 * of the first `signal` MACD values; first output at bar slow + signal - 2.
 * `tulip` (Tulip, A-to-Z): both EMAs start from the first close (alphas 0.15 / 0.075 for 12 / 26,
 * as MetaStock), the signal from the first MACD value; first output at bar slow - 1.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningEma } from "./_lib/averages.ts";
import { bars as barCount, common } from "./_lib/params.ts";
import { emaSeries } from "./_lib/series.ts";

const params = v.pipe(
  v.strictObject({
    ...common,
    fast: v.optional(barCount(1), 12),
    slow: v.optional(barCount(2), 26),
    signal: v.optional(barCount(1), 9),
    convention: v.optional(v.picklist(["standard", "tulip"]), "standard"),
  }),
  v.check((p) => p.fast < p.slow, "fast must be shorter than slow"),
);
type Params = v.InferOutput<typeof params>;

/** The EMA weights a convention uses. */
function alphas(p: Params): { fast: number; slow: number; signal: number } {
  const tulipDefault = p.convention === "tulip" && p.fast === 12 && p.slow === 26;
  return { fast: tulipDefault ? 0.15 : 2 / (p.fast + 1), slow: tulipDefault ? 0.075 : 2 / (p.slow + 1), signal: 2 / (p.signal + 1) };
}

class Macd extends IndicatorState {
  private readonly fastEma: RunningEma;
  private readonly slowEma: RunningEma;
  private readonly signalEma: RunningEma;
  private bars = 0;
  constructor(private readonly p: Params) {
    super(3);
    const a = alphas(p);
    const seed = p.convention === "tulip" ? "first" : "sma";
    this.fastEma = new RunningEma(p.fast, seed, a.fast);
    this.slowEma = new RunningEma(p.slow, seed, a.slow);
    this.signalEma = new RunningEma(p.signal, seed, a.signal);
  }
  update(bar: IndicatorBar): void {
    const i = this.bars++;
    // Standard: the fast EMA's seed window ends where the slow one's does.
    if (this.p.convention === "tulip" || i >= this.p.slow - this.p.fast) this.fastEma.push(bar.close);
    this.slowEma.push(bar.close);
    if (i < this.p.slow - 1) return;
    const macd = this.fastEma.value - this.slowEma.value;
    const signal = this.signalEma.push(macd);
    if (!this.signalEma.ready) return;
    this.values[0] = macd;
    this.values[1] = signal;
    this.values[2] = macd - signal;
    this.ready = true;
  }
  protected clear(): void {
    this.bars = 0;
    this.fastEma.clear();
    this.slowEma.clear();
    this.signalEma.clear();
  }
}

export const macd = defineIndicator({
  name: "macd",
  description: "MACD line, signal and histogram of the close (fast 12, slow 26, signal 9; convention standard or tulip).",
  outputs: ["macd", "signal", "histogram"],
  params,
  lookback: (p) => (p.convention === "tulip" ? p.slow : p.slow + p.signal - 1),
  create: (p) => new Macd(p),
  batch(bars, p) {
    const n = bars.close.length;
    const out = outputColumns(3, n);
    const a = alphas(p);
    const seed = p.convention === "tulip" ? "first" : "sma";
    const fast = emaSeries(bars.close, p.fast, seed, seed === "first" ? 0 : p.slow - p.fast, a.fast);
    const slow = emaSeries(bars.close, p.slow, seed, 0, a.slow);
    const line = new Float64Array(n).fill(NaN);
    for (let i = p.slow - 1; i < n; i++) line[i] = fast[i]! - slow[i]!;
    const signal = emaSeries(line, p.signal, seed, p.slow - 1, a.signal);
    const first = seed === "first" ? p.slow - 1 : p.slow + p.signal - 2;
    for (let i = first; i < n; i++) {
      out[0]![i] = line[i]!;
      out[1]![i] = signal[i]!;
      out[2]![i] = line[i]! - signal[i]!;
    }
    return out;
  },
});
