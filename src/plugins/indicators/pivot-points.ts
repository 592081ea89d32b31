/**
 * Classic floor pivots from the last completed bar (on 1d: yesterday's session): PP = (H + L + C) / 3,
 * R1 = 2 PP - L, S1 = 2 PP - H, R2 = PP + (H - L), S2 = PP - (H - L), R3 = H + 2 (PP - L), S3 = L - 2 (H - PP).
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { common } from "./_lib/params.ts";

/** The pivots of one bar into row i of the batch columns. */
function pivotsInto(out: Float64Array[], i: number, high: number, low: number, close: number): void {
  const pp = (high + low + close) / 3;
  [pp, 2 * pp - low, pp + (high - low), high + 2 * (pp - low), 2 * pp - high, pp - (high - low), low - 2 * (high - pp)].forEach((value, k) => (out[k]![i] = value));
}

class PivotPoints extends IndicatorState {
  constructor() {
    super(7);
  }
  update(bar: IndicatorBar): void {
    const { values } = this;
    const pp = (bar.high + bar.low + bar.close) / 3;
    values[0] = pp;
    values[1] = 2 * pp - bar.low;
    values[2] = pp + (bar.high - bar.low);
    values[3] = bar.high + 2 * (pp - bar.low);
    values[4] = 2 * pp - bar.high;
    values[5] = pp - (bar.high - bar.low);
    values[6] = bar.low - 2 * (bar.high - pp);
    this.ready = true;
  }
  protected clear(): void {}
}

export const pivotPoints = defineIndicator({
  name: "pivot_points",
  description: "Floor pivot points of the last completed bar: pp, r1, r2, r3, s1, s2, s3.",
  outputs: ["pp", "r1", "r2", "r3", "s1", "s2", "s3"],
  params: v.strictObject({ ...common }),
  lookback: () => 1,
  create: () => new PivotPoints(),
  batch(bars) {
    const out = outputColumns(7, bars.close.length);
    for (let i = 0; i < bars.close.length; i++) pivotsInto(out, i, bars.high[i]!, bars.low[i]!, bars.close[i]!);
    return out;
  },
});
