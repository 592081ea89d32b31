#!/usr/bin/env bun
/**
 * `bun run sweep <file>`: run every variant of a sweep in parallel (Bun Workers on this machine,
 * or BullMQ workers on any machine with --queue); `bun run sweep worker --queue URL`: run a
 * queue's jobs here.
 */
import { defineCommand } from "citty";
import { availableParallelism } from "node:os";
import { usageError } from "../core/errors.ts";
import { runCli } from "./_run-cli.ts";

function count(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--${flag} ${JSON.stringify(text)}: allowed: a whole number >= 1`);
  return n;
}

function seconds(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`--${flag} ${JSON.stringify(text)}: allowed: a number of seconds > 0`);
  return n;
}

const worker = defineCommand({
  meta: {
    name: "worker",
    description:
      "Run the jobs of sweeps enqueued on a queue (bun run sweep <file> --queue URL), with a pool of Bun Workers, until stopped (Ctrl-C).\n" +
      "Every machine must see the session files, the plugins and the store at the same paths (a shared volume).\n\nExample:\n  bun run sweep worker --queue redis://10.0.0.5:6379 --workers 8",
  },
  args: {
    queue: { type: "string", description: "The Redis URL of the queue", required: true, valueHint: "redis://host:6379" },
    workers: { type: "string", description: `Bun Workers (default: the number of cores, ${availableParallelism()})`, valueHint: "N" },
    "variant-timeout": { type: "string", description: "Seconds a variant may run before it is failed (default 600)", valueHint: "S" },
    "lock-ms": { type: "string", description: "How long a job's lock lasts without renewal: a dead worker's jobs are retried elsewhere after it (default 30000)", valueHint: "MS" },
  },
  async run({ args }) {
    const { serveQueue } = await import("../core/sweep/queue.ts");
    const { WorkerPool } = await import("../core/sweep/worker-pool.ts");
    const pool = new WorkerPool(count(args.workers, "workers", availableParallelism()), seconds(args["variant-timeout"], "variant-timeout", 600) * 1000);
    const lockMs = count(args["lock-ms"], "lock-ms", 30_000);
    const stop = await serveQueue(args.queue, pool, { lockMs, log: (line) => process.stderr.write(`${line}\n`) });
    process.stderr.write(`sweep worker: ${pool.size} Bun Workers on ${args.queue}; Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    await stop();
    await pool.close();
  },
});

const main = defineCommand({
  meta: {
    name: "sweep",
    description:
      "Run every variant of a sweep (a session file with a `sweep` block) in parallel and write sweeps/<session>/<timestamp>/:\n" +
      "results.parquet (one row a variant), best.yaml (the winning variant, a complete session), report.html.\n\nExamples:\n" +
      "  bun run sweep sessions/july-sweep.yaml\n  bun run sweep sessions/july-sweep.yaml --workers 4 --json\n" +
      "  bun run sweep sessions/july-sweep.yaml --resume sweeps/july-sweep/20261205-101500\n" +
      "  bun run sweep sessions/july-sweep.yaml --queue redis://10.0.0.5:6379   (and bun run sweep worker on other machines)",
  },
  args: {
    file: { type: "positional", description: "The sweep file", required: true },
    workers: { type: "string", description: `Bun Workers (default: the number of cores, ${availableParallelism()})`, valueHint: "N" },
    out: { type: "string", description: "The sweep directory (default: sweeps/<session>/<timestamp>/)", valueHint: "DIR" },
    resume: { type: "string", description: "Complete an earlier sweep directory: variants it finished are not run again", valueHint: "DIR" },
    json: { type: "boolean", description: "Print one JSON line per variant on stdout (and a last one with the outcome)" },
    "variant-timeout": { type: "string", description: "Seconds a variant may run before it is recorded as failed (default 600)", valueHint: "S" },
    queue: { type: "string", description: "Enqueue the variants on this Redis (BullMQ) instead of running them here; `bun run sweep worker` runs them", valueHint: "redis://host:6379" },
  },
  async run({ args }) {
    const { runSweepCommand } = await import("./_sweep-run.ts");
    await runSweepCommand({
      file: args.file,
      workers: count(args.workers, "workers", availableParallelism()),
      out: args.out,
      resume: args.resume,
      json: Boolean(args.json),
      variantTimeoutMs: seconds(args["variant-timeout"], "variant-timeout", 600) * 1000,
      queue: args.queue,
    });
  },
});

await runCli({ main, subCommands: { worker } });
