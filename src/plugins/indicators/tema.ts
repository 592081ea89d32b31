/** Triple exponential moving average: 3 EMA - 3 EMA(EMA) + EMA(EMA(EMA)); seeds as for DEMA. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period, seed } from "./_lib/params.ts";
import { EmaChain } from "./_lib/averages.ts";
import { nestedEmas } from "./_lib/series.ts";

class Tema extends IndicatorState {
  private readonly chain: EmaChain;
  constructor(n: number, s: "sma" | "first") {
    super(1);
    this.chain = new EmaChain(n, s, 3);
  }
  update(bar: IndicatorBar): void {
    this.chain.push(bar.close);
    if (this.chain.ready) {
      const [e1, e2, e3] = this.chain.levels;
      this.values[0] = 3 * e1!.value - 3 * e2!.value + e3!.value;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.chain.clear();
  }
}

export const tema = defineIndicator({
  name: "tema",
  description: "Triple exponential moving average of the close (default period 20; seed sma or first).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20), seed }),
  lookback: (p) => 3 * (p.period - 1) + 1,
  create: (p) => new Tema(p.period, p.seed),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    const [e1, e2, e3] = nestedEmas(bars.close, p.period, p.seed, 3);
    for (let i = 3 * (p.period - 1); i < bars.close.length; i++) out![i] = 3 * e1![i]! - 3 * e2![i]! + e3![i]!;
    return [out!];
  },
});
