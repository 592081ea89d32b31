/**
 * Swing points without look-ahead: the bar `period` bars back is a swing high (low) when its high
 * (low) is >= (<=) that of every bar within `period` on both sides, so a swing is known only
 * `period` bars after it happened. The value is the latest confirmed swing's price.
 */
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar, type IndicatorPlugin } from "../../../core/indicators/define.ts";
import { RollingWindow } from "./rolling.ts";
import * as v from "valibot";
import { period } from "./params.ts";

class Swing extends IndicatorState {
  private readonly window: RollingWindow;
  constructor(private readonly n: number, private readonly high: boolean) {
    super(1);
    this.window = new RollingWindow(2 * n + 1);
  }
  update(bar: IndicatorBar): void {
    this.window.push(this.high ? bar.high : bar.low);
    if (!this.window.full) return;
    const center = this.window.at(this.n);
    let isSwing = true;
    for (let k = 0; k < 2 * this.n + 1 && isSwing; k++) {
      if (k === this.n) continue;
      const other = this.window.at(k);
      isSwing = this.high ? center >= other : center <= other;
    }
    if (isSwing) {
      this.values[0] = center;
      this.ready = true;
    }
  }
  protected clear(): void {
    this.window.clear();
  }
}

/** The swing_high or swing_low plugin. */
export function swingIndicator(name: "swing_high" | "swing_low"): IndicatorPlugin {
  const high = name === "swing_high";
  return defineIndicator({
    name,
    description: `The latest confirmed swing ${high ? "high" : "low"} (${high ? "a high >= every high" : "a low <= every low"} within \`period\` bars on both sides, default 5), known \`period\` bars later.`,
    outputs: ["value"],
    params: v.strictObject({ period: period(5) }),
    lookback: (p) => 2 * p.period + 1,
    create: (p) => new Swing(p.period, high),
    batch(bars, p) {
      const n = p.period;
      const series = high ? bars.high : bars.low;
      const [out] = outputColumns(1, series.length);
      let latest = NaN;
      for (let i = 2 * n; i < series.length; i++) {
        const c = i - n;
        let isSwing = true;
        for (let j = c - n; j <= c + n; j++) if (j !== c && (high ? series[c]! < series[j]! : series[c]! > series[j]!)) isSwing = false;
        if (isSwing) latest = series[c]!;
        out![i] = latest;
      }
      return [out!];
    },
  }) as unknown as IndicatorPlugin;
}
