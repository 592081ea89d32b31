/**
 * A strategy that trades, at 100 symbols x 20 days of the seeded synthetic one-minute market: the
 * example sma_crossover on 1m bars (its averages, its quality check, its orders). In one run:
 * - `hot_path_noop`: the no-op hot path of hot-path.yaml (the reference);
 * - `trading_signals`: sma_crossover's work without its orders (bench_sma_signals), 1m only;
 * - `trading`: sma_crossover itself, through the broker and its risk gate;
 * each as time per bar; the cost of an order is (trading - signals) / orders. Then the whole
 * process (`bun run session` on the same session read from a store), wall time and peak memory,
 * with json only and with every format (csv, parquet and the report page too).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSessionWithPlugins } from "../../src/core/config/load-session.ts";
import { barCount, benchSession, engine, symbolNames, syntheticDays } from "../_harness.ts";
import type { Budget } from "../_measure.ts";
import { result, round, type BenchResult } from "../_results.ts";
import { CACHE, yearStore } from "../store.ts";

const ROOT = join(import.meta.dir, "..", "..");
const PLUGINS = [join(ROOT, "src/plugins"), join(ROOT, "strategies"), join(import.meta.dir, "..", "plugins")];

async function tradingSession(symbols: readonly string[], strategy: string) {
  return loadSessionWithPlugins(join(import.meta.dir, "..", "hot-path.yaml"), {
    overrides: [
      `session_data_config.symbols=[${symbols.join(",")}]`,
      "session_data_config.streams=[1m]",
      "session_data_config.indicators.session=[]",
      `strategies=[${strategy}]`,
      `plugins.dirs=[${PLUGINS.join(", ")}]`,
      "trading_config={ max_buying_power: 10000000, max_per_trade: 10000, max_per_symbol: 20000, max_open_positions: 100 }",
    ],
    env: {},
  });
}

// Fast 10 / slow 40 crosses on ~3% of the synthetic minutes (the rate the issue set; 10/20 ordered on 5.3%).
const SMA = "{ name: sma_crossover, params: { interval: 1m, fast_period: 10, slow_period: 40, notional: 1000 } }";

export async function trading(budget: Budget, processRuns: number): Promise<BenchResult[]> {
  const symbols = symbolNames(100);
  const days = syntheticDays(symbols, 20);
  const bars = barCount(days);
  const noop = await benchSession(symbols);
  const signals = await tradingSession(symbols, "{ name: bench_sma_signals, params: { interval: 1m, fast_period: 10, slow_period: 40 } }");
  const trades = await tradingSession(symbols, SMA);
  // Each pass streams the 20 days once on a fresh engine; the median of the passes (after a warm-up one) counts.
  const passes = Math.max(3, budget.iterations);
  const timed = (loaded: Awaited<ReturnType<typeof benchSession>>, extensions?: ("broker" | "strategies")[]) => {
    const times: number[] = [];
    let orders = 0;
    for (let i = 0; i <= passes; i++) {
      const current = engine(loaded, days, extensions ? { extensions } : {});
      const started = Bun.nanoseconds();
      const seen = current.run();
      const ms = (Bun.nanoseconds() - started) / 1e6;
      if (seen !== bars) throw new Error(`the engine streamed ${seen} bars of ${bars}`);
      orders = current.orders();
      if (i > 0) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const spread = (100 * (times.at(-1)! - times[0]!)) / 2 / median;
    return { meanMs: median, samples: times.length, rme: spread, orders };
  };
  const measured = new Map([
    ["hot_path_noop", timed(noop)],
    ["trading_signals", timed(signals, ["broker", "strategies"])],
    ["trading", timed(trades, ["broker", "strategies"])],
  ]);
  const orders = measured.get("trading")!.orders;
  const shape = { symbols: 100, days: 20, bars };
  const ns = (name: string) => (measured.get(name)!.meanMs * 1e6) / bars;
  const rows = [...measured].map(([name, m]) => result(name, shape, m.meanMs, m.samples, m.rme));
  const tradingRow = rows.find((r) => r.name === "trading")!;
  tradingRow.orders = orders;
  tradingRow.orders_per_bar_pct = round((100 * orders) / bars, 2);
  tradingRow.ratio_to_noop_hot_path = round(ns("trading") / ns("hot_path_noop"), 2);
  tradingRow.ns_per_order = round(((ns("trading") - ns("trading_signals")) * bars) / Math.max(1, orders), 0);
  rows.push(...wholeProcess(processRuns));
  return rows;
}

/** `bun run session` on 100 symbols x 20 days from the store, json only and every format: median wall time, peak RSS. */
function wholeProcess(runs: number): BenchResult[] {
  return ["json", "all"].map((formats) => {
    const walls: number[] = [];
    let peak = 0;
    let streamed = 0;
    for (let i = 0; i <= runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), "sessionflow-trading-"));
      try {
        const started = Bun.nanoseconds();
        const child = Bun.spawnSync([process.execPath, "run", "session", SESSION_FILE, "--out", join(dir, "run"), "--log-level", "warn", ...(formats === "all" ? ["--set", "report.formats=[json, csv, parquet, html]"] : [])], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
        const ms = (Bun.nanoseconds() - started) / 1e6;
        if (child.exitCode !== 0) throw new Error(`bun run session failed (${child.exitCode}):\n${child.stderr.toString()}`);
        streamed = JSON.parse(readFileSync(join(dir, "run", "summary.json"), "utf8")).totals.bars;
        // The first run warms the caches (type-check, page cache) and is not counted.
        if (i > 0) {
          walls.push(ms);
          peak = Math.max(peak, child.resourceUsage.maxRSS / 1048576);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    walls.sort((a, b) => a - b);
    const median = walls[Math.floor(walls.length / 2)]!;
    return { ...result(`trading_process_${formats}`, { symbols: 100, days: 20, bars: streamed }, median, walls.length, 0), wall_ms: round(median, 0), peak_rss_mb: round(peak, 0) };
  });
}

let SESSION_FILE = "";

/** The whole-process session: the year store's first 20 days, sma_crossover on 1m. */
export async function prepareTradingStore(): Promise<void> {
  const { root, symbols } = await yearStore(100);
  SESSION_FILE = join(CACHE, "trading-100x20.yaml");
  writeFileSync(
    SESSION_FILE,
    [
      "session_name: trading-100x20",
      "backtest_config: { start_date: 2024-01-02, end_date: 2024-01-31 }",
      `session_data_config: { symbols: [${symbols.join(", ")}], streams: [1m] }`,
      `strategies: [${SMA}]`,
      "trading_config: { max_buying_power: 10000000, max_per_trade: 10000, max_per_symbol: 20000, max_open_positions: 100 }",
      `data: { root: ${root} }`,
      "report: { formats: [json] }",
      "",
    ].join("\n"),
  );
}
