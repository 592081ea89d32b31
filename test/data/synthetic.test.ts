/** The synthetic market: deterministic, calendar-aware, valid bars, a U-shaped day, and gaps on demand. */
import { expect, test } from "bun:test";
import { SyntheticMarket } from "../../src/core/data/synthetic.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const days = nyse.tradingDays(isoDay("2025-06-02"), isoDay("2025-07-07"));

test("the same seed gives the same bars; another seed does not", () => {
  const a = new SyntheticMarket(nyse, ["A", "B"], { seed: 3 });
  const b = new SyntheticMarket(nyse, ["A", "B"], { seed: 3 });
  const c = new SyntheticMarket(nyse, ["A", "B"], { seed: 4 });
  for (const day of days.slice(0, 3)) {
    const [x, y, z] = [a.day(day), b.day(day), c.day(day)];
    expect([...x[1]!.close]).toEqual([...y[1]!.close]);
    expect([...x[1]!.close]).not.toEqual([...z[1]!.close]);
  }
});

test("calendar-aware: 390 bars a day, 210 on the early close, on the session grid, valid OHLC", () => {
  const market = new SyntheticMarket(nyse, ["A"], { seed: 1 });
  for (const day of days) {
    const [bars] = market.day(day);
    const s = nyse.session(day)!;
    expect(bars!.ts.length).toBe(s.earlyClose ? 210 : 390);
    expect([bars!.ts[0], bars!.ts.at(-1)]).toEqual([s.open, s.close - 60_000]);
    for (let i = 0; i < bars!.ts.length; i++) {
      const { open, high, low, close, volume } = bars!;
      const ok = low[i]! > 0 && low[i]! <= Math.min(open[i]!, close[i]!) && high[i]! >= Math.max(open[i]!, close[i]!) && volume[i]! > 0;
      if (!ok) throw new Error(`bad bar ${i} on day ${day}`);
    }
  }
});

test("volume follows a U: the first and last half hour are busier than midday", () => {
  const market = new SyntheticMarket(nyse, ["A"], { seed: 9 });
  let edges = 0, middle = 0;
  for (const day of days) {
    const v = market.day(day)[0]!.volume;
    if (v.length !== 390) continue;
    for (let i = 0; i < 30; i++) edges += v[i]! + v[389 - i]!;
    for (let i = 180; i < 240; i++) middle += v[i]!;
  }
  expect(edges / middle).toBeGreaterThan(2);
});

test("missing minutes at the asked rate, per symbol", () => {
  const market = new SyntheticMarket(nyse, ["LIQUID", "THIN"], { seed: 2, missingRate: (i) => (i === 0 ? 0 : 0.3) });
  let liquid = 0, thin = 0, expected = 0;
  for (const day of days) {
    const [a, b] = market.day(day);
    liquid += a!.ts.length;
    thin += b!.ts.length;
    expected += nyse.session(day)!.earlyClose ? 210 : 390;
  }
  expect(liquid).toBe(expected);
  expect(thin / expected).toBeGreaterThan(0.66);
  expect(thin / expected).toBeLessThan(0.74);
});
