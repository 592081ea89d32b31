/**
 * `bun run sweep`: reads the sweep, makes and checks every variant before anything runs, hands
 * them to an executor (Bun Workers here, or the queue), and writes the sweep directory as results
 * arrive: results.parquet, then best.yaml and report.html (with a walk-forward: folds.parquet and
 * the stitched out-of-sample equity). `--resume` skips the variants a directory already has.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import type { SessionValue } from "../config/overrides.ts";
import { writeFileAtomic } from "../data/atomic.ts";
import { usageError } from "../errors.ts";
import { prepareRun } from "../kernel/prepare.ts";
import { renderSweepReport } from "../report/sweep-page.ts";
import { defaultRunDir } from "../run/run-dir.ts";
import type { Clock } from "../time/clock.ts";
import { isoUtc } from "../time/dates.ts";
import { chooseBest, objectiveOf, toResult } from "./choose.ts";
import type { SweepJob, SweepProgress } from "./job.ts";
export type { SweepProgress } from "./job.ts";
import { ResultsTable, type VariantResult } from "./results.ts";
import { readSweep, type LoadedSweep } from "./spec.ts";
import { prepareVariants, makeVariants, variantValues, describeVariant, type PreparedVariant, type Variant } from "./variants.ts";
import { runWalkForward, type WalkForwardOutcome } from "./walk-forward.ts";
import type { SweepExecutor } from "./worker-pool.ts";

/** How to run a sweep. */
export interface SweepOptions {
  file: string;
  /** Runs the jobs (a worker pool, or the queue). */
  executor: SweepExecutor;
  /** The sweep directory. @default sweeps/<session>/<timestamp> */
  out?: string;
  /** An earlier sweep directory to complete: its finished variants are not run again. */
  resume?: string;
  wall: Clock;
  /** After each result (the --json lines, the progress bar). */
  onResult?: (result: VariantResult, progress: SweepProgress) => void;
  /** Once the variants are known. */
  onStart?: (info: { dir: string; variants: number; skipped: number; folds: number }) => void;
}

/** What a finished sweep gives. */
export interface SweepOutcome {
  dir: string;
  results: VariantResult[];
  best: VariantResult | undefined;
  walkForward: WalkForwardOutcome | undefined;
}

/** The sweep directory's description of itself. */
const SWEEP_JSON = "sweep.json";

/** Runs a sweep end to end. */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const loaded = readSweep(options.file);
  const variants = makeVariants(loaded.spec);
  const base = await prepareRun({ file: loaded.file, variant: true, record: false });
  const name = base.session.session_name;
  const dir = options.resume ?? options.out ?? defaultRunDir("sweeps", name, options.wall.now());
  if (options.resume) {
    if (!existsSync(join(options.resume, SWEEP_JSON))) throw usageError(`--resume ${options.resume}: not a sweep directory (no ${SWEEP_JSON})`);
  } else if (existsSync(dir) && readdirSync(dir).length > 0) throw usageError(`the sweep directory ${dir} already exists and is not empty; choose another --out, or --resume it`);
  mkdirSync(dir, { recursive: true });
  // Jobs may run on other machines: the paths they read are made absolute (the machines share them).
  const shared: SessionValue[] = [
    { path: ["data", "root"], value: resolve(base.session.data.root), source: "data.root (absolute for the workers)" },
    { path: ["plugins", "dirs"], value: base.session.plugins.dirs.map((d) => resolve(d)), source: "plugins.dirs (absolute for the workers)" },
  ].filter((value) => !loaded.spec.axes.some((axis) => axis.path.join(".").startsWith(value.path.join("."))));
  const file = resolve(loaded.file);
  const job = (variant: PreparedVariant, extra: SessionValue[], equity: boolean): SweepJob => ({ id: variant.id, file, values: [...variantValues(loaded.spec, variant, extra), ...shared], equity });

  const status = (state: string, extra: Record<string, unknown> = {}) =>
    writeFileAtomic(join(dir, SWEEP_JSON), `${JSON.stringify({ file: options.file, session: name, state, started: isoUtc(options.wall.now()), variants: variants.length, axes: loaded.spec.axes.map((a) => a.name), objective: loaded.spec.objective, ...extra }, null, 2)}\n`);
  status("running");

  if (loaded.spec.walkForward) {
    const walkForward = await runWalkForward({ loaded, variants, days: base.window!.days, dir, executor: options.executor, job, wall: options.wall, onResult: options.onResult, onStart: (n, folds) => options.onStart?.({ dir, variants: n, skipped: 0, folds }) });
    const html = renderSweepReport(reportData(loaded, walkForward.results, undefined, walkForward));
    writeFileAtomic(join(dir, "report.html"), html);
    status("complete", { folds: walkForward.folds.length });
    return { dir, results: walkForward.results, best: undefined, walkForward };
  }

  const prepared = await prepareVariants(loaded, variants);
  const table = new ResultsTable(dir, loaded.spec.axes, false);
  const byId = new Map(prepared.map((v) => [v.id, v]));
  // --resume: what finished before is kept as it was; what failed runs again.
  const finished = new Map(ResultsTable.journaled(dir).filter((r) => r.status === "ok" && byId.has(r.id)).map((r) => [r.id, r]));
  for (const result of finished.values()) table.add(result, 0, false);
  const todo = prepared.filter((v) => !finished.has(v.id));
  options.onStart?.({ dir, variants: prepared.length, skipped: finished.size, folds: 0 });
  const progress: SweepProgress = { done: finished.size, failed: 0, total: prepared.length };
  await options.executor.runAll(
    todo.map((v) => job(v, [], false)),
    (outcome) => {
      const result = toResult(loaded.spec, byId.get(outcome.id)!, outcome, null);
      progress.done++;
      if (result.status === "failed") progress.failed++;
      table.add(result, options.wall.now());
      options.onResult?.(result, progress);
    },
  );
  table.write();
  const best = chooseBest(loaded.spec, table.rows);
  if (best) await writeBest(dir, loaded, byId.get(best.id)!, best);
  writeFileAtomic(join(dir, "report.html"), renderSweepReport(reportData(loaded, table.rows, best, undefined)));
  status("complete", { best: best ? { variant: best.variant, id: best.id, values: best.values, [loaded.spec.objective.metric]: objectiveOf(loaded.spec, best) } : null, failed: progress.failed });
  return { dir, results: table.rows, best, walkForward: undefined };
}

/** best.yaml: the winning variant as a complete session (what `bun run session` runs as is). */
async function writeBest(dir: string, loaded: LoadedSweep, variant: PreparedVariant, result: VariantResult): Promise<void> {
  const prepared = await prepareRun({ file: loaded.file, values: variantValues(loaded.spec, variant), variant: true });
  const objective = loaded.spec.objective;
  const header = [
    `# The best variant of ${loaded.file}: variant ${variant.number} (${describeVariant(variant)}), id ${variant.id}`,
    `# ${objective.metric} = ${objectiveOf(loaded.spec, result)} (${objective.goal}), window ${variant.window.start} to ${variant.window.end}`,
    "# A complete session: bun run session <this file> runs it and gives the same metrics.",
  ].join("\n");
  writeFileAtomic(join(dir, "best.yaml"), `${header}\n${stringify(prepared.session, { lineWidth: 0 })}`);
}

/** What the report page shows. */
function reportData(loaded: LoadedSweep, results: VariantResult[], best: VariantResult | undefined, walkForward: WalkForwardOutcome | undefined) {
  return {
    title: loaded.file,
    axes: loaded.spec.axes.map((a) => a.name),
    objective: loaded.spec.objective,
    keep: loaded.spec.keep ? readKeepText(loaded) : null,
    results,
    best: best ? { variant: best.variant, fold: best.fold } : null,
    walkForward: walkForward
      ? {
          folds: walkForward.folds.map((f) => ({ fold: f.fold, train: [f.trainStart, f.trainEnd] as [string, string], test: [f.testStart, f.testEnd] as [string, string], variant: f.chosen?.variant ?? null, values: f.chosen?.values ?? null, inSample: f.inSample?.[loaded.spec.objective.metric] ?? null, outOfSample: f.outOfSample?.[loaded.spec.objective.metric] ?? null })),
          equity: walkForward.stitched,
        }
      : null,
  };
}

function readKeepText(loaded: LoadedSweep): string | null {
  const sweep = (loaded.located.value as Record<string, unknown>).sweep as { keep?: string } | undefined;
  return sweep?.keep ?? null;
}
