/**
 * London and Toronto equal exchange_calendars' session lists whole: the same sessions, and the
 * same open and close instant on every row (early closes included).
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";

const REFERENCE = `${import.meta.dir}/../../../shared/reference/calendars`;

const markets = [
  { exchange: "XLON", group: "UK_EQUITY", file: "xlon_sessions.csv", rows: 8515, first: "1990-01-02 1990-01-02T08:00:00Z 1990-01-02T16:30:00Z", earlyCloses: 65 },
  { exchange: "XTSE", group: "CA_EQUITY", file: "xtse_sessions.csv", rows: 7484, first: "1990-01-02 1990-01-02T14:30:00Z 1990-01-02T21:00:00Z", earlyCloses: 6 },
];

for (const market of markets) {
  describe(`${market.exchange} against exchange_calendars`, () => {
    const calendar = MarketCalendar.for(market.group, "EQUITY");
    const rows = readFileSync(`${REFERENCE}/${market.file}`, "utf8").trim().split("\n").slice(1).map((row) => row.split(","));
    const expected = rows.map(([date, open, close]) => `${date!.slice(0, 10)} ${open} ${close}`);

    test("the reference is what we think it is", () => {
      expect(rows.filter((row) => row[3] || row[4]).length).toBe(0); // neither market has a break
      expect(expected.length).toBe(market.rows);
      expect(expected[0]).toBe(market.first);
    });

    test("every session, open and close instant is identical", () => {
      const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
      const actual = calendar.tradingDays(isoDay(expected[0]!.slice(0, 10)), isoDay(expected.at(-1)!.slice(0, 10))).map((day) => {
        const session = calendar.session(day)!;
        return `${formatDay(day)} ${iso(session.open)} ${iso(session.close)}`;
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
