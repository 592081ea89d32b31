/**
 * Average true range with Wilder's smoothing: the first value is the mean true range of the
 * first `period` bars (the first bar's true range is high - low), then atr += (TR - atr) / period.
 * (The original used a plain mean of true ranges.)
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { trueRange, WilderAverage } from "./_lib/averages.ts";
import { period } from "./_lib/params.ts";

/** Running Wilder ATR, shared with Keltner channels and the daily ATR. */
export class RunningAtr {
  private readonly average: WilderAverage;
  private previous = NaN;
  constructor(n: number) {
    this.average = new WilderAverage(n);
  }
  push(high: number, low: number, close: number): number {
    const value = this.average.push(trueRange(high, low, this.previous));
    this.previous = close;
    return value;
  }
  get ready(): boolean {
    return this.average.ready;
  }
  get value(): number {
    return this.average.value;
  }
  clear(): void {
    this.average.clear();
    this.previous = NaN;
  }
}

class Atr extends IndicatorState {
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

/** Wilder ATR of whole columns, by definition. */
export function atrSeries(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, n: number): Float64Array {
  const length = close.length;
  const out = new Float64Array(length).fill(NaN);
  if (length < n) return out;
  const tr = (i: number) => (i === 0 ? high[0]! - low[0]! : Math.max(high[i]!, close[i - 1]!) - Math.min(low[i]!, close[i - 1]!));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += tr(i);
  out[n - 1] = sum / n;
  for (let i = n; i < length; i++) out[i] = (out[i - 1]! * (n - 1) + tr(i)) / n;
  return out;
}

export const atr = defineIndicator({
  name: "atr",
  description: "Wilder's average true range (default period 14).",
  outputs: ["value"],
  params: v.strictObject({ period: period(14) }),
  lookback: (p) => p.period,
  create: (p) => new Atr(p.period),
  batch(bars, p) {
    const out = outputColumns(1, bars.close.length);
    out[0]!.set(atrSeries(bars.high, bars.low, bars.close, p.period));
    return out;
  },
});
