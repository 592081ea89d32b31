/**
 * Aggregation on read: the store's minutes answer 5m, 1h, 1d and 1w, anchored to each day's
 * open, cut by early closes, and only for periods wholly inside the asked window.
 */
import { describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { barColumns } from "../../src/core/data/bars.ts";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const data = new DataManager(new Store(`${ROOT}/data`, "US_EQUITY"), nyse);
const t = (text: string) => Date.parse(text);
const session = (date: string) => nyse.session(isoDay(date))!;

describe("derived bars from the bundled minutes", () => {
  test("the source of each interval: 1m stored, the rest derived from it", () => {
    expect(data.sourceOf("MSFT", requireInterval("1m"))).toEqual({ source: "stored", interval: requireInterval("1m") });
    expect(data.sourceOf("MSFT", requireInterval("1d"))).toEqual({ source: "derived", base: requireInterval("1m"), interval: requireInterval("1d") });
    expect(data.sourceOf("MSFT", requireInterval("30s"))).toBeUndefined();
    expect(() => data.requireSource("MSFT", requireInterval("30s"))).toThrow("MSFT 30s: the store under");
    expect(() => data.requireSource("NOPE", requireInterval("1m"))).toThrow("nothing is stored for it");
  });

  test("1d is the regular session, built from minutes: equal to a hand aggregation of [open, close)", () => {
    const s = session("2025-07-02");
    const minutes = data.getBars("MSFT", requireInterval("1m"), s.open, s.close);
    const day = data.getBars("MSFT", requireInterval("1d"), s.open, s.close);
    expect(minutes.height).toBe(390);
    const m = barColumns(minutes);
    const d = barColumns(day);
    expect([d.ts[0], d.open[0], d.high[0], d.low[0], d.close[0], d.volume[0]]).toEqual([
      s.open, m.open[0], Math.max(...m.high), Math.min(...m.low), m.close[389], m.volume.reduce((a, b) => a + b, 0),
    ]);
    expect(day.getColumn("partial").toArray()).toEqual([false]);
  });

  test("an early close cuts the day: 1h bars 09:30 ... 12:30, the last one partial and ending at 13:00", () => {
    const s = session("2025-07-03");
    const hours = data.getBars("MSFT", requireInterval("1h"), s.open, s.close);
    expect([...barColumns(hours).ts]).toEqual([t("2025-07-03T13:30:00Z"), t("2025-07-03T14:30:00Z"), t("2025-07-03T15:30:00Z"), t("2025-07-03T16:30:00Z")]);
    expect(hours.getColumn("partial").toArray()).toEqual([false, false, false, true]);
    expect(hours.getColumn("bars").toArray()).toEqual([60, 60, 60, 30]);
    // The 13:00 closing auction print is post-market: not in the last bar.
    const last = data.getBars("MSFT", requireInterval("1m"), t("2025-07-03T16:59:00Z"), t("2025-07-03T17:01:00Z"));
    expect(barColumns(last).ts.length).toBe(2);
    expect(hours.getColumn("volume").get(3)).toBe(data.getBars("MSFT", requireInterval("1m"), t("2025-07-03T16:30:00Z"), s.close).getColumn("volume").sum());
  });

  test("a derived bar is returned only when its whole period is inside the window", () => {
    const half = data.getBars("MSFT", requireInterval("5m"), t("2025-07-02T13:30:00Z"), t("2025-07-02T13:42:00Z"));
    expect([...barColumns(half).ts]).toEqual([t("2025-07-02T13:30:00Z"), t("2025-07-02T13:35:00Z")]);
  });

  test("1w aggregates the week's sessions (the July 4th week has four)", () => {
    const week = data.getBars("MSFT", requireInterval("1w"), t("2025-06-30T00:00:00Z"), t("2025-07-05T00:00:00Z"));
    expect(week.height).toBe(1);
    expect(barColumns(week).ts[0]).toBe(session("2025-06-30").open);
    const days = data.getBars("MSFT", requireInterval("1d"), t("2025-06-30T00:00:00Z"), t("2025-07-05T00:00:00Z"));
    expect(days.height).toBe(4);
    expect(week.getColumn("volume").get(0)).toBe(days.getColumn("volume").sum());
    expect(week.getColumn("high").get(0)).toBe(days.getColumn("high").max());
  });

  test("regular-hours reads of stored bars use each day's own session", () => {
    const all = data.getBars("MSFT", requireInterval("1m"), t("2025-07-03T00:00:00Z"), t("2025-07-04T00:00:00Z"));
    const regular = data.getBars("MSFT", requireInterval("1m"), t("2025-07-03T00:00:00Z"), t("2025-07-04T00:00:00Z"), { regularHoursOnly: true });
    expect(regular.height).toBe(210);
    expect(all.height).toBeGreaterThan(210);
    const ts = barColumns(regular).ts;
    expect([ts[0], ts.at(-1)]).toEqual([t("2025-07-03T13:30:00Z"), t("2025-07-03T16:59:00Z")]);
    expect(regular.filter(pl.col("ts").eq(pl.lit(t("2025-07-03T17:00:00Z")).cast(pl.Int64))).height).toBe(0);
  });
});
