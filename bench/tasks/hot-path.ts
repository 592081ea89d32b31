/**
 * The streaming hot path and its floor, on the same in-memory synthetic days in the same run:
 * - `read_once`: every bar's six fields read once (the machine's limit for this work);
 * - `merge`: the k-way merge by bar end, the clock, SessionData appends and quality (1m only);
 * - `derived_bars`: the same plus 5m and 15m bars folded from the minutes;
 * - `hot_path`: everything a session runs per bar: the above, SMA 20, EMA 9 and RSI 14 on 5m and
 *   15m, a no-op strategy subscribed to every stream, the broker's pending-order check and equity mark;
 * - with `parts`, `derived_bars` plus one part at a time (`with_broker`, `with_indicators`,
 *   `with_strategy` - the strategy needs the broker): where a hot-path bar's time goes.
 */
import { barCount, benchSession, engine, readOnce, symbolNames, syntheticDays } from "../_harness.ts";
import { measure, type Budget } from "../_measure.ts";
import { result, type BenchResult } from "../_results.ts";

export async function hotPath(symbolCount: number, dayCount: number, budget: Budget, parts = false): Promise<BenchResult[]> {
  const symbols = symbolNames(symbolCount);
  const days = syntheticDays(symbols, dayCount);
  const bars = barCount(days);
  const full = await benchSession(symbols);
  let current: ReturnType<typeof engine> | undefined;
  let sink = 0;
  const run = () => {
    const seen = current!.run();
    if (seen !== bars) throw new Error(`the engine streamed ${seen} bars of ${bars}`);
  };
  const measured = await measure(
    [
      { name: "read_once", fn: () => (sink += readOnce(days)) },
      { name: "merge", beforeEach: () => (current = engine(full, days, { extensions: false, streams: ["1m"] })), fn: run },
      { name: "derived_bars", beforeEach: () => (current = engine(full, days, { extensions: false })), fn: run },
      { name: "hot_path", beforeEach: () => (current = engine(full, days)), fn: run },
      ...(parts
        ? ([
            ["with_broker", ["broker"]],
            ["with_indicators", ["indicators"]],
            ["with_strategy", ["strategies"]],
          ] as const).map(([name, only]) => ({ name, beforeEach: () => (current = engine(full, days, { extensions: [...only] })), fn: run }))
        : []),
    ],
    budget,
  );
  if (Number.isNaN(sink)) throw new Error("unreachable: keeps the read-once sum alive");
  const shape = { symbols: symbolCount, days: dayCount, bars };
  const floor = (measured.get("read_once")!.meanMs * 1e6) / bars;
  return [...measured].map(([name, m]) => result(name, shape, m.meanMs, m.samples, m.rme, floor));
}
