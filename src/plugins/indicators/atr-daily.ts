/** Wilder's ATR over daily bars (historical): the same computation as `atr`, on the days before the session. */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { atrSeries, RunningAtr } from "./atr.ts";

class AtrDaily extends IndicatorState {
  private readonly atr: RunningAtr;
  constructor(n: number) {
    super(1);
    this.atr = new RunningAtr(n);
  }
  update(bar: IndicatorBar): void {
    this.atr.push(bar.high, bar.low, bar.close);
    if (!this.atr.ready) return;
    this.values[0] = this.atr.value;
    this.ready = true;
  }
  protected clear(): void {
    this.atr.clear();
  }
}

export const atrDaily = defineIndicator({
  name: "atr_daily",
  description: "Wilder's average true range of daily bars over `period` days (default 14).",
  scope: "historical",
  outputs: ["value"],
  params: v.strictObject({ period: period(14) }),
  lookback: (p) => p.period,
  create: (p) => new AtrDaily(p.period),
  batch(bars, p) {
    const out = outputColumns(1, bars.close.length);
    out[0]!.set(atrSeries(bars.high, bars.low, bars.close, p.period));
    return out;
  },
});
