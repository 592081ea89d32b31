/** Momentum: C - C[period ago]. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { LaggedClose } from "./_lib/lagged.ts";
import { period } from "./_lib/params.ts";

class Mom extends IndicatorState {
  private readonly lag: LaggedClose;
  constructor(n: number) {
    super(1);
    this.lag = new LaggedClose(n);
  }
  update(bar: IndicatorBar): void {
    this.lag.push(bar.close);
    if (!this.lag.ready) return;
    this.values[0] = bar.close - this.lag.past;
    this.ready = true;
  }
  protected clear(): void {
    this.lag.clear();
  }
}

export const mom = defineIndicator({
  name: "mom",
  description: "Momentum of the close over `period` bars (default 10).",
  outputs: ["value"],
  params: v.strictObject({ period: period(10) }),
  lookback: (p) => p.period + 1,
  create: (p) => new Mom(p.period),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period; i < bars.close.length; i++) out![i] = bars.close[i]! - bars.close[i - p.period]!;
    return [out!];
  },
});
