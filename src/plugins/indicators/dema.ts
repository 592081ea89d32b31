/**
 * Double exponential moving average: 2 EMA - EMA(EMA). `seed: sma` (TA-Lib): each EMA starts from
 * the mean of its first `period` inputs, first value at bar 2 (period - 1); `seed: first`
 * (Tulip): the EMA starts from the first close and EMA(EMA) from the EMA at bar period - 1.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { EmaChain } from "./_lib/averages.ts";
import { period, seed } from "./_lib/params.ts";
import { nestedEmas } from "./_lib/series.ts";

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
