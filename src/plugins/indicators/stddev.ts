/** Standard deviation of the close over `period` bars: population by default (Tulip, TA-Lib), `sample: true` for N - 1. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { deviationOf, RollingVariance } from "./_lib/rolling-variance.ts";

class Stddev extends IndicatorState {
  private readonly stats: RollingVariance;
  constructor(n: number, private readonly sample: boolean) {
    super(1);
    this.stats = new RollingVariance(n);
  }
  update(bar: IndicatorBar): void {
    this.stats.push(bar.close);
    if (!this.stats.full) return;
    this.values[0] = this.stats.deviation(this.sample);
    this.ready = true;
  }
  protected clear(): void {
    this.stats.clear();
  }
}

export const stddev = defineIndicator({
  name: "stddev",
  description: "Standard deviation of the close over `period` bars (default 20; sample false).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20, 2), sample: v.optional(v.boolean(), false) }),
  lookback: (p) => p.period,
  create: (p) => new Stddev(p.period, p.sample),
  batch(bars, p) {
    const [out] = outputColumns(1, bars.close.length);
    for (let i = p.period - 1; i < bars.close.length; i++) out![i] = deviationOf(bars.close, i - p.period + 1, i, p.sample);
    return [out!];
  },
});
