/**
 * For every indicator, the O(1) streaming instance and the independent batch form give the same
 * values on real data (the bundled MSFT and FXY minutes of 2025-06-02 .. 07-07): the same bars
 * not ready, and values equal within 1e-9 relative (running sums and direct sums round differently).
 */
import { describe, expect, test } from "bun:test";
import { barColumns } from "../../src/core/data/bars.ts";
import { Store } from "../../src/core/data/store.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { batch, indicator, indicatorNames, stream } from "../helpers/indicators.ts";

const store = new Store(`${ROOT}/data`, "US_EQUITY");
const minutes = (symbol: string) => barColumns(store.read({ kind: "bars", interval: requireInterval("1m") }, symbol, Date.parse("2025-06-02T00:00:00Z"), Date.parse("2025-07-08T00:00:00Z")));
const data = { MSFT: minutes("MSFT"), FXY: minutes("FXY") };

/** Extra parameter sets worth checking beyond the defaults. */
const VARIANTS: Record<string, Record<string, unknown>[]> = {
  ema: [{ seed: "first" }, { period: 50 }],
  dema: [{ seed: "first" }],
  tema: [{ seed: "first" }],
  macd: [{ convention: "tulip" }, { fast: 5, slow: 35, signal: 5 }],
  stochastic: [{ k_period: 1 }],
  stddev: [{ sample: true }],
  keltner: [{ atr_period: 10 }],
  obv: [{ session_reset: false }],
  histvol: [{ annualization: 252 * 390 }],
};

function compare(a: Float64Array, b: Float64Array): string[] {
  const problems: string[] = [];
  for (let i = 0; i < a.length && problems.length < 5; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) !== Number.isNaN(y)) problems.push(`bar ${i}: stream ${x}, batch ${y}`);
    else if (!Number.isNaN(x) && Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))) problems.push(`bar ${i}: stream ${x}, batch ${y}`);
  }
  return problems;
}

describe("streaming = batch on real minutes", () => {
  test("every built-in indicator is covered", () => {
    expect(indicatorNames).toEqual([
      "atr", "atr_daily", "avg_range", "avg_volume", "bbands", "cci", "dema", "donchian", "ema", "gap_stats", "high_low", "histvol",
      "hma", "keltner", "macd", "mom", "obv", "pivot_points", "pvt", "range_ratio", "roc", "rsi", "sma", "stddev", "stochastic",
      "swing_high", "swing_low", "tema", "twap", "ultimate_osc", "volume_ratio", "volume_sma", "vwap", "williams_r", "wma",
    ]);
  });

  for (const name of indicatorNames) {
    for (const params of [{}, ...(VARIANTS[name] ?? [])]) {
      test(`${name} ${JSON.stringify(params)}`, () => {
        const plugin = indicator(name);
        for (const [symbol, bars] of Object.entries(data)) {
          const s = stream(plugin, params, bars);
          const b = batch(plugin, params, bars);
          expect(b.length).toBe(plugin.outputs.length);
          plugin.outputs.forEach((output, k) => {
            expect({ symbol, output, problems: compare(s[k]!, b[k]!) }).toEqual({ symbol, output, problems: [] });
          });
          // Real data makes every indicator ready at some point.
          expect(s[0]!.some((x) => !Number.isNaN(x))).toBe(true);
        }
      });
    }
  }
});
