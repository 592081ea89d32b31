/**
 * London, Toronto, Tokyo and CME Globex equal exchange_calendars' session lists whole: the same
 * sessions, and the same open, close and break instants on every row (early closes, Tokyo's lunch
 * break and its 15:30 close from November 2024, CME's evening opens included).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";

const REFERENCE = `${import.meta.dir}/../../../shared/reference/calendars`;

const markets = [
  { exchange: "XLON", group: "UK_EQUITY", file: "xlon_sessions.csv", rows: 8515, first: "1990-01-02 1990-01-02T08:00:00Z 1990-01-02T16:30:00Z  ", earlyCloses: 65, breaks: 0 },
  { exchange: "XTSE", group: "CA_EQUITY", file: "xtse_sessions.csv", rows: 7484, first: "1990-01-02 1990-01-02T14:30:00Z 1990-01-02T21:00:00Z  ", earlyCloses: 6, breaks: 0 },
  { exchange: "CMES", group: "US_FUTURES", assetClass: "FUTURES", file: "cmes_sessions.csv", rows: 9682, first: "1990-01-02 1990-01-01T23:00:00Z 1990-01-02T23:00:00Z  ", earlyCloses: 280, breaks: 0 },
  { exchange: "XTKS", group: "JP_EQUITY", file: "xtks_sessions.csv", rows: 6613, first: "2000-01-04 2000-01-04T00:00:00Z 2000-01-04T06:00:00Z 2000-01-04T02:30:00Z 2000-01-04T03:30:00Z", earlyCloses: 0, breaks: 6613 },
];

for (const market of markets) {
  describe(`${market.exchange} against exchange_calendars`, () => {
    const calendar = MarketCalendar.for(market.group, "assetClass" in market && market.assetClass ? market.assetClass : "EQUITY");
    const rows = readFileSync(`${REFERENCE}/${market.file}`, "utf8").trim().split("\n").slice(1).map((row) => row.split(","));
    const expected = rows.map(([date, open, close, breakStart, breakEnd]) => `${date!.slice(0, 10)} ${open} ${close} ${breakStart} ${breakEnd}`);

    test("the reference is what we think it is", () => {
      expect(rows.filter((row) => row[3] || row[4]).length).toBe(market.breaks);
      expect(expected.length).toBe(market.rows);
      expect(expected[0]).toBe(market.first);
    });

    test("every session, open and close instant is identical", () => {
      const iso = (ms: number | undefined) => (ms === undefined ? "" : new Date(ms).toISOString().replace(".000Z", "Z"));
      const actual = calendar.tradingDays(isoDay(expected[0]!.slice(0, 10)), isoDay(expected.at(-1)!.slice(0, 10))).map((day) => {
        const session = calendar.session(day)!;
        return `${formatDay(day)} ${iso(session.open)} ${iso(session.close)} ${iso(session.breakStart)} ${iso(session.breakEnd)}`;
      });
      const actualSet = new Set(actual);
      const expectedSet = new Set(expected);
      expect({ missing: expected.filter((row) => !actualSet.has(row)), extra: actual.filter((row) => !expectedSet.has(row)) }).toEqual({ missing: [], extra: [] });
      expect(actual).toEqual(expected);
    });

    test("its early closes are named sessions of the calendar", () => {
      const days = calendar.tradingDays(isoDay(expected[0]!.slice(0, 10)), isoDay(expected.at(-1)!.slice(0, 10)));
      const early = days.map((day) => calendar.session(day)!).filter((session) => session.earlyClose);
      expect(early.length).toBe(market.earlyCloses);
      for (const session of early) expect(session.earlyCloseName).toBeTruthy();
    });
  });
}

test("Japan's moving holidays: substitutes skip the exchange's own year-end days, sandwiched weekdays close", () => {
  const tokyo = MarketCalendar.for("JP_EQUITY", "EQUITY");
  const closed = (date: string) => tokyo.session(isoDay(date)) === undefined;
  // 2017: New Year's Day on a Sunday; its substitute is 2 January (a national holiday), so 4 January trades.
  expect([closed("2017-01-02"), closed("2017-01-03"), closed("2017-01-04")]).toEqual([true, true, false]);
  // 2015: Constitution Day on a Sunday; 4 and 5 May are holidays, so the substitute is Wednesday 6 May.
  expect([closed("2015-05-06"), closed("2015-05-07")]).toEqual([true, false]);
  // 2026: 22 September lies between Respect for the Aged Day (21st) and the equinox (23rd).
  expect([closed("2026-09-21"), closed("2026-09-22"), closed("2026-09-23"), closed("2026-09-24")]).toEqual([true, true, true, false]);
  // The lunch break, and the longer afternoon from 5 November 2024.
  const before = tokyo.session(isoDay("2024-11-01"))!;
  const after = tokyo.session(isoDay("2024-11-05"))!;
  expect([before.breakStart, before.breakEnd, before.close].map((ms) => new Date(ms!).toISOString())).toEqual(["2024-11-01T02:30:00.000Z", "2024-11-01T03:30:00.000Z", "2024-11-01T06:00:00.000Z"]);
  expect(new Date(after.close).toISOString()).toBe("2024-11-05T06:30:00.000Z");
});

test("CME: a session opens at 17:00 Chicago time the evening before its date; its evening belongs to the next date", () => {
  const cme = MarketCalendar.for("US_FUTURES", "FUTURES");
  const monday = cme.session(isoDay("2025-07-07"))!;
  expect([new Date(monday.open).toISOString(), new Date(monday.close).toISOString()]).toEqual(["2025-07-06T22:00:00.000Z", "2025-07-07T22:00:00.000Z"]);
  // Independence Day trades short (to 12:00), and its session opened on Thursday evening.
  const july4 = cme.session(isoDay("2025-07-04"))!;
  expect([new Date(july4.open).toISOString(), new Date(july4.close).toISOString(), july4.earlyCloseName]).toEqual(["2025-07-03T22:00:00.000Z", "2025-07-04T17:00:00.000Z", "Independence Day"]);
  // Sunday 18:00 belongs to Monday; Monday 16:59 too; Monday 17:00 to Tuesday.
  expect(cme.dayOf(Date.parse("2025-07-06T23:00:00Z"))).toBe(isoDay("2025-07-07"));
  expect(cme.dayOf(Date.parse("2025-07-07T21:59:00Z"))).toBe(isoDay("2025-07-07"));
  expect(cme.dayOf(Date.parse("2025-07-07T22:00:00Z"))).toBe(isoDay("2025-07-08"));
  expect(cme.dayStart(isoDay("2025-07-07"))).toBe(monday.open);
});

test("London's moved bank holidays and Toronto's Victoria Day fall where the exchanges closed", () => {
  const london = MarketCalendar.for("UK_EQUITY", "EQUITY");
  const toronto = MarketCalendar.for("CA_EQUITY", "EQUITY");
  const closed = (calendar: MarketCalendar, date: string) => calendar.session(isoDay(date)) === undefined;
  // 2020: Early May moved to Friday 8 May; Monday 4 May traded.
  expect([closed(london, "2020-05-04"), closed(london, "2020-05-08")]).toEqual([false, true]);
  // 2022: Spring Bank Holiday moved to Thursday 2 June; Monday 30 May traded.
  expect([closed(london, "2022-05-30"), closed(london, "2022-06-02"), closed(london, "2022-06-03")]).toEqual([false, true, true]);
  // Victoria Day: the Monday before 25 May (2025: 19 May; 2026: 18 May).
  expect([closed(toronto, "2025-05-19"), closed(toronto, "2026-05-18"), closed(toronto, "2026-05-25")]).toEqual([true, true, false]);
});
