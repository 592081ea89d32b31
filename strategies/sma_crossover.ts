/**
 * SMA crossover (the original system's example strategy): on each bar of `interval`, buy
 * `notional` worth when the fast SMA crosses above the slow one, and close the position when it
 * crosses back below. Bars of a stream whose quality is under `min_quality` are not traded.
 * The averages are warmed up from the session's history of `interval` when it keeps one.
 * Per-symbol state lives in an array indexed by `bar.symbolIndex` (the symbol's place in
 * `ctx.symbols`), and quality is read through the bar: no lookup by name on the bar path.
 */
import { createIndicator, defineStrategy, feedBars, indicators, v, type IndicatorInstance } from "sessionflow";

interface SymbolState {
  fast: IndicatorInstance;
  slow: IndicatorInstance;
  /** fast - slow on the previous bar (NaN before both are ready). */
  previous: number;
}

export const smaCrossover = defineStrategy({
  name: "sma_crossover",
  description: "Long when SMA(fast) crosses above SMA(slow), flat when it crosses back.",
  params: v.strictObject({
    /** Symbols to trade. @default every session symbol */
    symbols: v.optional(v.array(v.string())),
    /** @default "5m" */
    interval: v.optional(v.string(), "5m"),
    /** @default 10 */
    fast_period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 10),
    /** @default 20 */
    slow_period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2)), 20),
    /** Money per entry. @default 5000 */
    notional: v.optional(v.pipe(v.number(), v.gtValue(0)), 5000),
    /** Skip bars of streams below this quality (%). @default 95 */
    min_quality: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 95),
  }),
  subscribe: (p) => (p.symbols ?? [undefined]).map((symbol) => ({ symbol, interval: p.interval })),

  setup(ctx) {
    const states: (SymbolState | undefined)[] = ctx.symbols.map(() => undefined);
    for (const symbol of ctx.params.symbols ?? ctx.symbols) {
      const index = ctx.symbols.indexOf(symbol);
      if (index < 0) continue;
      const state = { fast: createIndicator(indicators.sma, { period: ctx.params.fast_period }), slow: createIndicator(indicators.sma, { period: ctx.params.slow_period }), previous: NaN };
      const history = ctx.history(symbol, ctx.params.interval);
      if (history) {
        feedBars(state.fast, history);
        feedBars(state.slow, history);
        if (state.fast.ready && state.slow.ready) state.previous = state.fast.value - state.slow.value;
      }
      states[index] = state;
    }
    return states;
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
    const crossedUp = previous <= 0 && diff > 0;
    const crossedDown = previous >= 0 && diff < 0;
    // Most bars cross nothing: they return before the position is looked up.
    if (!(crossedUp || crossedDown) || ctx.quality(bar) < ctx.params.min_quality) return;
    const position = ctx.position(bar.symbol).qty;
    if (crossedUp && position === 0 && ctx.openOrders(bar.symbol).length === 0) {
      ctx.order({ symbol: bar.symbol, side: "buy", notional: ctx.params.notional });
    } else if (crossedDown && position > 0) {
      ctx.close(bar.symbol);
    }
  },
});
