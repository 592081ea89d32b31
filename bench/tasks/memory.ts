/**
 * Memory over a year streamed (100 symbols, hot-path.yaml, in this process): after every 25th day a
 * full GC, then the live JS heap and the RSS. What a session keeps by design grows with the days
 * (a summary line, the day's per-stream quality, the equity curve: a few KB a day); everything
 * else - the month chunks, the day's series, the indicators - must not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineExtension } from "../../src/core/engine/extension.ts";
import { runSession } from "../../src/core/kernel/run-session.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { round, type BenchResult } from "../_results.ts";
import { yearStore } from "../store.ts";

const MB = 1048576;

export async function memoryOverAYear(): Promise<BenchResult[]> {
  const { session, symbols } = await yearStore(100);
  const samples: { day: number; heapMb: number; rssMb: number }[] = [];
  let day = 0;
  const probe: EngineExtension = {
    name: "memory-probe",
    stage: "recorders",
    onDayEnd() {
      day++;
      if (day % 25 !== 0 && day !== 1) return;
      Bun.gc(true);
      const usage = process.memoryUsage();
      samples.push({ day, heapMb: round(usage.heapUsed / MB, 1), rssMb: round(usage.rss / MB, 1) });
    },
  };
  const dir = mkdtempSync(join(tmpdir(), "sessionflow-bench-"));
  try {
    const started = Bun.nanoseconds();
    const outcome = await runSession({ file: session, out: join(dir, "run"), logLevel: "error", console: () => {}, wall: new LiveClock(), extensions: () => [probe] });
    const ms = (Bun.nanoseconds() - started) / 1e6;
    const first = samples.find((s) => s.day === 25)!;
    const last = samples.at(-1)!;
    const bars = outcome.summary.totals.bars;
    return [
      {
        name: "memory_year",
        symbols: symbols.length,
        days: outcome.summary.totals.trading_days,
        bars,
        bars_per_second: Math.round(bars / (ms / 1000)),
        ratio_to_read_once: null,
        ns_per_bar: round((ms * 1e6) / bars, 2),
        samples: 1,
        rme: 0,
        live_heap_growth_kb_per_day: round(((last.heapMb - first.heapMb) * 1024) / (last.day - first.day), 1),
        after_gc: samples,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
