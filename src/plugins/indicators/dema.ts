/**
 * Double exponential moving average: 2 EMA - EMA(EMA). `seed: sma` (TA-Lib): each EMA starts from
 * the mean of its first `period` inputs, first value at bar 2 (period - 1); `seed: first`
 * (Tulip): the EMA starts from the first close and EMA(EMA) from the EMA at bar period - 1.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningEma } from "./_lib/averages.ts";
import { period, seed } from "./_lib/params.ts";
import { emaSeries } from "./ema.ts";

/** A chain of `depth` EMAs, each fed the previous one's value once that is ready. */
export class EmaChain {
  readonly levels: RunningEma[];
  private bars = 0;
  constructor(readonly period: number, readonly seed: "sma" | "first", depth: number) {
    this.levels = Array.from({ length: depth }, () => new RunningEma(period, seed));
  }
  push(x: number): void {
    const { levels } = this;
    this.bars++;
    levels[0]!.push(x);
    for (let k = 1; k < levels.length; k++) {
      // Tulip starts level k at bar k (period - 1) from the level below; SMA seeding starts it once that is ready.
      const start = this.seed === "first" ? this.bars - 1 >= k * (this.period - 1) : levels[k - 1]!.ready;
      if (start) levels[k]!.push(levels[k - 1]!.value);
    }
  }
  /** True once the last level has a value and the first output index is reached. */
  get ready(): boolean {
    // Tulip's first output is at bar depth (period - 1); with SMA seeds the deepest level decides.
    return this.seed === "first" ? this.bars - 1 >= this.levels.length * (this.period - 1) : this.levels[this.levels.length - 1]!.ready;
  }
  clear(): void {
    this.bars = 0;
    for (const level of this.levels) level.clear();
  }
}

class Dema extends IndicatorState {
  private readonly chain: EmaChain;
  constructor(n: number, s: "sma" | "first") {
    super(1);
    this.chain = new EmaChain(n, s, 2);
  }
  update(bar: IndicatorBar): void {
    this.chain.push(bar.close);
    if (this.chain.ready) {
      const [e1, e2] = this.chain.levels;
      this.values[0] = 2 * e1!.value - e2!.value;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.chain.clear();
  }
}

/** Levels of nested EMAs over a series, by definition (for the batch forms of DEMA and TEMA). */
export function nestedEmas(close: ArrayLike<number>, n: number, s: "sma" | "first", depth: number): Float64Array[] {
  const levels: Float64Array[] = [emaSeries(close, n, s)];
  for (let k = 1; k < depth; k++) levels.push(emaSeries(levels[k - 1]!, n, s, k * (n - 1)));
  return levels;
}

export const dema = defineIndicator({
  name: "dema",
  description: "Double exponential moving average of the close (default period 20; seed sma or first).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20), seed }),
  lookback: (p) => 2 * (p.period - 1) + 1,
  create: (p) => new Dema(p.period, p.seed),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    const [e1, e2] = nestedEmas(bars.close, p.period, p.seed, 2);
    for (let i = 2 * (p.period - 1); i < bars.close.length; i++) out![i] = 2 * e1![i]! - e2![i]!;
    return [out!];
  },
});
