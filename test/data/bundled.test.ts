/**
 * The store bundled in data/: what sessions/july.yaml needs, present on a fresh clone, and
 * exactly what `bun run data bundle` rebuilds from ../shared/data.
 */
import { describe, expect, test } from "bun:test";
import { barColumns } from "../../src/core/data/bars.ts";
import { dayQuality } from "../../src/core/data/day-quality.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript, SHARED } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const store = new Store(`${ROOT}/data`, "US_EQUITY");
const minute = { kind: "bars" as const, interval: requireInterval("1m") };

function regularCounts(symbol: string): Map<string, number> {
  const bars = barColumns(store.read(minute, symbol, nyse.toUtc(isoDay("2025-06-01"), 0), nyse.toUtc(isoDay("2025-08-01"), 0))).ts;
  const counts = new Map<string, number>();
  for (const day of nyse.tradingDays(isoDay("2025-06-02"), isoDay("2025-07-07"))) {
    const s = nyse.session(day)!;
    counts.set(formatDay(day), dayQuality(bars, 0, bars.length, s, requireInterval("1m")).actual);
  }
  return counts;
}

describe("the bundled store", () => {
  test("every regular session 2025-06-02 .. 2025-07-07 is present for every symbol", () => {
    const sessions = nyse.tradingDays(isoDay("2025-06-02"), isoDay("2025-07-07")).map(formatDay);
    expect(sessions.length).toBe(24);
    for (const symbol of ["MSFT", "JPM", "XLK", "FXY", "DBB"]) {
      const counts = regularCounts(symbol);
      const empty = sessions.filter((d) => (counts.get(d) ?? 0) === 0);
      expect({ symbol, empty }).toEqual({ symbol, empty: [] });
    }
  });

  test("liquid symbols have every minute: 390 a day, 210 on the 2025-07-03 early close", () => {
    for (const symbol of ["MSFT", "JPM", "XLK"]) {
      const counts = regularCounts(symbol);
      expect(counts.get("2025-07-03")).toBe(210);
      expect([...counts.entries()].filter(([d, n]) => d !== "2025-07-03" && n !== 390)).toEqual([]);
    }
  });

  test("nothing on the closed days 2025-06-19 and 2025-07-04", () => {
    for (const symbol of ["MSFT", "JPM", "XLK", "FXY", "DBB"]) {
      for (const date of ["2025-06-19", "2025-07-04"]) {
        const day = isoDay(date);
        expect(store.read(minute, symbol, nyse.toUtc(day, 0), nyse.toUtc(day + 1, 0)).height).toBe(0);
      }
    }
  });

  test("the illiquid ETFs keep their real gaps (DBB: 23 regular bars on 2025-07-03)", () => {
    expect(regularCounts("DBB").get("2025-07-03")).toBe(23);
    expect(regularCounts("FXY").get("2025-07-03")).toBeLessThan(210);
  });

  test("`bun run data bundle` rebuilds it row for row from ../shared/data", () => {
    using dir = tempDir();
    const result = runScript("data", ["bundle", "--shared", `${SHARED}/data`, "--root", dir.path]);
    expect(result.exitCode).toBe(0);
    const rebuilt = new Store(dir.path, "US_EQUITY");
    expect(rebuilt.list()).toEqual(store.list());
    for (const entry of store.list()) {
      const a = store.read(minute, entry.symbol, 0, 4e12);
      const b = rebuilt.read(minute, entry.symbol, 0, 4e12);
      expect({ symbol: entry.symbol, equal: a.frameEqual(b) }).toEqual({ symbol: entry.symbol, equal: true });
    }
  });
});
