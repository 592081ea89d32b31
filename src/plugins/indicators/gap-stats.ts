/**
 * Opening gaps over the last `period` days (historical): gap = open - previous close. Outputs the
 * mean gap, the mean gap in percent of the previous close, and the count of gaps up and down.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { period } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

class GapStats extends IndicatorState {
  private readonly gaps: RollingWindow;
  private readonly percents: RollingWindow;
  private readonly ups: RollingWindow;
  private readonly downs: RollingWindow;
  private previous = NaN;
  constructor(n: number) {
    super(4);
    this.gaps = new RollingWindow(n);
    this.percents = new RollingWindow(n);
    this.ups = new RollingWindow(n);
    this.downs = new RollingWindow(n);
  }
  update(bar: IndicatorBar): void {
    const previous = this.previous;
    this.previous = bar.close;
    if (Number.isNaN(previous)) return;
    const gap = bar.open - previous;
    this.gaps.push(gap);
    this.percents.push((100 * gap) / previous);
    this.ups.push(gap > 0 ? 1 : 0);
    this.downs.push(gap < 0 ? 1 : 0);
    if (!this.gaps.full) return;
    this.values[0] = this.gaps.mean;
    this.values[1] = this.percents.mean;
    this.values[2] = this.ups.sum;
    this.values[3] = this.downs.sum;
    this.ready = true;
  }
  protected clear(): void {
    for (const w of [this.gaps, this.percents, this.ups, this.downs]) w.clear();
    this.previous = NaN;
  }
}

export const gapStats = defineIndicator({
  name: "gap_stats",
  description: "Opening gaps over `period` days (default 30): avg_gap, avg_gap_pct, gap_up_count, gap_down_count.",
  outputs: ["avg_gap", "avg_gap_pct", "gap_up_count", "gap_down_count"],
  params: v.strictObject({ period: period(30) }),
  lookback: (p) => p.period + 1,
  create: (p) => new GapStats(p.period),
  batch(bars, p) {
    const out = outputColumns(4, bars.close.length);
    for (let i = p.period; i < bars.close.length; i++) {
      let gap = 0, percent = 0, up = 0, down = 0;
      for (let j = i - p.period + 1; j <= i; j++) {
        const g = bars.open[j]! - bars.close[j - 1]!;
        gap += g;
        percent += (100 * g) / bars.close[j - 1]!;
        if (g > 0) up++;
        if (g < 0) down++;
      }
      out[0]![i] = gap / p.period;
      out[1]![i] = percent / p.period;
      out[2]![i] = up;
      out[3]![i] = down;
    }
    return out;
  },
});
