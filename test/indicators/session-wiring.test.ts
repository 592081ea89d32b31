/**
 * Indicators in a session: keyed name_period_interval per symbol, warmed up from history of the
 * same interval, updated exactly once per bar, VWAP per symbol and per session, historical
 * indicators computed from the days before each session, every series recorded next to its bars.
 */
import { afterAll, describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { barColumns, type BarColumns } from "../../src/core/data/bars.ts";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { batch, indicator } from "../helpers/indicators.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const data = new DataManager(new Store(`${ROOT}/data`, "US_EQUITY"), nyse);
const dir = tempDir("wiring");
afterAll(() => dir[Symbol.dispose]());

const run = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/run` });
const recorded = (symbol: string, stream: string) => pl.readParquet(`${run.runDir}/indicators/${symbol}_${stream}.parquet`);
const summaryOf = (symbol: string, key: string) => run.summary.indicators.find((i) => i.symbol === symbol && i.key === key)!;

function concat(parts: BarColumns[]): BarColumns {
  const keys = ["ts", "open", "high", "low", "close", "volume"] as const;
  const out = Object.fromEntries(keys.map((k) => [k, Float64Array.from(parts.flatMap((p) => [...p[k]]))])) as unknown as BarColumns;
  return out;
}

describe("session indicators", () => {
  test("keyed name_period_interval, one per symbol", () => {
    const keys = run.summary.indicators.filter((i) => i.symbol === "MSFT").map((i) => i.key);
    expect(keys).toEqual(["sma_20_5m", "ema_9_5m", "rsi_14_5m", "vwap_1m", "atr_14_5m", "bbands_20_15m", "pivot_points_1d", "avg_volume_10_1d", "atr_daily_14_1d", "high_low_4_1d"]);
    expect(run.summary.indicators.length).toBe(5 * 10);
  });

  test("recorded next to the bars, one row per bar, with the bars' timestamps", () => {
    const five = recorded("MSFT", "5m");
    const bars = pl.readParquet(`${run.runDir}/bars/MSFT_5m.parquet`);
    expect(five.columns).toEqual(["ts", "sma_20_5m", "ema_9_5m", "rsi_14_5m", "atr_14_5m"]);
    expect(five.height).toBe(bars.height);
    expect(five.getColumn("ts").toArray()).toEqual(bars.getColumn("ts").toArray());
    expect(recorded("MSFT", "15m").columns).toEqual(["ts", "bbands_20_15m.lower", "bbands_20_15m.middle", "bbands_20_15m.upper", "bbands_20_15m.bandwidth"]);
  });

  test("warmed up from 5m history the session did not ask for, then updated exactly once per bar", () => {
    // historical.data asks for 1m and 1d only; sma_20_5m is ready from the first 5m bar of the session.
    const values = recorded("MSFT", "5m").getColumn("sma_20_5m").toArray() as (number | null)[];
    expect(values[0]).not.toBeNull();
    // The same values as a batch SMA over the warm-up history followed by every session bar once.
    const first = nyse.session(isoDay("2025-07-02"))!;
    const warmupDays = nyse.tradingDaysBefore(isoDay("2025-07-02"), Math.ceil(20 / 42) + 1);
    const history = barColumns(data.getBars("MSFT", requireInterval("5m"), nyse.session(warmupDays[0]!)!.open, first.open));
    const session = barColumns(pl.readParquet(`${run.runDir}/bars/MSFT_5m.parquet`));
    for (const [name, key] of [["sma", "sma_20_5m"], ["ema", "ema_9_5m"], ["rsi", "rsi_14_5m"], ["atr", "atr_14_5m"]] as const) {
      const params = { period: Number(key.split("_").at(-2)) };
      const all = batch(indicator(name), params, concat([history, session]))[0]!;
      const expected = [...all.subarray(history.ts.length)];
      const actual = recorded("MSFT", "5m").getColumn(key).toArray() as number[];
      const worst = Math.max(...actual.map((x, i) => Math.abs(x - expected[i]!) / Math.max(1, Math.abs(x))));
      expect({ key, worst: worst < 1e-9 }).toEqual({ key, worst: true });
    }
  });

  test("VWAP is per symbol and restarts each session: the first bar's VWAP is its typical price", () => {
    const vwap = (symbol: string) => recorded(symbol, "1m").getColumn("vwap_1m").toArray() as number[];
    const bars = (symbol: string) => barColumns(pl.readParquet(`${run.runDir}/bars/${symbol}_1m.parquet`));
    for (const symbol of ["MSFT", "JPM"]) {
      const b = bars(symbol);
      for (const start of [0, 390, 600]) {
        expect(vwap(symbol)[start]).toBeCloseTo((b.high[start]! + b.low[start]! + b.close[start]!) / 3, 9);
      }
      // Hand-check the second bar of 07-03: (tp0 v0 + tp1 v1) / (v0 + v1).
      const tp = (i: number) => (b.high[i]! + b.low[i]! + b.close[i]!) / 3;
      expect(vwap(symbol)[391]).toBeCloseTo((tp(390) * b.volume[390]! + tp(391) * b.volume[391]!) / (b.volume[390]! + b.volume[391]!), 9);
    }
    expect(Math.abs(vwap("MSFT")[10]! - vwap("JPM")[10]!)).toBeGreaterThan(100);
  });

  test("historical indicators are computed from the days before the session and held for the day", () => {
    // The values at the end are those computed before 2025-07-07: the 10 sessions up to 07-03.
    const days = nyse.tradingDaysBefore(isoDay("2025-07-07"), 10);
    const daily = barColumns(data.getBars("MSFT", requireInterval("1d"), nyse.session(days[0]!)!.open, nyse.session(days[9]!)!.close));
    expect(daily.ts.length).toBe(10);
    expect(summaryOf("MSFT", "avg_volume_10_1d").values.value).toBeCloseTo(daily.volume.reduce((a, b) => a + b, 0) / 10, 6);
    // pivot_points on 1d (not a stream): yesterday's session, 2025-07-03.
    const last = daily.ts.length - 1;
    const pp = (daily.high[last]! + daily.low[last]! + daily.close[last]!) / 3;
    expect(summaryOf("MSFT", "pivot_points_1d").values.pp).toBeCloseTo(pp, 6);
    // high_low over 4 weeks: the trading days from 2025-06-09 (07-07 minus 28 days) to 07-03.
    const weeks = barColumns(data.getBars("MSFT", requireInterval("1d"), nyse.session(isoDay("2025-06-09"))!.open, nyse.session(isoDay("2025-07-03"))!.close));
    expect(summaryOf("MSFT", "high_low_4_1d").values).toEqual({ high: Math.max(...weeks.high), low: Math.min(...weeks.low) });
  });
});
