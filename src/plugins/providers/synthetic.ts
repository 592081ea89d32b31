/**
 * The synthetic provider: deterministic, seeded, calendar-aware one-minute (or one-second) bars
 * for benchmarks and tests at any scale. No network, and the same seed gives the same bars.
 */
import * as v from "valibot";
import { barFrame, inWindow } from "../../core/data/bars.ts";
import { defineProvider } from "../../core/data/provider.ts";
import { SyntheticMarket } from "../../core/data/synthetic.ts";
import { usageError } from "../../core/errors.ts";

export const synthetic = defineProvider({
  name: "synthetic",
  params: v.strictObject({
    /** @default 1 */
    seed: v.optional(v.pipe(v.number(), v.integer()), 1),
    /** Share of regular-session bars missing (every symbol's own walk; the first is complete). @default 0 */
    missing_rate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(0.99)), 0),
  }),
  create(params, { calendar }) {
    return {
      async historicalBars({ symbol, interval, start, end }) {
        if (interval.text !== "1m" && interval.text !== "1s") throw usageError(`the synthetic provider makes 1m and 1s bars, not ${interval.text}`);
        const market = new SyntheticMarket(calendar, [symbol], { seed: params.seed, barMs: interval.ms, missingRate: params.missing_rate });
        const days = calendar.tradingDays(calendar.localTime(start).day, calendar.localTime(end - 1).day);
        const frames = days.map((day) => market.day(day)[0]!);
        const total = frames.reduce((n, f) => n + f.ts.length, 0);
        const joined = { ts: new Float64Array(total), open: new Float64Array(total), high: new Float64Array(total), low: new Float64Array(total), close: new Float64Array(total), volume: new Float64Array(total) };
        let offset = 0;
        for (const f of frames) {
          for (const key of ["ts", "open", "high", "low", "close", "volume"] as const) joined[key].set(f[key], offset);
          offset += f.ts.length;
        }
        return barFrame(joined).filter(inWindow(start, end));
      },
    };
  },
});
