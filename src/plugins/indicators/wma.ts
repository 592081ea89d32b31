/** Linearly weighted moving average of closes (weights 1 .. period, the newest heaviest). */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningWma } from "./_lib/averages.ts";
import { period } from "./_lib/params.ts";
import { wmaSeries } from "./_lib/series.ts";

class Wma extends IndicatorState {
  private readonly wma: RunningWma;
  constructor(n: number) {
    super(1);
    this.wma = new RunningWma(n);
  }
  update(bar: IndicatorBar): void {
    const value = this.wma.push(bar.close);
    if (this.wma.ready) {
      this.values[0] = value;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.wma.clear();
  }
}

export const wma = defineIndicator({
  name: "wma",
  description: "Weighted moving average of the close over `period` bars (default 20).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20) }),
  lookback: (p) => p.period,
  create: (p) => new Wma(p.period),
  batch(bars, p) {
    return [wmaSeries(bars.close, p.period)];
  },
});
