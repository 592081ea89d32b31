/** speed_multiplier N > 0 paces the simulated clock at N x wall time, with absolute targets (no drift). */
import { expect, test } from "bun:test";
import { SimulatedMarketClock } from "../../src/core/time/market-clock.ts";

function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    wall: { kind: "live" as const, now: () => now },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms + 3; // every sleep oversleeps by 3 ms, as real timers do
    },
    advance: (ms: number) => (now += ms),
    sleeps,
  };
}

test("60x: one simulated minute takes one wall second, and oversleeping does not accumulate", async () => {
  const time = fakeTime();
  const pacer = new SimulatedMarketClock(60, time.wall, time.sleep);
  const open = Date.parse("2025-07-02T13:30:00Z");
  pacer.startDay(open);
  for (let minute = 1; minute <= 5; minute++) await pacer.until(open + minute * 60_000);
  // Targets are absolute: after the first sleep (1000 ms, +3 late) each wait is 1000 - 3.
  expect(time.sleeps).toEqual([1000, 997, 997, 997, 997]);
  expect(time.wall.now() - 1_000_000).toBe(5000 + 3);
});

test("work slower than the pace is not slept for; speed 0 never sleeps", async () => {
  const time = fakeTime();
  const pacer = new SimulatedMarketClock(120, time.wall, time.sleep);
  pacer.startDay(0);
  time.advance(800); // processing took longer than the 500 ms the first minute is worth
  await pacer.until(60_000);
  expect(time.sleeps).toEqual([]);
  await pacer.until(120_000);
  expect(time.sleeps).toEqual([200]);
  const fast = new SimulatedMarketClock(0, time.wall, time.sleep);
  fast.startDay(0);
  await fast.until(10 * 60_000);
  expect([fast.paced, time.sleeps.length]).toEqual([false, 1]);
});
