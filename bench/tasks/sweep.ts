/**
 * Sweep throughput: sessions/july-sweep.yaml's 58 variants (the July days, every example
 * strategy trading) on a pool of 1 and then 2 Bun Workers, each pool warmed first; variants per
 * second each way and their ratio (it approaches the core count only as far as one variant keeps
 * one core busy). And a variant's overhead on a warm worker: its wall time beyond its streaming
 * loop (preparing the session, history, the summary and its metrics).
 */
import { join, resolve } from "node:path";
import { runJob } from "../../src/core/sweep/run-job.ts";
import { readSweep } from "../../src/core/sweep/spec.ts";
import { makeVariants, variantValues } from "../../src/core/sweep/variants.ts";
import { WorkerPool } from "../../src/core/sweep/worker-pool.ts";
import { runInMemory } from "../../src/core/kernel/run-in-memory.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { round, type BenchResult } from "../_results.ts";

const FILE = resolve(join(import.meta.dir, "..", "..", "sessions", "july-sweep.yaml"));

export async function sweepThroughput(rounds: number): Promise<BenchResult[]> {
  const loaded = readSweep(FILE);
  const variants = makeVariants(loaded.spec);
  const jobs = variants.map((v) => ({ id: String(v.number), file: FILE, values: variantValues(loaded.spec, v), equity: false }));
  const rates: Record<number, number> = {};
  for (const size of [1, 2]) {
    const pool = new WorkerPool(size, 600_000);
    await pool.runAll(jobs.slice(0, size * 3), () => {});
    let best = 0;
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      await pool.runAll(jobs, () => {});
      best = Math.max(best, jobs.length / ((performance.now() - started) / 1000));
    }
    rates[size] = best;
    await pool.close();
  }
  // A warm worker's variant: wall time against the streaming loop's (this thread, the store cached as in a worker).
  await runJob(jobs[0]!);
  const walls: number[] = [];
  const loops: number[] = [];
  let bars = 0;
  for (const job of jobs.slice(0, 20)) {
    const started = performance.now();
    const outcome = await runInMemory({ file: FILE, values: job.values, variant: true, wall: new LiveClock() });
    walls.push(performance.now() - started);
    loops.push(outcome.result.timings.streamMs);
    bars = outcome.summary.totals.bars;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const wall = median(walls);
  const loop = median(loops);
  const row = (name: string, extra: Record<string, unknown>): BenchResult => ({ name, symbols: 5, days: 3, bars, bars_per_second: 0, ratio_to_read_once: null, ns_per_bar: 0, samples: rounds, rme: 0, ...extra });
  return [
    row("sweep_1_worker", { variants: jobs.length, variants_per_second: round(rates[1]!, 1) }),
    row("sweep_2_workers", { variants: jobs.length, variants_per_second: round(rates[2]!, 1), ratio_to_1_worker: round(rates[2]! / rates[1]!, 2) }),
    row("sweep_variant_overhead", { samples: walls.length, variant_wall_ms: round(wall, 1), stream_loop_ms: round(loop, 1), overhead_ms: round(wall - loop, 1) }),
  ];
}
