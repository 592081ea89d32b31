// isoUtc and offsetAt take shortcuts (a cached day prefix; an offset cached per UTC hour) because the
// report and the run tables call them for every bar. These tests hold the shortcuts to the slow,
// obvious answers: Date's toISOString and Intl's own answer.
import { describe, expect, test } from "bun:test";
import { isoUtc } from "../../src/core/time/dates.ts";
import { offsetAt } from "../../src/core/time/tz.ts";

/** A small seeded generator (the same sample every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

const referenceFormatters = new Map<string, Intl.DateTimeFormat>();

function referenceOffset(zone: string, utcMs: number): number {
  let formatter = referenceFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    referenceFormatters.set(zone, formatter);
  }
  const parts = formatter.formatToParts(utcMs);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(utcMs / 1000) * 1000;
}

describe("isoUtc", () => {
  test("equals toISOString on 200,000 seeded instants from 1970 to 9999 and at the edges", () => {
    const random = lcg(7);
    const edges = [0, 1, 999, 86_399_999, 86_400_000, 951_782_400_000 /* 2000-02-29 */, 253_402_300_799_999, -1, -86_400_001, 1.5, 253_402_300_800_000];
    for (const ms of edges) expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
    for (let i = 0; i < 200_000; i++) {
      // Half anywhere in the range, half within a few days (the cached prefix's common case).
      const ms = i % 2 === 0 ? Math.floor(random() * 253_402_300_800_000) : 1_751_500_000_000 + Math.floor(random() * 400_000_000);
      const got = isoUtc(ms);
      const want = new Date(ms).toISOString();
      if (got !== want) expect(`${ms}: ${got}`).toBe(`${ms}: ${want}`);
    }
  });
});

describe("offsetAt", () => {
  const zones = ["America/New_York", "Europe/London", "America/Toronto", "Asia/Tokyo", "America/Chicago", "Australia/Lord_Howe", "Asia/Kathmandu"];

  test("equals Intl's own answer every 15 minutes across the 2024-2025 transitions", () => {
    for (const zone of zones) {
      // March and November (northern transitions), April and October (southern ones), 2024 and 2025.
      for (const [from, to] of [["2024-03-01", "2024-04-15"], ["2024-09-25", "2024-11-10"], ["2025-03-01", "2025-04-10"], ["2025-10-01", "2025-11-05"]]) {
        for (let ms = Date.parse(`${from}T00:00:00Z`); ms < Date.parse(`${to}T00:00:00Z`); ms += 900_000) {
          const got = offsetAt(zone, ms);
          const want = referenceOffset(zone, ms);
          if (got !== want) expect(`${zone} ${new Date(ms).toISOString()} ${got}`).toBe(`${zone} ${new Date(ms).toISOString()} ${want}`);
        }
      }
    }
  });

  test("equals Intl's own answer on seeded instants from 1990 to 2030, seconds included", () => {
    const random = lcg(3);
    const start = Date.parse("1990-01-01T00:00:00Z");
    const span = Date.parse("2030-01-01T00:00:00Z") - start;
    for (let i = 0; i < 20_000; i++) {
      const zone = zones[i % zones.length]!;
      const ms = start + Math.floor(random() * span);
      expect(offsetAt(zone, ms)).toBe(referenceOffset(zone, ms));
    }
  });

  test("the instants around a transition: the last second before and the first after (New York, 2025-03-09)", () => {
    const jump = Date.parse("2025-03-09T07:00:00Z");
    expect(offsetAt("America/New_York", jump - 1000)).toBe(-5 * 3_600_000);
    expect(offsetAt("America/New_York", jump)).toBe(-4 * 3_600_000);
    expect(offsetAt("America/New_York", jump - 1000)).toBe(-5 * 3_600_000);
  });
});
