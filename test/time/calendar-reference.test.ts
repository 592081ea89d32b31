/**
 * The NYSE calendar equals independent references exactly: exchange_calendars' session list
 * 1990-2023 (every session's open and close instant) and the 2020-2026 holiday/early-close list.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { formatDay, isoDay } from "../../src/core/time/dates.ts";

const REFERENCE = `${import.meta.dir}/../../../shared/reference/calendars`;
const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");

describe("XNYS against exchange_calendars 1990-2023", () => {
  const rows = readFileSync(`${REFERENCE}/xnys_sessions_1990_2023.csv`, "utf8").trim().split("\n").slice(1);
  const expected = rows.map((row) => {
    const [date, open, close] = row.split(",");
    return `${date!.slice(0, 10)} ${open} ${close}`;
  });

  test("the reference is what we think it is", () => {
    expect(expected.length).toBe(8324);
    expect(expected[0]).toBe("1990-01-02 1990-01-02T14:30:00Z 1990-01-02T21:00:00Z");
  });

  test("every session, open and close instant is identical", () => {
    const first = isoDay(expected[0]!.slice(0, 10));
    const last = isoDay(expected.at(-1)!.slice(0, 10));
    const actual = nyse.tradingDays(first, last).map((day) => {
      const s = nyse.session(day)!;
      const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
      return `${formatDay(day)} ${iso(s.open)} ${iso(s.close)}`;
    });
    const actualSet = new Set(actual);
    const expectedSet = new Set(expected);
    const missing = expected.filter((row) => !actualSet.has(row));
    const extra = actual.filter((row) => !expectedSet.has(row));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(actual).toEqual(expected);
  });
});

describe("XNYS holidays and early closes 2020-2026", () => {
  const lines = readFileSync(`${REFERENCE}/xnys_2024_2026.txt`, "utf8").split("\n");
  const listed = lines
    .filter((line) => /^(HOLIDAY|EARLY)\s/.test(line))
    .map((line) => {
      const [type, date] = line.split(/\s+/);
      const utc = /\[(\d\d:\d\d)Z-(\d\d:\d\d)Z\]/.exec(line);
      return { type: type!, date: date!, utc: utc ? `${utc[1]}-${utc[2]}` : null };
    })
    .sort((a, b) => a.date.localeCompare(b.date));

  test("the reference lists 7 years", () => {
    expect(listed.filter((r) => r.type === "HOLIDAY").length).toBe(68);
  });

  test("the same holidays and early closes, with the same instants, and nothing else", () => {
    const actual: typeof listed = [];
    for (let day = isoDay("2020-01-01"); day <= isoDay("2026-12-31"); day++) {
      const info = nyse.dayInfo(day);
      if (info.status === "holiday") actual.push({ type: "HOLIDAY", date: info.date, utc: null });
      if (info.status === "early_close") {
        const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
        actual.push({ type: "EARLY", date: info.date, utc: `${hhmm(info.session!.open)}-${hhmm(info.session!.close)}` });
      }
    }
    expect(actual).toEqual(listed);
  });
});
