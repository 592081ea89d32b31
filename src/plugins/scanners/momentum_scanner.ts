/**
 * Momentum scanner (the original system's `scanners.momentum_scanner`): on each scan, a symbol of
 * its universe qualifies when today's volume so far is at least `min_volume`, its latest bar closed
 * above the simple average of the last `sma_period` daily closes, and closed above its own open.
 * A symbol that qualified once stays selected (the original promoted it and only removed symbols
 * that never qualified), so the session keeps streaming it.
 */
import * as v from "valibot";
import { defineScanner } from "../../core/scanner/define.ts";

export const momentumScanner = defineScanner({
  name: "momentum_scanner",
  description: "Symbols trading above their 20-day average with rising bars and enough volume.",
  params: v.strictObject({
    /** Today's volume so far at least this. @default 500000 */
    min_volume: v.optional(v.pipe(v.number(), v.minValue(0)), 500_000),
    /** Daily closes averaged. @default 20 */
    sma_period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 20),
  }),
  historyDays: (params) => params.sma_period,
  scan(ctx) {
    const selected: string[] = [];
    for (const symbol of ctx.universe) {
      // Once promoted, kept.
      if (ctx.active.includes(symbol)) {
        selected.push(symbol);
        continue;
      }
      const today = ctx.today(symbol);
      const n = today.close.length;
      if (n === 0) continue;
      let volume = 0;
      for (let i = 0; i < n; i++) volume += today.volume[i]!;
      if (volume < ctx.params.min_volume) continue;
      const daily = ctx.daily(symbol);
      const period = ctx.params.sma_period;
      if (!daily || daily.close.length < period) continue;
      let sum = 0;
      for (let i = daily.close.length - period; i < daily.close.length; i++) sum += daily.close[i]!;
      const close = today.close[n - 1]!;
      if (close > sum / period && close > today.open[n - 1]!) selected.push(symbol);
    }
    return selected;
  },
});
