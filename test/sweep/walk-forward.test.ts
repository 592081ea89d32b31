/**
 * Walk-forward on a constructed market whose every number is known: one symbol over 12 trading
 * days (2025-06-02 .. 2025-06-17) whose flat one-minute bars move a fixed step a minute - up
 * 0.01 on days 1-6, down 0.02 on days 7-12 - and a strategy that is long or short all day (10
 * shares, in at the second bar's open, out at the open of the bar after 15:50). A day earns
 * side x 10 x step x 379. Folds of 4 training and 2 test days, moving by 2.
 */
import { afterAll, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { Store } from "../../src/core/data/store.ts";
import { WorkerPool } from "../../src/core/sweep/worker-pool.ts";
import { runSweep } from "../../src/core/sweep/run-sweep.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { NYSE } from "../helpers/replay.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("walk-forward");
afterAll(() => dir[Symbol.dispose]());

const days = NYSE.tradingDays(isoDay("2025-06-02"), isoDay("2025-06-17"));
const STEP = (day: number) => (day < 6 ? 0.01 : -0.02);

// The store: TREND, 390 flat bars a day.
const store = new Store(`${dir.path}/store`, "US_EQUITY");
const ts: number[] = [];
const price: number[] = [];
days.forEach((day, d) => {
  const session = NYSE.session(day)!;
  for (let i = 0; i < 390; i++) {
    ts.push(session.open + i * 60_000);
    price.push(Math.round((100 + STEP(d) * i) * 100) / 100);
  }
});
store.write({ kind: "bars", interval: requireInterval("1m") }, "TREND", pl.DataFrame([pl.Series("ts", ts, pl.Int64), pl.Series("open", price, pl.Float64), pl.Series("high", price, pl.Float64), pl.Series("low", price, pl.Float64), pl.Series("close", price, pl.Float64), pl.Series("volume", ts.map(() => 1000), pl.Float64)]));

const file = dir.write(
  "wf.yaml",
  `session_name: wf
backtest_config: { start_date: 2025-06-02, end_date: 2025-06-17 }
session_data_config: { symbols: [TREND], streams: [1m] }
data: { root: ${dir.path}/store }
plugins: { dirs: [${ROOT}/src/plugins, ${ROOT}/test/fixtures/sweep-plugins] }
strategies:
  - { name: day_direction, params: { side: long, qty: 10 } }
broker: { initial_cash: 100000, fill: next_open }
report: { formats: [json] }
sweep:
  axes:
    strategies[0].params.side: [long, short]
  objective: { metric: total_return, goal: max }
  walk_forward: { train_days: 4, test_days: 2, step_days: 2 }
`,
);

const pool = new WorkerPool(2, 120_000);
const outcome = await runSweep({ file, executor: pool, out: `${dir.path}/out`, wall: new LiveClock() });
await pool.close();

/** A day's P&L for a side: 10 shares x the step x 379 minutes between entry and exit. */
const dayPnl = (d: number, side: 1 | -1) => side * 10 * STEP(d) * 379;
const foldReturn = (from: number, n: number, side: 1 | -1) => Array.from({ length: n }, (_, i) => dayPnl(from + i, side)).reduce((a, b) => a + b, 0) / 100_000;

test("four folds over the twelve days, with their training and test days", () => {
  expect(outcome.walkForward!.folds.map((f) => [f.trainStart, f.trainEnd, f.testStart, f.testEnd])).toEqual([
    ["2025-06-02", "2025-06-05", "2025-06-06", "2025-06-09"],
    ["2025-06-04", "2025-06-09", "2025-06-10", "2025-06-11"],
    ["2025-06-06", "2025-06-11", "2025-06-12", "2025-06-13"],
    ["2025-06-10", "2025-06-13", "2025-06-16", "2025-06-17"],
  ]);
});

test("each fold chooses the side its training days favour, with the returns worked out by hand", () => {
  // Fold 1 trains on up days; fold 2 on four up days; fold 3 on two up (+0.01) and two down (-0.02) days; fold 4 on down days.
  const expectedSides: (1 | -1)[] = [1, 1, -1, -1];
  const folds = outcome.walkForward!.folds;
  expect(folds.map((f) => f.chosen?.values["strategies[0].params.side"])).toEqual(["long", "long", "short", "short"]);
  folds.forEach((f, k) => {
    expect(f.inSample!.total_return).toBeCloseTo(foldReturn(2 * k, 4, expectedSides[k]!), 9);
    expect(f.outOfSample!.total_return).toBeCloseTo(foldReturn(2 * k + 4, 2, expectedSides[k]!), 9);
  });
  // Out of sample: +75.8, -151.6 (long into the turn), +151.6, +151.6 in money.
  expect(folds.map((f) => Math.round(f.outOfSample!.total_return * 100_000 * 10) / 10)).toEqual([75.8, -151.6, 151.6, 151.6]);
});

test("the stitched out-of-sample equity compounds the folds' returns; results and folds are in their files", () => {
  const { stitched, folds } = outcome.walkForward!;
  const final = folds.reduce((equity, f) => equity * (1 + f.outOfSample!.total_return), 100_000);
  expect(stitched.equity.at(-1)!).toBeCloseTo(final, 6);
  expect(new Set(stitched.fold)).toEqual(new Set([1, 2, 3, 4]));
  const results = pl.readParquet(`${dir.path}/out/results.parquet`);
  expect(results.height).toBe(8);
  expect(results.getColumn("fold").toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  const foldsFile = pl.readParquet(`${dir.path}/out/folds.parquet`).toRecords() as Record<string, unknown>[];
  expect(foldsFile.map((f) => [f.fold, f["strategies[0].params.side"], f.variant])).toEqual([[1, "long", 1], [2, "long", 1], [3, "short", 2], [4, "short", 2]]);
  expect(foldsFile[1]!.oos_total_return).toBeCloseTo(-0.001516, 9);
  const equity = pl.readParquet(`${dir.path}/out/oos_equity.parquet`);
  expect(equity.height).toBe(stitched.ts.length);
});
