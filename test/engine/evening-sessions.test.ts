/**
 * Sessions that open the evening before their date (CME Globex: 17:00 Chicago time the day
 * before, to 17:00) on synthetic bars made by the command sessions/cme.yaml documents: the
 * evening's bars belong to the next date's session, day rows and 1d bars use the session's date,
 * a session spanning two month files reads without a seam, derived bars equal the batch path's,
 * and an import accepts Sunday evening bars as Monday's.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import pl from "nodejs-polars";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const cme = MarketCalendar.for("US_FUTURES", "FUTURES");
const dir = tempDir("cme");
afterAll(() => dir[Symbol.dispose]());

const line = readFileSync(`${ROOT}/sessions/cme.yaml`, "utf8").split("\n").find((l) => l.includes("bun run data fetch"))!;
const fetched = runScript("data", ["fetch", ...line.replace(/^#\s*bun run data fetch\s+/, "").split(/\s+/), "--root", `${dir.path}/data`]);
const run = await runTestSession("sessions/cme.yaml", [`data.root=${dir.path}/data`, "report.formats=[json, parquet]"], { keep: `${dir.path}/run` });
const dates = ["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04", "2025-07-07", "2025-07-08"];
const sessions = dates.map((d) => cme.session(isoDay(d))!);

describe("CME Globex: sessions that open the evening before", () => {
  test("the documented fetch made the data, its first session whole (from the Sunday evening before); data quality agrees", () => {
    expect(fetched.exitCode).toBe(0);
    // 16 June 2025 (a Monday) opens on Sunday 15 June at 17:00; Juneteenth (19 June) trades to 12:00.
    const quality = runScript("data", ["quality", "--root", `${dir.path}/data`, "--exchange", "US_FUTURES", "--symbols", "ES", "--from", "2025-06-16", "--to", "2025-06-20", "--json"]);
    expect(quality.exitCode).toBe(0);
    const report = JSON.parse(quality.stdout);
    expect(report.by_day.map((d: { date: string; actual: number; expected: number }) => [d.date, d.actual, d.expected])).toEqual([
      ["2025-06-16", 1440, 1440], ["2025-06-17", 1440, 1440], ["2025-06-18", 1440, 1440], ["2025-06-19", 1140, 1140], ["2025-06-20", 1440, 1440],
    ]);
  });

  test("each day is its session: 1,440 minutes from the evening before (1,140 on 4 July, to 12:00), 100% quality", () => {
    const days = run.summary.days.map((d) => ({ date: d.date, early: d.early_close, bars: d.bars, quality: d.base_quality, gaps: d.gaps, end: d.final_time }));
    expect(days).toEqual(sessions.map((s) => ({ date: s.date, early: s.earlyClose, bars: 3 * (s.earlyClose ? 1140 : 1440), quality: 100, gaps: 0, end: new Date(s.close).toISOString() })));
  });

  test("history windows hold whole sessions by trading date: 288 five-minute bars (228 on 4 July, to 12:00), 100%", () => {
    // At the end, the trailing 5m window holds the 5 trading days before 8 July.
    const window = run.summary.history.find((h) => h.symbol === "ES")!;
    expect(window.days.map((d) => [d.date, d.bars, d.expected, d.quality])).toEqual([
      ["2025-07-01", 288, 288, 100], ["2025-07-02", 288, 288, 100], ["2025-07-03", 288, 288, 100], ["2025-07-04", 228, 228, 100], ["2025-07-07", 288, 288, 100],
    ]);
  });

  test("Monday's first bar is Sunday 17:00 Chicago time; 1 July's session starts in June's file without a seam", () => {
    const minutes = pl.readParquet(`${run.runDir}/bars/ES_1m.parquet`).getColumn("ts").cast(pl.Float64).toArray() as number[];
    const monday = minutes.filter((t) => t >= sessions[4]!.open && t < sessions[4]!.close);
    expect(new Date(monday[0]!).toISOString()).toBe("2025-07-06T22:00:00.000Z");
    const first = minutes.filter((t) => t < sessions[0]!.close);
    expect([new Date(first[0]!).toISOString(), first.length]).toEqual(["2025-06-30T22:00:00.000Z", 1440]);
  });

  test("1d bars are stamped with their session's open (the evening before) and cover the whole session", () => {
    const daily = pl.readParquet(`${run.runDir}/bars/NQ_1d.parquet`);
    expect((daily.getColumn("ts").cast(pl.Float64).toArray() as number[]).map((t) => new Date(t).toISOString())).toEqual(sessions.map((s) => new Date(s.open).toISOString()));
    expect(daily.getColumn("partial").toArray()).toEqual(sessions.map(() => false));
  });

  test("streamed derived bars equal the batch path's", () => {
    const batch = new DataManager(new Store(`${dir.path}/data`, "US_FUTURES"), cme);
    for (const target of ["5m", "15m", "1h", "1d"]) {
      const streamed = pl.readParquet(`${run.runDir}/bars/CL_${target}.parquet`);
      const expected = pl.concat(sessions.map((s) => batch.getBars("CL", requireInterval(target), s.open, s.close))).select("ts", "open", "high", "low", "close", "volume", "partial");
      expect({ target, rows: streamed.height, equal: streamed.frameEqual(expected) }).toEqual({ target, rows: expected.height, equal: true });
    }
  });

  test("an import takes Sunday evening bars as Monday's (not a weekend), and Friday 17:00 on as closed", () => {
    const csv = `${dir.path}/es.csv`;
    // Chicago local times: Sunday 6 July 17:00 and 17:01 open Monday's session.
    writeFileSync(csv, "timestamp,open,high,low,close,volume\n2025-07-06 17:00:00,1,1,1,1,10\n2025-07-06 17:01:00,1,1,1,1,10\n");
    const ok = runScript("data", ["import", csv, "--symbol", "ES", "--exchange", "US_FUTURES", "--tz", "America/Chicago", "--root", `${dir.path}/imported`, "--json"]);
    expect({ code: ok.exitCode, stderr: ok.stderr }).toEqual({ code: 0, stderr: ok.exitCode === 0 ? ok.stderr : "" });
    expect(JSON.stringify(JSON.parse(ok.stdout))).toContain("2025-07-07");
    writeFileSync(csv, "timestamp,open,high,low,close,volume\n2025-07-04 17:00:00,1,1,1,1,10\n");
    const refused = runScript("data", ["import", csv, "--symbol", "ES", "--exchange", "US_FUTURES", "--tz", "America/Chicago", "--root", `${dir.path}/imported`]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("2025-07-05 is not a trading day");
  });
});

test("ctx.at(\"HH:MM\") from the open's time of day on is the evening before: 18:30 of Monday's session is Sunday 18:30", async () => {
  const timed = await runTestSession(
    "sessions/cme.yaml",
    [
      `data.root=${dir.path}/data`,
      `plugins.dirs=[${ROOT}/test/fixtures/sweep-plugins]`,
      "session_data_config.symbols=[ES]",
      "session_data_config.streams=[1m]",
      "session_data_config.indicators.session=[]",
      "session_data_config.historical.data=[]",
      "backtest_config.start_date=2025-07-07",
      "backtest_config.end_date=2025-07-07",
      'strategies=[{name: close_out, params: {symbol: ES, at: "18:30", mode: market}}, {name: close_out, params: {symbol: ES, at: "09:15", mode: market}}]',
    ],
    { keep: `${dir.path}/timers` },
  );
  // Chicago is UTC-5 in July: Sunday 18:30 is 23:30 UTC; Monday 09:15 is 14:15 UTC.
  expect(timed.log.some((l) => l.includes("timer at 2025-07-06T23:30:00.000Z"))).toBe(true);
  expect(timed.log.some((l) => l.includes("timer at 2025-07-07T14:15:00.000Z"))).toBe(true);
  expect(cme.sessionInstant(isoDay("2025-07-07"), (18 * 60 + 30) * 60_000)).toBe(Date.parse("2025-07-06T23:30:00Z"));
});

test("a paper session on a market that opens the evening before is refused at its mode line (exit 2)", () => {
  const result = runScript("session", ["sessions/cme.yaml", "--set", "mode=paper", "--set", "api_config.data_api=alpaca", "--set", `data.root=${dir.path}/data`]);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("mode: paper sessions need a market whose sessions open on their own date; CME Globex (CMES) (US_FUTURES) opens the evening before");
});
