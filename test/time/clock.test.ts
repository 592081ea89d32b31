/** The simulated clock refuses to go backwards or past the close; the live clock reads wall time. */
import { expect, test } from "bun:test";
import { LiveClock, SimulatedClock } from "../../src/core/time/clock.ts";

const t = (text: string) => Date.parse(text);

test("a simulated clock moves forward only, and only when told", () => {
  const clock = new SimulatedClock(t("2025-07-03T13:30:00Z"));
  clock.setLimit(t("2025-07-03T17:00:00Z"));
  clock.advanceTo(t("2025-07-03T13:31:00Z"));
  clock.advanceTo(t("2025-07-03T13:31:00Z")); // equal is fine: several bars share an end
  expect(clock.now()).toBe(t("2025-07-03T13:31:00Z"));
  expect(() => clock.advanceTo(t("2025-07-03T13:30:00Z"))).toThrow(
    "the simulated clock cannot go backwards: it is 2025-07-03T13:31:00.000Z, asked for 2025-07-03T13:30:00.000Z",
  );
  expect(() => clock.advanceTo(t("2025-07-03T17:01:00Z"))).toThrow("cannot pass the session close 2025-07-03T17:00:00.000Z");
  clock.advanceTo(t("2025-07-03T17:00:00Z"));
  expect(clock.now()).toBe(t("2025-07-03T17:00:00Z"));
  expect(() => clock.setLimit(t("2025-07-03T16:00:00Z"))).toThrow("is before the current time");
});

test("the live clock reads the wall clock", () => {
  const before = Date.now();
  const now = new LiveClock().now();
  expect(now).toBeGreaterThanOrEqual(before);
  expect(now - before).toBeLessThan(60_000);
});
