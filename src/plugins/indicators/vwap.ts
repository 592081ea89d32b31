/**
 * Volume-weighted average price of the session: cumulative typical price x volume over cumulative
 * volume, reset at each session's start. Each symbol has its own instance (the original shared one).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { common } from "./_lib/params.ts";

class Vwap extends IndicatorState {
  private pv = 0;
  private volume = 0;
  constructor() {
    super(1);
  }
  update(bar: IndicatorBar): void {
    this.pv += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
    this.volume += bar.volume;
    if (this.volume > 0) {
      this.values[0] = this.pv / this.volume;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.pv = 0;
    this.volume = 0;
  }
}

export const vwap = defineIndicator({
  name: "vwap",
  description: "Session VWAP of the typical price (H+L+C)/3, reset each session; NaN until some volume trades.",
  outputs: ["value"],
  params: v.strictObject({ ...common }),
  resetEachSession: () => true,
  lookback: () => 1,
  create: () => new Vwap(),
  batch(bars) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = 0; i < bars.close.length; i++) {
      let pv = 0;
      let volume = 0;
      for (let j = 0; j <= i; j++) {
        pv += ((bars.high[j]! + bars.low[j]! + bars.close[j]!) / 3) * bars.volume[j]!;
        volume += bars.volume[j]!;
      }
      if (volume > 0) out![i] = pv / volume;
    }
    return [out!];
  },
});
