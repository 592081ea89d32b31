/** Time-weighted average price of the session: the mean of the session's closes so far, reset each session. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { common } from "./_lib/params.ts";

class Twap extends IndicatorState {
  private sum = 0;
  private count = 0;
  constructor() {
    super(1);
  }
  update(bar: IndicatorBar): void {
    this.sum += bar.close;
    this.count++;
    this.values[0] = this.sum / this.count;
    this.ready = true;
  }
  protected clear(): void {
    this.sum = 0;
    this.count = 0;
  }
}

export const twap = defineIndicator({
  name: "twap",
  description: "Session TWAP: the mean close of the session's bars so far, reset each session.",
  outputs: ["value"],
  params: v.strictObject({ ...common }),
  resetEachSession: () => true,
  lookback: () => 1,
  create: () => new Twap(),
  batch(bars) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = 0; i < bars.close.length; i++) {
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += bars.close[j]!;
      out![i] = sum / (i + 1);
    }
    return [out!];
  },
});
