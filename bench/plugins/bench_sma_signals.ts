/**
 * The example sma_crossover's work without its orders: the same two averages per symbol, the same
 * quality check, the same crossing test - counted, not traded. The trading benchmark subtracts
 * its time from sma_crossover's to find what the orders cost.
 */
import { createIndicator, defineStrategy, indicators, v, type IndicatorInstance } from "sessionflow";

export const benchSmaSignals = defineStrategy({
  name: "bench_sma_signals",
  params: v.strictObject({ interval: v.optional(v.string(), "1m"), fast_period: v.optional(v.number(), 10), slow_period: v.optional(v.number(), 20), min_quality: v.optional(v.number(), 95) }),
  subscribe: (p) => [{ interval: p.interval }],
  setup(ctx) {
    const states = new Map<string, { fast: IndicatorInstance; slow: IndicatorInstance; previous: number; crossings: number }>();
    for (const symbol of ctx.symbols) states.set(symbol, { fast: createIndicator(indicators.sma, { period: ctx.params.fast_period }), slow: createIndicator(indicators.sma, { period: ctx.params.slow_period }), previous: NaN, crossings: 0 });
    return states;
  },
  onBar(ctx, bar) {
    const state = ctx.state.get(bar.symbol);
    if (!state) return;
    state.fast.update(bar);
    state.slow.update(bar);
    if (!state.fast.ready || !state.slow.ready) return;
    const diff = state.fast.value - state.slow.value;
    const previous = state.previous;
    state.previous = diff;
    if (Number.isNaN(previous) || ctx.quality(bar.symbol, bar.interval) < ctx.params.min_quality) return;
    if ((previous <= 0 && diff > 0) || (previous >= 0 && diff < 0)) state.crossings++;
  },
});
