/** The benchmarks' no-op strategy: subscribed to every stream of every symbol, does nothing with the bars. */
import { defineStrategy, v } from "sessionflow";

export const benchNoop = defineStrategy({
  name: "bench_noop",
  params: v.strictObject({ intervals: v.optional(v.array(v.string()), ["1m", "5m", "15m"]) }),
  subscribe: (p) => p.intervals.map((interval) => ({ interval })),
  setup: () => ({ bars: 0 }),
  onBar(ctx) {
    ctx.state.bars++;
  },
});
