/**
 * Ultimate oscillator: with buying pressure BP = C - min(L, previous C) and true range
 * TR = max(H, previous C) - min(L, previous C), UO = 100 (4 A1 + 2 A2 + A3) / 7 where Ai is
 * sum(BP) / sum(TR) over period1, period2, period3 bars (7, 14, 28). 50 when a window has no range.
 */
import * as v from "valibot";
import { defineIndicator, IndicatorState, outputColumns, type IndicatorBar } from "../../core/indicators/define.ts";
import { bars as barCount, common } from "./_lib/params.ts";
import { RollingWindow } from "./_lib/rolling.ts";

const params = v.pipe(
  v.strictObject({ ...common, period1: v.optional(barCount(1), 7), period2: v.optional(barCount(1), 14), period3: v.optional(barCount(1), 28) }),
  v.check((p) => p.period1 < p.period2 && p.period2 < p.period3, "needs period1 < period2 < period3"),
);
type Params = v.InferOutput<typeof params>;

const combine = (a1: number, a2: number, a3: number) => (100 * (4 * a1 + 2 * a2 + a3)) / 7;
const ratio = (bp: number, tr: number) => (tr === 0 ? 0.5 : bp / tr);

class UltimateOsc extends IndicatorState {
  private readonly bp: RollingWindow[];
  private readonly tr: RollingWindow[];
  private previous = NaN;
  constructor(p: Params) {
    super(1);
    this.bp = [p.period1, p.period2, p.period3].map((n) => new RollingWindow(n));
    this.tr = [p.period1, p.period2, p.period3].map((n) => new RollingWindow(n));
  }
  update(bar: IndicatorBar): void {
    const previous = this.previous;
    this.previous = bar.close;
    if (Number.isNaN(previous)) return;
    const low = Math.min(bar.low, previous);
    const bp = bar.close - low;
    const tr = Math.max(bar.high, previous) - low;
    for (let k = 0; k < 3; k++) {
      this.bp[k]!.push(bp);
      this.tr[k]!.push(tr);
    }
    if (!this.bp[2]!.full) return;
    this.values[0] = combine(ratio(this.bp[0]!.sum, this.tr[0]!.sum), ratio(this.bp[1]!.sum, this.tr[1]!.sum), ratio(this.bp[2]!.sum, this.tr[2]!.sum));
    this.ready = true;
  }
  protected clear(): void {
    for (const w of [...this.bp, ...this.tr]) w.clear();
    this.previous = NaN;
  }
}

export const ultimateOsc = defineIndicator({
  name: "ultimate_osc",
  description: "Ultimate oscillator (period1 7, period2 14, period3 28).",
  outputs: ["value"],
  params,
  lookback: (p) => p.period3 + 1,
  create: (p) => new UltimateOsc(p),
  batch(bars, p) {
    const n = bars.close.length;
    const [out] = outputColumns(1, n);
    const bp = new Float64Array(n).fill(NaN);
    const tr = new Float64Array(n).fill(NaN);
    for (let i = 1; i < n; i++) {
      const low = Math.min(bars.low[i]!, bars.close[i - 1]!);
      bp[i] = bars.close[i]! - low;
      tr[i] = Math.max(bars.high[i]!, bars.close[i - 1]!) - low;
    }
    const average = (i: number, w: number) => {
      let b = 0;
      let t = 0;
      for (let j = i - w + 1; j <= i; j++) {
        b += bp[j]!;
        t += tr[j]!;
      }
      return ratio(b, t);
    };
    for (let i = p.period3; i < n; i++) out![i] = combine(average(i, p.period1), average(i, p.period2), average(i, p.period3));
    return [out!];
  },
});
