/**
 * Average true range with Wilder's smoothing: the first value is the mean true range of the
 * first `period` bars (the first bar's true range is high - low), then atr += (TR - atr) / period.
 * One computation behind `atr` (any interval), `atr_daily` (daily history) and Keltner channels.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../../core/indicators/define.ts";
import { trueRange, WilderAverage } from "./averages.ts";
import { period } from "./params.ts";
import { atrSeries } from "./series.ts";

/** Running Wilder ATR. */
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

/** An ATR indicator plugin (period 14 by default). */
export function atrIndicator(name: string, description: string) {
  return defineIndicator({
    name,
    description,
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
}
