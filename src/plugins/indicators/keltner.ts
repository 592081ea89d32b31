/**
 * Keltner channels: middle = EMA(close, period) (SMA-seeded), upper / lower = middle +/-
 * atr_multiplier x Wilder ATR(atr_period, default = period).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { RunningEma } from "./_lib/averages.ts";
import { bars as barCount, period } from "./_lib/params.ts";
import { RunningAtr } from "./_lib/atr.ts";
import { atrSeries, emaSeries } from "./_lib/series.ts";

const params = v.strictObject({ period: period(20), atr_multiplier: v.optional(v.pipe(v.number(), v.gtValue(0)), 2), atr_period: v.optional(barCount(1)) });
type Params = v.InferOutput<typeof params>;
const atrPeriod = (p: Params) => p.atr_period ?? p.period;

class Keltner extends IndicatorState {
  private readonly ema: RunningEma;
  private readonly atr: RunningAtr;
  constructor(private readonly p: Params) {
    super(3);
    this.ema = new RunningEma(p.period, "sma");
    this.atr = new RunningAtr(atrPeriod(p));
  }
  update(bar: IndicatorBar): void {
    this.ema.push(bar.close);
    this.atr.push(bar.high, bar.low, bar.close);
    if (!this.ema.ready || !this.atr.ready) return;
    const width = this.p.atr_multiplier * this.atr.value;
    this.values[0] = this.ema.value - width;
    this.values[1] = this.ema.value;
    this.values[2] = this.ema.value + width;
    this.ready = true;
  }
  protected clear(): void {
    this.ema.clear();
    this.atr.clear();
  }
}

export const keltner = defineIndicator({
  name: "keltner",
  description: "Keltner channels (period 20, atr_multiplier 2, atr_period = period): lower, middle, upper.",
  outputs: ["lower", "middle", "upper"],
  params,
  lookback: (p) => Math.max(p.period, atrPeriod(p)),
  create: (p) => new Keltner(p),
  batch(bars, p) {
    const out = outputColumns(3, bars.close.length);
    const middle = emaSeries(bars.close, p.period, "sma");
    const range = atrSeries(bars.high, bars.low, bars.close, atrPeriod(p));
    for (let i = 0; i < bars.close.length; i++) {
      if (Number.isNaN(middle[i]!) || Number.isNaN(range[i]!)) continue;
      out[0]![i] = middle[i]! - p.atr_multiplier * range[i]!;
      out[1]![i] = middle[i]!;
      out[2]![i] = middle[i]! + p.atr_multiplier * range[i]!;
    }
    return out;
  },
});
