/** Price-volume trend: the running sum of volume x (C - previous C) / previous C, from 0 (reset each session unless session_reset: false). */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { common } from "./_lib/params.ts";

class Pvt extends IndicatorState {
  private previous = NaN;
  private total = 0;
  constructor() {
    super(1);
  }
  update(bar: IndicatorBar): void {
    if (!Number.isNaN(this.previous) && this.previous !== 0) this.total += (bar.volume * (bar.close - this.previous)) / this.previous;
    this.previous = bar.close;
    this.values[0] = this.total;
    this.ready = true;
  }
  protected clear(): void {
    this.previous = NaN;
    this.total = 0;
  }
}

export const pvt = defineIndicator({
  name: "pvt",
  description: "Price-volume trend, from 0 at the first bar (reset each session unless session_reset: false).",
  outputs: ["value"],
  params: v.strictObject({ ...common, session_reset: v.optional(v.boolean(), true) }),
  resetEachSession: (p) => p.session_reset,
  lookback: () => 1,
  create: () => new Pvt(),
  batch(bars) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = 0; i < bars.close.length; i++) {
      let total = 0;
      for (let j = 1; j <= i; j++) total += (bars.volume[j]! * (bars.close[j]! - bars.close[j - 1]!)) / bars.close[j - 1]!;
      out![i] = total;
    }
    return [out!];
  },
});
