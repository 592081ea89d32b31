/**
 * The example sma_crossover's work without its orders: the same two averages per symbol, the same
 * crossing test and quality check, in the same order - counted, not traded. The trading benchmark subtracts
 * its time from sma_crossover's to find what the orders cost.
 */
import { createIndicator, defineStrategy, indicators, v } from "sessionflow";

export const benchSmaSignals = defineStrategy({
  name: "bench_sma_signals",
  params: v.strictObject({ interval: v.optional(v.string(), "1m"), fast_period: v.optional(v.number(), 10), slow_period: v.optional(v.number(), 20), min_quality: v.optional(v.number(), 95) }),
  subscribe: (p) => [{ interval: p.interval }],
  setup(ctx) {
    // Indexed by bar.symbolIndex, as sma_crossover's.
    return ctx.symbols.map(() => ({ fast: createIndicator(indicators.sma, { period: ctx.params.fast_period }), slow: createIndicator(indicators.sma, { period: ctx.params.slow_period }), previous: NaN, crossings: 0 }));
  },
  onBar(ctx, bar) {
    const state = ctx.state[bar.symbolIndex];
    if (!state) return;
    state.fast.update(bar);
    state.slow.update(bar);
    if (!state.fast.ready || !state.slow.ready) return;
    const diff = state.fast.value - state.slow.value;
    const previous = state.previous;
    state.previous = diff;
    const crossed = (previous <= 0 && diff > 0) || (previous >= 0 && diff < 0);
    if (crossed && ctx.quality(bar) >= ctx.params.min_quality) state.crossings++;
  },
});
