/**
 * No look-ahead: for each example strategy, the orders it places up to any instant t are the same
 * whether or not the data after t exists. The bundled store is cut at several instants (only bars
 * that have ended by t are kept) and each strategy is run on the cut store and on the whole one.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { Store } from "../../src/core/data/store.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("lookahead");
afterAll(() => dir[Symbol.dispose]());
const minute = { kind: "bars" as const, interval: requireInterval("1m") };
const bundled = new Store(`${ROOT}/data`, "US_EQUITY");

/** A copy of the bundled store holding only the bars that ended by `cut`. */
function cutStore(cut: number): string {
  const root = `${dir.path}/cut-${cut}`;
  const store = new Store(root, "US_EQUITY");
  for (const { symbol } of bundled.list()) {
    const bars = bundled.read(minute, symbol, 0, cut - 60_000 + 1);
    if (bars.height > 0) store.write(minute, symbol, bars.filter(pl.col("ts").lt(pl.lit(cut - 60_000 + 1).cast(pl.Int64))));
  }
  return root;
}

/** Orders placed at or before `cut` (what was decided, not what happened to it later). */
function ordersUntil(runDir: string, cut: number): string[] {
  const [, ...lines] = readFileSync(`${runDir}/orders.csv`, "utf8").trim().split("\n");
  return lines
    .map((line) => line.split(","))
    .filter((cells) => Date.parse(cells[1]!) <= cut)
    .map((cells) => cells.slice(0, 10).join(","));
}

const STRATEGIES = {
  sma_crossover: "{name: sma_crossover, params: {interval: 5m, notional: 5000, min_quality: 0}}",
  rsi_mean_reversion: "{name: rsi_mean_reversion, params: {interval: 5m, notional: 5000}}",
  opening_range_breakout: "{name: opening_range_breakout, params: {symbols: [MSFT, JPM, XLK], notional: 5000}}",
};
const CUTS = ["2025-07-02T15:07:00Z", "2025-07-03T14:42:00Z", "2025-07-07T18:13:00Z"].map(Date.parse);
const roots = new Map(CUTS.map((cut) => [cut, cutStore(cut)]));

describe("orders up to t do not depend on data after t", () => {
  for (const [name, entry] of Object.entries(STRATEGIES)) {
    test(name, async () => {
      const whole = await runTestSession("sessions/july.yaml", [`strategies=[${entry}]`], { keep: `${dir.path}/${name}-whole` });
      let compared = 0;
      for (const cut of CUTS) {
        const date = new Date(cut).toISOString().slice(0, 10);
        const part = await runTestSession("sessions/july.yaml", [`strategies=[${entry}]`, `data.root=${roots.get(cut)}`, `backtest_config.end_date=${date}`], { keep: `${dir.path}/${name}-${cut}` });
        const expected = ordersUntil(whole.runDir, cut);
        expect({ cut: new Date(cut).toISOString(), orders: ordersUntil(part.runDir, cut) }).toEqual({ cut: new Date(cut).toISOString(), orders: expected });
        compared += expected.length;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
