/**
 * Sweeps across machines on BullMQ (Redis): the sweep enqueues each variant as a job whose id is
 * the variant's id - a job enqueued twice is one job, a retried one gives the same result - and
 * gathers the results as they complete; `bun run sweep worker` runs jobs on any machine, each in
 * its pool of Bun Workers, so the queue's event loop stays free to renew the jobs' locks. When a
 * worker process dies, its jobs' locks lapse and another worker takes them (BullMQ's stalled-job
 * check). A variant that fails is a result (recorded, not retried: it would fail again); a job
 * is retried only when its worker died.
 */
import { Queue, Worker, createBunRedisClient } from "bullmq";
import { RedisClient } from "bun";
import { usageError } from "../errors.ts";
import type { SweepJob, SweepJobResult } from "./job.ts";
import type { SweepExecutor } from "./worker-pool.ts";

/** The queue every sweep uses. */
export const QUEUE_NAME = "sessionflow-sweeps";

/**
 * A connection for BullMQ through Bun's own Redis client. BullMQ does not close a client it was
 * given (it may be shared): `close` does, after the queue or worker has closed.
 */
function connection(url: string, log: (line: string) => void) {
  if (!/^rediss?:\/\//.test(url)) throw usageError(`--queue ${JSON.stringify(url)}: allowed: a Redis URL, redis://host:6379 (or rediss:// with TLS)`);
  const client = createBunRedisClient(new RedisClient(url));
  // A dropped connection is reported, not thrown from an event with no listener.
  (client as unknown as { on(event: string, listener: (error: Error) => void): void }).on("error", (error) => log(`redis: ${error.message}`));
  return { client, close: () => client.disconnect() };
}

/** Enqueues a sweep's jobs and waits for their results. */
export class QueueExecutor implements SweepExecutor {
  private readonly queue: Queue;
  private readonly connection: ReturnType<typeof connection>;

  constructor(
    readonly url: string,
    private readonly options: { log: (line: string) => void; pollMs?: number },
  ) {
    this.connection = connection(url, options.log);
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection.client });
    this.queue.on("error", (error) => options.log(`queue: ${error.message}`));
  }

  async runAll(jobs: readonly SweepJob[], onResult: (result: SweepJobResult) => void): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((job) => ({ name: "variant", data: job, opts: { jobId: job.id, attempts: 3, removeOnComplete: false, removeOnFail: false } })));
    const pending = new Set(jobs.map((j) => j.id));
    const pollMs = this.options.pollMs ?? 250;
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const job = await this.queue.getJob(id);
        if (!job) continue;
        const state = await job.getState();
        if (state === "completed") {
          pending.delete(id);
          onResult({ ...(job.returnvalue as SweepJobResult), id });
        } else if (state === "failed" && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          pending.delete(id);
          onResult({ id, ok: false, error: `the queue gave up on it: ${job.failedReason}` });
        }
      }
      if (pending.size > 0) await Bun.sleep(pollMs);
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.close();
  }
}

/** What a queue worker needs to run jobs. */
export interface JobRunner {
  readonly size: number;
  run(job: SweepJob): Promise<SweepJobResult>;
}

/** Runs a queue's jobs in `runner` until the returned function is called. */
export async function serveQueue(url: string, runner: JobRunner, options: { lockMs: number; log: (line: string) => void }): Promise<() => Promise<void>> {
  const redis = connection(url, options.log);
  const worker = new Worker<SweepJob, SweepJobResult>(QUEUE_NAME, (job) => runner.run(job.data), {
    connection: redis.client,
    concurrency: runner.size,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
    maxStalledCount: 3,
  });
  worker.on("failed", (job, error) => options.log(`job ${job?.id}: ${error.message}`));
  worker.on("error", (error) => options.log(`queue: ${error.message}`));
  await worker.waitUntilReady();
  return async () => {
    await worker.close();
    redis.close();
  };
}
