/**
 * Indicators without a published test vector, checked on small series computed by hand, and the
 * instance contract (ready, reset, named fields, parameter validation).
 */
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { columns, indicator, stream } from "../helpers/indicators.ts";

const H = [10, 12, 11, 13, 15, 14, 16];
const L = [8, 9, 9, 10, 12, 11, 13];
const C = [9, 11, 10, 12, 14, 13, 15];
const V = [100, 200, 100, 300, 200, 100, 400];
const bars = columns({ high: H, low: L, close: C, volume: V, open: [9, 10, 11, 11, 13, 14, 14] });
const run = (name: string, params: Record<string, unknown> = {}) => stream(indicator(name), params, bars);
const round = (xs: Float64Array, d = 6) => [...xs].map((x) => (Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d));

describe("hand-checked values", () => {
  test("vwap: cumulative typical price x volume over volume", () => {
    const tp = H.map((h, i) => (h + L[i]! + C[i]!) / 3);
    const expected = tp.map((_, i) => tp.slice(0, i + 1).reduce((s, x, j) => s + x * V[j]!, 0) / V.slice(0, i + 1).reduce((a, b) => a + b, 0));
    expect(round(run("vwap")[0]!)).toEqual(round(Float64Array.from(expected)));
    expect(run("vwap")[0]![1]).toBeCloseTo((9 * 100 + (32 / 3) * 200) / 300, 12);
  });

  test("twap: the running mean close", () => {
    expect(round(run("twap")[0]!)).toEqual([9, 10, 10, 10.5, 11.2, 11.5, 12]);
  });

  test("donchian and high_low over 3 bars", () => {
    const [lower, middle, upper] = run("donchian", { period: 3 });
    expect(round(upper!)).toEqual([null, null, 12, 13, 15, 15, 16]);
    expect(round(lower!)).toEqual([null, null, 8, 9, 9, 10, 11]);
    expect(round(middle!)).toEqual([null, null, 10, 11, 12, 12.5, 13.5]);
    const [high, low] = run("high_low", { period: 3 });
    expect([round(high!), round(low!)]).toEqual([round(upper!), round(lower!)]);
  });

  test("pvt and obv are cumulative from 0", () => {
    expect(round(run("obv")[0]!)).toEqual([0, 200, 100, 400, 600, 500, 900]);
    const pvt = [0];
    for (let i = 1; i < C.length; i++) pvt.push(pvt[i - 1]! + (V[i]! * (C[i]! - C[i - 1]!)) / C[i - 1]!);
    expect(round(run("pvt")[0]!)).toEqual(round(Float64Array.from(pvt)));
    expect(run("pvt")[0]![1]).toBeCloseTo(200 * (2 / 9), 12);
  });

  test("volume_sma and volume_ratio over 2 bars", () => {
    expect(round(run("volume_sma", { period: 2 })[0]!)).toEqual([null, 150, 150, 200, 250, 150, 250]);
    expect(round(run("volume_ratio", { period: 2 })[0]!)).toEqual([null, 200 / 150, 100 / 150, 300 / 200, 200 / 250, 100 / 150, 400 / 250].map((x) => (x === null ? null : Math.round(x * 1e6) / 1e6)));
  });

  test("pivot_points of the last bar", () => {
    const p = run("pivot_points").map((series) => series[6]!);
    const pp = (16 + 13 + 15) / 3;
    expect(p).toEqual([pp, 2 * pp - 13, pp + 3, 16 + 2 * (pp - 13), 2 * pp - 16, pp - 3, 13 - 2 * (16 - pp)]);
  });

  test("swing_high and swing_low: confirmed period bars later, the latest kept", () => {
    // Highs 10 12 11 13 15 14 16: with period 1, bar 1 (12) is a swing high seen at bar 2; bar 4 (15) at bar 5.
    expect(round(run("swing_high", { period: 1 })[0]!)).toEqual([null, null, 12, 12, 12, 15, 15]);
    // Lows 8 9 9 10 12 11 13: bar 2 (9 <= 9 and <= 10) at bar 3; bar 5 (11) at bar 6.
    expect(round(run("swing_low", { period: 1 })[0]!)).toEqual([null, null, null, 9, 9, 9, 11]);
  });

  test("histvol: population deviation of log returns, annualized, in percent", () => {
    const returns = C.slice(1).map((c, i) => Math.log(c / C[i]!));
    const last3 = returns.slice(-3);
    const mean = last3.reduce((a, b) => a + b, 0) / 3;
    const sd = Math.sqrt(last3.reduce((s, r) => s + (r - mean) ** 2, 0) / 3);
    expect(run("histvol", { period: 3 })[0]![6]).toBeCloseTo(sd * Math.sqrt(252) * 100, 10);
    expect(Number.isNaN(run("histvol", { period: 3 })[0]![2]!)).toBe(true);
  });

  test("keltner: SMA-seeded EMA of the close +/- multiplier x Wilder ATR", () => {
    const [lower, middle, upper] = run("keltner", { period: 3, atr_multiplier: 1.5 });
    const ema = [NaN, NaN, 10];
    for (let i = 3; i < 7; i++) ema.push(ema[i - 1]! + 0.5 * (C[i]! - ema[i - 1]!));
    const tr = [2, 3, 2, 3, 3, 3, 3];
    const atr = [NaN, NaN, 7 / 3];
    for (let i = 3; i < 7; i++) atr.push((atr[i - 1]! * 2 + tr[i]!) / 3);
    expect(round(middle!)).toEqual(round(Float64Array.from(ema)));
    expect(round(upper!)).toEqual(round(Float64Array.from(ema.map((e, i) => e + 1.5 * atr[i]!))));
    expect(round(lower!)).toEqual(round(Float64Array.from(ema.map((e, i) => e - 1.5 * atr[i]!))));
  });

  test("historical: avg_volume, avg_range, atr_daily, gap_stats, range_ratio", () => {
    expect(run("avg_volume", { period: 3 })[0]![6]).toBeCloseTo((200 + 100 + 400) / 3, 12);
    expect(run("avg_range", { period: 3 })[0]![6]).toBeCloseTo(3, 12);
    expect(run("atr_daily", { period: 3 })[0]![6]).toBeCloseTo(run("atr", { period: 3 })[0]![6]!, 12);
    expect(run("range_ratio", { period: 3 })[0]![6]).toBeCloseTo(3 / 3, 12);
    // Gaps (open - previous close) over the last 3 days: 13-12=1, 14-14=0, 14-13=1.
    const [avg, pct, up, down] = run("gap_stats", { period: 3 }).map((s) => s[6]!);
    expect([avg, up, down]).toEqual([2 / 3, 2, 0]);
    expect(pct).toBeCloseTo(((1 / 12) * 100 + 0 + (1 / 13) * 100) / 3, 10);
  });
});

describe("the instance contract", () => {
  test("ready flips once, reset returns to the start, values are the named fields in order", () => {
    const plugin = indicator("bbands");
    const instance = plugin.create(v.parse(plugin.params, { period: 3 }) as never);
    expect(plugin.outputs).toEqual(["lower", "middle", "upper", "bandwidth"]);
    const bar = { ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };
    for (const close of [1, 2]) instance.update({ ...bar, close });
    expect([instance.ready, Number.isNaN(instance.value)]).toEqual([false, true]);
    instance.update({ ...bar, close: 3 });
    expect(instance.ready).toBe(true);
    expect(instance.values[1]).toBe(2);
    const sd = Math.sqrt(2 / 3);
    expect([...instance.values]).toEqual([2 - 2 * sd, 2, 2 + 2 * sd, (4 * sd) / 2]);
    instance.reset();
    expect([instance.ready, Number.isNaN(instance.values[1]!)]).toEqual([false, true]);
  });

  test("params are validated by each plugin's schema (period from the session entry)", () => {
    const macd = indicator("macd");
    expect(v.safeParse(macd.params, { period: 0, fast: 26, slow: 12 }).success).toBe(false);
    expect(v.parse(indicator("sma").params, { period: 0 })).toEqual({ period: 20 });
    expect(v.safeParse(indicator("sma").params, { period: 0, lenght: 3 }).success).toBe(false);
  });

  test("session-reset indicators say so; others run across sessions", () => {
    const resets = (name: string, params = {}) => indicator(name).resetEachSession?.(v.parse(indicator(name).params, params) as never) ?? false;
    expect([resets("vwap"), resets("twap"), resets("obv"), resets("obv", { session_reset: false }), resets("sma")]).toEqual([true, true, true, false, false]);
  });
});
