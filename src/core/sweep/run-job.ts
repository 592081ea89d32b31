/**
 * Runs one sweep job in this thread: the variant in memory, as fast as possible, its metrics
 * back. A failure (a throwing strategy with on_error: stop, data missing on this machine ...)
 * is a result with its message, never a crash of the worker.
 */
import pl from "nodejs-polars";
import { cachePartitions } from "../data/store.ts";
import { runInMemory } from "../kernel/run-in-memory.ts";
import { LiveClock } from "../time/clock.ts";
import type { JobOrder, SweepJob, SweepJobResult } from "./job.ts";

let warmed = false;

/** Runs a job. The first one turns the store's partition cache on: later variants read nothing from disk. */
export async function runJob(job: SweepJob): Promise<SweepJobResult> {
  if (!warmed) {
    cachePartitions(2 * 1024 ** 3);
    warmed = true;
  }
  try {
    const { summary, tables } = await runInMemory({ file: job.file, overrides: job.overrides, values: job.values, variant: true, wall: new LiveClock() });
    const result: SweepJobResult & { ok: true } = { id: job.id, ok: true, performance: summary.performance };
    if (job.equity) {
      const ts = Array.from(tables.equity.getColumn("ts").cast(pl.Float64).toArray() as number[]);
      result.equity = { ts, equity: Array.from(tables.equity.getColumn("equity").toArray() as number[]) };
    }
    if (job.orders) result.orders = ordersOf(tables.orders);
    return result;
  } catch (error) {
    return { id: job.id, ok: false, error: (error as Error)?.message ?? String(error) };
  }
}

/** The orders table as plain rows. */
export function ordersOf(frame: pl.DataFrame): JobOrder[] {
  return (frame.select("time", "strategy", "symbol", "side", "type", "qty", "limit", "stop", "tif").toRecords() as unknown as JobOrder[]).map((o) => ({ ...o, limit: o.limit ?? null, stop: o.stop ?? null }));
}
