/**
 * The calendar API on hand-checked cases: navigation, DST transition days, session types,
 * trading time, other markets, and clear errors.
 */
import { describe, expect, test } from "bun:test";
import { backtestWindow } from "../../src/core/time/backtest-window.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { localToUtc, utcToLocal } from "../../src/core/time/tz.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const utc = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

describe("days", () => {
  test("the July 2025 week: early close, holiday, weekend", () => {
    const week = ["2025-07-02", "2025-07-03", "2025-07-04", "2025-07-05", "2025-07-06", "2025-07-07"].map((d) => {
      const info = nyse.dayInfo(isoDay(d));
      return [d, info.status, info.holiday ?? null, info.session ? `${iso(info.session.open)}/${iso(info.session.close)}` : null];
    });
    expect(week).toEqual([
      ["2025-07-02", "open", null, "2025-07-02T13:30:00.000Z/2025-07-02T20:00:00.000Z"],
      ["2025-07-03", "early_close", null, "2025-07-03T13:30:00.000Z/2025-07-03T17:00:00.000Z"],
      ["2025-07-04", "holiday", "Independence Day", null],
      ["2025-07-05", "weekend", null, null],
      ["2025-07-06", "weekend", null, null],
      ["2025-07-07", "open", null, "2025-07-07T13:30:00.000Z/2025-07-07T20:00:00.000Z"],
    ]);
    expect(nyse.isEarlyClose(isoDay("2025-07-03"))).toBe(true);
    expect(nyse.session(isoDay("2025-07-03"))!.earlyCloseName).toBe("Day before Independence Day");
    expect(nyse.holidayName(isoDay("2025-06-19"))).toBe("Juneteenth National Independence Day");
    expect(nyse.holidayName(isoDay("2025-07-05"))).toBeUndefined();
  });

  test("extended hours: pre 04:00, post 20:00, and 17:00 after an early close", () => {
    const full = nyse.session(isoDay("2025-07-02"))!;
    expect([iso(full.preOpen), iso(full.postClose)]).toEqual(["2025-07-02T08:00:00.000Z", "2025-07-03T00:00:00.000Z"]);
    const early = nyse.session(isoDay("2025-07-03"))!;
    expect([iso(early.preOpen), iso(early.postClose)]).toEqual(["2025-07-03T08:00:00.000Z", "2025-07-03T21:00:00.000Z"]);
  });

  test("navigation: next / previous n-th (exclusive), first on or after, ranges", () => {
    const d = (text: string) => isoDay(text);
    expect(formatDay(nyse.nextTradingDay(d("2025-07-03")))).toBe("2025-07-07");
    expect(formatDay(nyse.nextTradingDay(d("2025-07-02"), 2))).toBe("2025-07-07");
    expect(formatDay(nyse.previousTradingDay(d("2025-07-07")))).toBe("2025-07-03");
    expect(formatDay(nyse.previousTradingDay(d("2025-06-23"), 2))).toBe("2025-06-18"); // skips Juneteenth
    expect(formatDay(nyse.firstTradingDayOnOrAfter(d("2025-07-04")))).toBe("2025-07-07");
    expect(formatDay(nyse.firstTradingDayOnOrAfter(d("2025-07-07")))).toBe("2025-07-07");
    expect(formatDay(nyse.lastTradingDayOnOrBefore(d("2025-07-06")))).toBe("2025-07-03");
    expect(nyse.tradingDays(d("2025-06-30"), d("2025-07-08")).map(formatDay)).toEqual([
      "2025-06-30", "2025-07-01", "2025-07-02", "2025-07-03", "2025-07-07", "2025-07-08",
    ]);
    expect(formatDay(nyse.nextTradingDay(d("2024-12-31")))).toBe("2025-01-02");
    expect(formatDay(nyse.previousTradingDay(d("2025-01-02"), 3))).toBe("2024-12-27");
    expect(nyse.tradingDaysBefore(d("2025-07-07"), 3).map(formatDay)).toEqual(["2025-07-01", "2025-07-02", "2025-07-03"]);
    // 2025 has 250 NYSE sessions (252 weekdays-ish minus holidays; independently: 365 - 104 weekend - 10 holidays - Carter).
    expect(nyse.tradingDays(d("2025-01-01"), d("2025-12-31")).length).toBe(250);
  });
});

describe("daylight saving", () => {
  test("the session keeps 09:30 New York across both transitions", () => {
    const opens = ["2025-03-07", "2025-03-10", "2025-10-31", "2025-11-03"].map((d) => iso(nyse.session(isoDay(d))!.open));
    expect(opens).toEqual(["2025-03-07T14:30:00.000Z", "2025-03-10T13:30:00.000Z", "2025-10-31T13:30:00.000Z", "2025-11-03T14:30:00.000Z"]);
  });

  test("local <-> UTC on the transition days themselves", () => {
    const sunday = isoDay("2025-03-09");
    const h = (hours: number, minutes = 0) => (hours * 60 + minutes) * 60_000;
    expect(iso(localToUtc("America/New_York", sunday, h(1, 59)).utcMs)).toBe("2025-03-09T06:59:00.000Z");
    expect(iso(localToUtc("America/New_York", sunday, h(3)).utcMs)).toBe("2025-03-09T07:00:00.000Z");
    // 02:30 does not exist that night: reported, and moved forward past the gap.
    expect(localToUtc("America/New_York", sunday, h(2, 30))).toEqual({ utcMs: utc("2025-03-09T07:30:00Z"), exists: false });
    // 01:30 happens twice on 2025-11-02: the earlier instant (EDT) is chosen.
    expect(iso(localToUtc("America/New_York", isoDay("2025-11-02"), h(1, 30)).utcMs)).toBe("2025-11-02T05:30:00.000Z");
    expect(utcToLocal("America/New_York", utc("2025-11-02T06:30:00Z"))).toEqual({ day: isoDay("2025-11-02"), msOfDay: h(1, 30) });
  });

  test("a market whose open falls in a DST gap is refused, naming the day", () => {
    const odd = new MarketCalendar({
      exchange_group: "X", asset_class: "Y", name: "Night market", timezone: "America/New_York",
      weekdays: ["sun"], hours: { pre_open: "02:00", open: "02:30", close: "05:00", post_close: "05:00", open_day: "same" },
      holidays: [], closures: [], early_closes: [], early_closures: [], hours_changes: [], sandwiched_holidays: false,
    });
    expect(odd.session(isoDay("2025-03-02"))!.open).toBe(utc("2025-03-02T07:30:00Z"));
    expect(() => odd.session(isoDay("2025-03-09"))).toThrow("the pre_open time on 2025-03-09 does not exist in America/New_York");
  });
});

describe("instants", () => {
  test("session type at an instant", () => {
    const types = ["2025-07-03T07:59:00Z", "2025-07-03T08:00:00Z", "2025-07-03T13:29:59Z", "2025-07-03T13:30:00Z", "2025-07-03T16:59:00Z", "2025-07-03T17:00:00Z", "2025-07-03T20:59:00Z", "2025-07-03T21:00:00Z", "2025-07-04T15:00:00Z"]
      .map((t) => nyse.sessionType(utc(t)));
    expect(types).toEqual(["closed", "pre", "pre", "regular", "regular", "post", "post", "closed", "closed"]);
  });

  test("trading time between two instants counts only regular sessions", () => {
    const from = utc("2025-07-02T13:30:00Z");
    const to = utc("2025-07-07T20:00:00Z");
    expect(nyse.tradingMinutesBetween(from, to)).toBe(390 + 210 + 390);
    expect(nyse.barsBetween(from, to, requireInterval("1m"))).toBe(990);
    expect(nyse.barsBetween(from, to, requireInterval("5m"))).toBe(78 + 42 + 78);
    expect(nyse.barsBetween(from, to, requireInterval("15m"))).toBe(26 + 14 + 26);
    expect(nyse.barsBetween(from, to, requireInterval("1h"))).toBe(7 + 4 + 7); // the 15:30 and 12:30 bars are cut by the close
    expect(nyse.tradingDaysBetween(from, to)).toBe(3);
    expect(nyse.tradingMinutesBetween(utc("2025-07-03T16:00:00Z"), utc("2025-07-07T14:00:00Z"))).toBe(60 + 30);
  });
});

describe("markets", () => {
  test("CRYPTO trades every day, around the clock, in UTC", () => {
    const crypto = MarketCalendar.for("CRYPTO", "CRYPTO");
    const s = crypto.session(isoDay("2025-07-04"))!;
    expect([iso(s.open), iso(s.close)]).toEqual(["2025-07-04T00:00:00.000Z", "2025-07-05T00:00:00.000Z"]);
    expect(crypto.tradingDays(isoDay("2025-07-01"), isoDay("2025-07-31")).length).toBe(31);
    expect(crypto.barsBetween(utc("2021-01-03T00:00:00Z"), utc("2021-01-04T00:00:00Z"), requireInterval("1m"))).toBe(1440);
  });

  test("an unknown market is a clear error naming the known ones", () => {
    expect(() => MarketCalendar.for("LSE", "EQUITY")).toThrow("unknown market LSE/EQUITY; known (exchange_group/asset_class): US_EQUITY/EQUITY, CRYPTO/CRYPTO");
  });

  test("dates before the rules are known are refused", () => {
    expect(() => nyse.dayInfo(isoDay("1989-12-29"))).toThrow("the calendar is defined from 1990-01-01");
  });
});

describe("backtest windows", () => {
  test("a start on a holiday or weekend rolls forward, an end on one rolls back", () => {
    const window = backtestWindow(nyse, "2025-07-04", "2025-07-13");
    expect(window.days.map(formatDay)).toEqual(["2025-07-07", "2025-07-08", "2025-07-09", "2025-07-10", "2025-07-11"]);
    expect([window.rolledStart, window.rolledEnd]).toEqual(["2025-07-07", "2025-07-11"]);
    const ending = backtestWindow(nyse, "2025-07-02", "2025-07-04");
    expect(ending.days.map(formatDay)).toEqual(["2025-07-02", "2025-07-03"]);
    expect(ending.rolledEnd).toBe("2025-07-03");
  });

  test("a window with no trading day says why each day is closed", () => {
    expect(() => backtestWindow(nyse, "2025-07-04", "2025-07-06")).toThrow(
      "no trading day between 2025-07-04 and 2025-07-06 on New York Stock Exchange (XNYS): 2025-07-04 Independence Day, 2025-07-05 weekend, 2025-07-06 weekend",
    );
  });
});
