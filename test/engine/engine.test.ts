/**
 * The coordinator's other contracts: prefetching, synthesized quotes, clear errors before the first
 * day, paced runs equal to fast ones, and quality evaluated at the clock.
 */
import { describe, expect, test } from "bun:test";
import { Store } from "../../src/core/data/store.ts";
import type { EngineExtension } from "../../src/core/engine/extension.ts";
import { StoreBarSource } from "../../src/core/data/store-bar-source.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");

/** A store that counts how often each month is scanned. */
class CountingStore extends Store {
  reads: string[] = [];
  override scan(...args: Parameters<Store["scan"]>) {
    this.reads.push(`${args[1]} ${new Date(args[2]).toISOString().slice(0, 7)}`);
    return super.scan(...args);
  }
  override partitionFrames(...args: Parameters<Store["partitionFrames"]>) {
    this.reads.push(`${args[1]} ${new Date(args[2]).toISOString().slice(0, 7)}`);
    return super.partitionFrames(...args);
  }
}

describe("queue loading", () => {
  const days = nyse.tradingDays(isoDay("2025-06-27"), isoDay("2025-07-02"));
  const source = (store: Store, symbols: string[], prefetchDays: number) =>
    new StoreBarSource({ store, calendar: nyse, symbols, bases: symbols.map(() => requireInterval("1m")), days, prefetchDays });

  test("prefetch_days 1: the next month's files are read from the current month's first day used", async () => {
    const store = new CountingStore(`${ROOT}/data`, "US_EQUITY");
    const loader = source(store, ["MSFT"], 1);
    const june = await loader.openDay(nyse.session(days[0]!)!); // 2025-06-27: June is needed now, July starts loading
    expect(store.reads).toEqual(["MSFT 2025-06", "MSFT 2025-07"]);
    await loader.openDay(nyse.session(days[1]!)!);
    expect(store.reads).toEqual(["MSFT 2025-06", "MSFT 2025-07"]);
    const july = await loader.openDay(nyse.session(days[2]!)!);
    expect(store.reads.length).toBe(2);
    expect([june.length, july.length]).toEqual([390, 390]);
    expect(july.ts[0]).toBe(nyse.session(days[2]!)!.open);
  });

  test("prefetch_days 0: nothing is read before it is needed", async () => {
    const store = new CountingStore(`${ROOT}/data`, "US_EQUITY");
    await source(store, ["MSFT"], 0).openDay(nyse.session(days[1]!)!);
    expect(store.reads).toEqual(["MSFT 2025-06"]);
  });

  test("a day's queue is time-major: rows by the instant they become visible, ties in symbol order, each symbol's regular bars once", async () => {
    const store = new Store(`${ROOT}/data`, "US_EQUITY");
    const july3 = nyse.session(isoDay("2025-07-03"))!;
    const queue = await new StoreBarSource({ store, calendar: nyse, symbols: ["FXY", "MSFT"], bases: [requireInterval("1m"), requireInterval("1m")], days: [july3.day], prefetchDays: 0 }).openDay(july3);
    for (let i = 1; i < queue.length; i++) {
      const ordered = queue.end[i - 1]! < queue.end[i]! || (queue.end[i - 1] === queue.end[i] && queue.symbol[i - 1]! < queue.symbol[i]!);
      if (!ordered) throw new Error(`row ${i} is out of time-major order`);
    }
    const count = (s: number) => Array.from(queue.symbol.subarray(0, queue.length)).filter((x) => x === s).length;
    expect([count(0), count(1)]).toEqual([139, 210]);
    expect(queue.end[queue.length - 1]).toBe(july3.close);
    expect(queue.ts[0]).toBeGreaterThanOrEqual(july3.open);
  });
});

describe("the coordinator", () => {
  test("a quotes stream is synthesized from the latest bar: bid = ask = close, size 0, flagged synthetic", async () => {
    const quotes: unknown[] = [];
    const probe: EngineExtension = {
      name: "quote-probe",
      stage: "recorders",
      setup(engine) {
        const stream = engine.data.streamId("MSFT", "1m");
        engine.hooks.onBar(stream, (bar) => {
          if (bar.ts === Date.parse("2025-07-03T13:30:00Z")) quotes.push({ quote: engine.data.quote("MSFT"), close: bar.close });
        });
      },
    };
    const { summary } = await runTestSession("sessions/july.yaml", ["session_data_config.streams=[1m, quotes]", "session_data_config.indicators.session=[]"], { extensions: () => [probe] });
    const close = (quotes[0] as { close: number }).close;
    expect(quotes).toEqual([{ quote: { ts: Date.parse("2025-07-03T13:31:00Z"), bid: close, ask: close, bid_size: 0, ask_size: 0, synthetic: true }, close }]);
    expect(summary.streams.find((s) => s.symbol === "MSFT" && s.interval === "quotes")).toMatchObject({ source: "generated", bars: 990 });
  });

  test("an interval the store cannot give is an error before the first day, naming symbol, interval and what is stored", async () => {
    await expect(runTestSession("sessions/july.yaml", ["session_data_config.streams=[1m, 90s]", "session_data_config.indicators.session=[]"])).rejects.toThrow(
      "MSFT 90s: cannot be built from the stored 1m (not a whole multiple); stored: 1m",
    );
    await expect(runTestSession("sessions/july.yaml", ["session_data_config.streams=[30s]", "session_data_config.indicators.session=[]"])).rejects.toThrow("MSFT 30s: finer than the stored base 1m; stored: 1m");
    await expect(runTestSession("sessions/july.yaml", ["session_data_config.symbols=[MSFT, ZZZZ]"])).rejects.toThrow("ZZZZ: nothing is stored under");
  });

  test("a paced run waits on the wall clock, and gives what an unpaced one gives", async () => {
    const day = ["backtest_config.start_date=2025-07-03", "backtest_config.end_date=2025-07-03"];
    const fast = await runTestSession("sessions/july.yaml", day);
    // 2025-07-03 streams 09:30-13:00, 12,600 s of market time: at 25,200x, half a second of wall time.
    const started = performance.now();
    const paced = await runTestSession("sessions/july.yaml", [...day, "backtest_config.speed_multiplier=25200"], { wall: new LiveClock() });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(paced.summary.timings.waited_ms).toBeGreaterThan(100);
    expect(fast.summary.timings.waited_ms).toBe(0);
    expect(paced.summary.streams).toEqual(fast.summary.streams);
    expect(paced.summary.days).toEqual(fast.summary.days);
    expect(paced.summary.performance).toEqual(fast.summary.performance);
  });

  test("quality is evaluated at the clock: a stream that stops delivering loses quality as time passes", async () => {
    const seen: number[] = [];
    const probe: EngineExtension = {
      name: "quality-probe",
      stage: "recorders",
      setup(engine) {
        const dbb = engine.data.streamId("DBB", "1m");
        const msft = engine.data.streamId("MSFT", "1m");
        engine.hooks.onBar(msft, (bar) => {
          if (bar.ts === Date.parse("2025-07-03T14:29:00Z") || bar.ts === Date.parse("2025-07-03T16:59:00Z")) seen.push(engine.data.qualityOf(dbb));
        });
      },
    };
    await runTestSession("sessions/july.yaml", ["backtest_config.start_date=2025-07-03", "backtest_config.end_date=2025-07-03"], { extensions: () => [probe] });
    // DBB comes after MSFT in the session's symbol order, so at MSFT's bar ending at T, DBB has
    // delivered its bars ending before T; the expected count is the minutes elapsed since the open.
    const store = new Store(`${ROOT}/data`, "US_EQUITY");
    const dbb = (until: string) => store.read({ kind: "bars", interval: requireInterval("1m") }, "DBB", Date.parse("2025-07-03T13:30:00Z"), Date.parse(until)).height;
    expect(seen).toEqual([
      Math.round((10_000 * dbb("2025-07-03T14:29:00Z")) / 60) / 100,
      Math.round((10_000 * dbb("2025-07-03T16:59:00Z")) / 210) / 100,
    ]);
    expect(seen[1]).toBeLessThan(seen[0]!);
  });
});
