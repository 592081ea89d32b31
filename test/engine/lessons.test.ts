/**
 * Each lesson of the original that concerns data, time and the loop, as a case that design failed
 * and this engine passes (ARCHITECTURE.md, "Lessons from the original").
 */
import { describe, expect, test } from "bun:test";
import { barColumns } from "../../src/core/data/bars.ts";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import type { EngineContext, EngineExtension } from "../../src/core/engine/extension.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { dayStreamRows } from "../helpers/rows.ts";
import { runTestSession } from "../helpers/session.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const data = new DataManager(new Store(`${ROOT}/data`, "US_EQUITY"), nyse);

/** An extension that watches every bar a listener receives, with the clock and SessionData at that moment. */
function watcher(check: (engine: EngineContext, bar: { symbol: string; interval: string; ts: number; end: number; base: boolean }) => void): EngineExtension {
  return {
    name: "watcher",
    stage: "recorders",
    setup(engine) {
      for (let stream = 0; stream < engine.data.series.length; stream++) engine.hooks.onBar(stream, (bar) => check(engine, bar));
    },
  };
}

describe("lessons from the original", () => {
  test("history windows: the N trading days strictly before the day, never the day itself or later", async () => {
    const seen: string[] = [];
    const probe: EngineExtension = {
      name: "history-probe",
      stage: "recorders",
      setup(engine) {
        this.onDayStart = (session) => {
          const w = engine.data.historyOf("MSFT", "1m")!;
          const cols = w.columns();
          seen.push(`${session.date}: ${w.days.length} days, last bar ${new Date(cols.ts[cols.ts.length - 1]!).toISOString()}`);
          if (cols.ts[cols.ts.length - 1]! >= session.open) throw new Error("history reaches into the session day");
        };
      },
    };
    await runTestSession("sessions/july.yaml", ["session_data_config.historical.data[0].trailing_days=2"], { extensions: () => [probe] });
    expect(seen).toEqual([
      "2025-07-02: 2 days, last bar 2025-07-01T19:59:00.000Z",
      "2025-07-03: 2 days, last bar 2025-07-02T19:59:00.000Z",
      "2025-07-07: 2 days, last bar 2025-07-03T16:59:00.000Z",
    ]);
  });

  test("a history window rolled forward from the session equals a fresh read of the store", async () => {
    let rolled: Float64Array | undefined;
    const probe: EngineExtension = {
      name: "probe",
      stage: "recorders",
      setup(engine) {
        this.onDayStart = (session) => {
          if (session.date === "2025-07-07") rolled = engine.data.historyOf("MSFT", "1m")!.columns().close.slice();
        };
      },
    };
    await runTestSession("sessions/july.yaml", [], { extensions: () => [probe] });
    const days = nyse.tradingDaysBefore(isoDay("2025-07-07"), 5);
    const fresh = data.getBars("MSFT", requireInterval("1m"), nyse.session(days[0]!)!.open, nyse.session(days[4]!)!.close, { regularHoursOnly: true });
    expect([...rolled!]).toEqual([...barColumns(fresh).close]);
  });

  test("bar stamps: a bar is stamped with its start and seen only at its end; 390 bars a day, not 391", async () => {
    const problems: string[] = [];
    let first: string | undefined;
    const check = watcher((engine, bar) => {
      if (engine.clock.now() !== bar.end) problems.push(`${bar.symbol} ${bar.interval} seen at ${engine.clock.now()} but ends ${bar.end}`);
      first ??= `${bar.symbol} ${bar.interval} ${new Date(bar.ts).toISOString()} seen at ${new Date(engine.clock.now()).toISOString()}`;
      // Nothing in SessionData ends after the clock.
      const series = engine.data.series[engine.data.streamId(bar.symbol, bar.interval)]!;
      const lastStart = series.ts[series.length - 1]!;
      if (lastStart !== bar.ts) problems.push("the bar was not the newest in SessionData when seen");
    });
    const { summary, result } = await runTestSession("sessions/july.yaml", [], { extensions: () => [check] });
    expect(problems).toEqual([]);
    expect(first).toBe("MSFT 1m 2025-07-02T13:30:00.000Z seen at 2025-07-02T13:31:00.000Z");
    expect(result.days.map((d) => dayStreamRows(result.plan, d).find((s) => s.symbol === "MSFT" && s.interval === "1m")!.bars)).toEqual([390, 210, 390]);
    // The 16:00 closing-auction print is post-market: no bar starts at the close.
    expect(summary.days.map((d) => d.final_time)).toEqual(["2025-07-02T20:00:00.000Z", "2025-07-03T17:00:00.000Z", "2025-07-07T20:00:00.000Z"]);
  });

  test("speed 0 runs as fast as possible and finishes (the original deadlocked)", async () => {
    const { summary } = await runTestSession("sessions/july.yaml", ["backtest_config.speed_multiplier=0"]);
    expect(summary.totals.trading_days).toBe(3);
    expect(summary.timings.waited_ms).toBe(0);
  });

  test("an end date on a holiday stops after the last trading day (the original replayed it forever)", async () => {
    const { summary } = await runTestSession("sessions/july.yaml", ["backtest_config.end_date=2025-07-04"]);
    expect(summary.trading_days.map((d) => d.date)).toEqual(["2025-07-02", "2025-07-03"]);
    expect(summary.window).toMatchObject({ requested_end: "2025-07-04", end: "2025-07-03", rolled_end: "2025-07-03" });
  });

  test("a start date on a weekend starts on the next trading day (the original aborted)", async () => {
    const { summary } = await runTestSession("sessions/july.yaml", ["backtest_config.start_date=2025-07-05"]);
    expect(summary.trading_days.map((d) => d.date)).toEqual(["2025-07-07"]);
    expect(summary.window).toMatchObject({ requested_start: "2025-07-05", start: "2025-07-07", rolled_start: "2025-07-07" });
  });

  test("daily bars are built from minutes: 1d session bars equal the Polars aggregation", async () => {
    const { summary, result } = await runTestSession("sessions/july.yaml", ["session_data_config.streams=[1m, 1d]", "session_data_config.indicators.session=[]"]);
    expect(summary.streams.filter((s) => s.interval === "1d").map((s) => [s.symbol, s.source, s.bars])).toEqual([
      ["MSFT", "generated", 3], ["JPM", "generated", 3], ["XLK", "generated", 3], ["FXY", "generated", 3], ["DBB", "generated", 3],
    ]);
    expect(result.days.length).toBe(3);
  });
});
