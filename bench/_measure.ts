/**
 * tinybench, set up the same way for every benchmark: a nanosecond clock, a full GC before each
 * task so one task's garbage is not another's pause, and errors that stop the run.
 */
import { Bench, hrtimeNow, type FnOptions } from "tinybench";

/** One timed task. */
export interface Timed {
  name: string;
  fn: () => unknown;
  /** Untimed preparation before every iteration (a fresh engine, say). */
  beforeEach?: () => void;
}

/** What a task measured: the mean time per iteration and its spread. */
export interface Measured {
  meanMs: number;
  samples: number;
  rme: number;
}

/** Budget of a measurement: at least `iterations` timed runs and at least `time` ms. */
export interface Budget {
  time: number;
  iterations: number;
  warmupIterations: number;
}

/** Runs the tasks one after another (same process, same run) and returns their measurements by name. */
export async function measure(tasks: readonly Timed[], budget: Budget): Promise<Map<string, Measured>> {
  const bench = new Bench({
    now: hrtimeNow,
    time: budget.time,
    iterations: budget.iterations,
    warmup: budget.warmupIterations > 0,
    warmupIterations: budget.warmupIterations,
    warmupTime: 0,
    throws: true,
    setup: () => Bun.gc(true),
  });
  for (const task of tasks) {
    const options: FnOptions = {};
    if (task.beforeEach) options.beforeEach = task.beforeEach;
    bench.add(task.name, task.fn, options);
  }
  await bench.run();
  const out = new Map<string, Measured>();
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`benchmark ${task.name}: ${r.state}${"error" in r ? `: ${String(r.error)}` : ""}`);
    out.set(task.name, { meanMs: r.latency.mean, samples: r.latency.samplesCount, rme: r.latency.rme });
  }
  return out;
}
