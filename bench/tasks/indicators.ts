/**
 * Each indicator's update on its own: one instance (default params) fed a year of one symbol's
 * synthetic 1m bars through a reused cursor, as the engine feeds it; compared with reading the
 * same bars once. Historical-scope indicators are included: their update is what warm-up runs.
 */
import { discoverPlugins } from "../../src/core/plugins/discover.ts";
import type { IndicatorBar, IndicatorPlugin } from "../../src/core/indicators/define.ts";
import { createIndicator } from "../../src/core/indicators/define.ts";
import { concatColumns, sliceColumns } from "../../src/core/data/bars.ts";
import { join } from "node:path";
import { symbolNames, syntheticDays } from "../_harness.ts";
import { measure, type Budget } from "../_measure.ts";
import { result, type BenchResult } from "../_results.ts";

export async function indicatorUpdates(dayCount: number, budget: Budget, only?: (name: string) => boolean): Promise<BenchResult[]> {
  const registry = await discoverPlugins([join(import.meta.dir, "..", "..", "src/plugins")], process.cwd());
  // One symbol: each day's queue holds only its bars.
  const bars = concatColumns(syntheticDays(symbolNames(1), dayCount).queues.map((q) => sliceColumns(q, 0, q.length)));
  const n = bars.ts.length;
  const cursor: IndicatorBar = { ts: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  let sink = 0;
  const names = registry.names("indicator").filter((name) => !only || only(name));
  const tasks = [
    {
      name: "read_once",
      fn: () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += bars.ts[i]! + bars.open[i]! + bars.high[i]! + bars.low[i]! + bars.close[i]! + bars.volume[i]!;
        sink += sum;
      },
    },
    ...names.map((name) => {
      const plugin = registry.get<IndicatorPlugin>("indicator", name)!.plugin;
      let instance = createIndicator(plugin);
      return {
        name,
        beforeEach: () => (instance = createIndicator(plugin)),
        fn: () => {
          for (let i = 0; i < n; i++) {
            cursor.ts = bars.ts[i]!;
            cursor.open = bars.open[i]!;
            cursor.high = bars.high[i]!;
            cursor.low = bars.low[i]!;
            cursor.close = bars.close[i]!;
            cursor.volume = bars.volume[i]!;
            instance.update(cursor);
          }
          sink += instance.value || 0;
        },
      };
    }),
  ];
  const measured = await measure(tasks, budget);
  if (Number.isNaN(sink)) throw new Error("unreachable: keeps the sums alive");
  const shape = { symbols: 1, days: dayCount, bars: n };
  const floor = (measured.get("read_once")!.meanMs * 1e6) / n;
  return [...measured].map(([name, m]) => result(name === "read_once" ? "indicator_read_once" : `indicator:${name}`, shape, m.meanMs, m.samples, m.rme, floor));
}
