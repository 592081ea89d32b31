/**
 * Walk-forward: the session's window is cut into folds - `train_days` trading days to choose on,
 * the `test_days` after them to test the choice on, the next fold `step_days` later. In each fold
 * every variant runs on the training days, the best one (objective, `keep`) is chosen and run on
 * the test days. The test runs' equity curves are stitched into one out-of-sample curve: each fold
 * starts where the previous one ended (its returns compounded, not its cash).
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import type { SessionValue } from "../config/overrides.ts";
import { writeParquetAtomic } from "../data/atomic.ts";
import { configError } from "../errors.ts";
import { NUMERIC_METRICS, type Performance } from "../run/metrics.ts";
import type { Clock } from "../time/clock.ts";
import { formatDay, type DayNumber } from "../time/dates.ts";
import { chooseBest, toResult } from "./choose.ts";
import type { SweepJob, SweepProgress } from "./job.ts";
import { ResultsTable, type VariantResult } from "./results.ts";
import type { LoadedSweep } from "./spec.ts";
import { prepareVariants, type PreparedVariant, type Variant } from "./variants.ts";
import type { SweepExecutor } from "./worker-pool.ts";

/** One fold's days, choice and metrics. */
export interface Fold {
  fold: number;
  trainStart: string;
  trainEnd: string;
  testStart: string;
  testEnd: string;
  /** The variant chosen on the training days (undefined: none passed `keep`). */
  chosen: VariantResult | undefined;
  inSample: Performance | undefined;
  outOfSample: Performance | undefined;
  /** Why the fold has no out-of-sample run, or the test run's error. */
  note: string | null;
}

/** What a walk-forward gives. */
export interface WalkForwardOutcome {
  folds: Fold[];
  /** Every training run, per fold. */
  results: VariantResult[];
  /** The stitched out-of-sample equity curve. */
  stitched: { ts: number[]; equity: number[]; fold: number[] };
}

/** The folds of a window: full training and test spans only. */
export function foldWindows(days: readonly DayNumber[], train: number, test: number, step: number): { train: [DayNumber, DayNumber]; test: [DayNumber, DayNumber] }[] {
  const out: { train: [DayNumber, DayNumber]; test: [DayNumber, DayNumber] }[] = [];
  for (let start = 0; start + train + test <= days.length; start += step) {
    out.push({ train: [days[start]!, days[start + train - 1]!], test: [days[start + train]!, days[start + train + test - 1]!] });
  }
  return out;
}

interface WalkForwardInput {
  loaded: LoadedSweep;
  variants: Variant[];
  days: readonly DayNumber[];
  dir: string;
  executor: SweepExecutor;
  job: (variant: PreparedVariant, extra: SessionValue[], equity: boolean) => SweepJob;
  wall: Clock;
  onResult?: (result: VariantResult, progress: SweepProgress) => void;
  onStart?: (variants: number, folds: number) => void;
}

const windowValues = (from: DayNumber, to: DayNumber, fold: number, what: string): SessionValue[] => [
  { path: ["backtest_config", "start_date"], value: formatDay(from), source: `sweep.walk_forward (fold ${fold}, ${what})` },
  { path: ["backtest_config", "end_date"], value: formatDay(to), source: `sweep.walk_forward (fold ${fold}, ${what})` },
];

/** Runs every fold: training runs for all folds at once, then each fold's choice on its test days. */
export async function runWalkForward(input: WalkForwardInput): Promise<WalkForwardOutcome> {
  const { loaded, variants, days, executor } = input;
  const { trainDays, testDays, stepDays } = input.loaded.spec.walkForward!;
  const windows = foldWindows(days, trainDays, testDays, stepDays);
  if (windows.length === 0) {
    throw configError(loaded.file, [{ path: "sweep.walk_forward", message: `the session's window has ${days.length} trading days; one fold needs train_days + test_days = ${trainDays + testDays}` }]);
  }
  // Every variant of every fold, checked and identified (its id covers its window).
  const perFold: PreparedVariant[][] = [];
  for (const [k, w] of windows.entries()) perFold.push(await prepareVariants(loaded, variants, () => windowValues(w.train[0], w.train[1], k + 1, "training")));
  input.onStart?.(variants.length * windows.length, windows.length);

  const table = new ResultsTable(input.dir, loaded.spec.axes, true);
  const progress: SweepProgress = { done: 0, failed: 0, total: variants.length * windows.length };
  // A variant's id covers its window: ids are unique across folds.
  const owner = new Map<string, { fold: number; variant: PreparedVariant }>();
  perFold.forEach((list, k) => list.forEach((variant) => owner.set(variant.id, { fold: k + 1, variant })));
  const jobs = perFold.flatMap((list, k) => list.map((variant) => input.job(variant, windowValues(windows[k]!.train[0], windows[k]!.train[1], k + 1, "training"), false)));
  await executor.runAll(jobs, (outcome) => {
    const { fold, variant } = owner.get(outcome.id)!;
    const result = toResult(loaded.spec, variant, outcome, fold);
    progress.done++;
    if (result.status === "failed") progress.failed++;
    table.add(result, input.wall.now());
    input.onResult?.(result, progress);
  });
  table.write();

  // Each fold's choice, on its test days.
  const folds: Fold[] = windows.map((w, k) => {
    const chosen = chooseBest(loaded.spec, table.rows.filter((r) => r.fold === k + 1));
    return { fold: k + 1, trainStart: formatDay(w.train[0]), trainEnd: formatDay(w.train[1]), testStart: formatDay(w.test[0]), testEnd: formatDay(w.test[1]), chosen, inSample: chosen?.performance ?? undefined, outOfSample: undefined, note: chosen ? null : "no variant passed keep on the training days" };
  });
  const curves = new Map<number, { ts: number[]; equity: number[] }>();
  const testOf = new Map<string, Fold>();
  const tests: SweepJob[] = [];
  for (const fold of folds.filter((f) => f.chosen)) {
    const w = windows[fold.fold - 1]!;
    const values = () => windowValues(w.test[0], w.test[1], fold.fold, "test");
    const chosen = variants.find((v) => v.number === fold.chosen!.variant)!;
    const [variant] = await prepareVariants(loaded, [chosen], values);
    testOf.set(variant!.id, fold);
    tests.push(input.job(variant!, values(), true));
  }
  await executor.runAll(tests, (outcome) => {
    const fold = testOf.get(outcome.id)!;
    if (outcome.ok) {
      fold.outOfSample = outcome.performance;
      if (outcome.equity) curves.set(fold.fold, outcome.equity);
    } else fold.note = `the test run failed: ${outcome.error}`;
  });

  const stitched = stitch(folds, curves);
  writeParquetAtomic(join(input.dir, "folds.parquet"), foldsFrame(loaded, folds));
  writeParquetAtomic(join(input.dir, "oos_equity.parquet"), pl.DataFrame([pl.Series("ts", stitched.ts, pl.Int64), pl.Series("equity", stitched.equity, pl.Float64), pl.Series("fold", stitched.fold, pl.Int32)]));
  return { folds, results: table.rows, stitched };
}

/** The test runs' curves one after another, each scaled to start where the last ended. */
function stitch(folds: Fold[], curves: Map<number, { ts: number[]; equity: number[] }>): WalkForwardOutcome["stitched"] {
  const out = { ts: [] as number[], equity: [] as number[], fold: [] as number[] };
  let level: number | undefined;
  for (const fold of folds) {
    const curve = curves.get(fold.fold);
    if (!curve || curve.equity.length === 0 || !fold.outOfSample) continue;
    const initial = fold.outOfSample.initial_equity;
    const scale = level === undefined ? 1 : level / initial;
    for (let i = 0; i < curve.ts.length; i++) {
      out.ts.push(curve.ts[i]!);
      out.equity.push(curve.equity[i]! * scale);
      out.fold.push(fold.fold);
    }
    level = out.equity.at(-1);
  }
  return out;
}

/** folds.parquet: per fold its days, the chosen variant and its axis values, in- and out-of-sample metrics. */
function foldsFrame(loaded: LoadedSweep, folds: Fold[]): pl.DataFrame {
  const text = (pick: (f: Fold) => string | null) => folds.map(pick);
  const columns: pl.Series[] = [
    pl.Series("fold", folds.map((f) => f.fold), pl.Int32),
    pl.Series("train_start", text((f) => f.trainStart), pl.Utf8),
    pl.Series("train_end", text((f) => f.trainEnd), pl.Utf8),
    pl.Series("test_start", text((f) => f.testStart), pl.Utf8),
    pl.Series("test_end", text((f) => f.testEnd), pl.Utf8),
    pl.Series("variant", folds.map((f) => f.chosen?.variant ?? null), pl.Int32),
    pl.Series("id", text((f) => f.chosen?.id ?? null), pl.Utf8),
  ];
  for (const axis of loaded.spec.axes) {
    const values = folds.map((f) => f.chosen?.values[axis.name]);
    columns.push(axis.values.every((v) => typeof v === "number") ? pl.Series(axis.name, values.map((v) => (v === undefined ? null : v)) as number[], pl.Float64) : pl.Series(axis.name, values.map((v) => (v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v))), pl.Utf8));
  }
  for (const [prefix, pick] of [["is_", (f: Fold) => f.inSample], ["oos_", (f: Fold) => f.outOfSample]] as const) {
    for (const metric of NUMERIC_METRICS) columns.push(pl.Series(`${prefix}${metric}`, folds.map((f) => (pick(f)?.[metric] as number | null | undefined) ?? null), pl.Float64));
  }
  columns.push(pl.Series("note", text((f) => f.note), pl.Utf8));
  return pl.DataFrame(columns);
}
