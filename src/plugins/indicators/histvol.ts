/**
 * Historical volatility: the standard deviation (population) of the last `period` log returns,
 * annualized by sqrt(annualization) and in percent. `annualization` is bars per year: 252 for
 * daily bars (the default), 252 x 390 for one-minute bars of a full NYSE day.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { deviationOf, RollingVariance } from "./_lib/rolling-variance.ts";

class HistVol extends IndicatorState {
  private readonly stats: RollingVariance;
  private previous = NaN;
  private readonly scale: number;
  constructor(n: number, annualization: number) {
    super(1);
    this.stats = new RollingVariance(n);
    this.scale = Math.sqrt(annualization) * 100;
  }
  update(bar: IndicatorBar): void {
    const previous = this.previous;
    this.previous = bar.close;
    if (Number.isNaN(previous)) return;
    this.stats.push(Math.log(bar.close / previous));
    if (!this.stats.full) return;
    this.values[0] = this.stats.deviation() * this.scale;
    this.ready = true;
  }
  protected clear(): void {
    this.stats.clear();
    this.previous = NaN;
  }
}

export const histvol = defineIndicator({
  name: "histvol",
  description: "Annualized historical volatility in percent of `period` log returns (default 20; annualization 252).",
  outputs: ["value"],
  params: v.strictObject({ period: period(20, 2), annualization: v.optional(v.pipe(v.number(), v.gtValue(0)), 252) }),
  lookback: (p) => p.period + 1,
  create: (p) => new HistVol(p.period, p.annualization),
  batch(bars, p) {
    const n = bars.close.length;
    const [out] = outputColumns(1, n);
    const returns = new Float64Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) returns[i - 1] = Math.log(bars.close[i]! / bars.close[i - 1]!);
    for (let i = p.period; i < n; i++) out![i] = deviationOf(returns, i - p.period, i - 1) * Math.sqrt(p.annualization) * 100;
    return [out!];
  },
});
