/**
 * The original system's session format, written here (none of its files is copied): strategies and
 * scanners inside session_data_config by module path with `config`, the historical indicator map,
 * data_api/trade_api as it names them in backtests - validated and run unchanged. A universe file
 * that does not exist, and formats the original itself retired, are refused at their line.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("original-format");
afterAll(() => dir[Symbol.dispose]());
const universe = dir.write("universes/sample.txt", "# a comment\nJPM\nXLK\nFXY\n");

const session = (overrides: Record<string, unknown> = {}) => ({
  session_name: "Original Format Example",
  exchange_group: "US_EQUITY",
  asset_class: "EQUITY",
  mode: "backtest",
  backtest_config: { start_date: "2025-07-02", end_date: "2025-07-03", speed_multiplier: 0.0 },
  session_data_config: {
    symbols: ["MSFT"],
    streams: ["1m", "5m", "10m"],
    streaming: { catchup_threshold_seconds: 60, catchup_check_interval: 10 },
    historical: {
      enable_quality: true,
      data: [{ trailing_days: 20, intervals: ["1d"], apply_to: "all" }],
      indicators: {
        avg_volume: { type: "trailing_average", period: "10d", granularity: "daily", field: "volume" },
        high_4w: { type: "trailing_max", period: "4w", field: "high" },
      },
    },
    gap_filler: { enable_session_quality: true, max_retries: 5, retry_interval_seconds: 60 },
    indicators: { session: [{ name: "sma", period: 20, interval: "5m", type: "trend", comment: "20-period SMA" }], historical: [] },
    strategies: [{ module: "strategies.examples.simple_ma_cross", enabled: true, config: { symbols: [], interval: "5m", fast_period: 10, slow_period: 20, min_quality: 0 } }],
    scanners: [
      { module: "scanners.examples.gap_scanner_complete", enabled: true, pre_session: true, regular_session: null, config: { universe, comment: "pre-session gap scan" } },
      { module: "scanners.momentum_scanner", enabled: true, pre_session: false, regular_session: [{ start: "09:35", end: "10:30", interval: "5m" }], config: { universe } },
    ],
  },
  trading_config: { max_buying_power: 100000, max_per_trade: 10000, max_per_symbol: 20000, max_open_positions: 5 },
  api_config: { data_api: "alpaca", trade_api: "alpaca", account_id: null },
  metadata: { created_by: "user", version: "2.0" },
  ...overrides,
});

describe("the original system's format", () => {
  test("validates and runs: module paths map to plugins, the historical map to built-ins", () => {
    const file = dir.write("original.json", JSON.stringify(session(), null, 2));
    const valid = runScript("session", ["validate", file]);
    expect(valid.exitCode).toBe(0);
    expect(valid.stdout).toContain("valid.");
    const run = runScript("session", [file, "--json", "--out", `${dir.path}/run`]);
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.strategies.map((s: { name: string }) => s.name)).toEqual(["sma_crossover"]);
    expect(summary.streams.filter((s: { symbol: string }) => s.symbol === "MSFT").map((s: { interval: string }) => s.interval)).toEqual(["1m", "5m", "10m"]);
    expect(new Set(summary.scans.map((s: { scanner: string }) => s.scanner))).toEqual(new Set(["gap_scanner", "momentum_scanner"]));
    const keys = summary.indicators.map((i: { key: string }) => i.key);
    expect(keys).toContain("avg_volume");
    expect(keys).toContain("high_4w");
  }, 60_000);

  test("a universe file that does not exist is refused at its line, naming it", () => {
    const file = dir.write("missing-universe.json", JSON.stringify(session({ session_data_config: { ...session().session_data_config, scanners: [{ module: "scanners.gap_scanner", enabled: true, pre_session: true, regular_session: null, config: { universe: "data/universes/sp500_sample.txt" } }] } }), null, 2));
    const result = runScript("session", ["validate", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('scanners[0].universe: the universe file "data/universes/sp500_sample.txt" does not exist');
    expect(result.stderr).toMatch(/missing-universe\.json:\d+:\d+/);
  });

  test("formats the original itself no longer reads are refused with what to write", () => {
    const file = dir.write("retired.json", JSON.stringify({ ...session(), data_streams: ["1m"], session_data_config: { ...session().session_data_config, use_clock_time: true } }, null, 2));
    const result = runScript("session", ["validate", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("data_streams: is a format the original system itself no longer reads; write session_data_config.streams");
    expect(result.stderr).toContain("session_data_config.use_clock_time: is a format the original system itself no longer reads");
  });

  test("a module no plugin answers to is an unknown strategy at the module's line; schwab runs only backtests", () => {
    const file = dir.write("unknown.json", JSON.stringify(session({ session_data_config: { ...session().session_data_config, strategies: [{ module: "strategies.mine.breakout_v2", config: {} }] } }), null, 2));
    const result = runScript("session", ["validate", file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('strategies[0].name: "breakout_v2" is not a known strategy');
    expect(result.stderr).toMatch(/unknown\.json:\d+:\d+/);
    const paper = dir.write("schwab.json", JSON.stringify(session({ mode: "paper", api_config: { data_api: "schwab", trade_api: "simulated" } }), null, 2));
    expect(runScript("session", ["validate", paper]).stderr).toContain("api_config.data_api: mode paper needs a live market data provider this build has: alpaca");
  });
});
