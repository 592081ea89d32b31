/**
 * The London and Toronto example sessions run end to end on synthetic bars made by the command
 * their files document: the days are the exchange's (holidays skipped, early closes cut), each
 * day's bars and derived bars are what its hours hold, and the day ends at the local close.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ROOT, runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

interface Day {
  date: string;
  early_close: boolean;
  bars: number;
  derived_bars: number;
  final_time: string;
}

/** The `bun run data fetch ...` line a session file documents, as arguments. */
function documentedFetch(session: string): string[] {
  const line = readFileSync(`${ROOT}/sessions/${session}`, "utf8").split("\n").find((l) => l.includes("bun run data fetch"))!;
  return line.replace(/^#\s*bun run data fetch\s+/, "").split(/\s+/);
}

function run(session: string) {
  using dir = tempDir(session);
  const fetched = runScript("data", ["fetch", ...documentedFetch(session), "--root", `${dir.path}/data`]);
  expect(fetched.exitCode).toBe(0);
  const result = runScript("session", [`sessions/${session}`, "--json", "--set", `data.root=${dir.path}/data`, "--out", `${dir.path}/run`]);
  expect({ code: result.exitCode, stderr: result.exitCode === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
  const summary = JSON.parse(result.stdout);
  return { days: summary.days as Day[], summary };
}

test("London over Christmas 2025: 12:30 early closes on the 24th and 31st, closed 25-26 December and 1 January", () => {
  const { days, summary } = run("london.yaml");
  // 3 symbols: 510 one-minute bars a full day (08:00-16:30), 270 on an early close (08:00-12:30);
  // derived 5m + 15m per symbol: 102 + 34 a full day, 54 + 18 an early one.
  const full = (date: string, close = "16:30") => ({ date, early_close: false, bars: 1530, derived_bars: 408, final_time: `${date}T${close}:00.000Z` });
  const early = (date: string) => ({ date, early_close: true, bars: 810, derived_bars: 216, final_time: `${date}T12:30:00.000Z` });
  expect(days.map(({ date, early_close, bars, derived_bars, final_time }) => ({ date, early_close, bars, derived_bars, final_time }))).toEqual([
    full("2025-12-22"), full("2025-12-23"), early("2025-12-24"),
    full("2025-12-29"), full("2025-12-30"), early("2025-12-31"),
    full("2026-01-02"), full("2026-01-05"), full("2026-01-06"),
  ]);
  expect(summary.market).toEqual({ exchange_group: "UK_EQUITY", asset_class: "EQUITY", name: "London Stock Exchange (XLON)", timezone: "Europe/London" });
  expect(summary.trading.orders).toBeGreaterThan(0);
});

test("Toronto around Canada Day 2025: 1 July is skipped, each day ends at 16:00 Toronto time (20:00 UTC)", () => {
  const { days } = run("toronto.yaml");
  // 390 one-minute bars a day (09:30-16:00) for 3 symbols; 78 five-minute and 26 fifteen-minute each.
  expect(days.map(({ date, early_close, bars, derived_bars, final_time }) => ({ date, early_close, bars, derived_bars, final_time }))).toEqual(
    ["2025-06-27", "2025-06-30", "2025-07-02", "2025-07-03", "2025-07-04"].map((date) => ({ date, early_close: false, bars: 1170, derived_bars: 312, final_time: `${date}T20:00:00.000Z` })),
  );
});
