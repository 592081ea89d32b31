/** `bun run session` as a user runs it: a real process, the summary table or JSON, the run directory, exit codes. */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

describe("bun run session", () => {
  test("the main job prints the summary table and the run directory", () => {
    using dir = tempDir();
    const result = runScript("session", ["sessions/july.yaml", "--out", `${dir.path}/run`]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("session july: 3 trading days (2025-07-02, 2025-07-03*, 2025-07-07; * early close)");
    expect(result.stdout).toContain("bars      3,913 streamed, 1,260 generated");
    expect(result.stdout).toContain("streams   15, base quality 79.05% (5 below 100%)");
    expect(result.stdout).toMatch(/ {2}MSFT {4}1m {6}streamed {4}990 {2}100\.00% {5}0/);
    expect(result.stdout).toContain(`report    ${dir.path}/run/report.html`);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`run       ${dir.path}/run`);
    expect(result.stderr).toContain("2025-07-03 (early close): 792 bars streamed, 254 generated");
    expect(readdirSync(`${dir.path}/run`).sort()).toEqual(["bars", "config.yaml", "days.csv", "equity.parquet", "equity_daily.parquet", "fills.csv", "gaps.csv", "indicators", "orders.csv", "quality.csv", "report.html", "session.log", "status.json", "summary.json", "trades.csv"]);
    expect(JSON.parse(readFileSync(`${dir.path}/run/status.json`, "utf8"))).toMatchObject({ state: "complete", days_complete: 3, last_day: "2025-07-07" });
    // The report: trades in the exchange's time like its charts, and a caveat on a 3-day Sharpe.
    const html = readFileSync(`${dir.path}/run/report.html`, "utf8");
    expect(html).toContain("<th>entry (America/New_York)</th>");
    expect(html).toMatch(/<td data-value="2025-07-02T13:45:00.000Z">2025-07-02 09:45<\/td>/);
    expect(html).toContain('data-caveat="few-days">Sharpe and Sortino over 3 trading days');
  });

  test("--json prints the summary on stdout and nothing else", () => {
    using dir = tempDir();
    const result = runScript("session", ["sessions/july.yaml", "--json", "--out", `${dir.path}/run`, "--set", "backtest_config.end_date=2025-07-03"]);
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.trading_days.map((d: { date: string }) => d.date)).toEqual(["2025-07-02", "2025-07-03"]);
    expect(summary.run_dir).toBe(`${dir.path}/run`);
    expect(summary.streams[0]).toEqual({ symbol: "MSFT", interval: "1m", source: "streamed", bars: 600, expected: 600, quality: 100, gaps: 0 });
  });

  test("an existing non-empty --out is refused and left as it was", () => {
    using dir = tempDir();
    mkdirSync(`${dir.path}/run`);
    writeFileSync(`${dir.path}/run/keep.txt`, "mine");
    const result = runScript("session", ["sessions/july.yaml", "--out", `${dir.path}/run`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("already exists and is not empty");
    expect(readdirSync(`${dir.path}/run`)).toEqual(["keep.txt"]);
  });

  test("a session that cannot be fed is refused at the symbol's line before anything is written", () => {
    using dir = tempDir();
    const result = runScript("session", ["sessions/july.yaml", "--out", `${dir.path}/run`, "--set", "session_data_config.symbols=[MSFT, NOPE]"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("× session_data_config.symbols[1]: NOPE: nothing is stored under data/US_EQUITY");
    expect(existsSync(`${dir.path}/run`)).toBe(false);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  test("a window without trading days, and live mode without a live provider, are clear errors", () => {
    const holiday = runScript("session", ["sessions/july.yaml", "--set", "backtest_config.start_date=2025-07-04", "--set", "backtest_config.end_date=2025-07-06"]);
    expect(holiday.exitCode).toBe(2);
    expect(holiday.stderr).toContain("no trading day between 2025-07-04 and 2025-07-06");
    const live = runScript("session", ["sessions/july.yaml", "--set", "mode=live"]);
    expect(live.exitCode).toBe(2);
    expect(live.stderr).toContain("× api_config.data_api: mode live streams live market data: set api_config.data_api to alpaca");
    expect(live.stderr).toContain("× api_config.trade_api: mode live sends orders to a broker: set api_config.trade_api to alpaca");
  });
});
