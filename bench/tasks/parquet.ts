/**
 * Parquet loads from the benchmark store (100 symbols x 2024, one file per symbol per month), as
 * the engine reads them: the Polars scan and filter on its thread pool, then the columns copied
 * into typed arrays. `parquet_load_day`: one trading day of every symbol; `parquet_load_year`: the
 * whole year of every symbol.
 */
import { barColumns } from "../../src/core/data/bars.ts";
import { Store } from "../../src/core/data/store.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { NYSE } from "../_harness.ts";
import { measure, type Budget } from "../_measure.ts";
import { result, type BenchResult } from "../_results.ts";
import { yearStore } from "../store.ts";

async function load(store: Store, symbols: readonly string[], start: number, end: number): Promise<number> {
  const frames = await Promise.all(symbols.map((symbol) => store.readAsync({ kind: "bars", interval: requireInterval("1m") }, symbol, start, end)));
  let bars = 0;
  for (const frame of frames) bars += barColumns(frame).ts.length;
  return bars;
}

export async function parquetLoads(budget: Budget, readOnceNsPerBar: number | undefined): Promise<BenchResult[]> {
  const { root, symbols } = await yearStore(100);
  const store = new Store(root, "US_EQUITY");
  const day = NYSE.session(isoDay("2024-07-10"))!;
  const year = { start: NYSE.session(isoDay("2024-01-02"))!.open, end: NYSE.session(isoDay("2024-12-31"))!.close };
  const dayBars = await load(store, symbols, day.open, day.close);
  const yearBars = await load(store, symbols, year.start, year.end);
  const out: BenchResult[] = [];
  const daily = await measure([{ name: "day", fn: () => load(store, symbols, day.open, day.close) }], budget);
  out.push(result("parquet_load_day", { symbols: symbols.length, days: 1, bars: dayBars }, daily.get("day")!.meanMs, daily.get("day")!.samples, daily.get("day")!.rme, readOnceNsPerBar));
  // A year is ~1 s a read: a handful of samples is the budget.
  const yearly = await measure([{ name: "year", fn: async () => { await load(store, symbols, year.start, year.end); await Bun.sleep(0); } }], { time: 0, iterations: Math.min(budget.iterations, 5), warmupIterations: 1 });
  const days = NYSE.tradingDays(isoDay("2024-01-01"), isoDay("2024-12-31")).length;
  out.push(result("parquet_load_year", { symbols: symbols.length, days, bars: yearBars }, yearly.get("year")!.meanMs, yearly.get("year")!.samples, yearly.get("year")!.rme, readOnceNsPerBar));
  return out;
}
