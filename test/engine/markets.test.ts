/**
 * The London and Toronto example sessions run end to end on synthetic bars made by the command
 * their files document: the days are the exchange's (holidays skipped, early closes cut), each
 * day's bars and derived bars are what its hours hold, complete data is 100%, the day ends at the
 * local close, and the streamed 5m/15m/1h/1d bars equal the batch path's.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

interface Day {
  date: string;
  early_close: boolean;
  bars: number;
  derived_bars: number;
  base_quality: number;
  final_time: string;
}

/** The `bun run data fetch ...` line a session file documents, as arguments. */
function documentedFetch(session: string): string[] {
  const line = readFileSync(`${ROOT}/sessions/${session}`, "utf8").split("\n").find((l) => l.includes("bun run data fetch"))!;
  return line.replace(/^#\s*bun run data fetch\s+/, "").split(/\s+/);
}

/** Fetches the documented data, runs the session through the CLI with 1h and 1d too, and compares its derived bars with the batch path's. */
function run(session: string, group: string, symbol: string) {
  using dir = tempDir(session);
  const fetched = runScript("data", ["fetch", ...documentedFetch(session), "--root", `${dir.path}/data`]);
  expect(fetched.exitCode).toBe(0);
  const result = runScript("session", [
    `sessions/${session}`, "--json", "--set", `data.root=${dir.path}/data`, "--out", `${dir.path}/run`,
    "--set", "session_data_config.streams=[1m, 5m, 15m, 1h, 1d]", "--set", "report.formats=[json, parquet]",
  ]);
  expect({ code: result.exitCode, stderr: result.exitCode === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
  const summary = JSON.parse(result.stdout);
  const days = summary.days as Day[];
  const calendar = MarketCalendar.for(group, "EQUITY");
  const sessions = days.map((d) => calendar.session(isoDay(d.date))!);
  const batch = new DataManager(new Store(`${dir.path}/data`, group), calendar);
  for (const target of ["5m", "15m", "1h", "1d"]) {
    const streamed = pl.readParquet(`${dir.path}/run/bars/${symbol}_${target}.parquet`);
    const expected = pl.concat(sessions.map((s) => batch.getBars(symbol, requireInterval(target), s.open, s.close))).select("ts", "open", "high", "low", "close", "volume", "partial");
    expect({ target, rows: streamed.height, equal: streamed.frameEqual(expected) }).toEqual({ target, rows: expected.height, equal: true });
  }
  return { days: days.map(({ date, early_close, bars, derived_bars, base_quality, final_time }) => ({ date, early_close, bars, derived_bars, base_quality, final_time })), summary };
}

test("London over Christmas 2025: 12:30 early closes on the 24th and 31st, closed 25-26 December and 1 January", () => {
  const { days, summary } = run("london.yaml", "UK_EQUITY", "BARC");
  // 3 symbols: 510 one-minute bars a full day (08:00-16:30), 270 on an early close (08:00-12:30);
  // derived per symbol: 5m 102, 15m 34, 1h 9 (16:00-16:30 partial), 1d 1 a full day; 54, 18, 5, 1 an early one.
  const full = (date: string) => ({ date, early_close: false, bars: 1530, derived_bars: 3 * 146, base_quality: 100, final_time: `${date}T16:30:00.000Z` });
  const early = (date: string) => ({ date, early_close: true, bars: 810, derived_bars: 3 * 78, base_quality: 100, final_time: `${date}T12:30:00.000Z` });
  expect(days).toEqual([
    full("2025-12-22"), full("2025-12-23"), early("2025-12-24"),
    full("2025-12-29"), full("2025-12-30"), early("2025-12-31"),
    full("2026-01-02"), full("2026-01-05"), full("2026-01-06"),
  ]);
  expect(summary.market).toEqual({ exchange_group: "UK_EQUITY", asset_class: "EQUITY", name: "London Stock Exchange (XLON)", timezone: "Europe/London" });
  expect(summary.trading.orders).toBeGreaterThan(0);
});

test("Toronto around Canada Day 2025: 1 July is skipped, each day ends at 16:00 Toronto time (20:00 UTC)", () => {
  const { days } = run("toronto.yaml", "CA_EQUITY", "SHOP");
  // 390 one-minute bars a day (09:30-16:00) for 3 symbols; per symbol 78 5m, 26 15m, 7 1h (15:30-16:00 partial), 1 1d.
  expect(days).toEqual(
    ["2025-06-27", "2025-06-30", "2025-07-02", "2025-07-03", "2025-07-04"].map((date) => ({ date, early_close: false, bars: 1170, derived_bars: 3 * 112, base_quality: 100, final_time: `${date}T20:00:00.000Z` })),
  );
});
