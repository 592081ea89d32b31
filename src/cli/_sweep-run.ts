/**
 * The main job of `bun run sweep <file>`: run the sweep with a progress bar on stderr (variants
 * done, per second, time left), or one JSON line per variant with --json, then say where the
 * results are and which variant won.
 */
import type { SweepExecutor } from "../core/sweep/worker-pool.ts";
import type { VariantResult } from "../core/sweep/results.ts";
import { LiveClock } from "../core/time/clock.ts";

/** Options of the sweep command. */
export interface SweepCommandOptions {
  file: string;
  workers: number;
  out?: string;
  resume?: string;
  json: boolean;
  variantTimeoutMs: number;
  queue?: string;
}

/** Runs the sweep and reports it. */
export async function runSweepCommand(options: SweepCommandOptions): Promise<void> {
  const { runSweep } = await import("../core/sweep/run-sweep.ts");
  const wall = new LiveClock();
  let executor: SweepExecutor;
  if (options.queue) {
    const { QueueExecutor } = await import("../core/sweep/queue.ts");
    executor = new QueueExecutor(options.queue, { log: (line) => process.stderr.write(`${line}\n`) });
  } else {
    const { WorkerPool } = await import("../core/sweep/worker-pool.ts");
    executor = new WorkerPool(options.workers, options.variantTimeoutMs);
  }
  const started = performance.now();
  const bar = progressBar(options.json);
  try {
    const outcome = await runSweep({
      file: options.file,
      executor,
      out: options.out,
      resume: options.resume,
      wall,
      onStart: ({ dir, variants, skipped, folds }) => {
        process.stderr.write(`sweep: ${variants} variants${folds ? ` over ${folds} walk-forward folds` : ""}${skipped ? ` (${skipped} done before, skipped)` : ""} on ${options.queue ? `the queue ${options.queue}` : `${options.workers} Bun Workers`}; results in ${dir}\n`);
      },
      onResult: (result, progress) => {
        if (options.json) process.stdout.write(`${JSON.stringify(jsonLine(result))}\n`);
        bar(progress.done, progress.total, progress.failed, performance.now() - started);
      },
    });
    bar.done();
    const failed = outcome.results.filter((r) => r.status === "failed").length;
    const best = outcome.best;
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ event: "done", dir: outcome.dir, variants: outcome.results.length, failed, best: best ? { variant: best.variant, id: best.id, values: best.values } : null, folds: outcome.walkForward?.folds.length ?? null })}\n`);
      return;
    }
    const lines = [`${outcome.results.length} runs, ${failed} failed, in ${((performance.now() - started) / 1000).toFixed(1)} s`];
    if (outcome.walkForward) {
      for (const f of outcome.walkForward.folds) lines.push(`fold ${f.fold}: trained ${f.trainStart}..${f.trainEnd}, tested ${f.testStart}..${f.testEnd}: ${f.chosen ? `variant ${f.chosen.variant}` : f.note}`);
    } else if (best) lines.push(`best: variant ${best.variant} ${JSON.stringify(best.values)} -> ${outcome.dir}/best.yaml`);
    else lines.push("no variant passed keep: no best.yaml");
    lines.push(`results: ${outcome.dir}/results.parquet`, `report:  ${outcome.dir}/report.html`);
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await executor.close();
  }
}

function jsonLine(result: VariantResult) {
  return { event: "variant", fold: result.fold, variant: result.variant, id: result.id, values: result.values, status: result.status, error: result.error, keep: result.keep, performance: result.performance };
}

/** A one-line progress bar on a terminal; a line per tenth done otherwise; nothing with --json. */
function progressBar(quiet: boolean) {
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  const update = (done: number, total: number, failed: number, elapsedMs: number) => {
    if (quiet) return;
    const rate = done / Math.max(elapsedMs / 1000, 1e-3);
    const left = rate > 0 ? (total - done) / rate : 0;
    const text = `${done}/${total} variants${failed ? ` (${failed} failed)` : ""}, ${rate.toFixed(1)}/s, ${left < 1 ? "<1" : Math.round(left)} s left`;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}\u001b[K`);
      return;
    }
    const tenth = Math.floor((done / Math.max(total, 1)) * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${text}\n`);
    }
  };
  update.done = () => {
    if (!quiet && tty) process.stderr.write("\n");
  };
  return update;
}
