/**
 * On-balance volume: starts at 0 and adds (subtracts) a bar's volume when its close is above
 * (below) the previous close. Cumulative from the session's start, as in the original
 * (`session_reset: false` keeps it running across sessions).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { common } from "./_lib/params.ts";

class Obv extends IndicatorState {
  private previous = NaN;
  private total = 0;
  constructor() {
    super(1);
  }
  update(bar: IndicatorBar): void {
    if (!Number.isNaN(this.previous)) {
      if (bar.close > this.previous) this.total += bar.volume;
      else if (bar.close < this.previous) this.total -= bar.volume;
    }
    this.previous = bar.close;
    this.values[0] = this.total;
    this.ready = true;
  }
  protected clear(): void {
    this.previous = NaN;
    this.total = 0;
  }
}

export const obv = defineIndicator({
  name: "obv",
  description: "On-balance volume, from 0 at the first bar (reset each session unless session_reset: false).",
  outputs: ["value"],
  params: v.strictObject({ ...common, session_reset: v.optional(v.boolean(), true) }),
  resetEachSession: (p) => p.session_reset,
  lookback: () => 1,
  create: () => new Obv(),
  batch(bars) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = 0; i < bars.close.length; i++) {
      let total = 0;
      for (let j = 1; j <= i; j++) total += bars.close[j]! > bars.close[j - 1]! ? bars.volume[j]! : bars.close[j]! < bars.close[j - 1]! ? -bars.volume[j]! : 0;
      out![i] = total;
    }
    return [out!];
  },
});
