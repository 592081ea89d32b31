/**
 * The incremental derived bars of the stream equal the batch path (Polars, used for history) on
 * real data, gaps and the early close included; and the run directory holds every series.
 */
import { afterAll, describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const batch = new DataManager(new Store(`${ROOT}/data`, "US_EQUITY"), nyse);
const dir = tempDir("derived");
afterAll(() => dir[Symbol.dispose]());
const run = await runTestSession("sessions/july.yaml", ["session_data_config.streams=[1m, 5m, 15m, 1h, 1d]"], { keep: `${dir.path}/run` });
const days = ["2025-07-02", "2025-07-03", "2025-07-07"].map((d) => nyse.session(isoDay(d))!);

describe("streamed derived bars = batch derived bars", () => {
  for (const symbol of ["MSFT", "FXY", "DBB"]) {
    for (const target of ["5m", "15m", "1h", "1d"]) {
      test(`${symbol} ${target}`, () => {
        const streamed = pl.readParquet(`${run.runDir}/bars/${symbol}_${target}.parquet`);
        const expected = pl.concat(days.map((s) => batch.getBars(symbol, requireInterval(target), s.open, s.close))).select("ts", "open", "high", "low", "close", "volume", "partial");
        expect(streamed.columns).toEqual(["ts", "open", "high", "low", "close", "volume", "partial"]);
        expect(streamed.height).toBe(expected.height);
        expect(streamed.frameEqual(expected)).toBe(true);
      });
    }
  }

  test("the run directory has the log, the summary, the resolved config and every bar series", () => {
    const files = [...new Bun.Glob("**/*").scanSync({ cwd: run.runDir })].sort();
    expect(files).toContain("session.log");
    expect(files).toContain("summary.json");
    expect(files).toContain("config.yaml");
    expect(files.filter((f) => f.startsWith("bars/")).length).toBe(5 * 5);
    const minutes = pl.readParquet(`${run.runDir}/bars/MSFT_1m.parquet`);
    expect(minutes.columns).toEqual(["ts", "open", "high", "low", "close", "volume"]);
    expect(minutes.height).toBe(990);
  });

  test("an early close cuts the last 1h bar at 13:00 and flags it partial", () => {
    const hours = pl.readParquet(`${run.runDir}/bars/MSFT_1h.parquet`);
    const early = hours.filter(pl.col("ts").gtEq(pl.lit(days[1]!.open).cast(pl.Int64)).and(pl.col("ts").lt(pl.lit(days[1]!.close).cast(pl.Int64))));
    expect(early.getColumn("partial").toArray()).toEqual([false, false, false, true]);
    // Every full day's 15:30 bar is cut by the 16:00 close as well.
    expect(hours.getColumn("partial").toArray().filter(Boolean).length).toBe(3);
  });
});
