/**
 * A pool of Bun Workers running sweep jobs: one job per worker at a time, the next as soon as
 * one is free. A job that runs past its timeout has its worker terminated (and replaced) and is
 * reported failed; a worker that dies fails its job the same way. Results come back in the order
 * they finish; callers order them.
 */
import type { SweepJob, SweepJobResult } from "./job.ts";

/** Runs jobs; resolves once every job has a result. */
export interface SweepExecutor {
  runAll(jobs: readonly SweepJob[], onResult: (result: SweepJobResult) => void): Promise<void>;
  close(): Promise<void>;
}

const ENTRY = new URL("./worker-thread.ts", import.meta.url);

/** Bun Workers on this machine. */
export class WorkerPool implements SweepExecutor {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(
    readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  async runAll(jobs: readonly SweepJob[], onResult: (result: SweepJobResult) => void): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        onResult(await this.run(job));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.size, jobs.length) }, lane));
  }

  /** Runs one job on a free worker. */
  run(job: SweepJob): Promise<SweepJobResult> {
    const worker = this.idle.pop() ?? this.spawn();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: SweepJobResult, healthy: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
        if (healthy) this.idle.push(worker);
        else this.discard(worker);
        resolve(result);
      };
      const onMessage = (event: MessageEvent<SweepJobResult>) => finish(event.data, true);
      const onError = (event: ErrorEvent) => finish({ id: job.id, ok: false, error: `the worker failed: ${event.message}` }, false);
      const timer = setTimeout(() => finish({ id: job.id, ok: false, error: `timed out after ${Math.round(this.timeoutMs / 1000)} s (--variant-timeout)` }, false), this.timeoutMs);
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", onError);
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    for (const worker of this.all) worker.terminate();
    this.all.clear();
    this.idle.length = 0;
  }

  private spawn(): Worker {
    const worker = new Worker(ENTRY);
    this.all.add(worker);
    return worker;
  }

  private discard(worker: Worker): void {
    worker.terminate();
    this.all.delete(worker);
  }
}
