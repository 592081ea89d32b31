/**
 * Imports of every format in ../shared/data, with their traps, and of bad rows, checked against
 * the values ../shared/data/README.md states (computed independently from the files).
 */
import { describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { barColumns } from "../../src/core/data/bars.ts";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { importFiles, type ImportOptions } from "../../src/core/data/import/importer.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { SHARED } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const DATA = `${SHARED}/data`;
const defaults: Omit<ImportOptions, "symbol"> = { interval: requireInterval("1m"), kind: "auto", format: "auto", zone: "UTC", shiftMs: 0, onBadRow: "refuse", tickBars: [requireInterval("1s"), requireInterval("1m")] };
const t = (text: string) => Date.parse(text);

function regularDay(data: DataManager, symbol: string, date: string, target = "1d") {
  const session = nyse.session(isoDay(date))!;
  return data.getBars(symbol, requireInterval(target), session.open, session.close);
}

describe("imports of the shared real data", () => {
  test("one-minute bars (naive UTC): MSFT's 2025-07-03 early close and its 5m reference bars", async () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    const summary = await importFiles(store, nyse, [`${DATA}/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv`], { ...defaults, symbol: "MSFT" });
    expect([summary.rowsRead, summary.rowsAccepted, summary.rowsRejected, summary.rowsWritten]).toEqual([13104, 13104, 0, 13104]);
    expect(summary.coverage.length).toBe(24);
    expect(summary.coverage.every((d) => d.quality === 100)).toBe(true);
    expect(summary.coverage.find((d) => d.date === "2025-07-03")).toMatchObject({ regular: 210, expected: 210 });
    const fiveMinutes = regularDay(new DataManager(store, nyse), "MSFT", "2025-07-03", "5m");
    expect(fiveMinutes.height).toBe(42);
    const row = (i: number) => ["open", "high", "low", "close", "volume"].map((c) => fiveMinutes.getColumn(c).get(i));
    expect(row(0)).toEqual([493.81, 495.63, 493.44, 495.07, 697175]);
    expect(row(41)).toEqual([498.77, 499.2, 498.47, 498.69, 451437]);
    expect(barColumns(fiveMinutes).ts[41]).toBe(t("2025-07-03T16:55:00Z"));
    // Re-importing the same file writes nothing.
    const again = await importFiles(store, nyse, [`${DATA}/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv`], { ...defaults, symbol: "MSFT" });
    expect([again.rowsWritten, again.partitions.every((p) => !p.changed)]).toEqual([0, true]);
  });

  test("the original system's dumps are 4 hours late: --shift -4h recovers AAPL's 390 regular minutes", async () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    const literal = await importFiles(new Store(`${dir.path}/literal`, "US_EQUITY"), nyse, [`${DATA}/original_dumps/bars_dump_AAPL_2025-07-02.csv`], { ...defaults, symbol: "AAPL" });
    expect(literal.coverage.find((d) => d.date === "2025-07-02")!.regular).toBe(390 - 41);
    const shifted = await importFiles(store, nyse, [`${DATA}/original_dumps/bars_dump_AAPL_2025-07-02.csv`], { ...defaults, symbol: "AAPL", shiftMs: -4 * 3_600_000 });
    expect(shifted.coverage.map((d) => [d.date, d.regular])).toEqual([["2025-07-01", 0], ["2025-07-02", 390]]);
    const day = regularDay(new DataManager(store, nyse), "AAPL", "2025-07-02");
    expect(["open", "high", "low", "close", "volume"].map((c) => day.getColumn(c).get(0))).toEqual([208.99, 213.34, 208.14, 212.41, 59_584_161]);
  });

  test("ticks import into ticks and aggregate into 1s and 1m bars (EST after the DST change)", async () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    const summary = await importFiles(store, nyse, [`${DATA}/ticks/AAPL_ticks_2025-11-03_premarket.csv`], { ...defaults, symbol: "AAPL" });
    expect([summary.table, summary.rowsAccepted]).toEqual(["ticks", 9569]);
    const ticks = store.read({ kind: "ticks" }, "AAPL", t("2025-11-03T00:00:00Z"), t("2025-11-04T00:00:00Z"));
    expect(ticks.height).toBe(9569);
    // nodejs-polars' Series.get truncates Int64 to 32 bits: read instants through a Float64 cast.
    expect(ticks.getColumn("ts_us").cast(pl.Float64).get(0)).toBe(t("2025-11-03T09:00:00Z") * 1000 + 2409);
    const minutes = store.read({ kind: "bars", interval: requireInterval("1m") }, "AAPL", t("2025-11-03T09:00:00Z"), t("2025-11-03T09:01:00Z"));
    const firstMinute = ticks.filter(pl.col("ts").lt(pl.lit(t("2025-11-03T09:01:00Z")).cast(pl.Int64)));
    const prices = firstMinute.getColumn("price").toArray() as number[];
    expect(minutes.height).toBe(1);
    expect(["open", "high", "low", "close"].map((c) => minutes.getColumn(c).get(0))).toEqual([prices[0], Math.max(...prices), Math.min(...prices), prices.at(-1)]);
    expect(minutes.getColumn("volume").get(0)).toBe(firstMinute.getColumn("size").sum());
    expect(minutes.getColumn("trade_count").get(0)).toBe(firstMinute.height);
    // 04:00 New York is 09:00 UTC once EST has begun (2025-11-02).
    expect(nyse.sessionType(t("2025-11-03T09:00:00Z"))).toBe("pre");
    const seconds = store.read({ kind: "bars", interval: requireInterval("1s") }, "AAPL", 0, t("2026-01-01T00:00:00Z"));
    expect(seconds.getColumn("volume").sum()).toBe(ticks.getColumn("size").sum());
  });

  test("crypto JSON: sixty 1m candles aggregate to the vendor's own 1h candle", async () => {
    using dir = tempDir();
    const crypto = MarketCalendar.for("CRYPTO", "CRYPTO");
    const store = new Store(dir.path, "CRYPTO");
    await importFiles(store, crypto, [`${DATA}/crypto/BTCUSDT_2020-08-23T00_60x1m.json`], { ...defaults, symbol: "BTCUSDT" });
    const hour = new DataManager(store, crypto).getBars("BTCUSDT", requireInterval("1h"), t("2020-08-23T00:00:00Z"), t("2020-08-23T01:00:00Z"));
    const vendor = (await Bun.file(`${DATA}/crypto/BTCUSDT_2020-08-23T00_1h.json`).json())[0];
    expect(hour.height).toBe(1);
    expect(["open", "high", "low", "close"].map((c) => hour.getColumn(c).get(0))).toEqual(["open", "high", "low", "close"].map((k) => Number(vendor[k])));
    expect(hour.getColumn("volume").get(0)).toBeCloseTo(Number(vendor.volume), 6);
  });

  test("daily bars: dates become sessions; SPY's 5,241 dates are NYSE sessions; Ford 2012 skips Sandy", async () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    const spy = await importFiles(store, nyse, [`${DATA}/daily/SPY_1d_1999-11-01_2020-08-28.csv`], { ...defaults, symbol: "SPY", interval: requireInterval("1d") });
    expect([spy.rowsAccepted, spy.rowsRejected]).toEqual([5241, 0]);
    const sessions = nyse.tradingDays(isoDay("1999-11-01"), isoDay("2020-08-28"));
    expect(sessions.length).toBe(5241);
    const ford = await importFiles(store, nyse, [`${DATA}/daily/F_1d_2012.csv`], { ...defaults, symbol: "F", interval: requireInterval("1d") });
    expect(ford.rowsAccepted).toBe(250);
    const stamps = barColumns(store.read({ kind: "bars", interval: requireInterval("1d") }, "F", 0, t("2013-01-01T00:00:00Z"))).ts;
    const dates = [...stamps].map((ms) => formatDay(nyse.localTime(ms).day));
    expect(dates).not.toContain("2012-10-29");
    expect(dates).not.toContain("2012-10-30");
    expect(stamps[0]).toBe(nyse.session(isoDay("2012-01-03"))!.open);
  });
});

describe("bad rows", () => {
  const BAD = [
    "timestamp,open,high,low,close,volume",
    "2025-07-03 13:30:00,10,11,9,10.5,100", // good
    "2025-07-03 13:31:00,10,9,9.5,10,100", // high below low
    "2025-07-03 13:32:00,-1,11,9,10,100", // negative price
    "2025-07-03 13:33:00,10,11,9,10,-5", // negative volume
    "2025-07-03 13:30:00,10,11,9,10,5", // duplicate of line 2
    "2025-07-03 13:29:00,10,11,9,10,5", // out of order
    "2025-07-03 13:34:30,10,11,9,10,5", // not on a minute
    "2025-07-04 13:30:00,10,11,9,10,5", // holiday
    "not a time,10,11,9,10,5", // bad timestamp
    "2025-07-03 13:34:00,10,11,9,10,abc", // volume not a number
    "2025-07-03 13:35:00,10,11,9,10.25,100", // good
  ].join("\n");

  test("refuse (the default): nothing is written, and every bad row is named with its line", async () => {
    using dir = tempDir();
    const file = dir.write("bad.csv", BAD);
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    await expect(importFiles(store, nyse, [file], { ...defaults, symbol: "X" })).rejects.toThrow("import of X refused: 9 bad row(s); nothing was written");
    try {
      await importFiles(store, nyse, [file], { ...defaults, symbol: "X" });
    } catch (error) {
      const lines = (error as Error).message.split("\n").slice(1).map((l) => l.replace(file, "bad.csv").trim());
      expect(lines).toEqual([
        "bad.csv:3: high 9 is below low 9.5",
        "bad.csv:4: open -1 must be > 0",
        "bad.csv:5: volume -5 must be a number >= 0",
        "bad.csv:6: duplicate of line 2 (the same timestamp 2025-07-03T13:30:00.000Z)",
        "bad.csv:7: out of order: 2025-07-03T13:29:00.000Z comes after 2025-07-03T13:30:00.000Z (line 2)",
        "bad.csv:8: 2025-07-03T13:34:30.000Z is not on a 1m boundary",
        "bad.csv:9: 2025-07-04 is not a trading day (Independence Day)",
        'bad.csv:10: "not a time" is not a timestamp like the file\'s others (date-time without an offset)',
        "bad.csv:11: volume NaN must be a number >= 0",
      ]);
    }
    expect(store.list()).toEqual([]);
  });

  test("skip: the good rows are written and the bad ones listed", async () => {
    using dir = tempDir();
    const file = dir.write("bad.csv", BAD);
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    const summary = await importFiles(store, nyse, [file], { ...defaults, symbol: "X", onBadRow: "skip" });
    expect([summary.rowsRead, summary.rowsAccepted, summary.rowsRejected, summary.rowsWritten]).toEqual([11, 2, 9, 2]);
    expect(summary.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test("a file without price columns says which columns it has", async () => {
    using dir = tempDir();
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    await expect(importFiles(store, nyse, [`${DATA}/daily/MSFT_close_adjusted_2020-01-02_2025-07-11.csv`], { ...defaults, symbol: "MSFT", interval: requireInterval("1d") })).rejects.toThrow(
      "no column for open (open, o, open_price ...); high (high, h, high_price ...); low (low, l, low_price ...). The file's columns are: Date, Close, Ticker",
    );
  });
});
