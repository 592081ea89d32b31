/**
 * Opening-range breakout: the high and low of the first `range_minutes` of the session make the
 * range; then a buy stop just above the high (and, with `short: true`, a sell stop just below
 * the low) waits for the breakout, each with a bracket (stop at the other side of the range,
 * target `target_multiple` ranges away). Whichever fills cancels the other. Every position is
 * closed `exit_minutes_before_close` before the close (early closes included); day orders expire.
 */
import { defineStrategy, v } from "sessionflow";

interface Day {
  high: number;
  low: number;
  ready: boolean;
  done: boolean;
  entries: number[];
}

export const openingRangeBreakout = defineStrategy({
  name: "opening_range_breakout",
  description: "Trade the first breakout of the opening range, flat before the close.",
  params: v.strictObject({
    symbols: v.optional(v.array(v.string())),
    /** The bars watched (the base stream is best). @default "1m" */
    interval: v.optional(v.string(), "1m"),
    /** @default 15 */
    range_minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 15),
    /** @default 2 */
    target_multiple: v.optional(v.pipe(v.number(), v.gtValue(0)), 2),
    /** @default 5000 */
    notional: v.optional(v.pipe(v.number(), v.gtValue(0)), 5000),
    /** Also trade downside breakouts. @default true */
    short: v.optional(v.boolean(), true),
    /** @default 5 */
    exit_minutes_before_close: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 5),
    /** Price step above / below the range for the stops. @default 0.01 */
    tick: v.optional(v.pipe(v.number(), v.gtValue(0)), 0.01),
  }),
  subscribe: (p) => (p.symbols ?? [undefined]).map((symbol) => ({ symbol, interval: p.interval })),

  setup: () => new Map<string, Day>(),

  onSessionStart(ctx) {
    ctx.state.clear();
  },

  onBar(ctx, bar) {
    let day = ctx.state.get(bar.symbol);
    if (!day) ctx.state.set(bar.symbol, (day = { high: -Infinity, low: Infinity, ready: false, done: false, entries: [] }));
    const rangeEnd = ctx.session.open + ctx.params.range_minutes * 60_000;
    const exitAt = ctx.session.close - ctx.params.exit_minutes_before_close * 60_000;
    if (bar.end <= rangeEnd) {
      day.high = Math.max(day.high, bar.high);
      day.low = Math.min(day.low, bar.low);
      if (bar.end < rangeEnd) return;
    }
    if (bar.end >= exitAt) {
      if (!day.done) {
        day.done = true;
        for (const order of ctx.openOrders(bar.symbol)) ctx.cancel(order.id);
        if (ctx.position(bar.symbol).qty !== 0) ctx.close(bar.symbol);
      }
      return;
    }
    if (day.ready || !(day.high > day.low)) return;
    day.ready = true;
    const { tick, target_multiple, notional } = ctx.params;
    const range = day.high - day.low;
    const round = (x: number) => Math.round(x * 100) / 100;
    const up = ctx.order({
      symbol: bar.symbol, side: "buy", type: "stop", stop: round(day.high + tick), notional,
      bracket: { stop_loss: round(day.low), take_profit: round(day.high + target_multiple * range) },
    });
    day.entries.push(up.id);
    if (ctx.params.short) {
      const down = ctx.order({
        symbol: bar.symbol, side: "sell", type: "stop", stop: round(day.low - tick), notional,
        bracket: { stop_loss: round(day.high), take_profit: round(day.low - target_multiple * range) },
      });
      day.entries.push(down.id);
    }
  },

  onFill(ctx, fill) {
    const day = ctx.state.get(fill.symbol);
    if (!day || !day.entries.includes(fill.orderId)) return;
    // One breakout a day: the other entry is cancelled.
    for (const id of day.entries) if (id !== fill.orderId) ctx.cancel(id);
  },
});
