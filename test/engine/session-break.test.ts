/**
 * A session with a midday break (Tokyo: 09:00-11:30 and 12:30-15:30) on synthetic bars made by the
 * command sessions/tokyo.yaml documents: no bar is expected in the break (complete data is 100%
 * with no gap), a gap never spans it, derived bars stay anchored to the open with the periods the
 * break cuts marked partial, and the streamed derived bars equal the batch path's.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const tokyo = MarketCalendar.for("JP_EQUITY", "EQUITY");
const dir = tempDir("tokyo");
afterAll(() => dir[Symbol.dispose]());

/** The session file's documented fetch, into `root`, with extra parameters. */
function fetchDocumented(root: string, extra: string[] = []): void {
  const line = readFileSync(`${ROOT}/sessions/tokyo.yaml`, "utf8").split("\n").find((l) => l.includes("bun run data fetch"))!;
  const args = line.replace(/^#\s*bun run data fetch\s+/, "").split(/\s+/);
  const result = runScript("data", ["fetch", ...args, ...extra, "--root", root]);
  expect({ code: result.exitCode, stderr: result.stderr }).toEqual({ code: 0, stderr: result.exitCode === 0 ? result.stderr : "" });
}

fetchDocumented(`${dir.path}/complete`);
fetchDocumented(`${dir.path}/gappy`, ["--param", "missing_rate=0.05"]);
const formats = "report.formats=[json, csv, parquet]";
const streams = "session_data_config.streams=[1m, 5m, 15m, 1h, 1d]";
const complete = await runTestSession("sessions/tokyo.yaml", [`data.root=${dir.path}/complete`, formats, streams], { keep: `${dir.path}/run-complete` });
const gappy = await runTestSession("sessions/tokyo.yaml", [`data.root=${dir.path}/gappy`, formats, streams], { keep: `${dir.path}/run-gappy` });
const days = ["2025-09-12", "2025-09-16", "2025-09-17", "2025-09-18", "2025-09-19", "2025-09-22", "2025-09-24"].map((d) => tokyo.session(isoDay(d))!);
const hhmm = (ms: number) => tokyo.localTime(ms).msOfDay / 60_000;
const at = (h: number, m = 0) => h * 60 + m;

describe("Tokyo's lunch break", () => {
  test("the session trades the exchange's days; complete data is 100% with no gap", () => {
    const summary = complete.summary;
    expect(summary.days.map((d: { date: string }) => d.date)).toEqual(days.map((d) => d.date));
    // 3 symbols x (150 + 180) one-minute bars; 5m 30 + 36, 15m 10 + 12, 1h 7 and 1d 1 a day per symbol.
    for (const day of summary.days) expect({ bars: day.bars, derived: day.derived_bars, quality: day.base_quality, gaps: day.gaps }).toEqual({ bars: 990, derived: 3 * (66 + 22 + 7 + 1), quality: 100, gaps: 0 });
    for (const stream of summary.streams) expect({ stream: `${stream.symbol} ${stream.interval}`, quality: stream.quality, gaps: stream.gaps }).toEqual({ stream: `${stream.symbol} ${stream.interval}`, quality: 100, gaps: 0 });
    // The trailing 5m history (read and aggregated in Polars) expects 66 bars a day, not 78.
    for (const window of summary.history) for (const day of window.days) expect({ bars: day.bars, expected: day.expected, quality: day.quality, gaps: day.gaps }).toEqual({ bars: 66, expected: 66, quality: 100, gaps: 0 });
  });

  test("1h bars stay on the grid from the open; the periods the break and the close cut are partial", () => {
    const hours = pl.readParquet(`${complete.runDir}/bars/7203_1h.parquet`);
    const first = hours.filter(pl.col("ts").lt(pl.lit(days[0]!.close).cast(pl.Int64)));
    const starts = (first.getColumn("ts").cast(pl.Float64).toArray() as number[]).map(hhmm);
    expect(starts).toEqual([at(9), at(10), at(11), at(12, 30), at(13), at(14), at(15)]);
    expect(first.getColumn("partial").toArray()).toEqual([false, false, true, true, false, false, true]);
    // No bar of any interval starts inside the break.
    for (const interval of ["1m", "5m", "15m", "1h"]) {
      const ts = pl.readParquet(`${complete.runDir}/bars/7203_${interval}.parquet`).getColumn("ts").cast(pl.Float64).toArray() as number[];
      expect(ts.filter((t) => hhmm(t) >= at(11, 30) && hhmm(t) < at(12, 30))).toEqual([]);
    }
  });

  for (const [name, run, root] of [["complete", complete, "complete"], ["gappy", gappy, "gappy"]] as const) {
    test(`streamed derived bars equal the batch path's (${name} data)`, () => {
      const batch = new DataManager(new Store(`${dir.path}/${root}`, "JP_EQUITY"), tokyo);
      for (const target of ["5m", "15m", "1h", "1d"]) {
        const streamed = pl.readParquet(`${run.runDir}/bars/6758_${target}.parquet`);
        const expected = pl.concat(days.map((s) => batch.getBars("6758", requireInterval(target), s.open, s.close))).select("ts", "open", "high", "low", "close", "volume", "partial");
        expect({ target, rows: streamed.height }).toEqual({ target, rows: expected.height });
        expect({ target, equal: streamed.frameEqual(expected) }).toEqual({ target, equal: true });
      }
    });
  }

  test("with missing minutes, quality drops and no gap spans the break", () => {
    const streams = gappy.summary.streams.filter((s: { interval: string }) => s.interval === "1m");
    for (const stream of streams) expect(stream.quality).toBeLessThan(100);
    for (const stream of streams) expect(stream.quality).toBeGreaterThan(90);
    const gaps = pl.readCSV(readFileSync(`${gappy.runDir}/gaps.csv`, "utf8"));
    expect(gaps.height).toBeGreaterThan(0);
    const starts = (gaps.getColumn("start_utc").toArray() as string[]).map((t) => Date.parse(t));
    const ends = (gaps.getColumn("end_utc").toArray() as string[]).map((t) => Date.parse(t));
    const spanning = starts.filter((start, i) => {
      const day = days.find((d) => start >= d.open && start < d.close)!;
      return start < day.breakEnd! && ends[i]! > day.breakStart!;
    });
    expect(spanning).toEqual([]);
  });
});

test("a paper session on a market with a break is refused at its mode line (exit 2): the live feed does not know breaks", () => {
  const result = runScript("session", ["sessions/tokyo.yaml", "--set", "mode=paper", "--set", "api_config.data_api=alpaca", "--set", `data.root=${dir.path}/complete`]);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("mode: paper sessions need a market without a midday break; Tokyo Stock Exchange (XTKS) (JP_EQUITY) has one");
});
