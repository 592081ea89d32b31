/**
 * RSI mean reversion: when RSI(period) on `interval` drops below `oversold`, buy `notional` worth
 * with a bracket (take-profit and stop-loss a percentage away from the last close); close early
 * when RSI climbs back above `exit`. The RSI is warmed up from the session's history of `interval`.
 */
import { createIndicator, defineStrategy, feedBars, indicators, v, type IndicatorInstance } from "sessionflow";

export const rsiMeanReversion = defineStrategy({
  name: "rsi_mean_reversion",
  description: "Buy oversold RSI dips with a bracket; exit when RSI recovers.",
  params: v.strictObject({
    symbols: v.optional(v.array(v.string())),
    /** @default "5m" */
    interval: v.optional(v.string(), "5m"),
    /** @default 14 */
    period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2)), 14),
    /** Enter below this RSI. @default 30 */
    oversold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 30),
    /** Close above this RSI. @default 50 */
    exit: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 50),
    /** @default 5000 */
    notional: v.optional(v.pipe(v.number(), v.gtValue(0)), 5000),
    /** Take profit this many % above the entry's reference price. @default 1.5 */
    take_profit_pct: v.optional(v.pipe(v.number(), v.gtValue(0)), 1.5),
    /** Stop loss this many % below it. @default 1 */
    stop_loss_pct: v.optional(v.pipe(v.number(), v.gtValue(0)), 1),
  }),
  subscribe: (p) => (p.symbols ?? [undefined]).map((symbol) => ({ symbol, interval: p.interval })),

  setup(ctx) {
    // Indexed by bar.symbolIndex (the symbol's place in ctx.symbols): no lookup by name on each bar.
    const rsi: ({ value: IndicatorInstance; previous: number } | undefined)[] = ctx.symbols.map(() => undefined);
    for (const symbol of ctx.params.symbols ?? ctx.symbols) {
      const index = ctx.symbols.indexOf(symbol);
      if (index < 0) continue;
      const value = createIndicator(indicators.rsi, { period: ctx.params.period });
      const history = ctx.history(symbol, ctx.params.interval);
      if (history) feedBars(value, history);
      rsi[index] = { value, previous: value.ready ? value.value : NaN };
    }
    return rsi;
  },

  onBar(ctx, bar) {
    const state = ctx.state[bar.symbolIndex];
    if (!state) return;
    state.value.update(bar);
    if (!state.value.ready) return;
    const now = state.value.value;
    const previous = state.previous;
    state.previous = now;
    const entering = previous >= ctx.params.oversold && now < ctx.params.oversold;
    const exiting = now > ctx.params.exit;
    if (!entering && !exiting) return; // most bars: no position lookup
    const position = ctx.position(bar.symbol).qty;
    if (entering && position === 0 && ctx.openOrders(bar.symbol).length === 0) {
      const { take_profit_pct, stop_loss_pct } = ctx.params;
      const round = (x: number) => Math.round(x * 100) / 100;
      ctx.order({
        symbol: bar.symbol,
        side: "buy",
        notional: ctx.params.notional,
        bracket: { take_profit: round(bar.close * (1 + take_profit_pct / 100)), stop_loss: round(bar.close * (1 - stop_loss_pct / 100)) },
      });
    } else if (exiting && position > 0) {
      ctx.close(bar.symbol);
    }
  },
});
