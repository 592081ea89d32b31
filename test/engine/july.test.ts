/**
 * The main job on the bundled real data: sessions/july.yaml replays 2025-07-02, 07-03 (early close)
 * and 07-07 with exactly the bars a complete feed has, 1d history built from minutes, and quality
 * that shows FXY's and DBB's real gaps.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dayStreamRows } from "../helpers/rows.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("july");
afterAll(() => dir[Symbol.dispose]());
const outcome = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/run` });
const { summary } = outcome;
const stream = (symbol: string, interval: string) => summary.streams.find((s) => s.symbol === symbol && s.interval === interval)!;
const rows = outcome.result.days.flatMap((d) => dayStreamRows(outcome.result.plan, d));
const dayStream = (date: string, symbol: string, interval: string) => rows.find((r) => r.date === date && r.symbol === symbol && r.interval === interval)!;

describe("sessions/july.yaml", () => {
  test("three trading days: 07-04 is a holiday, the weekend is skipped, 07-03 closes at 13:00", () => {
    expect(summary.trading_days).toEqual([
      { date: "2025-07-02", open_utc: "2025-07-02T13:30:00.000Z", close_utc: "2025-07-02T20:00:00.000Z", early_close: false },
      { date: "2025-07-03", open_utc: "2025-07-03T13:30:00.000Z", close_utc: "2025-07-03T17:00:00.000Z", early_close: true },
      { date: "2025-07-07", open_utc: "2025-07-07T13:30:00.000Z", close_utc: "2025-07-07T20:00:00.000Z", early_close: false },
    ]);
  });

  test("liquid symbols: 390 + 210 + 390 one-minute, 78 + 42 + 78 five-minute, 26 + 14 + 26 fifteen-minute bars, quality 100", () => {
    for (const symbol of ["MSFT", "JPM", "XLK"]) {
      const perDay = (interval: string) => summary.days.map((d) => dayStream(d.date, symbol, interval).bars);
      expect({ symbol, m1: perDay("1m"), m5: perDay("5m"), m15: perDay("15m") }).toEqual({ symbol, m1: [390, 210, 390], m5: [78, 42, 78], m15: [26, 14, 26] });
      for (const interval of ["1m", "5m", "15m"]) expect(stream(symbol, interval)).toMatchObject({ source: interval === "1m" ? "streamed" : "generated", quality: 100, gaps: 0 });
    }
  });

  test("FXY and DBB keep their real gaps, the same the store reports", () => {
    expect(dayStream("2025-07-03", "FXY", "1m")).toMatchObject({ bars: 139, expected: 210, quality: 66.19 });
    expect(dayStream("2025-07-03", "FXY", "1m").gaps[0]).toEqual({ start: Date.parse("2025-07-03T13:39:00.000Z"), end: Date.parse("2025-07-03T13:40:00.000Z"), bars: 1 });
    expect(dayStream("2025-07-03", "DBB", "1m")).toMatchObject({ bars: 23, expected: 210 });
    const fxy = dayStream("2025-07-03", "FXY", "1m");
    expect(fxy.gaps.reduce((n, g) => n + g.bars, 0)).toBe(fxy.expected - fxy.bars);
    expect(stream("FXY", "1m").quality).toBeLessThan(100);
    // The same rows in the run directory's tables, and the day's line in the summary.
    const quality = readFileSync(`${outcome.runDir}/quality.csv`, "utf8").split("\n");
    expect(quality[0]).toBe("date,symbol,interval,source,bars,expected,quality,gaps");
    expect(quality).toContain(`2025-07-03,FXY,1m,streamed,139,210,66.19,${fxy.gaps.length}`);
    expect(quality.length - 2).toBe(rows.length);
    const gaps = readFileSync(`${outcome.runDir}/gaps.csv`, "utf8").split("\n");
    expect(gaps[0]).toBe("date,symbol,interval,start_utc,end_utc,bars");
    expect(gaps.filter((g) => g.startsWith("2025-07-03,FXY,1m,"))[0]).toBe("2025-07-03,FXY,1m,2025-07-03T13:39:00.000Z,2025-07-03T13:40:00.000Z,1");
    const day = summary.days.find((d) => d.date === "2025-07-03")!;
    expect(day.gaps).toBe(rows.filter((r) => r.date === "2025-07-03").reduce((n, r) => n + r.gaps.length, 0));
    expect(day.incomplete_streams).toBe(rows.filter((r) => r.date === "2025-07-03" && r.quality! < 100).length);
  });

  test("1d history exists without a daily file: 20 sessions before each day, built from minutes", () => {
    const daily = summary.history.filter((h) => h.interval === "1d");
    expect(daily.map((h) => h.symbol)).toEqual(["MSFT", "JPM", "XLK", "FXY", "DBB"]);
    for (const h of daily) {
      // 20 as configured, or more when an indicator's lookback needs it (high_low over 4 weeks: 21).
      expect(h.days.length).toBe(h.trailing_days);
      expect(h.trailing_days).toBeGreaterThanOrEqual(20);
      expect(h.days.at(-1)!.date).toBe("2025-07-03"); // the window before 07-07: never the day itself
      expect(h.days.every((d) => d.bars === 1)).toBe(true);
    }
    const minutes = summary.history.find((h) => h.symbol === "MSFT" && h.interval === "1m")!;
    expect(minutes.days.map((d) => [d.date, d.bars])).toEqual([["2025-06-27", 390], ["2025-06-30", 390], ["2025-07-01", 390], ["2025-07-02", 390], ["2025-07-03", 210]]);
  });

  test("the log has every phase, with the original's step numbers, for every day", () => {
    const log = outcome.log;
    for (const step of ["2.a", "2.h", "3.a", "3.b", "3.c"]) expect(log.some((l) => l.startsWith(`[SESSION_FLOW] ${step}:`))).toBe(true);
    for (let phase = 1; phase <= 6; phase++) expect(log.filter((l) => l === `[SESSION_FLOW] 3.b.2.PHASE_${phase}: Complete` || l.startsWith(`[SESSION_FLOW] 3.b.2.PHASE_${phase}: Complete`)).length).toBe(3);
    expect(log.filter((l) => l.startsWith("[SESSION_FLOW] PHASE_5.SUMMARY:"))).toEqual([
      "[SESSION_FLOW] PHASE_5.SUMMARY: 390 iterations, 1627 bars, 508 derived bars, final time = 16:00",
      "[SESSION_FLOW] PHASE_5.SUMMARY: 210 iterations, 792 bars, 254 derived bars, final time = 13:00",
      "[SESSION_FLOW] PHASE_5.SUMMARY: 390 iterations, 1494 bars, 498 derived bars, final time = 16:00",
    ]);
    expect(log.filter((l) => l.includes("PHASE_1.1: MSFT: 1m streamed; 5m, 15m generated")).length).toBe(1);
  });
});
